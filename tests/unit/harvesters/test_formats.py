"""Every way a partner writes a format ends as one label."""

from __future__ import annotations

import pytest

from ckanext.partnercity.harvesters.formats import format_label, media_type_of

EU = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"


@pytest.mark.parametrize(
    ("written", "label"),
    [
        (f"{EU}CSV", "CSV"),
        (f"{EU}GEOJSON", "GeoJSON"),
        (f"{EU}JSON_LD", "JSON-LD"),
        (f"{EU}WMS_SRVC", "WMS"),
        ("ftype:CSV", "CSV"),
        ("FTYPE:xlsx", "XLSX"),
        (f"{IANA}text/csv", "CSV"),
        ("http://www.iana.org/assignments/media-types/application/geo+json", "GeoJSON"),
        (f"{IANA}application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
        ("text/csv; charset=utf-8", "CSV"),
        ("application/vnd.google-earth.kml+xml", "KML"),
        ("image/jp2", "JP2"),
        ("csv", "CSV"),
        (" .Csv ", "CSV"),
        ("geojson", "GeoJSON"),
        ("Shapefile", "SHP"),
        ("Esri REST", "Esri REST"),
        ("http://purl.org/NET/mediatypes/text/csv", "CSV"),
        ("", ""),
        (None, ""),
        (42, ""),
        (["CSV"], ""),  # partner JSON of any shape: no label, no crash
        ({"id": "CSV"}, ""),
    ],
)
def test_one_label_per_format(written, label):
    assert format_label(written) == label


def test_the_same_format_in_five_spellings_is_one_label():
    spellings = [
        f"{EU}GEOJSON",
        "ftype:GeoJSON",
        f"{IANA}application/geo+json",
        "geojson",
        "GeoJSON",
    ]
    assert {format_label(s) for s in spellings} == {"GeoJSON"}


@pytest.mark.parametrize(
    ("written", "media_type"),
    [
        (f"{IANA}text/csv", "text/csv"),
        ("Application/JSON; charset=utf-8", "application/json"),
        ("CSV", ""),
        (f"{EU}CSV", ""),
        (None, ""),
    ],
)
def test_media_type_of(written, media_type):
    assert media_type_of(written) == media_type
