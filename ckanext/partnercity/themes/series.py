"""One subject, one place: a publisher's series of near-identical datasets in a ranked list.

APUR publishes "PERIMETRE 800M GARES GRAND PARIS EXPRESS", "CENTRALITE 800M GARES …" and
"LINEAIRE COMMERCIAL 800M GARES …": three tables about one thing. Shown as three
counterparts they would fill the list with one subject, so a reference that repeats one
ranked above it — the same publisher and half its title words or more — is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Title-word overlap (Jaccard) from which two references of one publisher are one series:
#: half their words in common.
SAME_SERIES = 0.5


def distinct(
    ranked: Sequence[T],
    key: Callable[[T], tuple[str, set[str]]],
    keep: Callable[[T], bool] = lambda _: False,
) -> list[T]:
    """``ranked`` without the items that repeat one kept above them; ``key`` gives an item's
    publisher and title words, ``keep`` marks items never dropped (a team's confirmation)."""
    kept: list[T] = []
    seen: list[tuple[str, set[str]]] = []
    for item in ranked:
        pub, words = key(item)
        same = any(pub == p and overlap(words, w) >= SAME_SERIES for p, w in seen)
        if same and not keep(item):
            continue
        kept.append(item)
        seen.append((pub, words))
    return kept


def publisher(ref: dict) -> str:
    """Who published a reference: its CKAN organization, else the bench's ``source``."""
    org = ref.get("organization")
    org_id = org.get("id") if isinstance(org, dict) else None
    return str(ref.get("owner_org") or org_id or ref.get("source") or "")


def overlap(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two titles' words; two empty titles are the same."""
    return len(a & b) / len(a | b) if a | b else 1.0
