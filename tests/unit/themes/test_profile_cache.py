"""The references' profiles kept between page views: same answers, fewer profilings."""

from __future__ import annotations

import json
from pathlib import Path

from ckanext.partnercity.themes import counterparts
from ckanext.partnercity.themes.profile_cache import ProfileCache

SET = Path(__file__).resolve().parents[2] / "fixtures" / "counterparts"


def _counting():
    calls: list[str] = []

    def compute(item: dict) -> str:
        calls.append(item.get("id"))
        return f"profile of {item.get('title')}"

    return calls, compute


def test_same_id_and_version_is_profiled_once():
    cache, (calls, compute) = ProfileCache(), _counting()
    item = {"id": "r1", "version": "2026-12-01T10:00:00", "title": "Musées"}
    first = cache.get(item, compute)
    assert cache.get(dict(item), compute) is first
    assert calls == ["r1"] and (cache.hits, cache.misses) == (1, 1)


def test_a_new_version_is_profiled_again():
    cache, (calls, compute) = ProfileCache(), _counting()
    cache.get({"id": "r1", "version": "v1", "title": "Musées"}, compute)
    changed = cache.get({"id": "r1", "version": "v2", "title": "Musées de France"}, compute)
    assert changed == "profile of Musées de France"
    assert calls == ["r1", "r1"]


def test_items_without_id_or_version_are_never_kept():
    cache, (calls, compute) = ProfileCache(), _counting()
    for item in ({"id": "r1", "title": "a"}, {"version": "v1"}, {"id": "", "version": "v"}):
        cache.get(item, compute)
        cache.get(item, compute)
    assert len(calls) == 6 and len(cache) == 0


def test_least_recently_used_profiles_leave_first():
    cache, (calls, compute) = ProfileCache(size=2), _counting()
    a, b, c = ({"id": i, "version": "v"} for i in "abc")
    cache.get(a, compute)
    cache.get(b, compute)
    cache.get(a, compute)  # a is now the most recent
    cache.get(c, compute)  # b leaves
    cache.get(a, compute)
    cache.get(b, compute)
    assert calls == ["a", "b", "c", "b"] and len(cache) == 2


def test_rank_with_the_cache_gives_the_same_counterparts_on_real_titles():
    pools = json.loads((SET / "partners.json").read_text(encoding="utf-8"))["pools"]
    pool = [{**r, "version": "2026-12-05"} for r in pools["fr"]]
    own = {"title": "Museen - Standorte", "lang": "de"}
    cache = ProfileCache()
    plain = counterparts.rank(own, pool)
    cold = counterparts.rank(own, pool, cache=cache)
    warm = counterparts.rank(own, pool, cache=cache)
    assert plain == cold == warm and plain
    assert cache.misses == len({r["id"] for r in pool}) and cache.hits >= len(pool)
