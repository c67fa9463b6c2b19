"""Partner identifiers are normalised once, the same way to store them and to look them up.

Identifiers with HTML entities, in decomposed Unicode or longer than the schema keeps used to
be stored cleaned but looked up raw: every later harvest tried to create them again ("That
URL is already in use", run partial) and a dataset the partner removed was never withdrawn.
"""

from __future__ import annotations

import unicodedata

import pytest

from ckanext.partnercity.partners.references import IDENTIFIER_MAX, identifier_key
from tests.integration.harvest_support import ckan_partner_portal, harvest, references, register

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]

ENTITY = "parking&amp;charging-2024"
DECOMPOSED = unicodedata.normalize("NFD", "piața-unirii-café")
PRECOMPOSED = unicodedata.normalize("NFC", "strada-mihai-viteazul-élevé")
LONG = "https://alba-iulia.example/dataset/" + "tronson-" * 83  # 699 characters
TRICKY = [ENTITY, DECOMPOSED, PRECOMPOSED, LONG]


def _with_tricky_identifiers(datasets: list[dict]) -> None:
    for dataset, identifier in zip(datasets, TRICKY, strict=False):
        dataset["id"] = identifier


def test_tricky_identifiers_are_matched_on_the_next_run_and_withdrawn_when_gone():
    assert len(LONG) > 600
    assert unicodedata.normalize("NFC", DECOMPOSED) != DECOMPOSED
    with ckan_partner_portal() as portal:
        _with_tricky_identifiers(portal.datasets)
        register("alba-iulia", portal.url)
        first = harvest("alba-iulia")
        assert first["status"] == "succeeded", first["errors"]
        stored = references("alba-iulia")
        assert set(stored) == {identifier_key(d["id"]) for d in portal.datasets}
        assert "parking&charging-2024" in stored
        assert unicodedata.normalize("NFC", DECOMPOSED) in stored
        assert max(len(key) for key in stored) <= IDENTIFIER_MAX

        second = harvest("alba-iulia")
        assert second["status"] == "succeeded", second["errors"]
        assert second["counts"]["unchanged"] == len(portal.datasets)
        assert second["counts"]["created"] == second["counts"]["updated"] == 0
        assert references("alba-iulia") == stored

        gone = portal.datasets.pop(3)  # the 700-character one
        assert gone["id"] == LONG
        third = harvest("alba-iulia", full=True)
    assert third["status"] == "succeeded", third["errors"]
    assert third["counts"]["withdrawn"] == 1
    statuses = {key: ref["reference_status"] for key, ref in references("alba-iulia").items()}
    assert statuses.pop(identifier_key(LONG)) == "withdrawn"
    assert set(statuses.values()) == {"active"}
    assert len(statuses) == len(stored) - 1
