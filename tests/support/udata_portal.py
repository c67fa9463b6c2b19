"""A udata portal on 127.0.0.1 serving recorded data.gouv.fr answers with udata's paging.

``/api/1/datasets/`` pages by ``page``/``page_size``, filters ``organization`` by id only
(a slug is a 400, as in udata), sorts by ``created`` and links ``next_page`` as an absolute
URL on its own host; ``/api/1/organizations/<slug or id>/`` gives an organization's id;
``/api/2/datasets/<id>/resources/`` pages the resources behind an API v2 resources link.
The datasets are the recorded ones of tests/fixtures/udata/; only the resources links are
pointed at this server, as udata builds them from the host it is asked on.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.support.http_server import LocalServer, Query, serve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "udata"
DATASETS_PATH = "/api/1/datasets/"
JSON = {"Content-Type": "application/json"}
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
ORGANIZATION = re.compile(r"^/api/1/organizations/([^/]+)/$")
RESOURCES = re.compile(r"^/api/2/datasets/([^/]+)/resources/$")
#: The four API v2 datasets whose resources the udata-fixtures file recorded.
WITH_RESOURCES = (
    "5b7ffc618b4c4169d30727e0",  # Base Sirene (tag hvd), 18 resources
    "5c4ae55a634f4117716d5656",  # Demandes de valeurs foncières, 9
    "5530fbacc751df5ff937dddb",  # Base Adresse Nationale, 1
    "6010206e7aa742eb447930f7",  # Personnes vaccinées contre la Covid-19, 30
)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def search_page() -> dict:
    """data.gouv.fr's ``/api/2/datasets/search/`` page 1 (20 datasets, resources as links)."""
    return load("data-gouv-fr_api-2_datasets-search_page-1.json")


def decedees() -> dict:
    """data.gouv.fr's API v1 answer for ``fichier-des-personnes-decedees`` (129 resources)."""
    return load("data-gouv-fr_api-1_dataset_fichier-des-personnes-decedees.json")


def recorded_resources() -> dict[str, list]:
    """Resources of four datasets of the search page, by dataset id (udata-fixtures)."""
    return {item["dataset"]["id"]: item["resources"] for item in load(_RESOURCES_FILE)}


_RESOURCES_FILE = "data-gouv-fr_udata-fixtures_resources-of-4-datasets.json"


def portal_datasets() -> list[dict]:
    """The v1 dataset and the four v2 datasets whose resources are recorded: 5 in all."""
    wanted = [d for d in search_page()["data"] if d["id"] in WITH_RESOURCES]
    return [decedees(), *wanted]


@dataclass
class UdataPortal:
    """The handler: datasets and resources a test may change, and its own base URL."""

    datasets: list[dict]
    resources: dict[str, list] = field(default_factory=recorded_resources)
    base: str = ""

    def __call__(self, method: str, path: str, query: Query) -> tuple[int, dict, Any]:
        if path == DATASETS_PATH:
            return self.datasets_page(query)
        if match := ORGANIZATION.match(path):
            return self.organization(match[1])
        if match := RESOURCES.match(path):
            return self.resources_page(match[1], query)
        return 404, JSON, {"message": "Not found", "status": 404}

    def datasets_page(self, query: Query) -> tuple[int, dict, Any]:
        rows = [self.rehosted(d) for d in self.datasets]
        organization = _one(query, "organization")
        if organization:
            if not OBJECT_ID.match(organization):
                return 400, JSON, {"message": "Organization arg must be an identifier"}
            rows = [d for d in rows if (d.get("organization") or {}).get("id") == organization]
        if _one(query, "sort") == "created":
            rows.sort(key=lambda d: d.get("created_at") or "")
        return 200, JSON, self.paged(DATASETS_PATH, rows, query, 20)

    def organization(self, wanted: str) -> tuple[int, dict, Any]:
        for dataset in self.datasets:
            org = dataset.get("organization") or {}
            if wanted in (org.get("id"), org.get("slug")):
                return 200, JSON, {k: org.get(k) for k in ("id", "name", "slug", "page")}
        return 404, JSON, {"message": "Not found", "status": 404}

    def resources_page(self, dataset_id: str, query: Query) -> tuple[int, dict, Any]:
        if dataset_id not in self.resources:
            return 404, JSON, {"message": "Not found", "status": 404}
        path = f"/api/2/datasets/{dataset_id}/resources/"
        return 200, JSON, self.paged(path, self.resources[dataset_id], query, 50)

    def paged(self, path: str, rows: list, query: Query, default_size: int) -> dict:
        """udata's page envelope; ``next_page`` is absolute, on this server's host."""
        page = int(_one(query, "page") or 1)
        size = int(_one(query, "page_size") or default_size)
        params = {k: v[-1] for k, v in query.items()}
        more = page * size < len(rows)
        return {
            "data": rows[(page - 1) * size : page * size],
            "next_page": f"{self.base}{path}?{urlencode({**params, 'page': page + 1})}"
            if more
            else None,
            "page": page,
            "page_size": size,
            "previous_page": None,
            "total": len(rows),
        }

    def rehosted(self, dataset: dict) -> dict:
        """The dataset as this host would give it: its resources link points here."""
        out = copy.deepcopy(dataset)
        link = out.get("resources")
        if isinstance(link, dict) and isinstance(link.get("href"), str):
            link["href"] = link["href"].replace("https://www.data.gouv.fr", self.base)
        return out


@contextmanager
def udata_portal(datasets: list[dict] | None = None) -> Iterator[LocalServer]:
    """Serve ``datasets`` (default: ``portal_datasets()``); ``server.portal`` is the handler."""
    portal = UdataPortal(datasets if datasets is not None else portal_datasets())
    with serve(portal) as server:
        portal.base = server.url
        server.portal = portal  # type: ignore[attr-defined]
        yield server


def _one(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None
