"""Shared pieces of the harvest integration tests: a partner portal and reference snapshots."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from ckan import model
from ckan.tests.helpers import call_action

from tests.support.fake_portals import ckan_portal, load_datasets
from tests.support.http_server import LocalServer, serve


@contextmanager
def ckan_partner_portal(fixture: str = "ckan/alba-iulia.json") -> Iterator[LocalServer]:
    """A CKAN partner portal on 127.0.0.1 whose datasets a test may change."""
    datasets = copy.deepcopy(load_datasets(fixture))
    with serve(ckan_portal(datasets)) as server:
        server.datasets = datasets  # type: ignore[attr-defined]
        server.good_handler = server.handler  # type: ignore[attr-defined]
        yield server


def register(name: str, portal_url: str, portal_type: str = "ckan", **extra) -> dict:
    return call_action(
        "partnercity_partner_create",
        name=name,
        title=name.replace("-", " ").title(),
        country=extra.pop("country", "RO"),
        languages=["ro"],
        portal_url=portal_url,
        portal_type=portal_type,
        **extra,
    )


def reference(partner: dict, name: str, slug: str, **fields) -> dict:
    """A partner reference created directly, without a harvest: for tests of what may be done
    with one (attest it, decide on it, export it)."""
    return call_action(
        "package_create",
        type="partner_dataset",
        name=name,
        owner_org=partner["id"],
        partner_identifier=f"{slug}-1",
        partner_landing_page=f"https://{partner['name']}.example/dataset/{slug}",
        **fields,
    )


def harvest(partner: str, full: bool = True) -> dict:
    """Run a harvest in the test (``wait``) and return the finished run."""
    return call_action("partnercity_harvest", partner=partner, full=full, wait=True)


def references(partner_name: str) -> dict[str, dict]:
    """identifier -> the stored reference (all states), straight from the database."""
    org = model.Group.get(partner_name)
    ids = [
        row.id
        for row in model.Session.query(model.Package.id).filter(
            model.Package.owner_org == org.id, model.Package.type == "partner_dataset"
        )
    ]
    out = {}
    for package_id in ids:
        package = call_action("package_show", id=package_id)
        out[package["partner_identifier"]] = package
    return out


def searchable(partner_name: str) -> set[str]:
    """Identifiers a citizen's search finds (withdrawn references are hidden)."""
    found = call_action(
        "package_search",
        fq=f"+dataset_type:partner_dataset +organization:{partner_name}",
        rows=1000,
    )
    return {package["partner_identifier"] for package in found["results"]}
