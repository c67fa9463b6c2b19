"""ckanext-partnercity: partner-city references, shared themes and HVD checks for CKAN."""

__version__ = "0.1.0"
