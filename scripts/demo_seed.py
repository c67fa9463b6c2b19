"""Seed the demo portal with our own city and its datasets (four High-Value Datasets,
two of them not compliant), through the Action API, and the demo admin's attestations of
what only a person can confirm for the air-quality dataset (so /hvd/report shows items
resolved by a recorded attestation next to ones still waiting for one).

Idempotent: datasets of earlier runs are brought up to date. Prints what package_search
(Solr) finds.
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

AIR = "http://data.europa.eu/bna/c_63b37dd4"
METEO = "http://data.europa.eu/bna/c_164e0bf5"
POPULATION = "http://data.europa.eu/bna/c_f2b50efd"
TRANSPORT = "http://data.europa.eu/bna/c_4b74ea13"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
CONTACT = [{"name": "Open-Data-Team Arnsberg", "email": "opendata@arnsberg.example"}]


def api(name: str, title: str) -> dict:
    """A distribution served by a data service, as DCAT-AP HVD asks for an API."""
    url = f"https://api.arnsberg.example/{name}"
    return {
        "url": url,
        "access_url": url,
        "name": f"{title} API",
        "format": "JSON",
        "license": CC_BY,
        "access_services": [
            {
                "title": f"{title} API",
                "endpoint_url": [url],
                "endpoint_description": f"{url}/openapi.json",
                "documentation": [f"{url}/docs"],
                "license": CC_BY,
                "contact": CONTACT,
            }
        ],
    }


def bulk(name: str, fmt: str = "CSV", licence: str = CC_BY) -> dict:
    url = f"https://opendata.arnsberg.example/{name}.{fmt.lower()}"
    return {"url": url, "download_url": url, "name": f"Download ({fmt})", "format": fmt,
            "license": licence}  # fmt: skip


DATASETS = [
    {  # HVD, compliant: API and bulk download, open licence, English title
        "name": "arnsberg-air-quality",
        "title": "Luftqualität: Messwerte",
        "title_en": "Air quality measurements",
        "notes": "Stündliche NO2- und PM10-Messwerte der städtischen Messstationen.",
        "notes_en": "Hourly NO2 and PM10 readings from the city's measuring stations.",
        "tags": [{"name": "environment"}, {"name": "air"}],
        "license_id": "cc-by",
        "hvd_category": [AIR],
        "contact": CONTACT,
        "documentation": ["https://opendata.arnsberg.example/docs/air-quality"],
        "resources": [bulk("air-quality"), api("air-quality", "Air quality")],
    },
    {  # HVD, compliant: population statistics in CSV and via API
        "name": "arnsberg-population",
        "title": "Einwohnerinnen und Einwohner nach Stadtteil",
        "title_en": "Population by district",
        "notes": "Bevölkerungsstand am 31.12. nach Stadtteil, Alter und Geschlecht.",
        "notes_en": "Population on 31 December by district, age and sex.",
        "tags": [{"name": "population"}],
        "license_id": "cc-by",
        "hvd_category": [POPULATION],
        "contact": CONTACT,
        "resources": [bulk("population"), api("population", "Population")],
    },
    {  # HVD, NOT compliant: weather data without an API and under a share-alike licence
        "name": "arnsberg-weather-stations",
        "title": "Wetterstationen: Tageswerte",
        "notes": "Tageswerte von Temperatur und Niederschlag der Wetterstationen.",
        "tags": [{"name": "weather"}],
        "license_id": "cc-by-sa",
        "hvd_category": [METEO],
        "resources": [bulk("weather", licence="http://creativecommons.org/licenses/by-sa/4.0/")],
    },
    {  # HVD, NOT compliant: a transport network published without a licence or API
        "name": "arnsberg-road-network",
        "title": "Straßennetz",
        "title_en": "Road network",
        "notes": "Straßenabschnitte mit Widmung und Baulastträger.",
        "tags": [{"name": "mobility"}],
        "license_id": "notspecified",
        "hvd_category": [TRANSPORT],
        "contact": CONTACT,
        "resources": [
            {
                "url": "https://opendata.arnsberg.example/roads.geojson",
                "format": "GeoJSON",
                "name": "Road network",
            }
        ],  # fmt: skip
    },
    {  # not an HVD
        "name": "arnsberg-bus-stops",
        "title": "Bus stops",
        "notes": "Locations of all bus stops in Arnsberg.",
        "tags": [{"name": "mobility"}],
        "license_id": "cc-by",
        "resources": [{"url": "https://example.org/arnsberg/stops.geojson", "format": "GeoJSON"}],
    },
]


# -- HVD duties: datasets of ours that carry no HVD category ------------------------------
# The admin page "HVD duties" (/ckan-admin/partner-cities/hvd-duties) should suggest a
# category for the noise map, the land-use plans, the addresses and the stops, and nothing
# for the library's opening hours.
GERMAN = ["http://publications.europa.eu/resource/authority/language/DEU"]
UNDECLARED = [
    {
        "name": "arnsberg-laermkarte-strassenverkehr",
        "title": "Lärmkarte Straßenverkehr",
        "notes": "Strategische Lärmkarte nach der Umgebungslärmrichtlinie 2002/49/EG: "
        "Lärmpegel L_DEN und L_Night an den Hauptverkehrsstraßen im Stadtgebiet, "
        "Lärmkartierung Runde 4 (2022).",
        "tags": [{"name": "Lärm"}, {"name": "Lärmkartierung"}, {"name": "Straßenverkehr"}],
    },
    {
        "name": "arnsberg-bebauungsplaene",
        "title": "Bebauungspläne",
        "notes": "Rechtskräftige Bebauungspläne der Stadt Arnsberg: Geltungsbereiche und "
        "Festsetzungen zur Art und zum Maß der baulichen Nutzung (Bauleitplanung nach "
        "BauGB), als Vektordaten (geplante Bodennutzung).",
        "tags": [{"name": "Bauleitplanung"}, {"name": "Bodennutzung"}, {"name": "Planung"}],
    },
    {
        "name": "arnsberg-haltestellen-oepnv",
        "title": "Haltestellen ÖPNV",
        "notes": "Lage, Name und Haltestellen-ID (DHID) aller Bus-Haltestellen des "
        "öffentlichen Personennahverkehrs im Stadtgebiet, mit Steigen.",
        "tags": [{"name": "ÖPNV"}, {"name": "Haltestellen"}, {"name": "Bus"}],
    },
    {
        "name": "arnsberg-adressen",
        "title": "Adressen mit Hauskoordinaten",
        "notes": "Alle Adressen der Stadt Arnsberg (Straße, Hausnummer, Postleitzahl) mit "
        "der Lage des Gebäudes als Koordinate.",
        "tags": [{"name": "Adressen"}, {"name": "Hausnummern"}],
    },
    {  # clearly not an HVD: the finder must stay quiet
        "name": "arnsberg-oeffnungszeiten-bibliothek",
        "title": "Öffnungszeiten der Bibliothek",
        "notes": "Öffnungszeiten der Stadtbücherei Arnsberg und ihrer Zweigstellen, "
        "auch in den Schulferien und an Feiertagen.",
        "tags": [{"name": "Bibliothek"}, {"name": "Kultur"}],
    },
]


def seed_undeclared(ckan: ckanapi.RemoteCKAN) -> None:
    """Create those of the datasets above that are missing, each with a CSV download under
    CC BY, in German. Existing ones are left alone: a category the team accepted on the
    duties page (or a rejection) survives another run of the demo."""
    for dataset in UNDECLARED:
        try:
            ckan.action.package_show(id=dataset["name"])
        except ckanapi.NotFound:
            ckan.action.package_create(
                owner_org=CITY["name"],
                license_id="cc-by",
                language=GERMAN,
                resources=[bulk(dataset["name"].removeprefix("arnsberg-"))],
                **dataset,
            )


#: (dataset, rule, evidence URL, note): what the demo's open-data team has confirmed.
ATTESTATIONS = [
    (
        "arnsberg-air-quality",
        "hvd.attest.free-of-charge",
        "https://opendata.arnsberg.example/terms#fees",
        "Nutzungsbedingungen: Download und API ohne Gebühren und ohne Registrierung.",
    ),
    (
        "arnsberg-air-quality",
        "hvd.attest.api-terms-qos",
        "https://api.arnsberg.example/air-quality/docs#service-level",
        "Die API-Dokumentation nennt Verfügbarkeit (99 %), Antwortzeit und Ratenlimit.",
    ),
    (
        "arnsberg-air-quality",
        "hvd.annex.geo-granularity",
        "https://opendata.arnsberg.example/docs/air-quality#stations",
        "Messwerte je Station mit Koordinaten: feiner als 1:5 000.",
    ),
]


def attest(ckan: ckanapi.RemoteCKAN) -> int:
    """Record the demo's attestations that are not active yet (a rerun adds nothing).

    No check runs here (``recheck`` false): demo.sh checks right after seeding."""
    added = 0
    for dataset, rule, evidence, note in ATTESTATIONS:
        active = ckan.action.partnercity_hvd_attestation_list(dataset=dataset, rule=rule)
        if active:
            continue
        ckan.action.partnercity_hvd_attest(
            dataset=dataset, rule=rule, evidence_url=evidence, note=note, recheck=False
        )
        added += 1
    return added


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
        else:  # bring datasets of earlier demo runs up to date
            ckan.action.package_update(owner_org=CITY["name"], **dataset)
    seed_undeclared(ckan)
    added = attest(ckan)
    print(f"[partnercity] demo attestations: {added} recorded, {len(ATTESTATIONS)} in all")
    found = ckan.action.package_search(fq=f"organization:{CITY['name']}", rows=0)
    print(f"[partnercity] demo data: {found['count']} datasets of {CITY['title']} found via Solr")
    return 0 if found["count"] >= len(DATASETS) + len(UNDECLARED) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
