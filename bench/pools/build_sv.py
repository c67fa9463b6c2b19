"""Build the Swedish counterpart pool (pools/sv) from Statistics Sweden's own DCAT-AP export.

Source: statisticssweden/DataportalXML, ``dcat-ap-2.xml`` at commit
e0f09613a203bb0d9c826bc3c901f23857df4365 (2023-11-28): the DCAT-AP(-SE) catalogue that
Statistics Sweden's exporter wrote for its Statistical Database (1,159 ``dcat:Dataset``).
``source.json`` in the pool folder is that file shrunk to what a pool needs (see the folder's
README): per dataset, in file order, its URI, identifier, Swedish title, Swedish keywords and
EU data themes, copied unchanged. Rebuild it from the original XML with

    git -C <DataportalXML clone> show e0f09613a203bb0d9c826bc3c901f23857df4365:dcat-ap-2.xml > x.xml
    python bench/pools/build_sv.py --from-xml x.xml

Pool (rule written down before the titles were read): every 2nd dataset in file order,
starting with the first (positions 0, 2, 4, ... 1158: 580 datasets).

    python bench/pools/build_sv.py
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from common import write_json

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "counterparts" / "pools" / "sv"
SOURCE = FOLDER / "source.json"
POOL = FOLDER / "pool.json"
REPO = "statisticssweden/DataportalXML"
COMMIT = "e0f09613a203bb0d9c826bc3c901f23857df4365"
PATH = "dcat-ap-2.xml"
STEP = 2

NS = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"


def shrink(xml_path: Path) -> dict:
    """The export's datasets, in file order, with the fields a pool needs (values unchanged)."""
    root = ET.parse(xml_path).getroot()
    datasets = []
    for d in root.findall("dcat:Dataset", NS):
        sv = [e for e in d.findall("dcterms:title", NS) if e.get(LANG) == "sv"]
        keywords = [e for e in d.findall("dcat:keyword", NS) if e.get(LANG) == "sv"]
        datasets.append(
            {
                "about": d.get(ABOUT),
                "identifier": d.findtext("dcterms:identifier", namespaces=NS),
                "title_sv": [e.text for e in sv],
                "keywords_sv": [e.text for e in keywords],
                "themes": [e.get(RESOURCE) for e in d.findall("dcat:theme", NS)],
            }
        )
    return {
        "source": f"{REPO} : {PATH} @ {COMMIT}",
        "shrunk": "dcat:Dataset elements in file order; URI, identifier, Swedish titles, "
        "Swedish keywords, themes copied unchanged; everything else left out",
        "datasets": datasets,
    }


def build(source: dict) -> dict:
    items = [
        {
            "id": d["about"],
            "title": d["title_sv"][0],
            "tags": d["keywords_sv"],
            "lang": "sv",
            "source": f"{REPO}/{PATH}@{COMMIT[:7]}#{d['identifier']}",
        }
        for d in source["datasets"][::STEP]
    ]
    return {
        "lang": "sv",
        "source": "Statistics Sweden's Statistical Database as DCAT-AP (its own exporter's output, "
        f"{REPO} {PATH} @ {COMMIT[:7]}), every {STEP}nd dataset in file order",
        "items": items,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-xml", type=Path, help="rewrite source.json from the original XML")
    args = parser.parse_args()
    if args.from_xml:
        write_json(SOURCE, shrink(args.from_xml))
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    pool = build(source)
    ids = [it["id"] for it in pool["items"]]
    assert len(ids) == len(set(ids)), "ids must be unique"
    write_json(POOL, pool)
    print(f"{POOL.relative_to(ROOT)}: {len(pool['items'])} of {len(source['datasets'])} datasets")


if __name__ == "__main__":
    main()
