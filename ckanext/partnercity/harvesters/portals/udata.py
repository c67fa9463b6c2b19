"""udata partner portals (data.gouv.fr and the other udata sites), read through API v1.

``/api/1/datasets/?organization=<id>&sort=created`` pages by page number and links each
next page as an absolute URL (``next_page``). That URL comes from the partner, so it must
stay on the portal's host; a page seen before, more pages than the announced ``total``
allows or than ``MAX_PAGES`` mean paging that never ends: the listing fails (HarvestError)
rather than loops. Oldest first, a dataset created during the listing lands at the end; a
shrinking ``total`` may mean a skipped dataset and ends the run, as for CKAN.

udata only filters ``organization`` by id: a slug is looked up once. API v1 lists resources
inline; the API v2 shape (a link ``{"href", "total"}``) is followed, paged and capped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, unquote, urlencode, urlsplit

from ckanext.partnercity.harvesters.base import (
    Distribution,
    Harvester,
    HarvestError,
    MalformedRecord,
    Page,
    PartnerRecord,
    RecordError,
    collect_page,
)
from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.dates import changed_before, iso_date
from ckanext.partnercity.harvesters.portals.udata_terms import hvd_of, licence_of
from ckanext.partnercity.harvesters.urls import is_http_url

if TYPE_CHECKING:
    from ckanext.partnercity.harvesters.http import HttpClient

DATASETS_PATH = "/api/1/datasets/"
ORGANIZATIONS_PATH = "/api/1/organizations/"
#: API v1 lists every resource inline, so a page of 100 can already be megabytes.
PAGE_SIZE_MAX = 100
#: Creation order: edits cannot reorder it and new datasets come last.
SORT = "created"
#: A listing of more pages than this is taken for paging that never ends.
MAX_PAGES = 2000
#: Links kept per dataset unless the source's ``max_distributions_per_dataset`` says otherwise.
MAX_RESOURCES = 100
LIMIT_OPTION = "max_distributions_per_dataset"
#: Requests a run may spend on following resources links (API v2 shape), all datasets together.
RESOURCE_REQUESTS = 500
OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
#: An organization's page pasted as the portal URL: ``<site>[/<lang>]/organizations/<slug>/``.
ORGANIZATION_PAGE = re.compile(r"^(?P<site>.*?)(?:/[a-z]{2})?/organizations/(?P<org>[^/?#]+)/?$")


@dataclass
class Pager:
    """Checks each ``next_page`` the portal gives before it is followed."""

    portal_url: str
    max_pages: int = MAX_PAGES
    page_size: int = PAGE_SIZE_MAX
    visited: set[str] = field(default_factory=set)
    read: int = 0  # entries read so far, repeats included
    first_total: int | None = None

    def after(self, url: str, next_url: Any, items: int, total: int | None) -> str | None:
        """The next page to read after ``url``, None at the end; HarvestError if unsafe."""
        self.visited.add(url)
        self.read += items
        if self.first_total is None:
            self.first_total = total
        if next_url in (None, ""):
            return None
        if not is_http_url(next_url):
            raise HarvestError(f"next_page is not a URL: {str(next_url)[:200]!r}", url)
        if not same_site(next_url, self.portal_url):
            raise HarvestError(
                f"next_page leads to another host ({urlsplit(next_url).netloc}); not followed",
                url,
            )
        if next_url in self.visited:
            raise HarvestError("next_page leads back to a page already read (a loop)", next_url)
        if len(self.visited) >= self.max_pages:
            raise HarvestError(f"more than {self.max_pages} pages: paging never ends?", next_url)
        announced = max(t for t in (self.first_total, total, 0) if t is not None)
        if total is not None and self.read > announced + self.page_size:
            raise HarvestError(
                f"the portal keeps paging after {self.read} datasets though it announced "
                f"{announced}: paging never ends?",
                next_url,
            )
        return next_url


@dataclass
class ResourceBudget:
    """Requests left for following resources links during one run."""

    total: int = RESOURCE_REQUESTS
    left: int = field(init=False)

    def __post_init__(self) -> None:
        self.left = self.total


class UdataHarvester(Harvester):
    """Lists a partner udata portal's datasets; only ever GETs catalogue metadata."""

    portal_type = "udata"
    label = "udata API v1 (data.gouv.fr)"
    max_pages: ClassVar[int] = MAX_PAGES
    resource_requests: ClassVar[int] = RESOURCE_REQUESTS

    def datasets_url(self, organization_id: str, page_size: int) -> str:
        """The first page's URL; later ones are the portal's ``next_page``."""
        params: dict[str, Any] = {}
        if organization_id:
            params["organization"] = organization_id
        params.update({"sort": SORT, "page_size": page_size, "page": 1})
        return f"{self.portal_url}{DATASETS_PATH}?{urlencode(params)}"

    @property
    def portal_url(self) -> str:
        """The udata site, also when an organization's page was pasted as the portal URL."""
        return self._site_and_organization()[0]

    def _site_and_organization(self) -> tuple[str, str]:
        url = self.source.portal_url.strip().rstrip("/")
        page = ORGANIZATION_PAGE.match(urlsplit(url)._replace(query="", fragment="").geturl())
        if page is None:
            return url, self.source.source_filter.strip()
        return page["site"], self.source.source_filter.strip() or unquote(page["org"])

    def organization_id(self) -> str:
        """The source filter (or the pasted page's organization) as udata's organization id:
        udata filters by id only."""
        wanted = self._site_and_organization()[1]
        if not wanted or OBJECT_ID.match(wanted):
            return wanted
        url = f"{self.portal_url}{ORGANIZATIONS_PATH}{quote(wanted, safe='')}/"
        payload = self.client.get_json(url)
        found = _text(payload.get("id")) if isinstance(payload, dict) else ""
        if not OBJECT_ID.match(found):
            raise HarvestError(f"no udata organization {wanted!r} on this portal", url)
        return found

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        page_size = max(1, min(self.source.page_size or PAGE_SIZE_MAX, PAGE_SIZE_MAX))
        first = self.datasets_url(self.organization_id(), page_size)
        url: str | None = first
        pager = Pager(self.portal_url, self.max_pages, page_size)
        budget = ResourceBudget(self.resource_requests)
        limit = max(1, int(self.source.options.get(LIMIT_OPTION) or MAX_RESOURCES))
        follow = ResourceFollower(self.client, self.portal_url, budget, limit)
        seen: set[str] = set()
        shrunk_to: int | None = None
        while url is not None:
            items, total, next_url = _datasets_page(url, self.client.get_json(url))
            page = collect_page(
                url,
                items,
                lambda item: dataset_to_record(item, self.portal_url, follow, limit),
                seen,
                skip=lambda item: _hidden(item) or _unchanged(item, since),
            )
            yield _with_cut_warnings(page, items, limit)
            url = pager.after(url, next_url, len(items), total)
            if total is not None and pager.first_total is not None and total < pager.first_total:
                shrunk_to = total
        if shrunk_to is not None:
            raise HarvestError(
                f"the catalogue shrank from {pager.first_total} to {shrunk_to} datasets while it "
                "was listed, so a dataset may have been skipped; run again to withdraw safely",
                first,
            )


