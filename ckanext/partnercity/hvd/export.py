"""DCAT-AP HVD RDF of our datasets in HVD scope, for Art. 5 reporting to the Commission.

Serialized by ckanext-dcat (DCAT-AP 3 with its scheming profile) plus our ``partnercity_hvd``
profile (:mod:`describe`, which the portal's check reads too); only public datasets in HVD
scope go in, with their distributions and data services.
"""

from __future__ import annotations

from ckanext.partnercity.hvd import checks as hvd_checks
from ckanext.partnercity.hvd import describe

PROFILES = describe.PROFILES


def in_scope_description() -> tuple[describe.Description, list[str]]:
    """The description of our public datasets, and the URIs of those in HVD scope."""
    public = [pkg for pkg in hvd_checks.iter_datasets("own") if not pkg.get("private")]
    description = describe.describe(public)
    return description, describe.in_scope_uris(description)


def in_scope_rdf(fmt: str = "turtle") -> str:
    description, uris = in_scope_description()
    return description.graph(uris).serialize(format=fmt)
