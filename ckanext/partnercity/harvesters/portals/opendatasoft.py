"""Opendatasoft partner portals: the DCAT export first, the Explore API v2.1 catalogue else.

The site's DCAT export (opendatasoft_dcat.py) is one document read by the DCAT machinery;
when a portal has none for us (4xx, an answer that is no DCAT such as an HTML page, or one
over ``max_response_bytes``) the JSON catalogue below is read instead, with a warning on the
run unless the answer was a plain 404/410. An export that is there but broken (5xx, cut
short, malformed, too slow, entity declarations) fails the run, naming its URL:
nothing is withdrawn, and a broken export is not hidden behind the fallback. Both ways
give a dataset the same identifier, its ``dataset_id``. Option ``explore_api_only`` skips
the export.

Paging of the JSON catalogue is by offset under ``order_by=dataset_id`` (edits cannot
reorder it), then by keyset past Explore's 10 000 offset window; a shrinking total ends
the run, as for CKAN.
The source filter is the ``publisher`` facet, which tells a shared portal's members apart.
Distributions are links to the portal's exports; nothing is downloaded.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from ckanext.partnercity.harvesters import base
from ckanext.partnercity.harvesters.base import (
    Distribution,
    HarvestError,
    MalformedRecord,
    PartnerRecord,
)
from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.dates import iso_date
from ckanext.partnercity.harvesters.portals.opendatasoft_dcat import (
    OdsDcatExport,
    export_missing,
    fallback_notice,
)
from ckanext.partnercity.harvesters.urls import is_http_url
from ckanext.partnercity.harvesters.values import phrase

log = logging.getLogger(__name__)

CATALOG_PATH = "/api/explore/v2.1/catalog/datasets"
LIMIT_MAX = 100
ORDER_BY = "dataset_id"
# Exports offered for every dataset with records: (path segment, format, media type).
EXPORTS = (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))
GEO_EXPORT = ("geojson", "GeoJSON", "application/geo+json")
# Meta templates that may carry DCAT-AP HVD fields, most specific first.
HVD_TEMPLATES = ("dcat_ap_hvd", "dcat_ap", "dcat", "default")


class OpendatasoftHarvester(base.Harvester):
    """Lists a partner Opendatasoft portal's datasets; only ever GETs catalogue metadata."""

    portal_type = "opendatasoft"
    label = "Opendatasoft Explore API v2.1"
    # Explore v2.1's offset + limit ceiling on catalog/datasets.
    offset_window: ClassVar[int] = 10_000

    def catalog_url(
        self,
        limit: int,
        *,
        offset: int | None = None,
        after: str | None = None,
        since: datetime.datetime | None = None,
    ) -> str:
        """The exact URL of one page: by ``offset``, or by keyset ``after`` a dataset_id."""
        params: dict[str, Any] = {"limit": limit}
        if offset is not None:
            params["offset"] = offset
        params["order_by"] = ORDER_BY
        where = []
        if since is not None:
            where.append(f"modified >= date'{_utc_day(since)}'")
        if after is not None:
            where.append(f"dataset_id > {phrase(after)}")
        if where:
            params["where"] = " AND ".join(where)
        if self.source.source_filter.strip():
            params["refine"] = f"publisher:{phrase(self.source.source_filter.strip())}"
        return f"{self.portal_url}{CATALOG_PATH}?{urlencode(params)}"

    def pages(self, since: datetime.datetime | None = None) -> Iterator[base.Page]:
        """The DCAT export's pages, or the Explore API's when the portal has no export."""
        if (self.source.options or {}).get("explore_api_only"):
            yield from self.explore_pages(since)
            return
        export = OdsDcatExport.for_portal(self.source, self.portal_url, since, self.client)
        listing = export.pages(since)
        try:
            first = next(listing)
        except StopIteration:
            return
        except HarvestError as exc:
            if not export_missing(exc):
                raise
            log.info("no DCAT export (%s); reading the Explore API of %s", exc, self.portal_url)
            notice = fallback_notice(exc)
            for page in self.explore_pages(since):
                if notice is not None:
                    page.warnings.append(notice)
                    notice = None
                yield page
            return
        yield first
        yield from listing

    def explore_pages(self, since: datetime.datetime | None = None) -> Iterator[base.Page]:
        """The Explore API v2.1 catalogue, page by page."""
        limit = max(1, min(self.source.page_size or LIMIT_MAX, LIMIT_MAX))
        offset: int | None = 0
        after: str | None = None
        seen: set[str] = set()
        first_total: int | None = None
        shrunk_to: int | None = None
        while True:
            url = self.catalog_url(limit, offset=offset, after=after, since=since)
            items, total = _catalog_result(url, self.client.get_json(url))
            page = base.collect_page(
                url, items, lambda item: dataset_to_record(item, self.portal_url), seen
            )
            yield page
            if not items:
                break
            last = _last_dataset_id(items)
            if offset is None:  # keyset: ``total`` counts the datasets after ``after``
                if len(items) >= total:
                    break
                if last is None or (after is not None and last <= after):
                    raise HarvestError("keyset paging did not advance past the last page", url)
                after = last
                continue
            offset += len(items)
            if first_total is None:
                first_total = total
            elif total < first_total:
                shrunk_to = total
            if offset >= total:
                break
            if offset + limit > self.offset_window:
                if last is None:
                    raise HarvestError(
                        "cannot page past the portal's offset limit: no dataset_id to continue "
                        "from",
                        url,
                    )
                offset, after = None, last
        if shrunk_to is not None:
            raise HarvestError(
                f"the catalogue shrank from {first_total} to {shrunk_to} datasets while it was "
                "listed, so a dataset may have been skipped; run again to withdraw safely",
                self.catalog_url(limit, offset=0, since=since),
            )


