"""ArcGIS Hub sites (Esri's open-data software), read through the site's DCAT feed.

A Hub site publishes its whole catalogue as one JSON document: DCAT-AP 2.1.1, 2.0.1 or
3.0.0 under ``/api/feed/dcat-ap/…``, DCAT-US 1.1 under ``/api/feed/dcat-us/1.1.json``.
The first that answers with a catalogue is read; "not here" (404, 400, an HTML page, a
document with no datasets) moves on to the next, while a broken site (5xx, timeout, a
body over the size cap) fails the run at once.

A feed can be hundreds of MB, so it is streamed to disk and parsed entry by entry with
ijson. Every page is mapped and spooled to disk first and yielded only once the whole
document parsed: a truncated feed (retried, ATTEMPTS in all) then never yields a
listing that could be taken for complete, and nothing is withdrawn. The feed cannot
filter by date, so ``since`` is applied to ``modified`` here, as for DCAT.
"""

from __future__ import annotations

import datetime
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from ckanext.partnercity.harvesters import base
from ckanext.partnercity.harvesters.base import HarvestError, Page, RecordError
from ckanext.partnercity.harvesters.dates import changed_before
from ckanext.partnercity.harvesters.http import Download, HttpStatusError, TruncatedBody
from ckanext.partnercity.harvesters.portals.arcgis_hub_records import entry_to_record, is_dataset

FEEDS = (
    "/api/feed/dcat-ap/2.1.1.json",
    "/api/feed/dcat-ap/2.0.1.json",
    "/api/feed/dcat-ap/3.0.0.json",
    "/api/feed/dcat-us/1.1.json",
)
#: Statuses meaning "this site has no such feed": try the next one.
NOT_HERE = frozenset({400, 404})
#: Top-level keys holding the datasets: DCAT-AP 2 JSON-LD, DCAT-US, flattened JSON-LD.
DATASET_KEYS = ("dcat:dataset", "dataset", "@graph")
#: Downloads of one feed, the first included, before a truncated one fails the run.
ATTEMPTS = 3
ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
PARSE_ERRORS = (ijson.JSONError, UnicodeDecodeError, ValueError, RecursionError)


class NotAFeed(Exception):
    """The answer is no DCAT catalogue (an HTML page, other JSON): try the next feed."""


@dataclass
class Spool:
    """The pages of one fully parsed feed, pickled to a file in the run's temp dir."""

    path: Path
    pages: int


class ArcgisHubHarvester(base.Harvester):
    """Lists a partner ArcGIS Hub site's datasets from its DCAT-AP (else DCAT-US) feed.

    ``portal_url`` is the site (``https://opendata.city.example``); a feed URL ending in
    ``.json`` is read as the only feed to try.
    """

    portal_type = "arcgis_hub"
    label = "ArcGIS Hub (DCAT-AP / DCAT-US feed)"

    def feed_urls(self) -> list[str]:
        """The feeds to try, in order."""
        if self.portal_url.lower().endswith(".json"):
            return [self.portal_url]
        return [self.portal_url + path for path in FEEDS]

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        with tempfile.TemporaryDirectory(prefix="partnercity-arcgis-") as tmp:
            spool = self._first_feed(Path(tmp))
            with open(spool.path, "rb") as pages:
                for _ in range(spool.pages):
                    page = pickle.load(pages)  # noqa: S301 (written by this run, just above)
                    yield _since(page, since)

    def _first_feed(self, tmp: Path) -> Spool:
        tried = []
        for url in self.feed_urls():
            try:
                return self._read_feed(url, tmp)
            except NotAFeed as exc:
                tried.append(f"{url}: {exc}")
        raise HarvestError(
            "no ArcGIS Hub DCAT feed found (" + "; ".join(tried) + "); is this a Hub site?",
            self.feed_urls()[-1],
        )

    def _read_feed(self, url: str, tmp: Path) -> Spool:
        """Download and spool one feed, again while it arrives truncated or malformed."""
        problem = ""
        for attempt in range(1, ATTEMPTS + 1):
            if attempt > 1:
                self.client.sleep(self.client.backoff * 2 ** (attempt - 2))
            try:
                download = self.client.download_to(url, tmp / "feed.json", accept=ACCEPT)
            except HttpStatusError as exc:
                if exc.status in NOT_HERE:
                    raise NotAFeed(f"HTTP {exc.status}") from None
                raise
            except TruncatedBody as exc:
                problem = exc.message
                continue
            try:
                return self._spool(download, tmp / "pages.pickle")
            except PARSE_ERRORS as exc:
                problem = f"malformed JSON: {base.brief(exc)}"
        raise HarvestError(
            f"the feed is truncated or malformed after {ATTEMPTS} attempts ({problem}); "
            "the listing is incomplete",
            url,
        )

    def _spool(self, download: Download, target: Path) -> Spool:
        with open(download.path, "rb") as feed:
            head = feed.read(512).lstrip()
            if download.content_type in ("text/html", "application/xhtml+xml") or (
                head[:1] == b"<"
            ):
                raise NotAFeed("answered with HTML, not a feed")
            if head[:1] != b"{":
                if not head:
                    raise ValueError("empty body")
                raise NotAFeed(f"answered {download.content_type or 'a body'} that is no JSON")
            feed.seek(0)
            key = _dataset_key(feed)
            feed.seek(0)
            with open(target, "wb") as out:
                pages = self._pages_to(out, feed, key, download.url)
        if not pages:
            raise NotAFeed("the feed lists no datasets")
        return Spool(target, pages)

    def _pages_to(self, out: IO[bytes], feed: IO[bytes], key: str, url: str) -> int:
        """Parse every entry, pickling pages of ``page_size`` records; the page count."""
        size = max(1, int(self.source.page_size or 100))
        seen: set[str] = set()
        batch: list[Any] = []
        pages = 0
        for entry in ijson.items(feed, f"{key}.item", use_float=True):
            if key == "@graph" and not is_dataset(entry):
                continue
            batch.append(entry)
            if len(batch) >= size:
                pickle.dump(_page(url, batch, seen), out)
                pages, batch = pages + 1, []
        if batch:
            pickle.dump(_page(url, batch, seen), out)
            pages += 1
        return pages


def _dataset_key(feed: IO[bytes]) -> str:
    """The top-level key whose array lists the datasets (NotAFeed if there is none)."""
    events = ijson.parse(feed)
    if next(events, None) != ("", "start_map", None):
        raise NotAFeed("the JSON is not a catalogue object")
    candidate = None
    for prefix, event, value in events:
        if prefix != "" and prefix != candidate:
            continue
        if candidate is not None and prefix == candidate:
            if event == "start_array":
                return candidate
            candidate = None
        if prefix == "" and event == "map_key" and value in DATASET_KEYS:
            candidate = value
    raise NotAFeed("no dataset list in the JSON (dcat:dataset, dataset or @graph)")


def _page(url: str, entries: list, seen: set[str]) -> Page:
    """One page; a bad entry is a RecordError, an entry listed twice is kept once."""
    page = Page(url=url)
    for entry in entries:
        try:
            record = entry_to_record(entry)
        except base.MalformedRecord as exc:
            page.errors.append(RecordError(str(exc), url=url, identifier=exc.identifier))
            continue
        if record.identifier not in seen:
            seen.add(record.identifier)
            page.records.append(record)
    return page


def _since(page: Page, since: datetime.datetime | None) -> Page:
    """Keep records modified at or after ``since``; one without a modified date is kept."""
    if since is not None:
        page.records = [r for r in page.records if not changed_before(r.modified, since)]
    return page
