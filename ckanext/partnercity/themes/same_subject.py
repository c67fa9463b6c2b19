"""Whether a scored reference is about the same subject as ours (:mod:`.counterparts`).

A score says how much evidence there is; this says what it rests on. A counterpart rests on
its title, or on a specific HVD category one publisher declares and the other declares,
backs or names whole; the titles can overrule a shared category, and a title match that
explains a small part of our title is partial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .overlap import MIN_SHARE, share

if TYPE_CHECKING:
    from .counterparts import Profile, Reason

#: The HVD duties finder's highest confidence: a phrase of the category found whole in the
#: title ("Bevolking", "qualità dell'aria"); a term found in part, in the keywords or in the
#: notes gives less ("GTFS", "Stop" for "Transport networks").
NAMED = 0.9
#: A title match resting only on dictionary translations must explain more than half of our
#: title: a word has several senses, and a title half matched is often about the other half
#: ("Lärmkarte Straßenverkehr", a noise map, and a traffic dataset share "traffic").
TRANSLATED_SHARE = 0.6


def about_same(own: Profile, other: Profile, reasons: list[Reason]) -> bool:
    """A counterpart rests on its title (a shared GEMET concept or rare title words) or on a
    specific HVD category that one publisher declares and the other declares too or at
    least backs: it declares that category's top-level field and its title or keywords give
    the specific category ("calitatea aerului", declared "Earth observation and
    environment", suggested "Air"). Suggestions alone, a field or a theme say which area a
    dataset is in, not what it is about: "Waste" holds bottle banks and waste statistics;
    so does a general GEMET concept ("Programm": a course programme, a budget programme).
    A title match explaining less than :data:`.overlap.MIN_SHARE` of our title is partial
    (:func:`.overlap.share`): "Anzahl der Ausleihen der Bibliothek" (library loans) shares
    only "library" with a library's WiFi usage; the subject is narrower than the concept."""
    titled = [r for r in reasons if r.kind == "title" and not r.general]
    needed = TRANSLATED_SHARE if all(r.translated for r in titled) else MIN_SHARE
    if titled and share(own, other) >= needed:
        return True
    if titles_differ(own, other):
        return False
    from ..hvd.rules.vocabulary import concept_index

    index = concept_index()

    def backs(p: Profile, uri: str) -> bool:
        return uri in p.declared or index.top(uri) in p.declared

    def named(p: Profile, uri: str) -> bool:
        """The title names ``uri`` whole and no other specific category."""
        specific = {u for u in p.hvd if index.broader.get(u)}
        return specific == {uri} and p.hvd[uri] >= NAMED - 1e-9

    for uri in set(own.hvd) & set(other.hvd):
        if not index.broader.get(uri):
            continue
        if (uri in own.declared or uri in other.declared) and backs(own, uri) and backs(other, uri):
            return True
        # declared by one; the other's title and keywords name that category and no other
        if (uri in own.declared and named(other, uri)) or (
            uri in other.declared and named(own, uri)
        ):
            return True
    return False


def titles_differ(own: Profile, other: Profile) -> bool:
    """Both titles name specific GEMET concepts, and none of one is, or lies above, one of
    the other: the titles say the datasets are about different things, whatever HVD
    category both declare ("Transport networks" holds a road network and bus stops alike)."""
    from .gemet import bundled

    g = bundled()
    mine = [n for n in own.gemet if g.specificity(n) == 1.0]
    theirs = [n for n in other.gemet if g.specificity(n) == 1.0]
    if not mine or not theirs:
        return False
    return not any(g.related(a, b) for a in mine for b in theirs)
