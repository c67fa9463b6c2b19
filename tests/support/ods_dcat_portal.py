"""An Opendatasoft portal on 127.0.0.1 serving a real DCAT export at its real path.

``/api/explore/v2.1/catalog/exports/dcat`` answers with a fixture export (RDF/XML, the
Content-Type the real portal sent) until a test swaps ``export`` for a fault; every other
path goes to the Explore API responder of tests/support/fake_portals.py, so the fallback
reads the same portal's JSON catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.fake_portals import ods_portal
from tests.support.http_server import Query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opendatasoft"
EXPORT_PATH = "/api/explore/v2.1/catalog/exports/dcat"
RDF_XML = "application/rdf+xml; charset=utf-8"  # what data.capatlantique.fr sent
ETALAB = "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf"
CAPATLANTIQUE = "capatlantique_dcat-export_publisher-ccas-guerande.rdf"
RENNES = "rennesmetropole_dcat-export_api-v2_one-dataset.rdf"

Answer = tuple[int, dict[str, str], Any]


def export_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def served_export(body: bytes, content_type: str = RDF_XML, status: int = 200) -> Callable:
    def answer(query: Query) -> Answer:
        return status, {"Content-Type": content_type}, body

    return answer


def missing_export(query: Query) -> Answer:
    """What Explore answers for an unknown path: 404 with a JSON error."""
    return 404, {}, {"error_code": "NotFound", "message": "Unknown export format"}


class OdsDcatPortal:
    """The handler: ``export`` answers the DCAT export, ``datasets`` feed the JSON API."""

    def __init__(self, export: Callable[[Query], Answer], datasets: list[dict] | None = None):
        self.export = export
        self.datasets = datasets or []

    def __call__(self, method: str, path: str, query: Query) -> Answer:
        if path in (EXPORT_PATH, EXPORT_PATH + "/"):
            return self.export(query)
        return ods_portal(self.datasets)(method, path, query)


def explore_entry_for(dataset_id: str, title: str, description: str, theme: str) -> dict:
    """An Explore v2.1 ``catalog/datasets`` entry for a dataset the export describes.

    No recorded Explore answer exists for the exported datasets; this one carries the
    export's own values (identifier, title, description, theme, licence) in the v2.1 shape
    of tests/fixtures/opendatasoft/mulhouse.json, so the two ways in can be compared.
    """
    return {
        "dataset_id": dataset_id,
        "has_records": True,
        "features": [],
        "attachments": [],
        "metas": {
            "default": {
                "title": title,
                "description": description,
                "theme": [theme],
                "language": "fr",
                "license": "Licence Ouverte v2.0 (Etalab)",
                "license_url": ETALAB,
                "modified": "2025-07-30T09:00:06.799000+00:00",
                "publisher": "CCAS Guérande",
            }
        },
    }
