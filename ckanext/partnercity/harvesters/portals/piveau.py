"""piveau partner portals (data.europa.eu, state and city data spaces), read through
hub-search's ``/api/hub/search/search``.

Many partner cities have no portal of their own: their datasets surface only on
data.europa.eu, which harvests every national portal. ``source_filter`` picks them out with
hub-search facets: ``catalog:ID``, ``publisher:NAME`` or ``country:CODE`` clauses joined by
``;`` (a bare value is a catalog id); piveau ANDs the facet groups.

Paging is by page number (0-based; hub-search reads ``from = page × limit``) under
``sort=id+asc``, which edits cannot reorder; ``limit`` is at most 1000. hub-search applies
``facets`` only together with ``filter=dataset`` (older versions) while newer ones read
``filters``: both are sent. An instance that caps the page lower is followed at its size; a
short page before the announced count, an empty one, a page of repeats, or more pages than
the count allows end the run as incomplete; a count that shrinks during the listing does too,
after every page was read (a dataset may have been skipped). A page past the instance's
Elasticsearch result window is refused by the instance (HTTP 400), which fails the run too.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from ckanext.partnercity.harvesters import base
from ckanext.partnercity.harvesters.base import HarvestError, Page, RecordError
from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.portals.piveau_record import dataset_to_record

SEARCH_PATH = "/api/hub/search/search"
#: hub-search's maximum ``limit`` (its OpenAPI: 0..1000).
LIMIT_MAX = 1000
#: ``field+asc`` as hub-search documents it; ``id`` is a keyword field, so it sorts.
SORT = "id+asc"
FACETS = ("catalog", "publisher", "country")
#: Pages a listing may take beyond what its first count needs (datasets added meanwhile).
SPARE_PAGES = 2


class PiveauHarvester(base.Harvester):
    """Lists a piveau instance's datasets (optionally one catalog or publisher); GETs only."""

    portal_type = "piveau"
    label = "piveau hub-search (data.europa.eu)"
    #: More than this is not one city's catalogue but a missing source_filter (data.europa.eu
    #: holds over a million datasets): refused before paging through it.
    max_selection: ClassVar[int] = 50_000

    def facets(self) -> dict[str, list[str]]:
        """The ``facets`` parameter from ``source_filter`` (see the module docstring)."""
        return parse_source_filter(self.source.source_filter)

    def search_url(self, page: int, limit: int) -> str:
        """The exact URL of one page; it names the page in errors and run reports."""
        params: dict[str, Any] = {"filter": "dataset", "filters": "dataset"}
        params.update(limit=limit, page=page)
        facets = self.facets()
        if facets:
            params["facets"] = json.dumps(facets, ensure_ascii=False, separators=(",", ":"))
        return f"{self.portal_url}{SEARCH_PATH}?{urlencode(params)}&sort={SORT}"

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        # hub-search's date filters are not documented as the dataset's own dates: every
        # run lists the whole selection, which also keeps withdrawals exact.
        listing = _Listing(self, max(1, min(self.source.page_size or 100, LIMIT_MAX)))
        yield from listing.pages()


