"""Seed the demo portal with our own city and a few datasets, through the Action API.

Idempotent: what exists is left alone. Prints what package_search (Solr) finds.
Usage: demo_seed.py PORTAL_URL API_TOKEN
"""

from __future__ import annotations

import sys

import ckanapi

CITY = {
    "name": "arnsberg",
    "title": "Stadt Arnsberg",
    "notes": "Open data published by the City of Arnsberg.",
}

DATASETS = [
    {
        "name": "arnsberg-air-quality",
        "title": "Air quality measurements",
        "notes": "Hourly NO2 and PM10 readings from the city's measuring stations.",
        "tags": [{"name": "environment"}, {"name": "air"}],
        "resources": [{"url": "https://example.org/arnsberg/air.csv", "format": "CSV"}],
    },
    {
        "name": "arnsberg-bus-stops",
        "title": "Bus stops",
        "notes": "Locations of all bus stops in Arnsberg.",
        "tags": [{"name": "mobility"}],
        "resources": [{"url": "https://example.org/arnsberg/stops.geojson", "format": "GeoJSON"}],
    },
]


def main(url: str, token: str) -> int:
    ckan = ckanapi.RemoteCKAN(url, apikey=token, user_agent="partnercity-demo-seed")
    try:
        ckan.action.organization_show(id=CITY["name"])
    except ckanapi.NotFound:
        ckan.action.organization_create(**CITY)
    for dataset in DATASETS:
        try:
            ckan.action.package_show(id=dataset["name"])
        except ckanapi.NotFound:
            ckan.action.package_create(owner_org=CITY["name"], **dataset)
    found = ckan.action.package_search(fq=f"organization:{CITY['name']}", rows=0)
    print(f"[partnercity] demo data: {found['count']} datasets of {CITY['title']} found via Solr")
    return 0 if found["count"] >= len(DATASETS) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
