"""Two partner portals on 127.0.0.1 for the demo, answering like the real software would.

- /alba-iulia : a CKAN portal in Romanian (Action API package_search, dataset pages)
- /mulhouse   : an Opendatasoft portal in French (Explore API v2.1, dataset pages)

The data are the synthetic fixtures in tests/fixtures/. Usage:
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

from tests.support.fake_portals import ckan_portal, load_datasets, ods_portal  # noqa: E402
from tests.support.http_server import serve  # noqa: E402
from tests.support.images import FLAGS, stripes  # noqa: E402

PORTALS = {
    "alba-iulia": ("ckan/alba-iulia.json", ckan_portal, "/dataset/"),
    "mulhouse": ("opendatasoft/mulhouse.json", ods_portal, "/explore/dataset/"),
}


def _page(title: str, body: str) -> tuple[int, dict, str]:
    text = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8"}, text


def build_handler():
    routes = {}
    for name, (fixture, make, page_prefix) in PORTALS.items():
        datasets = load_datasets(fixture)
        routes[name] = (make(datasets, prefix=f"/{name}"), datasets, page_prefix)

    def handle(method: str, path: str, query: dict):
        name = path.strip("/").split("/", 1)[0]
        if name not in routes:
            listing = "".join(f"<li><a href='/{n}/'>{n}</a></li>" for n in routes)
            return _page("Demo partner portals", f"<ul>{listing}</ul>")
        api, datasets, page_prefix = routes[name]
        if "/api/" in path:
            return api(method, path, query)
        rest = path[len(f"/{name}") :]
        if rest == "/flag.png" and name in FLAGS:
            return 200, {"Content-Type": "image/png"}, stripes(FLAGS[name])
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
        print(
            f"demo partner portals at {server.url}/alba-iulia and {server.url}/mulhouse", flush=True
        )
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