@dataclass
class ResourceFollower:
    """Reads the resources behind an API v2 link, within the run's budget and on the portal."""

    client: HttpClient
    portal_url: str
    budget: ResourceBudget
    limit: int = MAX_RESOURCES

    def __call__(self, link: dict, identifier: str) -> list:
        url = _text(link.get("href"))
        if not is_http_url(url) or not same_site(url, self.portal_url):
            raise MalformedRecord(f"resources link is not on the portal: {url[:200]!r}", identifier)
        out: list = []
        visited: set[str] = set()
        while url and len(out) < self.limit:
            if url in visited:
                raise MalformedRecord(f"resources paging loops ({url})", identifier)
            if self.budget.left <= 0:
                raise MalformedRecord(
                    f"resources not read: the run's {self.budget.total} requests for resources "
                    f"links are spent ({url})",
                    identifier,
                )
            visited.add(url)
            self.budget.left -= 1
            try:
                items, _total, next_url = _datasets_page(url, self.client.get_json(url))
            except HarvestError as exc:
                raise MalformedRecord(f"resources could not be read: {exc}", identifier) from None
            out.extend(items)
            url = next_url if is_http_url(next_url) and same_site(next_url, self.portal_url) else ""
        return out[: self.limit]


def same_site(url: str, portal_url: str) -> bool:
    """True when ``url`` is on the portal's host and port (``www.`` or not, http or https)."""
    a, b = urlsplit(url), urlsplit(portal_url)
    return _host(a.netloc) == _host(b.netloc)


def _host(netloc: str) -> str:
    netloc = netloc.lower().rsplit("@", 1)[-1]
    return netloc[4:] if netloc.startswith("www.") else netloc


