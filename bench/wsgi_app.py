"""CKAN as a WSGI application for gunicorn, configured by ``CKAN_INI`` (the page bench).

CKAN 2.11 ships no importable WSGI module; this is the ``wsgi.py`` of its deployment docs.
"""

import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

fileConfig(os.environ["CKAN_INI"], disable_existing_loggers=False)
application = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
