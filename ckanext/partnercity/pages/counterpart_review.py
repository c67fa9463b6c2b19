"""The open-data team's review of counterparts (admin tab "Counterparts") and the confirmed
pairs the Linked Data graph publishes.

Both read the decisions in ``partnercity_counterpart_decision``, which are keyed by the
partner and the partner's own identifier of its dataset (so they outlive a harvest), and
find the reference that carries that identifier today. The ranking itself is the core's
(:mod:`ckanext.partnercity.themes.counterparts`), fed by :mod:`.counterparts`.
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchError, SearchQueryError

from ckanext.partnercity.compat.ckan import extras_select
from ckanext.partnercity.lod.graph import reference_uri
from ckanext.partnercity.model import CounterpartDecision
from ckanext.partnercity.pages import counterparts as adapter
from ckanext.partnercity.partners.references import DATASET_TYPE, identifier_key
from ckanext.partnercity.themes import counterparts as core

#: Suggestions shown per own dataset in the review.
SUGGESTIONS = 3
#: Own datasets per review page unless asked otherwise.
PAGE_SIZE = 20
OWN_FQ = f"-dataset_type:{DATASET_TYPE}"
Key = tuple[str, str]  # (partner organization id, partner's identifier key)


def _key(partner_id: str, identifier: str) -> Key:
    return partner_id, identifier_key(identifier)


def _current_references(keys: Iterable[Key]) -> dict[Key, dict]:
    """The active reference that carries each (partner, identifier) today, public or not:
    ``{id, name, title, private, status, uri, landing_page}``; absent when none does."""
    keys = set(keys)
    partners = {partner for partner, _ in keys}
    if not partners:
        return {}
    pkg = model.package_table
    query = extras_select(
        ("partner_identifier", "partner_uri", "partner_landing_page", "reference_status"),
        pkg.c.owner_org.in_(partners),
        pkg.c.type == DATASET_TYPE,
        pkg.c.state == "active",
    )
    rows = list(model.Session.execute(query))
    packages = {
        p.id: p
        for p in model.Session.query(model.Package).filter(
            model.Package.id.in_([r.id for r in rows])
        )
    }
    out: dict[Key, dict] = {}
    for row in rows:
        package = packages.get(row.id)
        if not row.partner_identifier or package is None:
            continue
        key = _key(package.owner_org, row.partner_identifier)
        if key in keys:
            out[key] = {
                "id": package.id,
                "name": package.name,
                "title": package.title,
                "private": package.private,
                "status": row.reference_status or "active",
                "uri": row.partner_uri,
                "landing_page": row.partner_landing_page,
            }
    return out


def rejected_reference_ids(dataset_id: str) -> list[str]:
    """Ids of the references the team rejected for one of our datasets, as harvested today:
    they leave the page's "In our partner cities" block, same-theme list included."""
    rows = model.Session.query(CounterpartDecision).filter(
        CounterpartDecision.dataset_id == dataset_id,
        CounterpartDecision.decision == core.REJECTED,
    )
    current = _current_references(_key(r.partner_id, r.partner_identifier) for r in rows)
    return sorted(ref["id"] for ref in current.values())


def _partners(ids: Iterable[str]) -> dict[str, dict]:
    groups = model.Session.query(model.Group).filter(model.Group.id.in_(set(ids)))
    return {g.id: {"id": g.id, "name": g.name, "title": g.title} for g in groups}


def _decisions_of(dataset_ids: list[str]) -> list[CounterpartDecision]:
    if not dataset_ids:
        return []
    return (
        model.Session.query(CounterpartDecision)
        .filter(CounterpartDecision.dataset_id.in_(dataset_ids))
        .order_by(CounterpartDecision.decided_at.desc())
        .all()
    )


