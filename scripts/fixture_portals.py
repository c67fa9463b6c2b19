"""The demo's partner portals on 127.0.0.1, answering like the real software would.

- /alba-iulia      : a CKAN portal in Romanian (Action API package_search, dataset pages)
- /mulhouse        : an Opendatasoft portal in French (Explore API v2.1, dataset pages)
- /evian           : an ArcGIS Hub site (its DCAT-US 1.1 feed: the real Évian-les-Bains feed)
- /data-europa-eu  : a piveau instance like data.europa.eu (hub-search), holding Aarhus's
                     datasets in Danish and English among other publishers'

The data are the fixtures in tests/fixtures/ (see its README for which are real). Usage:
    python scripts/fixture_portals.py --port 8765
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.arcgis_hub_portal import EVIAN, arcgis_hub_portal, load_feed  # noqa: E402
from tests.support.fake_portals import ckan_portal, load_datasets, ods_portal  # noqa: E402
from tests.support.http_server import serve  # noqa: E402
from tests.support.images import FLAGS, stripes  # noqa: E402
from tests.support.piveau_portal import load_documents, piveau_portal  # noqa: E402

PORTALS = {
    "alba-iulia": ("ckan/alba-iulia.json", ckan_portal, "/dataset/"),
    "mulhouse": ("opendatasoft/mulhouse.json", ods_portal, "/explore/dataset/"),
}
PIVEAU_FILES = (
    "SYNTHETIC_aarhus_demo_search_response.json",
    "data-europa-eu_search_via-university-college_documented.json",
    "piveau-hub-search_example_search_response.json",
)


def _page(title: str, body: str) -> tuple[int, dict, str]:
    text = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8"}, text


def _api_portals() -> dict:
    """Portals answering only their API (the harvester never reads their pages)."""
    evian = arcgis_hub_portal(load_feed(EVIAN), kind="dcat-us")
    piveau = piveau_portal(load_documents(*PIVEAU_FILES))
    return {"evian": evian, "data-europa-eu": piveau}


def build_handler():
    routes = {}
    for name, (fixture, make, page_prefix) in PORTALS.items():
        datasets = load_datasets(fixture)
        routes[name] = (make(datasets, prefix=f"/{name}"), datasets, page_prefix)
    api_only = _api_portals()

    def handle(method: str, path: str, query: dict):
        name = path.strip("/").split("/", 1)[0]
        rest = path[len(f"/{name}") :]
        if rest == "/flag.png" and name in FLAGS:
            return 200, {"Content-Type": "image/png"}, stripes(FLAGS[name])
        if name in api_only:
            return api_only[name](method, rest, query)
        if name not in routes:
            names = [*routes, *api_only]
            listing = "".join(f"<li><a href='/{n}/'>{n}</a></li>" for n in names)
            return _page("Demo partner portals", f"<ul>{listing}</ul>")
        api, datasets, page_prefix = routes[name]
        if "/api/" in path:
            return api(method, path, query)
        if rest.startswith(page_prefix):
            key = rest[len(page_prefix) :].strip("/")
            for dataset in datasets:
                if key in (dataset.get("name"), dataset.get("id"), dataset.get("dataset_id")):
                    title = dataset.get("title") or dataset["metas"]["default"]["title"]
                    return _page(title, f"<p>{html.escape(name)} (demo partner portal)</p>")
        return _page(name, f"<p>{len(datasets)} datasets</p>")

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with serve(build_handler(), port=args.port) as server:
        print(f"demo partner portals at {server.url}/", flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
