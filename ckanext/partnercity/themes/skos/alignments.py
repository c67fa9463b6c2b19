"""Published alignments of local categories to shared concepts.

Two shapes are read:

- SKOS mapping triples (``skos:exactMatch`` / ``closeMatch`` / ``broadMatch`` /
  ``narrowMatch`` / ``relatedMatch`` / ``mappingRelation``) between a local
  concept and a shared concept, in either direction; the relation is always
  returned as seen from the local side (``shared narrowMatch local`` becomes
  ``local broadMatch shared``). Local labels are the local node's
  ``skos:prefLabel`` / ``altLabel`` / ``rdfs:label``; a local IRI without
  labels gets one from its own text when that is readable (an Opendatasoft
  facet URL ``…?refine.theme=Sant%C3%A9`` gives "Santé"). ``skos:altLabel`` /
  ``hiddenLabel`` written directly on a shared concept are local keywords of
  the publisher (the Brussels and Wallonia files) and become one entry each.
- JSON: ``{"local name": "code" | ["code", …] | null}`` (GovData, Berlin) and
  ``{"data": [{"name": …, "syn": [local names…]}]}`` (DCAT-AP_IT keywords),
  where codes are EU data-theme codes (``envi``, ``ECON``).

A publisher that states a correspondence without a SKOS relation
(``skos:mappingRelation``, altLabels, JSON) is read as ``closeMatch``.

A local concept mapped both to shared concepts and to IRIs of a third
vocabulary (DCAT-AP CH maps each Swiss theme to EU data themes *and* to ISO
19115 topic categories, ``…/TopicCategory/farming``) keeps those IRIs in
``AlignmentEntry.co_mapped``; :func:`code_name` reads a code from such an IRI,
also from the file's defective ``geothemes:geothemes:society``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ckanext.partnercity.harvesters.rdf_syntax import JSON_LD, SUFFIXES, named_syntax
from ckanext.partnercity.harvesters.values import loads

from .rdf import literal_lang, literals_of, load_graph, read_source
from .schemes import EU_THEME_BASE, EU_THEME_SCHEME, HVD_BASE, VOCAB_DIR, bundled_concepts

#: IRIs starting with one of these are shared concepts when reading an alignment.
SHARED_PREFIXES = (EU_THEME_BASE, HVD_BASE)

#: The SKOS mapping relations, by their local name.
MAPPING_RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
_INVERSE = {"broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}


@dataclass(frozen=True)
class AlignmentEntry:
    """One local category (IRI and/or labels) mapped to one shared concept."""

    local_uri: str | None
    local_labels: dict[str, list[str]]
    relation: str
    concept: str
    source: str
    #: IRIs of a third vocabulary the same local concept is mapped to as well (the
    #: ISO 19115 topic categories of DCAT-AP CH): the publisher's evidence that such
    #: a code relates to ``concept`` (``suggest`` reads it as co-mapping evidence).
    co_mapped: tuple[str, ...] = ()


@dataclass(frozen=True)
class BundledAlignment:
    source: str
    file: str
    lang: str | None
    title: str


#: Published alignments shipped in ``vocabularies/``; ``lang`` is the language of
#: labels the file leaves untagged.
BUNDLED_ALIGNMENTS: tuple[BundledAlignment, ...] = (
    BundledAlignment(
        "govdata",
        "govdata_ogd-de-categories_to_eu-data-theme.json",
        "de",
        "GovData: OGD-DE CKAN groups → EU data themes",
    ),
    BundledAlignment(
        "berlin",
        "berlin_ckan-groups_to_eu-data-theme.json",
        "de",
        "daten.berlin.de: CKAN groups → EU data themes",
    ),
    BundledAlignment(
        "dcat-ap-ch",
        "dcat-ap-ch_themes_skos_with_eu-theme_mapping.ttl",
        None,
        "opendata.swiss: DCAT-AP CH themes → EU data themes",
    ),
    BundledAlignment(
        "wallonia",
        "wallonie-odwb_opendatasoft-themes_to_eu-data-theme_skos.ttl",
        "fr",
        "Wallonia (ODWB, Opendatasoft): themes and keywords → EU data themes",
    ),
    BundledAlignment(
        "brussels",
        "brussels_keywords_to_eu-data-theme_skos.ttl",
        None,
        "Brussels: keywords (fr/nl/en), INSPIRE and ISO topic labels → EU data themes",
    ),
    BundledAlignment(
        "dcat-ap-it-keywords",
        "dcatapit_local-keywords_to_eu-data-theme.json",
        "it",
        "DCAT-AP_IT: Italian local groups and keywords → EU data themes",
    ),
    BundledAlignment(
        "agid-eurovoc",
        "agid_dcat-ap-it_data-theme_eurovoc_skos-alignment.rdf",
        None,
        "AgID (agid:D.10): EuroVoc domains and microthesauri → EU data themes",
    ),
    BundledAlignment(
        "inspire",
        "semic_inspire-themes_to_eu-data-themes_skos.rdf",
        None,
        "SEMIC: INSPIRE spatial data themes → EU data themes",
    ),
)


def _is_shared(node, prefixes: tuple[str, ...]) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(prefixes)


def label_from_uri(uri: str) -> str | None:
    """A readable label carried by an IRI (query value, else last path segment), if any.

    ``https://www.odwb.be/explore/?refine.theme=Sant%C3%A9`` → "Santé";
    ``…/id/theme/Smart%20City`` → "Smart City"; codes such as ``…/theme/hy``
    or ``…/term/35`` (fewer than four letters) → None.
    """
    parts = urlsplit(uri)
    values = [value for _key, value in parse_qsl(parts.query)]
    if values:
        label = values[-1]
    else:
        label = unquote(parts.fragment or parts.path.rstrip("/").rsplit("/", 1)[-1])
    label = label.strip()
    if sum(ch.isalpha() for ch in label) < 4 or re.fullmatch(r"[a-z]_[0-9a-f]+", label):
        return None
    return label


def code_name(uri: str) -> str | None:
    """The code an IRI of a code list ends in, or None when it has no letters.

    ``https://inspire.ec.europa.eu/metadata-codelist/TopicCategory/inlandWaters`` →
    "inlandWaters"; a prefixed name written where a local name belongs
    (``…/TopicCategory/geothemes:society``, a real defect of the DCAT-AP CH file)
    → "society".
    """
    parts = urlsplit(uri)
    name = unquote(parts.fragment or parts.path.rstrip("/").rsplit("/", 1)[-1])
    name = name.rsplit(":", 1)[-1].strip()
    return name if any(ch.isalpha() for ch in name) else None


def _co_mapped(graph: rdflib.Graph, prefixes: tuple[str, ...]) -> dict[URIRef, tuple[str, ...]]:
    """Local concept -> the IRIs of other vocabularies it is mapped to (either direction)."""
    out: dict[URIRef, set[str]] = {}
    for name in (*MAPPING_RELATIONS, "mappingRelation"):
        for s, o in graph.subject_objects(SKOS[name]):
            if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
                continue
            if _is_shared(s, prefixes) or _is_shared(o, prefixes):
                continue
            out.setdefault(s, set()).add(str(o))
            out.setdefault(o, set()).add(str(s))
    return {node: tuple(sorted(iris)) for node, iris in out.items()}


def _entry_key(entry: AlignmentEntry) -> tuple:
    labels = tuple((lang, tuple(values)) for lang, values in sorted(entry.local_labels.items()))
    return (entry.local_uri, labels, entry.relation, entry.concept)


def _dedupe(entries: Iterable[AlignmentEntry]) -> list[AlignmentEntry]:
    seen, out = set(), []
    for entry in entries:
        key = _entry_key(entry)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def alignment_from_graph(
    graph: rdflib.Graph,
    source: str,
    *,
    lang: str | None = None,
    shared_prefixes: tuple[str, ...] = SHARED_PREFIXES,
) -> list[AlignmentEntry]:
    """Alignment entries of a graph of SKOS mapping triples (see the module doc)."""
    default = (lang or "").lower()
    prefixes = tuple(shared_prefixes)
    entries: list[AlignmentEntry] = []

    def local_labels(node) -> dict[str, list[str]]:
        literals = literals_of(graph, node, [SKOS.prefLabel, SKOS.altLabel, RDFS.label])
        labels: dict[str, list[str]] = {}
        for literal in literals:
            key = literal_lang(literal) or default
            text = str(literal).strip()
            if text not in labels.setdefault(key, []):
                labels[key].append(text)
        if not labels and isinstance(node, URIRef):
            derived = label_from_uri(str(node))
            if derived:
                labels[default] = [derived]
        return labels

    co_mapped = _co_mapped(graph, prefixes)
    for name in (*MAPPING_RELATIONS, "mappingRelation"):
        for s, o in sorted(
            graph.subject_objects(SKOS[name]), key=lambda so: (str(so[0]), str(so[1]))
        ):
            if _is_shared(o, prefixes) and not _is_shared(s, prefixes):
                local, concept, relation = s, o, name
            elif _is_shared(s, prefixes) and not _is_shared(o, prefixes):
                local, concept, relation = o, s, _INVERSE.get(name, name)
            else:
                continue
            if not isinstance(local, URIRef | BNode):
                continue
            if relation == "mappingRelation":
                relation = "closeMatch"
            entries.append(
                AlignmentEntry(
                    local_uri=str(local) if isinstance(local, URIRef) else None,
                    local_labels=local_labels(local),
                    relation=relation,
                    concept=str(concept),
                    source=source,
                    co_mapped=co_mapped.get(local, ()),
                )
            )
    # Keywords written as altLabels of the shared concept itself.
    for predicate in (SKOS.altLabel, SKOS.hiddenLabel):
        for s, literal in sorted(
            graph.subject_objects(predicate), key=lambda so: (str(so[0]), str(so[1]))
        ):
            if not _is_shared(s, prefixes) or not isinstance(literal, Literal):
                continue
            text = str(literal).strip()
            if text:
                entries.append(
                    AlignmentEntry(
                        local_uri=None,
                        local_labels={literal_lang(literal) or default: [text]},
                        relation="closeMatch",
                        concept=str(s),
                        source=source,
                    )
                )
    return _dedupe(entries)


@functools.cache
def _eu_theme_codes() -> frozenset[str]:
    return frozenset(c.notation.upper() for c in bundled_concepts(EU_THEME_SCHEME) if c.notation)


def _resolve_code(value, codes: frozenset[str], code_base: str, where: str) -> str:
    if not isinstance(value, str) or value.strip().upper() not in codes:
        raise ValueError(f"{where}: {value!r} is not a known theme code")
    return code_base + value.strip().upper()


def alignment_from_json(
    doc,
    source: str,
    *,
    lang: str | None = None,
    codes: Iterable[str] | None = None,
    code_base: str = EU_THEME_BASE,
) -> list[AlignmentEntry]:
    """Alignment entries of a JSON alignment (see the module doc for the shapes)."""
    known = frozenset(c.upper() for c in codes) if codes is not None else _eu_theme_codes()
    key = (lang or "").lower()
    entries: list[AlignmentEntry] = []

    def add(label: str, concept: str) -> None:
        label = label.strip()
        if label:
            entries.append(AlignmentEntry(None, {key: [label]}, "closeMatch", concept, source))

    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        for i, item in enumerate(doc["data"]):
            names = [s for s in item.get("syn", []) if isinstance(s, str)]
            code = next((s for s in names if s.strip().upper() in known), None)
            if code is None:
                raise ValueError(f"data[{i}] ({item.get('name')!r}) lists no known theme code")
            concept = code_base + code.strip().upper()
            for label in [item.get("name"), *names]:
                if isinstance(label, str):
                    add(label, concept)
    elif isinstance(doc, dict):
        for local, value in doc.items():
            if value is None:
                continue  # the publisher says: no shared theme
            values = value if isinstance(value, list) else [value]
            for code in values:
                add(local, _resolve_code(code, known, code_base, f"{local!r}"))
    else:
        raise ValueError("unknown JSON alignment shape")
    return _dedupe(entries)


def _is_json_alignment(data: bytes, suffix: str, format: str | None) -> object | None:
    if format and named_syntax(format) is not JSON_LD:
        return None
    if not format and suffix not in (".json", "") and suffix in SUFFIXES:
        return None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"{", b"["):
        return None
    doc = loads(data)
    if isinstance(doc, dict) and not any(k.startswith("@") for k in doc):
        return doc
    return None


def load_alignment(
    source: bytes | bytearray | str | Path,
    *,
    name: str | None = None,
    lang: str | None = None,
    format: str | None = None,
    shared_prefixes: tuple[str, ...] = SHARED_PREFIXES,
    codes: Iterable[str] | None = None,
    code_base: str = EU_THEME_BASE,
) -> list[AlignmentEntry]:
    """Read a published alignment (SKOS in any RDF syntax, or one of the JSON shapes).

    ``name`` becomes each entry's ``source`` (default: the file name without suffix,
    or "alignment"); ``lang`` is the language of untagged labels; IRIs starting with
    one of ``shared_prefixes`` are the shared side; JSON codes are resolved against
    ``codes`` (default: the EU data-theme codes) under ``code_base``.
    """
    data, suffix = read_source(source)
    if name is None:
        name = Path(source).stem if not isinstance(source, bytes | bytearray) else "alignment"
    doc = _is_json_alignment(data, suffix, format)
    if doc is not None:
        return alignment_from_json(doc, name, lang=lang, codes=codes, code_base=code_base)
    syntax = SUFFIXES.get(suffix)
    graph = load_graph(data, format or (syntax.rdflib if syntax else None))
    return alignment_from_graph(graph, name, lang=lang, shared_prefixes=shared_prefixes)


@functools.cache
def bundled_alignments() -> tuple[AlignmentEntry, ...]:
    """Entries of every alignment in :data:`BUNDLED_ALIGNMENTS` (parsed once)."""
    entries: list[AlignmentEntry] = []
    for item in BUNDLED_ALIGNMENTS:
        entries.extend(load_alignment(VOCAB_DIR / item.file, name=item.source, lang=item.lang))
    return tuple(entries)
