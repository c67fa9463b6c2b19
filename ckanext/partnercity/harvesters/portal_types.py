"""The portal types this extension can harvest: one import (registration) per module."""

from ckanext.partnercity.harvesters import ckan, dcat, opendatasoft  # noqa: F401
