"""The one interface every portal type implements, and the records it yields.

A harvester lists a partner's datasets as normalized ``PartnerRecord``s, page by
page, so a catalogue of any size is never held in memory at once. Records carry
the partner's text as published (untrusted); the CKAN adapter sanitizes and caps
it before storing a reference.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ckanext.partnercity.harvesters import formats

if TYPE_CHECKING:
    from ckanext.partnercity.harvesters.http import HttpClient


class HarvestError(Exception):
    """A failure that leaves the listing incomplete; ``url`` names what failed."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return f"{self.message} ({self.url})" if self.url else self.message


class MalformedRecord(ValueError):
    """One partner entry in a shape no field can be read from; the run skips and reports it."""

    def __init__(self, message: str, identifier: str = "") -> None:
        super().__init__(message)
        self.identifier = identifier


@dataclass
class Distribution:
    """A link to one of the partner's distributions; nothing is downloaded."""

    url: str
    format: str = ""
    media_type: str = ""
    title: str = ""
    description: str = ""
    access_service: str = ""
    license: str = ""

    def __post_init__(self) -> None:
        # One spelling per format whatever the portal wrote (EU file-type URI, CURIE, IANA
        # URI, media type, free label), so every portal type gets it without asking.
        media_type = formats.media_type_of(self.media_type)
        self.format = formats.format_label(self.format) or formats.format_label(media_type)
        self.media_type = media_type


@dataclass
class PartnerRecord:
    """One partner dataset, normalized across portal types."""

    identifier: str
    title: str = ""
    description: str = ""
    uri: str = ""
    landing_page: str = ""
    #: the licence id in the portal's own licence register (ckanext-dcat matches CKAN's)
    license_id: str = ""
    license_title: str = ""
    license_url: str = ""
    publisher: str = ""
    issued: str = ""
    modified: str = ""
    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    hvd_category: list[str] = field(default_factory=list)
    applicable_legislation: list[str] = field(default_factory=list)
    #: how the partner says "this is a high-value dataset" outside DCAT-AP HVD form
    #: (udata's ``hvd`` tag, an INSPIRE HVD-thesaurus keyword, dane.gov.pl's flag), as text
    hvd_markers: list[str] = field(default_factory=list)
    #: every language version the partner publishes: {"title": {"de": ...}, "description": {...}}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    distributions: list[Distribution] = field(default_factory=list)


@dataclass
class RecordError:
    """One partner record that could not be read; the run records it and goes on."""

    message: str
    url: str = ""
    identifier: str = ""


@dataclass
class Page:
    """What one request to the partner gave: records, and the records that failed."""

    url: str
    records: list[PartnerRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    #: records harvested but cut to the harvester's limits; reported, not counted as failed
    warnings: list[RecordError] = field(default_factory=list)
    #: identifiers the partner listed that this partner's source filter leaves to others
    #: (a national catalogue's other publishers): seen, so never withdrawn as missing
    skipped: list[str] = field(default_factory=list)


@dataclass
class PartnerSource:
    """Where and how to read one partner's catalogue."""

    portal_url: str
    portal_type: str
    source_filter: str = ""
    page_size: int = 100
    options: dict = field(default_factory=dict)


class Harvester:
    """Base of all portal types: subclass, set ``portal_type``, implement ``pages``."""

    portal_type: ClassVar[str] = ""
    # What the partner form shows for this type.
    label: ClassVar[str] = ""

    def __init__(self, source: PartnerSource, client: HttpClient) -> None:
        self.source = source
        self.client = client

    @property
    def portal_url(self) -> str:
        return self.source.portal_url.strip().rstrip("/")

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        """Yield the partner's datasets page by page.

        With ``since``, only datasets modified after it (where the portal can
        filter; otherwise all). Raises HarvestError when a page cannot be read:
        the listing is then incomplete and nothing may be withdrawn.
        """
        raise NotImplementedError


def json_text(value: object) -> str:
    """A scalar from partner JSON as text: strings trimmed, numbers written out, else ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def brief(exc: BaseException) -> str:
    """An exception's text on one line, cut at 300 characters, for run reports."""
    text = " ".join(str(exc).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def collect_page(
    url: str,
    items: list,
    to_record: Callable[[object], PartnerRecord],
    seen: set[str],
    skip: Callable[[object], bool] | None = None,
) -> Page:
    """One page of records from a portal's entries.

    A bad entry becomes a RecordError and the rest go on; an entry listed on an
    earlier page (shifted in by a dataset created during the listing) is dropped;
    a page of nothing but repeats means the portal ignores paging, and the
    listing would never be complete.
    """
    page, new = Page(url=url), 0
    for item in items:
        if skip is not None and skip(item):
            new += 1  # not listed by the portal (deleted or draft): counts as seen
            continue
        try:
            record = to_record(item)
        except MalformedRecord as exc:
            page.errors.append(RecordError(str(exc), url=url, identifier=exc.identifier))
            new += 1
            continue
        if record.identifier not in seen:
            seen.add(record.identifier)
            page.records.append(record)
            new += 1
    if items and not new:
        raise HarvestError(
            "the portal answered with datasets already listed; it seems to ignore paging, "
            "so the listing would be incomplete",
            url,
        )
    return page