def _catalog_result(url: str, payload: Any) -> tuple[list, int]:
    """Datasets and ``total_count`` of an Explore v2.1 catalogue answer."""
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise HarvestError(
            "not an Explore API v2.1 catalogue answer (no results list); is this an "
            "Opendatasoft portal?",
            url,
        )
    items = payload["results"]
    total = payload.get("total_count")
    return items, total if isinstance(total, int) and not isinstance(total, bool) else len(items)


def _last_dataset_id(items: list) -> str | None:
    ids = [i["dataset_id"] for i in items if isinstance(i, dict) and _text(i.get("dataset_id"))]
    return max(ids) if ids else None


def dataset_to_record(dataset: Any, portal_url: str) -> PartnerRecord:
    """Map one Explore v2.1 catalogue entry to a PartnerRecord; MalformedRecord if it cannot."""
    if not isinstance(dataset, dict):
        raise MalformedRecord(f"dataset entry is a {type(dataset).__name__}, not an object")
    dataset_id = _text(dataset.get("dataset_id"))
    if not dataset_id:
        raise MalformedRecord("dataset has no dataset_id")
    try:
        return _record(dataset, dataset_id, portal_url.rstrip("/"))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise MalformedRecord(f"unreadable dataset: {exc}", dataset_id) from None


def _record(dataset: dict, dataset_id: str, portal: str) -> PartnerRecord:
    metas = dataset.get("metas") if isinstance(dataset.get("metas"), dict) else {}
    default = _dict(metas.get("default"))
    dcat = _dict(metas.get("dcat"))
    landing_page = f"{portal}/explore/dataset/{quote(dataset_id, safe='')}/"
    identifier_uri = _text(dcat.get("identifier"))
    return PartnerRecord(
        identifier=dataset_id,
        title=_text(default.get("title")) or dataset_id,
        description=_text(default.get("description")),
        uri=identifier_uri if is_http_url(identifier_uri) else landing_page,
        landing_page=landing_page,
        license_title=_text(default.get("license")),
        license_url=_text(default.get("license_url")),
        publisher=_text(default.get("publisher")),
        issued=iso_date(dcat.get("issued") or dcat.get("created")),
        modified=iso_date(default.get("modified")),
        # A theme is one value even when it reads "Transports, Déplacements".
        categories=_values(default.get("theme")),
        keywords=_values(default.get("keyword")),
        language=_values(default.get("language")),
        hvd_category=_values(_hvd(metas, "hvd_category")),
        applicable_legislation=_values(_hvd(metas, "applicable_legislation")),
        distributions=_distributions(dataset, dataset_id, portal),
    )


def _distributions(dataset: dict, dataset_id: str, portal: str) -> list[Distribution]:
    base = f"{portal}{CATALOG_PATH}/{quote(dataset_id, safe='')}"
    records_api = f"{base}/records"
    out = []
    if dataset.get("has_records") is not False:
        exports = list(EXPORTS)
        if "geo" in _values(dataset.get("features")):
            exports.append(GEO_EXPORT)
        for segment, fmt, media_type in exports:
            out.append(
                Distribution(
                    url=f"{base}/exports/{segment}",
                    format=fmt,
                    media_type=media_type,
                    title=f"Export {fmt}",
                    access_service=records_api,
                )
            )
    for attachment in dataset.get("attachments") or []:
        attachment_id = _text(attachment.get("id")) if isinstance(attachment, dict) else ""
        if not attachment_id:
            continue
        mimetype = _text(attachment.get("mimetype"))
        out.append(
            Distribution(
                url=f"{base}/attachments/{quote(attachment_id, safe='')}",
                format=_format_of(attachment_id, mimetype),
                media_type=mimetype if "/" in mimetype else "",
                title=_text(attachment.get("title")) or attachment_id,
            )
        )
    return out


def _hvd(metas: dict, key: str) -> Any:
    """An HVD field from whichever meta template the portal put it in."""
    templates = [t for t in HVD_TEMPLATES if t in metas] + [
        t for t in metas if t not in HVD_TEMPLATES
    ]
    for name in templates:
        value = _dict(metas.get(name)).get(key)
        if value not in (None, "", []):
            return value
    return None


def _format_of(attachment_id: str, mimetype: str) -> str:
    """A format label for an attachment: its extension (``plan_pdf`` -> PDF) or media subtype."""
    for sep in (".", "_"):
        if sep in attachment_id:
            ext = attachment_id.rsplit(sep, 1)[1]
            if 2 <= len(ext) <= 5 and ext.isalnum():
                return ext.upper()
    return mimetype.rsplit("/", 1)[-1].upper() if "/" in mimetype else ""


def _values(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [t for t in (_text(v) for v in value) if t]
    text = _text(value)
    return [text] if text else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _utc_day(when: datetime.datetime) -> str:
    """The UTC day of ``since``: ODSQL date literals are days, so the window starts at 00:00."""
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    return when.date().isoformat()
