"""CKAN (and DKAN's CKAN-compatible shim) partner portals, read through the Action API.

``package_search`` pages under ``metadata_created asc, id asc``, which edits cannot
reorder; a total that shrinks during the listing may mean a skipped dataset, so it
ends the run. Partner CKANs differ (DKAN's list results and local dates, HVD fields
as lists, JSON strings or plain strings), so everything is read leniently.
"""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from ckanext.partnercity.harvesters.base import (
    Distribution,
    Harvester,
    HarvestError,
    MalformedRecord,
    Page,
    PartnerRecord,
    collect_page,
)
from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.dates import normalize_date
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.harvesters.values import json_language_map, loads, phrase

ACTION_PATH = "/api/3/action/package_search"
# metadata_created never changes after creation, so edits during a listing keep their place.
SORT = "metadata_created asc, id asc"
# CKAN's default ckan.search.rows_max; a portal may cap lower, which paging tolerates.
ROWS_MAX = 1000
LINK_SCHEMES = ("http", "https", "ftp")


class CkanHarvester(Harvester):
    """Lists a partner CKAN's datasets via ``package_search``; only ever GETs metadata."""

    portal_type = "ckan"
    label = "CKAN Action API"

    def search_url(self, start: int, rows: int, since: datetime.datetime | None = None) -> str:
        """The exact URL of one page; it names the page in errors and run reports."""
        params: dict[str, Any] = {"rows": rows, "start": start, "sort": SORT}
        fq = self.filter_query(since)
        if fq:
            params["fq"] = fq
        return f"{self.portal_url}{ACTION_PATH}?{urlencode(params)}"

    def filter_query(self, since: datetime.datetime | None = None) -> str:
        """Solr ``fq``: the partner's organization on a shared portal, and the change window."""
        clauses = []
        if self.source.source_filter.strip():
            clauses.append(f"organization:{phrase(self.source.source_filter.strip())}")
        if since is not None:
            clauses.append(f"metadata_modified:[{_solr_datetime(since)} TO *]")
        return " AND ".join(clauses)

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        rows = max(1, min(self.source.page_size or 100, ROWS_MAX))
        start = 0
        seen: set[str] = set()
        previous: list = []
        first_count: int | None = None
        shrunk_to: int | None = None
        while True:
            url = self.search_url(start, rows, since)
            items, count = _search_result(url, self.client.get_json(url))
            if items and items == previous:
                raise HarvestError(
                    f"the portal answered start={start} with the previous page again; it "
                    "ignores paging, so the listing would be incomplete",
                    url,
                )
            previous = items
            page = collect_page(
                url,
                items,
                lambda item: package_to_record(item, self.portal_url),
                seen,
                skip=lambda item: not is_active(item),
            )
            yield page
            if not items:
                break
            start += len(items)
            if count is not None:
                if first_count is None:
                    first_count = count
                elif count < first_count:
                    shrunk_to = count
                if start >= count:
                    break
            elif len(items) != rows:
                # No total (DKAN): a short page is the last; a longer one means the
                # portal ignored ``rows`` and sent the whole catalogue.
                break
        if shrunk_to is not None:
            raise HarvestError(
                f"the catalogue shrank from {first_count} to {shrunk_to} datasets while it was "
                "listed, so a dataset may have been skipped; run again to withdraw safely",
                self.search_url(0, rows, since),
            )


def is_active(package: Any) -> bool:
    """False for packages the partner marks deleted or draft (DKAN writes ``Active``)."""
    state = package.get("state") if isinstance(package, dict) else None
    return not isinstance(state, str) or state.strip().lower() in ("", "active")


def _search_result(url: str, payload: Any) -> tuple[list, int | None]:
    """Datasets and total of a package_search answer, whether CKAN- or DKAN-shaped."""
    result = action_result(url, payload)
    if isinstance(result, list):
        return result, None
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        count = result.get("count")
        return result["results"], count if isinstance(count, int) else None
    raise HarvestError("package_search answered without a list of datasets", url)


