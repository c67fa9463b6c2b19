"""Partner dates as ISO 8601, whatever the portal wrote (DKAN writes localized Drupal dates)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from dateutil.parser import parse as parse_date

from ckanext.partnercity.harvesters.base import json_text as _text

# Drupal's "D, d/m/Y - H:i" as DKAN renders it, in French or English.
_LOCAL_DATE = re.compile(
    r"(?:(?P<weekday>[^\W\d_]{2,9})\.?,?\s+)?"
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s*-?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?",
    re.UNICODE,
)
_WEEKDAYS = {
    # French (day/month/year)
    "lun": (0, "dmy"),
    "mar": (1, "dmy"),
    "mer": (2, "dmy"),
    "jeu": (3, "dmy"),
    "ven": (4, "dmy"),
    "sam": (5, "dmy"),
    "dim": (6, "dmy"),
    # English (month/day/year, Drupal's default)
    "mon": (0, "mdy"),
    "tue": (1, "mdy"),
    "wed": (2, "mdy"),
    "thu": (3, "mdy"),
    "fri": (4, "mdy"),
    "sat": (5, "mdy"),
    "sun": (6, "mdy"),
}


def iso_date(value: Any) -> str:
    """An ISO 8601 date or date-time as published, precision and offset kept; "" otherwise."""
    text = _text(value)
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).isoformat()
        return datetime.datetime.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def normalize_date(value: Any) -> str:
    """An ISO 8601 string for a partner date, or "" when it cannot be read (never raises).

    ISO input keeps its precision and offset. DKAN's localized ``mar, 10/12/2019 - 09:23``
    is ambiguous between day/month and month/day; the weekday decides (10 Dec 2019 was a
    Tuesday), then the weekday's language, then day/month as European partners write it.
    """
    text = _text(value)
    iso = iso_date(text)
    if iso or not text:
        return iso
    match = _LOCAL_DATE.search(text)
    if not match:
        return ""
    return _local_date(match)


def _local_date(match: re.Match) -> str:
    weekday, order = _WEEKDAYS.get((match["weekday"] or "").lower()[:3], (None, "dmy"))
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    candidates = []
    for kind in (order, "mdy" if order == "dmy" else "dmy"):
        day, month = (a, b) if kind == "dmy" else (b, a)
        try:
            candidates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return ""
    matching = [d for d in candidates if weekday is not None and d.weekday() == weekday]
    day = (matching or candidates)[0]
    if match["hour"] is None:
        return day.isoformat()
    try:
        time = datetime.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        return day.isoformat()
    return datetime.datetime.combine(day, time).isoformat()


def changed_before(modified: Any, since: datetime.datetime) -> bool:
    """True when a partner's modified date says the dataset did not change after ``since``.

    Portals that cannot filter by date are filtered here, for every portal type the same way:
    a missing or unreadable date means "maybe changed" (kept), and a date without a time zone
    is UTC, as the portals that omit it mean.
    """
    if not isinstance(modified, str) or not modified.strip():
        return False
    try:
        when = parse_date(modified.strip())
    except (ValueError, OverflowError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    if since.tzinfo is None:
        since = since.replace(tzinfo=datetime.UTC)
    return when < since
