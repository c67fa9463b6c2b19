"""DCAT-AP HVD RDF of our datasets in HVD scope, for Art. 5 reporting to the Commission.

Serialized by ckanext-dcat (DCAT-AP 3 with its scheming profile) plus our ``partnercity_hvd``
profile; only datasets in HVD scope go in, with their distributions and data services.
"""

from __future__ import annotations

import copy

import ckan.plugins.toolkit as tk

from ckanext.partnercity.hvd import checks as hvd_checks
from ckanext.partnercity.hvd.rules import engine, loaders

PROFILES = ["euro_dcat_ap_3", "euro_dcat_ap_scheming", "partnercity_hvd"]


def in_scope_datasets() -> list[dict]:
    return [
        pkg
        for pkg in hvd_checks.iter_datasets("own")
        if engine.in_scope(loaders.record_from_ckan(pkg)) and not pkg.get("private")
    ]


def _for_serializer(pkg: dict) -> dict:
    """ckanext-dcat 2.4 reads a data service's contact as one dict, while scheming keeps
    repeating subfields as a list (a crash otherwise); hand it the first contact."""
    pkg = copy.deepcopy(pkg)
    for resource in pkg.get("resources", []):
        for service in resource.get("access_services") or []:
            if isinstance(service, dict) and isinstance(service.get("contact"), list):
                contacts = [c for c in service["contact"] if isinstance(c, dict)]
                if contacts:
                    service["contact"] = contacts[0]
                else:
                    service.pop("contact")
    return pkg


def in_scope_rdf(fmt: str = "turtle") -> str:
    from ckanext.dcat.processors import RDFSerializer

    serializer = RDFSerializer(profiles=PROFILES)
    catalog = {
        "title": tk.config.get("ckan.site_title"),
        "description": tk._("High-Value Datasets (Implementing Regulation (EU) 2023/138)"),
        "homepage": tk.config.get("ckan.site_url"),
    }
    return serializer.serialize_catalog(
        catalog, dataset_dicts=[_for_serializer(p) for p in in_scope_datasets()], _format=fmt
    )