def _datasets_page(url: str, payload: Any) -> tuple[list, int | None, Any]:
    """Entries, ``total`` and ``next_page`` of a udata list answer."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise HarvestError(
            "not a udata API list answer (no data list); is this a udata portal?", url
        )
    total = payload.get("total")
    if isinstance(total, str) and total.isdigit():  # some udata versions send it as text
        total = int(total)
    total = total if isinstance(total, int) and not isinstance(total, bool) else None
    return payload["data"], total, payload.get("next_page")


def _with_cut_warnings(page: Page, items: list, limit: int) -> Page:
    """A warning for each harvested dataset with more resources than the links kept."""
    harvested = {r.identifier for r in page.records}
    for item in items:
        if not isinstance(item, dict):
            continue
        resources = item.get("resources")
        count = resources.get("total") if isinstance(resources, dict) else len(_list(resources))
        identifier = _text(item.get("id")) or _text(item.get("slug"))
        if identifier in harvested and isinstance(count, int) and count > limit:
            page.warnings.append(
                RecordError(
                    f"dataset {identifier} has {count} resources: the first {limit} are linked",
                    page.url,
                    identifier,
                )
            )
    return page


def _hidden(item: Any) -> bool:
    """Deleted or private entries (a portal may list them to its own users only)."""
    return isinstance(item, dict) and (bool(item.get("deleted")) or item.get("private") is True)


def _unchanged(item: Any, since: datetime.datetime | None) -> bool:
    """True for a dataset last changed before ``since`` (udata's list has no such filter)."""
    if since is None or not isinstance(item, dict):
        return False
    return changed_before(item.get("last_update") or item.get("last_modified"), since)


def dataset_to_record(
    dataset: Any,
    portal_url: str,
    follow: ResourceFollower | None = None,
    limit: int = MAX_RESOURCES,
) -> PartnerRecord:
    """Map one udata dataset (API v1 or v2 shape) to a PartnerRecord; MalformedRecord if not."""
    if not isinstance(dataset, dict):
        raise MalformedRecord(f"dataset entry is a {type(dataset).__name__}, not an object")
    identifier = _text(dataset.get("id")) or _text(dataset.get("slug"))
    if not identifier:
        raise MalformedRecord("dataset has neither id nor slug")
    try:
        return _record(dataset, identifier, portal_url.rstrip("/"), follow, limit)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise MalformedRecord(f"unreadable dataset: {exc}", identifier) from None


def _record(
    dataset: dict, identifier: str, portal: str, follow: ResourceFollower | None, limit: int
) -> PartnerRecord:
    page = _text(dataset.get("page"))
    slug = _text(dataset.get("slug")) or identifier
    landing_page = page if is_http_url(page) else f"{portal}/datasets/{quote(slug, safe='')}/"
    uri = _text(dataset.get("uri"))
    licence_title, licence_url = licence_of(dataset)
    tags = _strings(dataset.get("tags"))
    badges = [_text(b.get("kind")) for b in _list(dataset.get("badges")) if isinstance(b, dict)]
    hvd = hvd_of(tags, badges)
    return PartnerRecord(
        identifier=identifier,
        title=_text(dataset.get("title")) or slug,
        description=_text(dataset.get("description")),
        uri=uri if is_http_url(uri) else landing_page,
        landing_page=landing_page,
        license_title=licence_title,
        license_url=licence_url,
        publisher=_publisher(dataset),
        issued=iso_date(dataset.get("created_at")),
        modified=iso_date(dataset.get("last_update")) or iso_date(dataset.get("last_modified")),
        keywords=tags,
        hvd_markers=hvd.markers,
        hvd_category=hvd.categories,
        applicable_legislation=hvd.legislation,
        distributions=_distributions(dataset, identifier, follow, limit),
    )


def _publisher(dataset: dict) -> str:
    """The organization's name, else the owning user's name."""
    organization = dataset.get("organization")
    if isinstance(organization, dict) and _text(organization.get("name")):
        return _text(organization.get("name"))
    owner = dataset.get("owner")
    if isinstance(owner, dict):
        return " ".join(t for t in (_text(owner.get(k)) for k in ("first_name", "last_name")) if t)
    return ""


def _distributions(
    dataset: dict, identifier: str, follow: ResourceFollower | None, limit: int
) -> list[Distribution]:
    resources = dataset.get("resources")
    if isinstance(resources, dict):  # API v2: a link to a paged list
        if not resources.get("total") or follow is None:
            return []
        resources = follow(resources, identifier)
    out = []
    for resource in _list(resources)[:limit]:
        if not isinstance(resource, dict):
            continue
        url = _text(resource.get("url")) or _text(resource.get("latest"))
        if not is_http_url(url):
            continue
        out.append(
            Distribution(
                url=url,
                format=_text(resource.get("format")),
                media_type=_text(resource.get("mime")),
                title=_text(resource.get("title")),
                description=_text(resource.get("description")),
            )
        )
    return out


def _strings(value: Any) -> list[str]:
    return [t for t in (_text(v) for v in _list(value)) if t]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
