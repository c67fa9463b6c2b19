"""The one "did it change since the last run?" test every portal type filters with."""

from __future__ import annotations

import datetime

import pytest

from ckanext.partnercity.harvesters.dates import changed_before

SINCE = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("modified", "before"),
    [
        ("2026-05-31", True),
        ("2026-06-01T11:59:59Z", True),
        ("2026-06-01T13:30:00+02:00", True),  # 11:30 UTC
        ("2026-06-01T12:00:01", False),  # no zone: UTC
        ("2026-06-02", False),
        ("", False),  # no date: maybe changed, so kept
        (None, False),
        ("not a date", False),
        (20260501, False),  # a number is no date
    ],
)
def test_changed_before(modified, before):
    assert changed_before(modified, SINCE) is before


def test_a_naive_since_is_utc():
    assert changed_before("2026-06-01T11:00:00+00:00", SINCE.replace(tzinfo=None))
