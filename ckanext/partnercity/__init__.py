"""ckanext-partnercity: partner-city references, shared themes and HVD checks for CKAN."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ckanext-partnercity")  # one version: pyproject.toml's
except PackageNotFoundError:  # a source tree on sys.path without an install
    __version__ = "0+unknown"
