"""What the public mapping lists show: nothing of private datasets, nothing of deleted partners."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.partnercity.model import Mapping
from tests.integration.partners.test_partners import ALBA

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db", "clean_index")]
ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"


def _own_dataset(name: str, tag: str, private: bool) -> None:
    org = factories.Organization()
    call_action(
        "package_create",
        name=name,
        title=name,
        notes="Our data",
        owner_org=org["id"],
        private=private,
        tags=[{"name": tag}],
    )


def _unmapped(app, headers=None) -> set[str]:
    answer = app.post(
        "/api/3/action/partnercity_mapping_list", json={"unmapped": True}, headers=headers
    )
    return {row["category"] for row in answer.json["result"] if row["partner_id"] is None}


def test_unmapped_categories_of_private_datasets_are_for_sysadmins_only(app):
    _own_dataset("budget-draft", "secret-merger-plans", private=True)
    _own_dataset("air-quality", "air", private=False)
    assert _unmapped(app) == {"air"}
    sysadmin = factories.SysadminWithToken()
    assert _unmapped(app, {"Authorization": sysadmin["token"]}) == {"air", "secret-merger-plans"}


@pytest.mark.parametrize("delete", ["partnercity_partner_delete", "organization_delete"])
def test_a_deleted_partners_mappings_leave_the_list_and_the_export(app, delete):
    partner = call_action("partnercity_partner_create", **ALBA)
    model.Session.add(
        Mapping(
            partner_id=partner["id"],
            category="mediu",
            lang="ro",
            concept_uri=ENVI,
            relation="exactMatch",
            origin="decided",
        )
    )
    model.Session.commit()
    assert [m["category"] for m in call_action("partnercity_mapping_list")] == ["mediu"]

    call_action(delete, id=partner["id"])

    assert call_action("partnercity_mapping_list") == []
    assert "mediu" not in call_action("partnercity_mapping_export", format="turtle")
