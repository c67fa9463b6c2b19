"""SKOS concept schemes and published alignments read into plain dataclasses (rdflib, no CKAN).

- :mod:`.rdf` parses a document (Turtle, RDF/XML, JSON-LD) and reads its labels;
- :mod:`.schemes` gives concept schemes and the bundled EU data-theme and HVD vocabularies;
- :mod:`.alignments` gives published alignments of local categories to shared concepts.
"""
