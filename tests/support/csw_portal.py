"""A CSW 2.0.2 catalogue (GeoNetwork-like) on 127.0.0.1 for harvester tests.

Two ways to answer GetRecords:

- ``page_files_portal``: real GeoNetwork GetRecords pages from tests/fixtures/csw/, served byte
  for byte by the ``startPosition`` they answer (their own ``nextRecord`` drives the paging);
- ``csw_portal``: real ISO 19139 records (taken from those fixtures) paged server-side by
  ``startPosition`` / ``maxRecords`` the way CSW does, with ``numberOfRecordsMatched`` and
  ``nextRecord`` (0 on the last page), and the ``OrganisationName`` CQL filter applied.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tests.support.http_server import Body, Query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csw"
CSW_PATH = "/geonetwork/srv/eng/csw"
XML = {"Content-Type": "application/xml; charset=UTF-8"}
GMD = "http://www.isotc211.org/2005/gmd"
GEONETWORK_PAGES = {
    1: "udata_geonetwork-iso19139-page-1.xml",
    3: "udata_geonetwork-iso19139-page-3.xml",
    5: "udata_geonetwork-iso19139-page-5.xml",
}
HVD_RECORD = "semiceu_hvd_dataset_non_multilingual_input.xml"
IGN_PAGE = "udata_geoplateforme-iso19139-IGNF_RPG.xml"
_ORGANISATION = re.compile(r"OrganisationName = '((?:[^']|'')*)'")

Answer = tuple[int, dict[str, str], Body]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def load_records(name: str) -> list[bytes]:
    """The ISO 19139 records of a real fixture (a GetRecords page or one bare MD_Metadata),
    each serialized on its own with the namespaces it uses."""
    root = etree.fromstring(fixture(name), etree.XMLParser(resolve_entities=False))
    if root.tag == f"{{{GMD}}}MD_Metadata":
        return [etree.tostring(root)]
    results = root.find("{http://www.opengis.net/cat/csw/2.0.2}SearchResults")
    return [etree.tostring(child) for child in results if isinstance(child.tag, str)]


def geonetwork_records() -> list[bytes]:
    """The six records of the three real GeoNetwork pages, in page order."""
    return [record for name in GEONETWORK_PAGES.values() for record in load_records(name)]


def envelope(records: list[bytes], matched: int, next_record: int) -> bytes:
    """A GetRecordsResponse around ``records``, shaped like GeoNetwork's."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">'
        '<csw:SearchStatus timestamp="2026-01-01T00:00:00Z"/>'
        f'<csw:SearchResults numberOfRecordsMatched="{matched}" '
        f'numberOfRecordsReturned="{len(records)}" elementSet="full" nextRecord="{next_record}">'
    )
    return head.encode() + b"".join(records) + b"</csw:SearchResults></csw:GetRecordsResponse>"


def exception_report(code: str, text: str, locator: str = "") -> bytes:
    """An ows:ExceptionReport as GeoNetwork writes one (its CSW documentation's shape)."""
    where = f' locator="{locator}"' if locator else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.0.0">'
        f'<ows:Exception exceptionCode="{code}"{where}>'
        f"<ows:ExceptionText>{text}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"
    ).encode()


def param(query: Query, name: str) -> str | None:
    """A KVP parameter, names compared without case as CSW servers do."""
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[-1]
    return None


def _checked(path: str, query: Query, csw_path: str) -> Answer | None:
    if path != csw_path:
        return 404, {"Content-Type": "text/plain"}, f"no route for {path}"
    if (param(query, "request") or "").lower() != "getrecords":
        body = exception_report("OperationNotSupported", "only GetRecords here", "request")
        return 400, XML, body
    return None


def csw_portal(records: list[bytes], csw_path: str = CSW_PATH):
    """A handler paging ``records`` (a list the test may change) like a CSW server."""

    def handler(method: str, path: str, query: Query) -> Answer:
        refused = _checked(path, query, csw_path)
        if refused:
            return refused
        chosen = records
        found = _ORGANISATION.search(param(query, "constraint") or "")
        if found:
            name = found.group(1).replace("''", "'").encode()
            chosen = [r for r in records if b">" + name + b"<" in r]
        start = int(param(query, "startPosition") or 1)
        size = int(param(query, "maxRecords") or 10)
        page = chosen[start - 1 : start - 1 + size]
        after = start + len(page)
        next_record = after if after <= len(chosen) else 0
        return 200, XML, envelope(page, len(chosen), next_record)

    return handler


def page_files_portal(pages: dict[int, str] | None = None, csw_path: str = CSW_PATH):
    """A handler answering each ``startPosition`` with a real GetRecords page, byte for byte."""
    pages = GEONETWORK_PAGES if pages is None else pages

    def handler(method: str, path: str, query: Query) -> Answer:
        refused = _checked(path, query, csw_path)
        if refused:
            return refused
        name = pages.get(int(param(query, "startPosition") or 1))
        if name is None:
            body = exception_report("InvalidParameterValue", "no such page", "startPosition")
            return 400, XML, body
        return 200, XML, fixture(name)

    return handler
