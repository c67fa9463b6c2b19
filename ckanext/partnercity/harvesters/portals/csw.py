"""OGC CSW 2.0.2 catalogues (GeoNetwork, pycsw, …), read with ``GetRecords`` in ISO 19139.

Many cities publish only through a GeoNetwork catalogue. The portal URL is the CSW endpoint
(``https://…/geonetwork/srv/eng/csw``). Requests are KVP GETs, which GeoNetwork and pycsw both
accept, so every request goes through HttpClient's URL policy, caps and deadline; the source
filter and ``since`` become a CQL constraint (``OrganisationName = '…'``, ``Modified >= '…'``).

Paging follows ``nextRecord``: 0 ends the listing, as does a position past
``numberOfRecordsMatched``; a ``nextRecord`` that does not move forward, a page of nothing
but records already listed, or more pages than the catalogue has records is a HarvestError
(the listing would never end or be complete). XML is parsed without DTDs, network or entity
expansion, and any entity declaration is refused before the parser runs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from lxml import etree

from ckanext.partnercity.harvesters import base
from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.portals.iso19139 import NS, is_metadata, metadata_to_record
from ckanext.partnercity.harvesters.rdf_syntax import (
    EntityDeclarationError,
    refuse_entity_declarations,
)

CSW = "http://www.opengis.net/cat/csw/2.0.2"
ISO_SCHEMA = NS["gmd"]
ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.1"
MAX_RECORDS = 100
SORT_BY = "Identifier:A"
#: However many records a catalogue claims, no listing runs past this many pages.
MAX_PAGES = 10_000
_CLIENT_ERROR = re.compile(r"HTTP 4\d\d")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class CatalogueException(HarvestError):
    """The catalogue answered with an ``ows:ExceptionReport``; ``locator`` names the parameter
    it refused (lower case), when it says."""

    def __init__(self, message: str, url: str, locator: str = "") -> None:
        super().__init__(message, url)
        self.locator = locator.lower()


class CswHarvester(base.Harvester):
    """Lists a partner's CSW catalogue as ISO 19139 records; only ever sends GetRecords."""

    portal_type = "csw"
    label = "OGC CSW 2.0.2 catalogue (GeoNetwork), ISO 19139"
    max_records: ClassVar[int] = MAX_RECORDS

    def records_url(
        self,
        start: int,
        limit: int,
        since: datetime.datetime | None = None,
        *,
        sort: bool = True,
    ) -> str:
        """The exact GetRecords request for the records from position ``start`` (1-based).

        ``typeNames=gmd:MD_Metadata`` goes with the ISO output schema (``csw:Record`` would be
        Dublin Core); GeoNetwork ignores it, pycsw needs it with its ``namespace``.
        """
        params = {
            "service": "CSW",
            "version": "2.0.2",
            "request": "GetRecords",
            "typeNames": "gmd:MD_Metadata",
            "namespace": f"xmlns(gmd={ISO_SCHEMA})",
            "outputSchema": ISO_SCHEMA,
            "elementSetName": "full",
            "resultType": "results",
            "startPosition": start,
            "maxRecords": limit,
        }
        if sort:  # a stable order, so records do not move between pages while listed
            params["sortBy"] = SORT_BY
        constraint = self.constraint(since)
        if constraint:
            params["constraintLanguage"] = "CQL_TEXT"
            params["constraint_language_version"] = "1.1.0"
            params["constraint"] = constraint
        return _with_query(self.portal_url, params)

    def constraint(self, since: datetime.datetime | None = None) -> str:
        """The CQL constraint for the source filter (an organisation name) and ``since``."""
        parts = []
        organisation = self.source.source_filter.strip()
        if organisation:
            parts.append(f"OrganisationName = {_cql_string(organisation)}")
        if since is not None:
            parts.append(f"Modified >= {_cql_string(_utc_day(since))}")
        return " AND ".join(parts)

    def landing_page(self, identifier: str) -> str:
        """The catalogue's page for a record.

        GeoNetwork (an endpoint under ``…/srv/``): ``…/srv/api/records/{uuid}``, which shows
        the record page to a browser (GeoNetwork ≥ 3.2). Other catalogues have no page we
        can derive, so the record's GetRecordById request stands in for it.
        """
        parts = urlsplit(self.portal_url)
        if "/srv/" in f"{parts.path}/":
            prefix = parts.path[: f"{parts.path}/".index("/srv/")]
            path = f"{prefix}/srv/api/records/{quote(identifier, safe='')}"
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        params = {
            "service": "CSW",
            "version": "2.0.2",
            "request": "GetRecordById",
            "id": identifier,
            "elementSetName": "full",
            "outputSchema": ISO_SCHEMA,
        }
        return _with_query(self.portal_url, params)

    def search(self, url: str) -> etree._Element:
        """One GetRecords request's SearchResults.

        CSW servers that follow OWS 1.1 send their ExceptionReport with a 4xx status, which
        HttpClient reports as a bare "HTTP 400": the body is then read (at most 64 KB) for
        what the catalogue said.
        """
        try:
            response = self.client.get(url, accept=ACCEPT)
        except HarvestError as exc:
            if not _CLIENT_ERROR.fullmatch(exc.message):
                raise
            answer = self.client.peek(url, accept=ACCEPT)
            try:
                search_results(answer.content, answer.content_type, answer.url)
            except CatalogueException as refused:
                refused.message = f"{refused.message} (HTTP {answer.status})"
                raise refused from None
            except HarvestError:
                pass
            raise
        return search_results(response.content, response.content_type, response.url)

    def pages(self, since: datetime.datetime | None = None) -> Iterator[base.Page]:
        limit = max(1, min(self.source.page_size or self.max_records, self.max_records))
        start, requests, sort = 1, 0, True
        warning: base.RecordError | None = None
        seen: set[str] = set()
        first_matched: int | None = None
        shrunk_to: int | None = None
        while True:
            url = self.records_url(start, limit, since, sort=sort)
            try:
                results = self.search(url)
            except CatalogueException as exc:
                if not (
                    sort and requests == 0 and "sort" in f"{exc.locator} {exc.message}".lower()
                ):
                    raise
                # Some servers (pycsw) know no "Identifier" to sort by: list in their order.
                sort = False
                warning = base.RecordError(
                    f"the catalogue cannot sort by identifier ({exc.message}); records are "
                    "listed in its own order",
                    url,
                )
                continue
            matched, next_record = _counts(results)
            entries = [child for child in results if isinstance(child.tag, str)]
            if entries and not any(is_metadata(entry) for entry in entries):
                raise HarvestError(
                    "the catalogue did not answer in ISO 19139 (gmd:MD_Metadata) but with "
                    f"{etree.QName(entries[0]).localname} records; it ignores outputSchema",
                    url,
                )
            page = base.collect_page(
                url, entries, lambda entry: metadata_to_record(entry, self.landing_page), seen
            )
            if warning is not None:
                page.warnings.append(warning)
                warning = None
            yield page
            requests += 1
            if first_matched is None:
                first_matched = matched
            elif matched is not None and first_matched is not None and matched < first_matched:
                shrunk_to = matched
            following = _next_position(url, start, len(entries), matched, next_record)
            if following is None:
                break
            if requests >= _page_limit(first_matched):
                raise HarvestError(
                    f"paging does not end: {requests} pages read for a catalogue that "
                    f"reported {first_matched} records",
                    url,
                )
            start = following
        if shrunk_to is not None:
            raise HarvestError(
                f"the catalogue shrank from {first_matched} to {shrunk_to} records while it was "
                "listed, so a record may have been skipped; run again to withdraw safely",
                self.records_url(1, limit, since, sort=sort),
            )


