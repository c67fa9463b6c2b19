"""Every private internal of CKAN and ckanext-dcat the extension depends on, in one place.

``compat.ckan``: CKAN 2.11/2.12 differences and internals (the adapter's side).
``compat.dcat``: ckanext-dcat's parser internals (usable by the core: no CKAN app).
Each is pinned by a test (tests/unit/compat/test_dcat.py, tests/integration/compat/test_ckan.py)
that runs on CKAN 2.11 and on 2.12, so an upgrade that moves one fails there first.
"""
