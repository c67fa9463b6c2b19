"""Theme keys and the CSV of the compare matrix (no services needed)."""

from __future__ import annotations

import csv
import io

import pytest

from ckanext.partnercity.pages import data as pages

EU = "http://publications.europa.eu/resource/authority/data-theme"


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        (f"{EU}/ENVI", "ENVI"),
        (f"{EU}/OP_DATPRO", "OP_DATPRO"),
        ("http://data.europa.eu/bna/c_dd313021", "c_dd313021"),
        ("https://partnership.example/themes#mobility", "mobility"),
        ("https://partnership.example/themes/mobility/", "mobility"),
        ("https://partnership.example/themes/<script>", ""),
        ("", ""),
    ],
)
def test_theme_key_is_the_last_segment_when_it_is_url_safe(uri, key):
    assert pages.theme_key(uri) == key


def test_compare_csv_has_one_row_per_theme_and_one_column_per_city():
    matrix = {
        "cities": [
            {"key": "_site", "title": "Stadt Arnsberg"},
            {"key": "alba-iulia", "title": "Alba Iulia"},
            {"key": "evil", "title": '=HYPERLINK("http://x")'},
        ],
        "themes": [
            {
                "uri": f"{EU}/ENVI",
                "label": "Umwelt",
                "counts": {"_site": 1, "alba-iulia": 2, "evil": 0},
            },
            {
                "uri": f"{EU}/TRAN",
                "label": "-Verkehr",
                "counts": {"_site": 0, "alba-iulia": 3, "evil": 1},
            },
        ],
    }
    rows = list(csv.reader(io.StringIO(pages.compare_csv(matrix))))
    assert rows[0] == [
        "theme_uri",
        "theme",
        "Stadt Arnsberg",
        "Alba Iulia",
        '\'=HYPERLINK("http://x")',
    ]
    assert rows[1] == [f"{EU}/ENVI", "Umwelt", "1", "2", "0"]
    assert rows[2] == [f"{EU}/TRAN", "'-Verkehr", "0", "3", "1"]
    assert len(rows) == 3
