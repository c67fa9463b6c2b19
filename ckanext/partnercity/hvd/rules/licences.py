"""Licence table for Art. 4(3) of Implementing Regulation (EU) 2023/138: the package's one
licence module (no CKAN), so the checker and the RDF export classify and map alike.

``open``: attribution at most; ``not_open``: conditions beyond attribution; ``review``:
equivalence to CC BY 4.0 unsettled, a person attests. Keys are normalized, so EU licence NAL
URIs, SPDX and CKAN ids, DCAT-AP.de and Creative Commons URLs all resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EU_NAL = "http://publications.europa.eu/resource/authority/licence/"
OPEN, NOT_OPEN, REVIEW, UNKNOWN = "open", "not_open", "review", "unknown"


@dataclass(frozen=True)
class Licence:
    key: str
    label: str
    status: str
    reason: str


def normalize(value: str) -> str:
    text = value.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    text = re.sub(r"/(legalcode|deed\.[a-z-]+)(\.[a-z-]+)?$", "", text)
    return text.rstrip("/")


_R_CC0 = "public-domain dedication; less restrictive than CC BY 4.0 (named in Art. 4(3))"
_R_BY4 = "CC BY 4.0 itself (named in Art. 4(3))"
_R_ATTR = "attribution only, no further conditions: equivalent to CC BY 4.0"
_R_PD = "public domain / no conditions: less restrictive than CC BY 4.0"
_R_SA = "share-alike adds a condition beyond attribution: more restrictive than CC BY 4.0"
_R_NC = "non-commercial clause: more restrictive than CC BY 4.0"
_R_ND = "no-derivatives clause: more restrictive than CC BY 4.0"
_R_CLOSED = "not an open licence"
_R_OLD_BY = (
    "attribution-only but an older version without the sui generis database-right "
    "coverage of 4.0; equivalence must be confirmed"
)
_R_VAGUE = "generic CKAN id: says 'open' or 'attribution' but names no licence text"

# (status, reason, label, keys...)
_TABLE: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        OPEN,
        _R_CC0,
        "CC0 1.0",
        (
            EU_NAL + "CC0",
            "CC0-1.0",
            "cc-zero",
            "cc0",
            "creativecommons.org/publicdomain/zero/1.0",
            "dcat-ap.de/def/licenses/cc-zero",
            "opendefinition.org/licenses/cc-zero",
        ),
    ),
    (
        OPEN,
        _R_BY4,
        "CC BY 4.0",
        (
            EU_NAL + "CC_BY_4_0",
            "CC-BY-4.0",
            "cc-by-4.0",
            "creativecommons.org/licenses/by/4.0",
            "dcat-ap.de/def/licenses/cc-by-4.0",
            "cc-by",
        ),
    ),
    (
        OPEN,
        _R_ATTR,
        "Datenlizenz Deutschland – Namensnennung 2.0",
        (
            EU_NAL + "DL_DE_BY_2_0",
            "DL-DE-BY-2.0",
            "dl-by-de/2.0",
            "dl-de-by-2.0",
            "dcat-ap.de/def/licenses/dl-by-de/2.0",
            "govdata.de/dl-de/by-2-0",
        ),
    ),
    (
        OPEN,
        _R_PD,
        "Datenlizenz Deutschland – Zero 2.0",
        (
            EU_NAL + "DL_DE_ZERO_2_0",
            "DL-DE-ZERO-2.0",
            "dl-zero-de/2.0",
            "dl-de-zero-2.0",
            "dcat-ap.de/def/licenses/dl-zero-de/2.0",
            "govdata.de/dl-de/zero-2-0",
        ),
    ),
    (
        OPEN,
        _R_ATTR + " (declared compatible with CC BY 4.0 by Etalab)",
        "Licence Ouverte / Etalab 2.0",
        (
            EU_NAL + "ETALAB_2_0",
            "etalab-2.0",
            "lo-2.0",
            "fr-lo",
            "etalab.gouv.fr/licence-ouverte-open-licence",
            "github.com/etalab/licence-ouverte/blob/master/lo.md",
        ),
    ),
    (
        OPEN,
        _R_ATTR + " (IODL 2.0 dropped the share-alike clause of 1.0)",
        "Italian Open Data Licence 2.0",
        (
            EU_NAL + "IODL_2_0",
            "iodl-2.0",
            "iodl_2_0",
            "dati.gov.it/iodl/2.0",
        ),
    ),
    (
        NOT_OPEN,
        _R_SA,
        "Italian Open Data Licence 1.0",
        (
            EU_NAL + "IODL_1_0",
            "iodl-1.0",
            "dati.gov.it/iodl/1.0",
        ),
    ),
    (
        OPEN,
        _R_ATTR,
        "Open Government Licence v3.0 (UK)",
        (
            EU_NAL + "OGL_3_0",
            "OGL-UK-3.0",
            "uk-ogl",
            "ogl-uk-3.0",
            "nationalarchives.gov.uk/doc/open-government-licence/version/3",
        ),
    ),
    (
        OPEN,
        _R_ATTR,
        "Open Data Commons Attribution 1.0",
        (
            EU_NAL + "ODC_BY",
            "ODC-By-1.0",
            "odc-by",
            "opendatacommons.org/licenses/by/1.0",
            "opendatacommons.org/licenses/by",
        ),
    ),
    (
        OPEN,
        _R_PD,
        "Open Data Commons PDDL 1.0",
        (
            EU_NAL + "ODC_PDDL",
            "PDDL-1.0",
            "odc-pddl",
            "opendatacommons.org/licenses/pddl/1.0",
            "opendatacommons.org/licenses/pddl",
        ),
    ),
    (OPEN, _R_PD, "Public domain (CKAN other-pd)", ("other-pd",)),
    (
        NOT_OPEN,
        _R_SA,
        "Open Data Commons ODbL 1.0",
        (
            EU_NAL + "ODC_ODBL",
            "ODbL-1.0",
            "odc-odbl",
            "opendatacommons.org/licenses/odbl/1.0",
            "opendatacommons.org/licenses/odbl",
            "dcat-ap.de/def/licenses/odbl",
        ),
    ),
    (
        NOT_OPEN,
        _R_SA,
        "CC BY-SA 4.0",
        (
            EU_NAL + "CC_BYSA_4_0",
            "CC-BY-SA-4.0",
            "cc-by-sa",
            "cc-by-sa-4.0",
            "creativecommons.org/licenses/by-sa/4.0",
            "dcat-ap.de/def/licenses/cc-by-sa-4.0",
        ),
    ),
    (
        NOT_OPEN,
        _R_NC,
        "CC BY-NC 4.0",
        (
            EU_NAL + "CC_BYNC_4_0",
            "CC-BY-NC-4.0",
            "cc-nc",
            "cc-by-nc-4.0",
            "creativecommons.org/licenses/by-nc/4.0",
            "dcat-ap.de/def/licenses/cc-by-nc-4.0",
        ),
    ),
    (
        NOT_OPEN,
        _R_ND,
        "CC BY-ND 4.0",
        (
            EU_NAL + "CC_BYND_4_0",
            "CC-BY-ND-4.0",
            "cc-by-nd-4.0",
            "creativecommons.org/licenses/by-nd/4.0",
            "dcat-ap.de/def/licenses/cc-by-nd-4.0",
        ),
    ),
    (
        NOT_OPEN,
        _R_NC + "; " + _R_SA,
        "CC BY-NC-SA 4.0",
        (
            EU_NAL + "CC_BYNCSA_4_0",
            "CC-BY-NC-SA-4.0",
            "creativecommons.org/licenses/by-nc-sa/4.0",
        ),
    ),
    (
        NOT_OPEN,
        _R_NC + "; " + _R_ND,
        "CC BY-NC-ND 4.0",
        (
            EU_NAL + "CC_BYNCND_4_0",
            "CC-BY-NC-ND-4.0",
            "creativecommons.org/licenses/by-nc-nd/4.0",
        ),
    ),
    (NOT_OPEN, _R_NC, "Other (Non-Commercial) — CKAN other-nc", ("other-nc",)),
    (NOT_OPEN, _R_CLOSED, "Other (Not Open) — CKAN other-closed", ("other-closed",)),
    (NOT_OPEN, "copyleft documentation licence (share-alike)", "GNU FDL", ("gfdl", "GFDL-1.3")),
    (
        REVIEW,
        _R_OLD_BY,
        "CC BY 3.0",
        (
            EU_NAL + "CC_BY_3_0",
            "CC-BY-3.0",
            "creativecommons.org/licenses/by/3.0",
            "dcat-ap.de/def/licenses/cc-by-3.0",
        ),
    ),
    (
        REVIEW,
        _R_OLD_BY,
        "Datenlizenz Deutschland – Namensnennung 1.0",
        (
            "dl-de-by-1.0",
            "dcat-ap.de/def/licenses/dl-by-de/1.0",
        ),
    ),
    (REVIEW, _R_VAGUE, "Other (Attribution) — CKAN other-at", ("other-at",)),
    (REVIEW, _R_VAGUE, "Other (Open) — CKAN other-open", ("other-open",)),
    (NOT_OPEN, "no licence stated", "License not specified — CKAN notspecified", ("notspecified",)),
]

TABLE: dict[str, Licence] = {}
#: normalized key → the licence's EU licence NAL URI, where the table knows one.
EU_NAL_OF: dict[str, str] = {}
for _status, _reason, _label, _keys in _TABLE:
    _nal = next((k for k in _keys if k.startswith(EU_NAL)), None)
    for _key in _keys:
        TABLE[normalize(_key)] = Licence(_key, _label, _status, _reason)
        if _nal and _key != _nal:
            EU_NAL_OF[normalize(_key)] = _nal


def eu_nal(value: str) -> str | None:
    """The EU licence NAL concept for a licence URI or id (DCAT-AP HVD asks licences to
    be mapped to it), or None when the table has none or ``value`` is one already."""
    return EU_NAL_OF.get(normalize(value))


_MATCH_EXACT = ("skos:exactMatch", "owl:sameAs")


@lru_cache(maxsize=4096)
def classify(value: str) -> Licence:
    """Classify a licence URI or id; unknown ones come back with status ``unknown``."""
    found = TABLE.get(normalize(value))
    if found:
        return found
    return Licence(value, value, UNKNOWN, "not in the licence table; map it to the EU licence NAL")


def classify_node(node) -> Licence:
    """Classify a licence node, using its own SKOS mapping to the EU NAL when unknown.

    ``X skos:exactMatch/owl:sameAs N``: X is as permissive as N. ``X skos:narrowMatch
    N``: N is narrower, i.e. X is *more* permissive than N (DCAT-AP HVD §licences) —
    open if N is open. ``X skos:broadMatch N``: X is *less* permissive than N — open
    only if N is CC0-like (public domain), and never if N itself is not open.
    """
    from .model import ident

    own = classify(ident(node))
    if own.status != UNKNOWN or not hasattr(node, "values"):
        return own
    for prop in _MATCH_EXACT + ("skos:narrowMatch",):
        for target in node.values(prop):
            mapped = classify(ident(target))
            if mapped.status != UNKNOWN:
                return Licence(
                    own.key,
                    own.label,
                    mapped.status,
                    f"mapped via {prop} to {mapped.label}: {mapped.reason}",
                )
    for target in node.values("skos:broadMatch"):
        mapped = classify(ident(target))
        if mapped.status == NOT_OPEN:
            return Licence(
                own.key,
                own.label,
                NOT_OPEN,
                f"skos:broadMatch {mapped.label}: at most as permissive as a licence that is "
                f"not open ({mapped.reason})",
            )
        if mapped.status == OPEN:
            return Licence(
                own.key,
                own.label,
                REVIEW,
                f"skos:broadMatch {mapped.label}: less permissive than an open licence; "
                "confirm it adds no condition beyond attribution",
            )
    return own


# What partners write (URL or title, lower-cased) -> CKAN's licence ids (ckan/model/license.py).
# Checked in order: the specific Creative Commons variants before plain "by".
_CKAN_IDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cc-by-sa", ("creativecommons.org/licenses/by-sa", "cc-by-sa", "cc by-sa")),
    ("cc-nc", ("creativecommons.org/licenses/by-nc", "cc-by-nc", "cc by-nc", "cc-nc")),
    ("cc-zero", ("creativecommons.org/publicdomain/zero", "cc0", "cc-zero", "cc zero")),
    ("cc-by", ("creativecommons.org/licenses/by/", "cc-by", "cc by", "creative commons attr")),
    ("odc-odbl", ("opendatacommons.org/licenses/odbl", "odbl")),
    ("odc-pddl", ("opendatacommons.org/licenses/pddl", "pddl")),
    ("odc-by", ("opendatacommons.org/licenses/by", "odc-by")),
    ("other-pd", ("dl-de/zero", "dl-de-zero", "dl-zero-de", "publicdomain/mark")),
    ("other-at", ("dl-de/by", "dl-de-by", "dl-by-de", "etalab", "licence ouverte", "ogl", "iodl")),
)


def ckan_licence_id(title: str, url: str) -> str:
    """CKAN's licence id for what the partner states, or "" when unknown."""
    haystack = f"{url} {title}".lower()
    for license_id, needles in _CKAN_IDS:
        if any(needle in haystack for needle in needles):
            return license_id
    return ""
