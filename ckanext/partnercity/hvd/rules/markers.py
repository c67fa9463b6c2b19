"""National ways of saying "this is a high-value dataset" outside DCAT-AP HVD form.

Portals flagged HVDs before (and beside) DCAT-AP HVD: udata's ``hvd`` tag and badge,
dane.gov.pl's ``has_high_value_data`` flags, the EU dataset-type ``HVD`` in ``dct:type``,
Belgian geoportal keywords ``HVD_cat_<category>``, and INSPIRE metadata whose keywords come
from the HVD category thesaurus. A dataset so marked is in HVD scope (the publisher says so)
and the rule ``hvd.dataset.marker-only`` names the DCAT-AP HVD properties it still lacks.

Keywords that merely equal an HVD category label are common words ("Statistics",
"Population"), so a lone one is not a declaration (the duties finder suggests such datasets);
they count only as thesaurus tagging does it: a category together with one of its broader or
narrower categories (e.g. "Adresser" with "Geospatiale data"), in any of the 24 languages.
"""

from __future__ import annotations

from functools import cache

from ckanext.partnercity.harvesters.values import json_list

from .model import ELI_HVD, HVD_SCHEME, DatasetRecord, Lit, Node, ident
from .vocabulary import concept_index

DATASET_TYPE_HVD = "http://publications.europa.eu/resource/authority/dataset-type/HVD"
#: CKAN dict keys (dane.gov.pl's API and exports) whose true value marks an HVD
FLAG_KEYS = ("has_high_value_data_from_ec_list", "has_high_value_data")
HVD_KEYWORDS = {"hvd", "high-value dataset", "high-value datasets", "high value dataset"}
CAT_KEYWORD_PREFIX = "hvd_cat_"
_MARKER_PROPS = ("dct:type", "dcat:keyword", "dcat:theme", "dct:subject")


@cache
def _label_index() -> dict[str, tuple[str, ...]]:
    """Case-folded label (any language) → the HVD concepts carrying it."""
    index: dict[str, list[str]] = {}
    for uri, labels in concept_index().pref_labels.items():
        for text in labels.values():
            index.setdefault(text.strip().casefold(), [])
            if uri not in index[text.strip().casefold()]:
                index[text.strip().casefold()].append(uri)
    return {k: tuple(v) for k, v in index.items()}


def _texts(node: Node, path: str) -> list[str]:
    return [v.value.strip() for v in node.values(path) if isinstance(v, Lit) and v.value.strip()]


def _thesaurus_keywords(keywords: list[str]) -> list[str]:
    """Keywords naming HVD categories the way thesaurus tagging does (a category with a
    broader or narrower one); each as ``"<keyword>" = <concept URI>``."""
    labels = _label_index()
    found = {k: labels[k.casefold()] for k in keywords if k.casefold() in labels}
    if len(found) < 2:
        return []
    index = concept_index()
    concepts = {c for uris in found.values() for c in uris}
    related = {c for c in concepts if set(index.ancestors(c)) & concepts}
    related |= {a for c in related for a in index.ancestors(c) if a in concepts}
    return [
        f'keyword "{k}" = HVD category {c}'
        for k, uris in found.items()
        for c in uris
        if c in related
    ]


def _theme_concepts(node: Node) -> list[str]:
    """``dcat:theme`` / ``dct:subject`` values that are HVD category concepts."""
    index, out = concept_index(), []
    for path in ("dcat:theme", "dct:subject"):
        for v in node.values(path):
            if not isinstance(v, Node):
                continue
            in_scheme = any(ident(s) == HVD_SCHEME for s in v.values("skos:inScheme"))
            if v.id in index or in_scheme:
                out.append(f"{path} {v.id} (HVD category thesaurus)")
    return out


def _true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def stated_in_ckan(pkg: dict, extras: dict) -> list[str]:
    """Markers a CKAN dict states in fields: a partner reference's ``partner_hvd_markers``
    (as the harvester read them: udata tag/badge, INSPIRE thesaurus, piveau ``is_hvd``),
    dane.gov.pl's flags (top level or extras), ``dcat_type`` and the tags."""
    out = [
        str(m)
        for m in json_list(pkg.get("partner_hvd_markers") or extras.get("partner_hvd_markers"))
    ]
    for key in FLAG_KEYS:
        if _true(pkg.get(key)) or _true(extras.get(key)):
            out.append(f"dane.gov.pl: {key}")
    if DATASET_TYPE_HVD in json_list(pkg.get("dcat_type") or extras.get("dcat_type")):
        out.append(f"dct:type {DATASET_TYPE_HVD}")
    tags = [t.get("name") if isinstance(t, dict) else t for t in pkg.get("tags") or []]
    return out + keyword_markers([str(t).strip() for t in tags if t and str(t).strip()])


def keyword_markers(keywords: list[str]) -> list[str]:
    """``hvd``-like keywords, ``HVD_cat_*`` keywords and HVD-thesaurus label pairs."""
    out = [f'keyword "{k}"' for k in keywords if k.casefold() in HVD_KEYWORDS]
    out += [f'keyword "{k}"' for k in keywords if k.casefold().startswith(CAT_KEYWORD_PREFIX)]
    return out + _thesaurus_keywords(keywords)


def find(record: DatasetRecord) -> list[str]:
    """Every HVD marker of the dataset, as text an auditor can look up (empty: none)."""
    node = record.node
    if not record.stated_markers and not any(p in node.props for p in _MARKER_PROPS):
        return []  # the common case: checked for every dataset of every run
    out = list(record.stated_markers)
    if any(ident(v) == DATASET_TYPE_HVD for v in node.values("dct:type")):
        out.append(f"dct:type {DATASET_TYPE_HVD}")
    out += keyword_markers(_texts(node, "dcat:keyword"))
    out += _theme_concepts(node)
    return list(dict.fromkeys(out))


def missing_properties(record: DatasetRecord) -> list[str]:
    """The DCAT-AP HVD properties that say "HVD" and that the dataset lacks."""
    missing = []
    if ELI_HVD not in record.legislation():
        missing.append(f"dcatap:applicableLegislation <{ELI_HVD}>")
    if not record.categories():
        missing.append("dcatap:hvdCategory")
    return missing


def marker_only(node: Node, record: DatasetRecord):
    """Predicate of ``hvd.dataset.marker-only``: n/a without markers, else fails while the
    DCAT-AP HVD form is incomplete."""
    found = find(record)
    if not found:
        return None, "no national HVD marker"
    missing = missing_properties(record)
    if missing:
        return False, f"marked HVD by {'; '.join(found)} but lacks {' and '.join(missing)}"
    return True, f"marked HVD by {'; '.join(found)}, in DCAT-AP HVD form as well"