def action_result(url: str, payload: Any) -> Any:
    """The ``result`` of a CKAN Action API answer, or a HarvestError saying why there is none.

    ckanapi interprets the error envelope (``success: false``, ``error.__type``) the way it
    does for RemoteCKAN; only the transport is ours. It is imported here, not at module
    level, because with CKAN installed ckanapi.errors imports ckan.logic.
    """
    if isinstance(payload, dict) and payload.get("success") is True:
        return payload.get("result")
    from ckanapi import errors as ckanapi_errors
    from ckanapi.common import reverse_apicontroller_action

    try:
        return reverse_apicontroller_action(url, 200, json.dumps(payload))
    except (ckanapi_errors.SearchQueryError, ckanapi_errors.SearchError):
        reason = "the portal rejected the search query"
    except ckanapi_errors.ValidationError:
        reason = "the portal rejected the request parameters"
    except ckanapi_errors.NotFound:
        reason = "the portal has no such action or object"
    except ckanapi_errors.NotAuthorized:
        reason = "the portal refused access"
    except (ckanapi_errors.ServerIncompatibleError, ckanapi_errors.CKANAPIError):
        raise HarvestError(
            "not a CKAN Action API answer (no success/result envelope); is this a CKAN portal?",
            url,
        ) from None
    error = payload.get("error") if isinstance(payload, dict) else None
    detail = _text(error.get("message")) if isinstance(error, dict) else ""
    kind = _text(error.get("__type")) if isinstance(error, dict) else ""
    raise HarvestError(f"{reason} ({kind}): {detail[:300]}".rstrip(": "), url)


def package_to_record(package: Any, portal_url: str) -> PartnerRecord:
    """Map one CKAN/DKAN package dict to a PartnerRecord; MalformedRecord if it cannot be."""
    if not isinstance(package, dict):
        raise MalformedRecord(f"dataset entry is a {type(package).__name__}, not an object")
    package_id, name = _text(package.get("id")), _text(package.get("name"))
    identifier = package_id or name
    if not identifier:
        raise MalformedRecord("dataset has neither an id nor a name")
    try:
        return _record(package, identifier, package_id, name, portal_url.rstrip("/"))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise MalformedRecord(f"unreadable dataset: {exc}", identifier) from None


def _record(
    package: dict, identifier: str, package_id: str, name: str, portal: str
) -> PartnerRecord:
    extras = _extras(package)
    landing_page = _landing_page(package, name, portal)
    # ckanext-dcat keeps a harvested dataset's original URI; otherwise it mints this one.
    uri = _first(_field(package, extras, "uri")) or f"{portal}/dataset/{package_id or name}"
    license_title = _text(package.get("license_title")) or _text(package.get("license_id"))
    license_url = _text(package.get("license_url"))
    if not license_url and is_http_url(license_title):
        license_url = license_title  # DKAN puts the licence URL in license_title
    return PartnerRecord(
        identifier=identifier,
        title=_text(package.get("title")) or name,
        description=_text(package.get("notes")),
        uri=uri,
        landing_page=landing_page,
        license_title=license_title,
        license_url=license_url,
        publisher=_publisher(package, extras),
        issued=normalize_date(package.get("metadata_created")),
        modified=normalize_date(package.get("metadata_modified")),
        categories=_labels(package.get("groups")),
        keywords=_labels(package.get("tags"), prefer=("display_name", "name")),
        language=_values(_field(package, extras, "language")),
        hvd_category=_values(_field(package, extras, "hvd_category")),
        applicable_legislation=_values(_field(package, extras, "applicable_legislation")),
        translations=_translations(package, extras),
        distributions=[
            d
            for d in (_distribution(r, portal) for r in _list(package.get("resources")))
            if d is not None
        ],
    )


#: ckanext-fluent's translated fields (scheming ``fluent_text``/``fluent_markdown``).
FLUENT_FIELDS = {"title": "title_translated", "description": "notes_translated"}


