"""Shared themes: SKOS vocabularies, label-based mapping suggestions, SKOS export.

The core (``skos``, ``lexicon``, ``text``, ``suggest``, ``calibration``, ``export``)
needs rdflib (and pySHACL for the integrity check), never CKAN, so the theme bench and
unit tests run without a portal. The CKAN side: ``store`` (schemes and concepts in the
database, the suggester), ``mappings`` (mapping rows, decisions, re-indexing) and
``index`` (theme and HVD fields in Solr).
"""