def _own_page(page: int, limit: int, q: str = "") -> tuple[int, list[dict]]:
    """Our datasets of one page; words Solr cannot parse ("title:(") are a ValidationError
    on ``q``, not a server error."""
    try:
        found = tk.get_action("package_search")(
            {"ignore_auth": True},
            {
                "q": q,
                "fq": OWN_FQ,
                "rows": limit,
                "start": (page - 1) * limit,
                "sort": "title_string asc, name asc",
                "include_private": True,
            },
        )
    except (SearchError, SearchQueryError):
        raise tk.ValidationError(
            {"q": [tk._("The search could not be read; try other words.")]}
        ) from None
    return found["count"], found["results"]


def review(page: int = 1, limit: int = PAGE_SIZE, q: str = "") -> dict:
    """One page of our datasets (by title; those matching ``q`` when given) with their top
    suggestions not decided yet and the decisions taken: ``{"count", "page", "limit", "q",
    "datasets": [{"dataset", "suggestions", "decisions"}]}``. Every own dataset is ranked
    against the same references (read once per page)."""
    count, own = _own_page(page, limit, q)
    refs = adapter.references()
    items = [adapter.item(r) for r in refs]
    by_id = {r["id"]: r for r in refs}
    rows = _decisions_of([p["id"] for p in own])
    current = _current_references(_key(r.partner_id, r.partner_identifier) for r in rows)
    partners = _partners(r.partner_id for r in rows)
    datasets = []
    for pkg in own:
        mine = [r for r in rows if r.dataset_id == pkg["id"]]
        decided = {_key(r.partner_id, r.partner_identifier) for r in mine}
        # decided references are listed with their decision, not suggested again
        skip = {
            r["id"]: core.REJECTED
            for r in refs
            if _key(r.get("owner_org") or "", r.get("partner_identifier") or "") in decided
        }
        found = core.rank(adapter.item(pkg), items, SUGGESTIONS, skip, adapter.PROFILES)
        datasets.append(
            {
                "dataset": {k: pkg.get(k) for k in ("id", "name", "title", "private")},
                "suggestions": [adapter.entry(c, by_id[c.id]) for c in found],
                "decisions": [_decision(r, current, partners) for r in mine],
            }
        )
    return {"count": count, "page": page, "limit": limit, "q": q, "datasets": datasets}


def _decision(row: CounterpartDecision, current: dict, partners: dict) -> dict:
    ref = current.get(_key(row.partner_id, row.partner_identifier))
    return {
        **row.as_dict(),
        "partner": partners.get(row.partner_id),
        "reference": {k: ref[k] for k in ("id", "name", "title", "status")} if ref else None,
    }


def confirmed_pairs() -> list[dict]:
    """Confirmed counterparts the public may see, as the partnership graph names them:
    ``{"own_uri", "partner_uri"}``. Our dataset's URI is ckanext-dcat's (what ``/catalog.*``
    says), the partner's is the one the graph gives the reference (``lod.graph.reference_uri``).
    Pairs whose dataset is private or gone, or whose reference is private, withdrawn or no
    longer harvested, are left out (the graph does not show those either)."""
    from ckanext.dcat.utils import dataset_uri  # imported late, as hvd/describe.py explains

    rows = (
        model.Session.query(CounterpartDecision)
        .filter(CounterpartDecision.decision == core.CONFIRMED)
        .order_by(CounterpartDecision.decided_at)
        .all()
    )
    current = _current_references(_key(r.partner_id, r.partner_identifier) for r in rows)
    pairs = []
    for row in rows:
        ref = current.get(_key(row.partner_id, row.partner_identifier))
        if ref is None or ref["private"] or ref["status"] != "active":
            continue
        partner_uri = reference_uri(ref)
        own = _public_dataset(row.dataset_id)
        if partner_uri is None or own is None:
            continue
        pairs.append({"own_uri": dataset_uri(own), "partner_uri": str(partner_uri)})
    return pairs


def _public_dataset(dataset_id: str) -> dict | None:
    """Our dataset as an anonymous visitor sees it; None when it is private or gone."""
    try:
        pkg = tk.get_action("package_show")(
            {"ignore_auth": False, "user": "", "use_cache": False}, {"id": dataset_id}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if pkg.get("private") or pkg.get("state") != "active" or pkg.get("type") == DATASET_TYPE:
        return None
    return pkg
