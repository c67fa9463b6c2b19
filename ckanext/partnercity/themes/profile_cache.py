"""Reference profiles kept between page views (the counterpart finder's per-view cost).

Ranking counterparts on one of our dataset pages profiles every partner reference
(:func:`ckanext.partnercity.themes.counterparts.profile`: HVD and theme suggestions, GEMET
concepts, title words) — about 0.25 ms a reference, 90 ms for 375 — while references only
change when a harvest changes them. This cache keeps each reference's profile under its id and
*version* (the adapter passes the package's ``metadata_modified``): a reference a harvest
changed gets a new version and is profiled again, one it withdrew is no longer asked for and
ages out, so the cache is never stale and needs no invalidation hook. Items without an id or
version are profiled every time (nothing to key them on). Bounded (least recently used out)
and safe to share between the threads of one web worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

#: Profiles kept per process: a partnership of a few cities has a few hundred references.
DEFAULT_SIZE = 5000


class ProfileCache:
    """Least-recently-used map ``(id, version) -> profile``; ``hits``/``misses`` count use."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = max(1, int(size))
        self._data: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(item: dict) -> tuple[str, str] | None:
        ident, version = item.get("id"), item.get("version")
        if isinstance(ident, str) and ident and isinstance(version, str) and version:
            return ident, version
        return None

    def get(self, item: dict, compute: Callable[[dict], Any]) -> Any:
        """The profile of ``item``: kept, or computed with ``compute`` and kept."""
        key = self.key(item)
        if key is None:
            return compute(item)
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
        value = compute(item)  # outside the lock: profiling is the slow part
        with self._lock:
            self.misses += 1
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0
