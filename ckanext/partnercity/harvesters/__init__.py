"""Partner-portal harvesters: one module per portal type, no CKAN needed.

Installed as ``ckanext.partnercity.harvesters``. Each portal type lists a
partner's datasets as normalized records, page by page; ``urls`` holds the
policy every partner URL passes before anything is fetched.
"""
