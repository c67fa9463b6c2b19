"""Shared themes: SKOS vocabularies, label-based mapping suggestions, SKOS export.

Installed as ``ckanext.partnercity.themes``; needs rdflib (and pySHACL for the
integrity check), never CKAN.

- :mod:`.skos` loads concept schemes and published alignments into plain
  dataclasses; :func:`.skos.bundled_schemes` / :func:`.skos.bundled_alignments`
  give the vocabularies shipped in ``vocabularies/``.
- :mod:`.lexicon` reads the project's multilingual domain lexicon (category
  words per EU data theme, INSPIRE theme names).
- :mod:`.suggest` proposes shared concepts for a partner's local category label.
- :mod:`.calibration` measures, on the published alignments, how often each kind
  of suggestion is right, and turns rule-based confidences into those figures.
- :mod:`.export` publishes local categories and their mappings as SKOS, reads
  such an export back and checks SKOS integrity.
"""