class _Listing:
    """One walk through the pages, with the state its guards need."""

    def __init__(self, harvester: PiveauHarvester, limit: int) -> None:
        self.harvester = harvester
        self.limit = limit
        self.languages = languages_option(harvester.source.options.get("languages"))
        self.max_distributions = harvester.source.options.get("max_distributions_per_dataset")
        self.seen: set[str] = set()
        self.first_count: int | None = None
        self.shrunk_to: int | None = None

    def pages(self) -> Iterator[Page]:
        page_number, read = 0, 0
        previous: list = []
        while True:
            url = self.harvester.search_url(page_number, self.limit)
            items, count = search_result(url, self.harvester.client.get_json(url))
            if items and items == previous:
                raise HarvestError(
                    f"the portal answered page={page_number} with the previous page again; it "
                    "ignores paging, so the listing would be incomplete",
                    url,
                )
            previous = items
            self._check_selection(url, items)
            if page_number == 0:
                self._first_page(url, items, count)
            yield self._page(url, items)
            read += len(items)
            if self.first_count is not None and count is not None and count < self.first_count:
                self.shrunk_to = count
            if not items and count is not None and read < count:
                raise HarvestError(
                    f"the portal answered an empty page at page={page_number} though "
                    f"{count - read} more datasets were announced",
                    url,
                )
            if not items or (count is None and len(items) < self.limit):
                break  # without a count, a short page is the last
            if count is not None and read >= count:
                break
            self._check_progress(url, page_number, items, read, count)
            page_number += 1
        if self.shrunk_to is not None:
            raise HarvestError(
                f"the selection shrank from {self.first_count} to {self.shrunk_to} datasets "
                "while it was listed, so a dataset may have been skipped; run again to "
                "withdraw safely",
                self.harvester.search_url(0, self.limit),
            )

    def _first_page(self, url: str, items: list, count: int | None) -> None:
        self.first_count = count
        if count is not None and count > self.harvester.max_selection:
            raise HarvestError(
                f"the selection holds {count} datasets, more than one partner's catalogue "
                f"({self.harvester.max_selection}): narrow source_filter (publisher:NAME or "
                "catalog:ID)",
                url,
            )
        if count is not None and 0 < len(items) < min(self.limit, count):
            self.limit = len(items)  # the instance caps pages lower: page on at its size
        if len(items) > self.limit:
            raise HarvestError(
                f"the portal answered {len(items)} datasets for limit={self.limit}; it ignores "
                "paging, so the listing would be incomplete",
                url,
            )

    def _check_progress(
        self, url: str, page_number: int, items: list, read: int, count: int | None
    ) -> None:
        """Before asking for the next page: would the listing skip a dataset or never end?"""
        if count is not None and len(items) != self.limit:
            raise HarvestError(
                f"page={page_number} held {len(items)} datasets, not {self.limit}, though "
                f"{count - read} more were announced; a dataset would be skipped",
                url,
            )
        if self.first_count is not None and count is not None:
            allowed = math.ceil(self.first_count / self.limit) + SPARE_PAGES
            if page_number + 1 >= allowed:
                raise HarvestError(
                    f"the portal keeps announcing more datasets ({count}) than the "
                    f"{self.first_count} it started with; the listing would not end",
                    url,
                )

    def _check_selection(self, url: str, items: list) -> None:
        """A dataset outside the facets means the instance ignored source_filter: its whole
        catalogue would become this partner's references."""
        facets = self.harvester.facets()
        for item in items:
            for facet, wanted in facets.items():
                found = facet_values(item, facet)
                if found and not found & {value.casefold() for value in wanted}:
                    raise HarvestError(
                        f"the portal answered a dataset of {facet} {sorted(found)[0]!r} for "
                        f"source_filter {facet}:{wanted[0]}; it ignored the filter",
                        url,
                    )

    def _page(self, url: str, items: list) -> Page:
        portal = self.harvester.portal_url
        page = base.collect_page(
            url,
            items,
            lambda item: dataset_to_record(item, portal, self.languages),
            self.seen,
            skip=lambda item: isinstance(item, dict) and item.get("index") not in (None, "dataset"),
        )
        self._cap_distributions(page)
        return page

    def _cap_distributions(self, page: Page) -> None:
        cap = self.max_distributions
        if not isinstance(cap, int) or cap <= 0:
            return
        for record in page.records:
            if len(record.distributions) > cap:
                page.warnings.append(
                    RecordError(
                        f"{len(record.distributions)} distributions, only the first {cap} kept",
                        url=page.url,
                        identifier=record.identifier,
                    )
                )
                record.distributions = record.distributions[:cap]


def languages_option(value: Any) -> list[str]:
    """The partner's languages, most preferred first, from a list or a "de, en" string."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)):
        return []
    return [text for text in (_text(v) for v in value) if text]


def parse_source_filter(text: str) -> dict[str, list[str]]:
    """``catalog:ID; publisher:NAME`` as hub-search facets; a bare value is a catalog id."""
    facets: dict[str, list[str]] = {}
    for clause in (text or "").split(";"):
        clause = clause.strip()
        if not clause:
            continue
        name, sep, value = clause.partition(":")
        if sep and name.strip().lower() in FACETS and value.strip():
            facet, value = name.strip().lower(), value.strip()
        else:
            facet, value = "catalog", clause
        facets.setdefault(facet, [])
        if value not in facets[facet]:
            facets[facet].append(value)
    return facets


def facet_values(document: Any, facet: str) -> set[str]:
    """What a dataset document holds for a facet (casefolded); empty when it does not say."""
    value = document.get(facet) if isinstance(document, dict) else None
    if isinstance(value, dict):
        value = value.get("name") if facet == "publisher" else value.get("id")
    if isinstance(value, dict):  # a publisher name as a language map
        return {_text(v).casefold() for v in value.values() if _text(v)}
    return {_text(value).casefold()} if _text(value) else set()


def search_result(url: str, payload: Any) -> tuple[list, int | None]:
    """Documents and ``count`` of a hub-search answer, or a HarvestError saying why not."""
    if isinstance(payload, dict) and payload.get("success") is False:
        message = payload.get("message") or payload.get("error") or "no reason given"
        raise HarvestError(f"the portal refused the search: {_text(message) or message}", url)
    result = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(result, dict) or not isinstance(result.get("results"), list):
        raise HarvestError(
            "not a piveau hub-search answer (no result.results list); is this a piveau "
            "portal, and portal_url its base (e.g. https://data.europa.eu)?",
            url,
        )
    count = result.get("count")
    valid = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    return result["results"], count if valid else None