def search_results(body: bytes, content_type: str, url: str) -> etree._Element:
    """The ``csw:SearchResults`` of a GetRecords answer, parsed safely; HarvestError for
    anything else (an HTML page, an ows:ExceptionReport, malformed XML, entity declarations)."""
    root = parse_xml(body, content_type, url)
    name = etree.QName(root)
    if name.localname == "ExceptionReport":
        raise CatalogueException(
            f"the catalogue answered with an error: {exception_text(root)}",
            url,
            next((e.get("locator", "") for e in root if isinstance(e.tag, str)), ""),
        )
    if name.namespace != CSW or name.localname != "GetRecordsResponse":
        raise HarvestError(
            f"expected a CSW GetRecordsResponse but got <{name.localname}>; is this a CSW "
            "endpoint?",
            url,
        )
    results = root.find(f"{{{CSW}}}SearchResults")
    if results is None:
        raise HarvestError("CSW GetRecordsResponse without SearchResults", url)
    return results


def parse_xml(body: bytes, content_type: str, url: str) -> etree._Element:
    """An XML document from a partner: no DTD loading, no network, no entity expansion."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        raise HarvestError("expected a CSW XML answer but the response is empty", url)
    if content_type in _HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        raise HarvestError(
            "expected a CSW XML answer but got HTML (a login, error or landing page?); "
            "check the CSW endpoint URL",
            url,
        )
    if not head.startswith(b"<"):
        raise HarvestError(
            f"expected a CSW XML answer but got {content_type or 'an untyped body'} that is "
            "not XML",
            url,
        )
    try:
        refuse_entity_declarations(body)
    except EntityDeclarationError as exc:
        raise HarvestError(str(exc), url) from None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise HarvestError(f"malformed XML: {exc}", url) from None
    if root is None:
        raise HarvestError("malformed XML: no root element", url)
    return root


def exception_text(report: etree._Element) -> str:
    """``exceptionCode (locator): text`` of each ows:Exception of an ows:ExceptionReport."""
    parts = []
    for exception in report:
        if not isinstance(exception.tag, str) or etree.QName(exception).localname != "Exception":
            continue
        code = exception.get("exceptionCode", "")
        locator = exception.get("locator", "")
        texts = [
            " ".join((child.text or "").split())
            for child in exception
            if isinstance(child.tag, str) and etree.QName(child).localname == "ExceptionText"
        ]
        label = f"{code} ({locator})" if locator else code
        parts.append(": ".join(p for p in (label, "; ".join(t for t in texts if t)) if p))
    return " | ".join(p for p in parts if p)[:500] or "ExceptionReport without text"


def _next_position(
    url: str, start: int, returned: int, matched: int | None, next_record: int | None
) -> int | None:
    """Where the next page starts, None at the end; HarvestError when paging is broken.

    ``nextRecord`` 0 or past ``numberOfRecordsMatched`` is the end (as CSW and GeoNetwork's
    own harvester read it); without ``nextRecord``, the next page follows the records
    returned. An empty page before the matched count, or a ``nextRecord`` that does not move
    forward, would leave the listing incomplete or endless.
    """
    if not returned:
        if matched is not None and start <= matched:
            raise HarvestError(
                f"the catalogue reports {matched} records but returned none from position "
                f"{start}; the listing would be incomplete",
                url,
            )
        return None
    if next_record is None:
        next_record = start + returned
    if next_record == 0 or (matched is not None and next_record > matched):
        return None
    if next_record <= start:
        raise HarvestError(
            f"paging does not advance: nextRecord {next_record} after startPosition {start}", url
        )
    return next_record


def _page_limit(matched: int | None) -> int:
    """How many pages a listing may take: every page brings at least one new record (a page
    of repeats is an error), so the catalogue's size, plus room for records added meanwhile."""
    if matched is None:
        return MAX_PAGES
    return min(MAX_PAGES, matched + matched // 10 + 10)


def _counts(results: etree._Element) -> tuple[int | None, int | None]:
    """numberOfRecordsMatched and nextRecord, None when missing or not a number."""
    return _int(results.get("numberOfRecordsMatched")), _int(results.get("nextRecord"))


def _int(value: str | None) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _cql_string(value: str) -> str:
    """A CQL string literal: single quotes, a quote inside doubled."""
    return "'" + value.replace("'", "''") + "'"


def _utc_day(when: datetime.datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    return when.date().isoformat()


def _with_query(url: str, params: dict) -> str:
    """``url`` with ``params``; a parameter the partner's URL already has (any case) is
    replaced, others it has (a GeoNetwork portal's ``?hl=fre``) are kept."""
    parts = urlsplit(url)
    ours = {key.lower() for key in params}
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k.lower() not in ours]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params.items()])))
