"""A fully compliant CKAN dataset dict (ckanext-dcat/scheming names) and helpers."""

from __future__ import annotations

import copy

from ckanext.partnercity.hvd.rules.engine import evaluate_rule, rules_by_id
from ckanext.partnercity.hvd.rules.loaders import record_from_ckan

ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
INSPIRE_ELI = "http://data.europa.eu/eli/dir/2007/2/2019-06-26"
BNA = "http://data.europa.eu/bna/"
POPULATION = BNA + "c_f2b50efd"  # Statistics › Population
STATISTICS = BNA + "c_e1da4e07"
NWP = BNA + "c_13e3cf16"  # Meteorological › NWP model data
COMPANY_DOCS = BNA + "c_8f0fac04"
BUILDINGS = BNA + "c_60182062"  # Geospatial › Buildings
CC_BY = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"


def good_package() -> dict:
    service = {
        "uri": "https://data.example.org/api/population",
        "title": "Population API",
        "endpoint_url": ["https://data.example.org/api/population/v1"],
        "endpoint_description": "https://data.example.org/api/population/openapi.json",
        "documentation": ["https://data.example.org/api/population/terms.html"],
        "applicable_legislation": [ELI],
        "hvd_category": [POPULATION],
        "contact": [{"name": "API desk", "email": "api@example.org"}],
        "license": CC_BY,
    }
    return {
        "id": "pop-1",
        "name": "population",
        "uri": "https://data.example.org/dataset/population",
        "title": "Bevölkerung",
        "notes": "Einwohner nach Stadtteil",
        "title_translated": {"de": "Bevölkerung", "en": "Population"},
        "notes_translated": {"de": "Einwohner nach Stadtteil", "en": "Inhabitants by district"},
        "applicable_legislation": [ELI],
        "hvd_category": [POPULATION],
        "contact": [{"name": "Statistics office", "email": "stats@example.org"}],
        "license_id": "cc-by-4.0",
        "resources": [
            {
                "id": "r-csv",
                "url": "https://data.example.org/files/population.csv",
                "download_url": "https://data.example.org/files/population.csv",
                "format": "http://publications.europa.eu/resource/authority/file-type/CSV",
                "mimetype": "text/csv",
                "license": CC_BY,
                "applicable_legislation": [ELI],
            },
            {
                "id": "r-api",
                "url": "https://data.example.org/api/population/v1",
                "format": "JSON",
                "license": CC_BY,
                "applicable_legislation": [ELI],
                "access_services": [service],
            },
        ],
    }


def package(**changes) -> dict:
    pkg = copy.deepcopy(good_package())
    pkg.update(changes)
    return pkg


def outcome(rule_id: str, record, rule_set: str = "dcat-ap-hvd-3.0.0") -> str:
    return evaluate_rule(rules_by_id(rule_set)[rule_id], record).outcome


def record(pkg: dict | None = None):
    return record_from_ckan(pkg or good_package())