def _translations(package: dict, extras: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every language version of title and notes the portal publishes (ckanext-fluent)."""
    found = {
        name: json_language_map(_field(package, extras, key)) for name, key in FLUENT_FIELDS.items()
    }
    return {name: versions for name, versions in found.items() if versions}


def _landing_page(package: dict, name: str, portal: str) -> str:
    """The partner portal's own page for the dataset.

    CKAN's ``url`` field is the dataset's "source" and often points elsewhere (a file, the
    producer's site), so it is the landing page only when it is on the portal's own host
    (DKAN stores its page there) or when there is no name to build the page from.
    """
    url = _text(package.get("url"))
    same_host = is_http_url(url) and urlsplit(url).netloc.lower() == urlsplit(portal).netloc.lower()
    if same_host or (not name and is_http_url(url)):
        return url
    return f"{portal}/dataset/{quote(name, safe='')}" if name else ""


def _publisher(package: dict, extras: dict[str, Any]) -> str:
    organization = package.get("organization")
    if isinstance(organization, dict):
        title = _text(organization.get("title")) or _text(organization.get("name"))
        if title:
            return title
    for value in (extras.get("publisher_name"), package.get("author"), package.get("maintainer")):
        if _text(value):
            return _text(value)
    return ""


def _distribution(resource: Any, portal: str) -> Distribution | None:
    """A link to one resource; resources without a followable URL are left out."""
    if not isinstance(resource, dict):
        return None
    if _text(resource.get("state")).lower() not in ("", "active"):
        return None
    url = _text(resource.get("url"))
    if url.startswith("/"):
        url = urljoin(portal + "/", url.lstrip("/"))
    if urlsplit(url).scheme.lower() not in LINK_SCHEMES:
        return None
    mimetype = _text(resource.get("mimetype"))
    return Distribution(
        url=url,
        format=_text(resource.get("format")),
        # DKAN fills mimetype with a bare extension ("xlsx"); that is not a media type.
        media_type=mimetype if "/" in mimetype else "",
        title=_text(resource.get("name")),
        description=_text(resource.get("description")),
        access_service=_access_service(resource.get("access_services")),
        license=_text(resource.get("license")),
    )


def _access_service(value: Any) -> str:
    """The endpoint of the first ckanext-dcat access service (a list or its JSON string)."""
    services = _parse_json(value) if isinstance(value, str) else value
    for service in _list(services):
        if not isinstance(service, dict):
            continue
        for key in ("endpoint_url", "uri", "endpoint_description"):
            found = _first(service.get(key))
            if found:
                return found
    return ""


# ---------------------------------------------------------------------------- value readers


def _extras(package: dict) -> dict[str, Any]:
    """Extras as a dict, from CKAN's ``[{key, value}]`` list or an already flat dict."""
    extras = package.get("extras")
    if isinstance(extras, dict):
        return extras
    flat: dict[str, Any] = {}
    for extra in _list(extras):
        if isinstance(extra, dict) and _text(extra.get("key")):
            flat[_text(extra.get("key"))] = extra.get("value")
    return flat


def _field(package: dict, extras: dict[str, Any], key: str) -> Any:
    """A scheming (top-level) field, else the extra of the same name."""
    value = package.get(key)
    return value if value not in (None, "", []) else extras.get(key)


def _values(value: Any) -> list[str]:
    """A multi-valued field as a list of strings: a list, a JSON list string, or one string."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_values(item))
        return out
    if isinstance(value, dict):
        found = _first(value.get("uri")) or _first(value.get("name"))
        return [found] if found else []
    text = _text(value)
    if text.startswith("["):
        parsed = _parse_json(text)
        if isinstance(parsed, list):
            return _values(parsed)
    return [text] if text else []


def _labels(items: Any, prefer: tuple[str, ...] = ("display_name", "title", "name")) -> list[str]:
    """Human labels of groups or tags; a group's title is what partners see and map."""
    out: list[str] = []
    for item in _list(items):
        if isinstance(item, dict):
            label = next((_text(item.get(k)) for k in prefer if _text(item.get(k))), "")
        else:
            label = _text(item)
        if label and label not in out:
            out.append(label)
    return out


def _parse_json(text: str) -> Any:
    """JSON that DKAN may have HTML-escaped; None when it is not JSON at all."""
    for candidate in (text, html.unescape(text)):
        try:
            return loads(candidate)
        except ValueError:
            continue
    return None


def _first(value: Any) -> str:
    values = _values(value)
    return values[0] if values else ""


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _solr_datetime(when: datetime.datetime) -> str:
    """Solr's UTC form; a naive datetime is taken as UTC, as CKAN stores it."""
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
