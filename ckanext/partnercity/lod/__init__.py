"""Linked Open Data of the partnership: the graph, content negotiation and its SHACL shape.

Core code: plain dicts in, rdflib graphs out; the CKAN adapter is ``views/linked_data.py``.
"""
