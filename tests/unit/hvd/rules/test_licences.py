"""Licence table for Art. 4(3): every entry classified with a reason; URIs, ids and mappings."""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.rules import licences as lic
from ckanext.partnercity.hvd.rules.model import Node

NAL = lic.EU_NAL


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (NAL + "CC0", "open"),
        (NAL + "CC_BY_4_0", "open"),
        ("https://creativecommons.org/licenses/by/4.0/legalcode", "open"),
        ("http://creativecommons.org/publicdomain/zero/1.0/deed.de", "open"),
        ("CC-BY-4.0", "open"),  # SPDX
        ("cc-by", "open"),  # CKAN id
        ("cc-zero", "open"),
        ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "open"),
        ("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "open"),
        ("DL-DE-BY-2.0", "open"),
        ("etalab-2.0", "open"),
        (NAL + "IODL_2_0", "open"),
        ("OGL-UK-3.0", "open"),
        ("uk-ogl", "open"),
        ("odc-pddl", "open"),
        ("ODC-By-1.0", "open"),
        ("odc-odbl", "not_open"),  # share-alike
        ("CC-BY-SA-4.0", "not_open"),
        (NAL + "CC_BYNC_4_0", "not_open"),
        ("https://creativecommons.org/licenses/by-nd/4.0/", "not_open"),
        ("iodl-1.0", "not_open"),
        ("other-closed", "not_open"),
        ("notspecified", "not_open"),
        ("CC-BY-3.0", "review"),
        ("other-at", "review"),
        ("other-open", "review"),
        ("https://data.example.org/licence/own", "unknown"),
    ],
)
def test_classification(value, status):
    assert lic.classify(value).status == status


def test_every_entry_has_a_label_status_and_reason():
    assert len(lic.TABLE) > 80
    for entry in lic.TABLE.values():
        assert entry.label and entry.reason
        assert entry.status in (lic.OPEN, lic.NOT_OPEN, lic.REVIEW)


def test_share_alike_reason_names_the_extra_condition():
    assert "share-alike" in lic.classify("odc-odbl").reason


def _own(prop, target):
    node = Node("https://data.example.org/licence/own")
    node.add(prop, Node(target))
    return node


def test_exact_match_to_an_open_nal_licence_is_open():
    got = lic.classify_node(_own("skos:exactMatch", NAL + "CC0"))
    assert got.status == "open" and "exactMatch" in got.reason


def test_narrow_match_means_more_permissive_than_the_target():
    assert lic.classify_node(_own("skos:narrowMatch", NAL + "CC_BY_4_0")).status == "open"


def test_broad_match_means_less_permissive():
    assert lic.classify_node(_own("skos:broadMatch", NAL + "CC_BYNC_4_0")).status == "not_open"
    assert lic.classify_node(_own("skos:broadMatch", NAL + "CC_BY_4_0")).status == "review"


def test_close_match_alone_does_not_decide():
    assert lic.classify_node(_own("skos:closeMatch", NAL + "CC_BY_4_0")).status == "unknown"


def test_eu_nal_concept_of_a_licence_uri_or_id():
    assert lic.eu_nal("https://creativecommons.org/licenses/by/4.0/") == NAL + "CC_BY_4_0"
    assert lic.eu_nal("dl-de-by-2.0") == NAL + "DL_DE_BY_2_0"
    assert lic.eu_nal(NAL + "CC_BY_4_0") is None  # already a NAL concept
    assert lic.eu_nal("https://example.org/our-own-licence") is None
