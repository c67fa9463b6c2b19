"""DCAT-AP catalogues (Turtle, RDF/XML, JSON-LD, N-Triples), read with ckanext-dcat.

The DCAT-AP property mapping is ckanext-dcat's: its ``RDFParser`` and profiles
(``euro_dcat_ap_3`` unless the partner's ``options["profiles"]`` names others)
turn each ``dcat:Dataset`` into a dataset dict. This module only fetches,
detects the syntax, follows Hydra paging and turns those dicts into
PartnerRecords.

RDFParser outside a CKAN app: the profiles are found through the
``ckan.rdf.profiles`` entry points of the installed ckanext-dcat, toolkit
``config.get`` returns its defaults, and the profiles' scheming lookup fails
with KeyError, which they treat as "no scheming" (extras-shaped dicts). Inside
CKAN (the RQ worker) they see the site's scheming schema and return root fields
and publisher dicts instead; ``record_from_dataset`` reads both shapes.
Compatibility mode is forced off even if the site config turns it on, because
the field names read here are the modern ones.

Large documents: rdflib needs about 54 MB per 1,000 datasets (bench: 10,000
datasets, 27 MB of Turtle, 565 MB peak), so a body above ``stream_threshold``
bytes (option, default 5 MB, about 2,000 datasets and 200 MB peak in memory) is
streamed: pyoxigraph parses it triple by triple into an on-disk SQLite table
clustered by subject, and each batch of ``page_size`` datasets is described
into a small rdflib graph (each dataset's triples, its blank nodes' closure and
the IRIs it links to up to depth 2, never another dataset or catalogue) that
ckanext-dcat reads as usual. bench/dcat_stream_bench.py: 100,000 datasets (271
MB of Turtle) in 286 s at a 177 MB peak, 101 MB of it imports. A
pyoxigraph.Store was measured first and does not fit: its bulk loader peaked at
1.5 GB and batched ``extend`` at 1.1 GB (RocksDB buffers) for those 100,000.
Small documents stay in memory although streaming is as fast: rdflib is the
more forgiving parser, and only that path fetches remote JSON-LD contexts
(through the HttpClient).

``since``: a DCAT catalogue cannot filter, so records whose dct:modified is
older than ``since`` are dropped client-side; records without it are kept.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import json
import logging
import re
import sqlite3
import tempfile
import xml.parsers.expat
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pyoxigraph as ox
import rdflib
from dateutil.parser import parse as parse_date
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from ckanext.dcat.exceptions import RDFProfileException
from ckanext.dcat.processors import RDFParser
from ckanext.partnercity.harvesters.base import (
    Distribution,
    Harvester,
    HarvestError,
    Page,
    PartnerRecord,
    RecordError,
    register,
)
from ckanext.partnercity.harvesters.http import Download

log = logging.getLogger(__name__)

ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, */*;q=0.1"
DEFAULT_PROFILES = ("euro_dcat_ap_3",)
STREAM_THRESHOLD = 5 * 1024 * 1024
MAX_PAGES = 10_000

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
RDF_TYPE = str(RDF.type)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTAINER_TYPES = frozenset({str(DCAT.Dataset), str(DCAT.Catalog)})
HYDRA_TYPES = frozenset({str(HYDRA.PartialCollectionView), str(HYDRA.PagedCollection)})

# Streaming: IRIs are described up to this distance from the dataset (distribution ->
# access service); blank nodes always, within the node and row caps.
IRI_DEPTH = 2
MAX_NODES_PER_DATASET = 2_000
MAX_ROWS_PER_NODE = 5_000
INSERT_BATCH = 20_000
NODE_CACHE = 4_096
MAX_REMOTE_CONTEXTS = 10


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF serialization, as rdflib and pyoxigraph name it."""

    label: str
    rdflib: str
    oxigraph: ox.RdfFormat


TURTLE = RdfSyntax("Turtle", "turtle", ox.RdfFormat.TURTLE)
RDF_XML = RdfSyntax("RDF/XML", "xml", ox.RdfFormat.RDF_XML)
JSON_LD = RdfSyntax("JSON-LD", "json-ld", ox.RdfFormat.JSON_LD)
N_TRIPLES = RdfSyntax("N-Triples", "nt", ox.RdfFormat.N_TRIPLES)

MEDIA_TYPES = {
    "text/turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/x-turtle": TURTLE,
    "application/rdf+xml": RDF_XML,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
    "application/ld+json": JSON_LD,
    "application/json": JSON_LD,
    "application/n-triples": N_TRIPLES,
}
SUFFIXES = {
    ".ttl": TURTLE,
    ".rdf": RDF_XML,
    ".xml": RDF_XML,
    ".owl": RDF_XML,
    ".jsonld": JSON_LD,
    ".json": JSON_LD,
    ".nt": N_TRIPLES,
}
FORMAT_PARAMS = {
    "ttl": TURTLE,
    "turtle": TURTLE,
    "rdf": RDF_XML,
    "xml": RDF_XML,
    "jsonld": JSON_LD,
    "json-ld": JSON_LD,
    "nt": N_TRIPLES,
}
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_MARK = re.compile(r"<!doctype\s+html|<html[\s>]")
_XML_ROOT = re.compile(r"<[\w.-]+(?::[\w.-]+)?[\s>]")


# --------------------------------------------------------------------------- syntax


def detect_syntax(content_type: str, url: str, head: bytes) -> RdfSyntax:
    """Content-Type, then the URL's suffix or ``format`` parameter, then the body's start.

    An HTML body is an error whatever the Content-Type: partners answer 200 with
    login, error and landing pages.
    """
    sniffed = _sniff(head)
    if sniffed == "html" or (content_type in HTML_TYPES and sniffed is None):
        raise HarvestError(
            "expected RDF but got HTML (a login, error or landing page?); "
            "check the catalogue URL",
            url,
        )
    if not head.strip():
        raise HarvestError("expected RDF but the response is empty", url)
    if b"GetRecordsResponse" in head:
        raise HarvestError(
            "expected an RDF document but got a CSW GetRecords response "
            "(DCAT records wrapped in CSW are not a DCAT catalogue)",
            url,
        )
    if content_type in MEDIA_TYPES:
        return MEDIA_TYPES[content_type]
    parts = urlsplit(url)
    suffix = PurePosixPath(parts.path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    for value in parse_qs(parts.query).get("format", []):
        if value.lower() in FORMAT_PARAMS:
            return FORMAT_PARAMS[value.lower()]
    if isinstance(sniffed, RdfSyntax):
        return sniffed
    raise HarvestError(
        f"cannot tell the RDF syntax (Content-Type {content_type or 'missing'}); "
        "expected Turtle, RDF/XML, JSON-LD or N-Triples",
        url,
    )


def _sniff(head: bytes) -> RdfSyntax | str | None:
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if not text:
        return None
    if text.startswith("<"):
        if text.startswith(("<!doctype html", "<html")):
            return "html"
        if text.startswith(("<?xml", "<!--", "<!doctype")):
            before_rdf = text.split("<rdf:", 1)[0]
            return "html" if _HTML_MARK.search(before_rdf) else RDF_XML
        if text.startswith("<rdf:") or (_XML_ROOT.match(text) and "xmlns" in text):
            return RDF_XML
        return TURTLE  # an IRI: Turtle or N-Triples, which the Turtle parsers read too
    if text.startswith(("{", "[")):
        return JSON_LD
    if text.startswith(("@prefix", "@base", "prefix", "base", "#", "_:")):
        return TURTLE
    return None


def _check_well_formed(path: Path) -> None:
    """Raise ExpatError for broken XML: pyoxigraph's RDF/XML parser reads a truncated
    document without complaint, and a silently shortened listing would withdraw datasets.
    """
    parser = xml.parsers.expat.ParserCreate()
    with open(path, "rb") as body:
        while chunk := body.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("…" if len(text) > 300 else "")


# --------------------------------------------------------------------------- parser


class _DatasetParser(RDFParser):
    """ckanext-dcat's RDFParser, asked for one dataset at a time.

    ``RDFParser.datasets()`` is a generator over the whole graph: one dataset
    that makes a profile raise would end it. Narrowing ``_datasets`` lets the
    profiles run exactly as ckanext-dcat runs them while a failure stays with
    its dataset.
    """

    _only: tuple = ()

    def _datasets(self) -> Iterator[Any]:
        return iter(self._only)

    def dataset(self, ref: URIRef | BNode) -> dict:
        self._only = (ref,)
        return next(self.datasets())


def make_parser(
    profiles: Iterable[str], url: str = "", language: str | None = None
) -> _DatasetParser:
    """An RDFParser with explicit profiles, usable with or without a CKAN app.

    ``language``: where a partner publishes a literal in several languages the
    profiles take the one in ``ckan.locale_default`` (our site's locale, "en"
    outside CKAN); a partner's own language is the better choice for its
    references, so it replaces that one setting when given.
    """
    names = list(profiles)
    try:
        parser = _DatasetParser(profiles=names, compatibility_mode=False)
    except RDFProfileException as exc:
        raise HarvestError(f"ckanext-dcat profiles {names}: {exc}", url) from None
    # RDFProcessor re-reads ckanext.dcat.compatibility_mode when given False.
    parser.compatibility_mode = False
    if language:
        parser._profiles = [_preferring(cls, language) for cls in parser._profiles]
    return parser


def _preferring(profile_class: type, language: str) -> type:
    """The profile with ``language`` in place of the site's default locale."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        profile_class.__init__(self, *args, **kwargs)
        self._default_lang = language
        self._default_locale_lang = language.split("_")[0]

    namespace = {"__init__": __init__, "name": getattr(profile_class, "name", "")}
    return type(profile_class.__name__, (profile_class,), namespace)


def _names(value: Any) -> list[str]:
    """An option given as a list or as a space/comma separated string."""
    if not value:
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(name) for name in value]


# --------------------------------------------------------------------------- mapping


def _value(dataset: dict, key: str) -> Any:
    """A root field (scheming) or an extra (plain ckanext-dcat) of a dataset dict."""
    value = dataset.get(key)
    if value not in (None, "", [], {}):
        return value
    for extra in dataset.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _list(value: Any) -> list[str]:
    """Lists arrive as lists (scheming) or as JSON dumps (extras)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return [value]
        else:
            return [value]
    if isinstance(value, (list, tuple)):
        return [_text(item) for item in value if item not in (None, "")]
    return [_text(value)]


def _unique(values: Iterable[str]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value]


def _labeller(graph: rdflib.Graph) -> Callable[[str], str]:
    """Blank-node ids that ckanext-dcat passes through become their label.

    GeoNetwork publishes themes and licences as anonymous skos:Concepts or
    LicenseDocuments; their id means nothing outside the document.
    """

    def label(value: str) -> str:
        node = BNode(value)
        if not value or (node, None, None) not in graph:
            return value
        for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name):
            labels = sorted((o.language or "", str(o)) for o in graph.objects(node, predicate))
            if labels:
                return labels[0][1]
        return ""

    return label


def _publisher(dataset: dict) -> str:
    publisher = dataset.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        return _text(publisher.get("name") or publisher.get("uri"))
    if isinstance(publisher, str) and publisher:
        return publisher
    return _text(_value(dataset, "publisher_name") or _value(dataset, "publisher_uri"))


def _access_service(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ""
    for service in value if isinstance(value, list) else []:
        if not isinstance(service, dict):
            continue
        for candidate in (
            service.get("uri"),
            *_list(service.get("endpoint_url")),
            service.get("endpoint_description"),
        ):
            if candidate:
                return _text(candidate)
    return ""


@functools.lru_cache(maxsize=1)
def _ckan_licenses() -> dict[str, tuple[str, str]]:
    """CKAN's licence register by id and by URL: (title, url), as ckanext-dcat matches them."""
    from ckan.model.license import LicenseRegister

    register = {}
    for key, lic in LicenseRegister().items():
        register[key] = (lic.title, lic.url)
        if lic.url:
            register.setdefault(lic.url, (lic.title, lic.url))
    return register


def _dominant(values: list[str]) -> str:
    """The most frequent value, ties alphabetical: RDF has no order to take "the first" from."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value)) if counts else ""


def record_from_dataset(
    dataset: dict, graph: rdflib.Graph, ref: URIRef | BNode | None = None
) -> PartnerRecord:
    """Turn one ckanext-dcat dataset dict (extras- or scheming-shaped) into a PartnerRecord.

    ``graph`` resolves blank-node themes and licences to labels and supplies
    dct:subject (GeoDCAT-AP topic categories, DCAT-AP_IT sub-themes), which
    ckanext-dcat does not map but which are the partner's own categories.
    """
    label = _labeller(graph)
    uri = _text(_value(dataset, "uri")) or (str(ref) if isinstance(ref, URIRef) else "")
    identifier = _text(_value(dataset, "identifier")) or uri
    if not identifier:
        raise ValueError("dataset has neither a dct:identifier nor a URI")

    categories = [label(theme) for theme in _list(_value(dataset, "theme"))]
    if ref is not None:
        categories += sorted(str(o) for o in graph.objects(ref, DCTERMS.subject) if o)

    distributions, licences = [], []
    for resource in dataset.get("resources") or []:
        licence = label(_text(resource.get("license")))
        if licence:
            licences.append(licence)
        url = resource.get("url") or resource.get("download_url") or resource.get("access_url")
        if not url:
            continue
        distributions.append(
            Distribution(
                url=_text(url),
                format=_text(resource.get("format")),
                media_type=_text(resource.get("mimetype")),
                title=_text(resource.get("name")),
                description=_text(resource.get("description")),
                access_service=_access_service(resource.get("access_services")),
                license=licence,
            )
        )

    licence_url = _dominant([lic for lic in licences if lic.startswith(("http://", "https://"))])
    licence_name = _dominant(
        [lic for lic in licences if not lic.startswith(("http://", "https://"))]
    )
    register = _ckan_licenses()
    licence_id = _text(dataset.get("license_id"))
    if not licence_url and not licence_name and licence_id in register:
        licence_name, licence_url = register[licence_id]
    elif licence_url in register:
        licence_name = register[licence_url][0]

    keywords = [_text(tag.get("name")) for tag in dataset.get("tags") or [] if tag]
    return PartnerRecord(
        identifier=identifier,
        title=_text(dataset.get("title")),
        description=_text(dataset.get("notes")),
        uri=uri,
        landing_page=_text(dataset.get("url")),
        license_title=licence_name,
        license_url=licence_url,
        publisher=_publisher(dataset),
        issued=_text(_value(dataset, "issued")),
        modified=_text(_value(dataset, "modified")),
        categories=_unique(categories),
        keywords=_unique(keywords),
        language=_unique(_list(_value(dataset, "language"))),
        hvd_category=_unique(_list(_value(dataset, "hvd_category"))),
        applicable_legislation=_unique(_list(_value(dataset, "applicable_legislation"))),
        distributions=distributions,
    )


def _older_than(record: PartnerRecord, since: datetime.datetime) -> bool:
    """True when dct:modified says the record did not change after ``since``."""
    if not record.modified:
        return False
    try:
        modified = parse_date(record.modified)
    except (ValueError, OverflowError):
        return False
    if (modified.tzinfo is None) != (since.tzinfo is None):
        modified = modified.replace(tzinfo=modified.tzinfo or datetime.timezone.utc)
        since = since.replace(tzinfo=since.tzinfo or datetime.timezone.utc)
    return modified < since


# --------------------------------------------------------------------------- streaming


def _subject_key(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if type(term) is ox.NamedNode else "_:" + term.value


def _node(key: str) -> URIRef | BNode:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


def _term(value: str, kind: int, extra: str) -> URIRef | BNode | Literal:
    if kind == 0:
        return URIRef(value)
    if kind == 1:
        return BNode(value)
    if extra.startswith("@"):
        return Literal(value, lang=extra[1:])
    return Literal(value, datatype=URIRef(extra) if extra else None)


class TripleIndex:
    """One RDF document on disk, clustered by subject, read back dataset by dataset.

    Rows are (subject key, position in the document, predicate, object value,
    kind 0 IRI / 1 blank / 2 literal, "@lang" or datatype); blank-node subject
    keys start with ``_:``. A node's triples come back in document order, the
    order rdflib's in-memory graph would give ckanext-dcat, so both paths pick
    the same value where a profile takes the first of several.
    SQLite keeps its page cache small (16 MB), so memory stays flat whatever
    the document's size.
    """

    def __init__(self, directory: Path) -> None:
        self.db = sqlite3.connect(directory / "triples.sqlite", isolation_level=None)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -16000;
            CREATE TABLE t (s TEXT, n INTEGER, p TEXT, o TEXT, k INTEGER, x TEXT,
                            PRIMARY KEY (s, n)) WITHOUT ROWID;
            CREATE TABLE datasets (n INTEGER PRIMARY KEY, s TEXT UNIQUE);
            CREATE TABLE members (d TEXT, c TEXT, PRIMARY KEY (d, c)) WITHOUT ROWID;
            """
        )
        self.hydra: set[str] = set()
        self._cache: OrderedDict[str, tuple[list[tuple], list[tuple]]] = OrderedDict()

    def close(self) -> None:
        self.db.close()

    def load(self, path: Path, syntax: RdfSyntax, base_iri: str) -> int:
        """Stream ``path`` into the index; return the number of triples read."""
        quads = ox.parse(path=str(path), format=syntax.oxigraph, base_iri=base_iri, lenient=True)
        datasets: list[tuple[str]] = []
        members: list[tuple[str, str]] = []
        dataset_type, dataset_link = str(DCAT.Dataset), str(DCAT.dataset)

        def rows() -> Iterator[tuple[str, int, str, str, int, str]]:
            for n, quad in enumerate(quads):
                subject, predicate, obj = (
                    _subject_key(quad.subject),
                    quad.predicate.value,
                    quad.object,
                )
                kind = type(obj)
                if kind is ox.NamedNode:
                    value = obj.value
                    if predicate == RDF_TYPE:
                        if value == dataset_type:
                            datasets.append((subject,))
                        elif value in HYDRA_TYPES and len(self.hydra) < 100:
                            self.hydra.add(subject)
                    elif predicate == dataset_link:
                        members.append((value, subject))
                    yield subject, n, predicate, value, 0, ""
                elif kind is ox.BlankNode:
                    if predicate == dataset_link:
                        members.append(("_:" + obj.value, subject))
                    yield subject, n, predicate, obj.value, 1, ""
                elif kind is ox.Literal:
                    language = obj.language
                    if language:
                        extra = "@" + language
                    else:
                        datatype = obj.datatype.value
                        extra = "" if datatype == XSD_STRING else datatype
                    yield subject, n, predicate, obj.value, 2, extra
                # RDF 1.2 triple terms are not DCAT-AP: skipped.

        total = 0
        stream = rows()
        self.db.execute("BEGIN")
        while batch := list(itertools.islice(stream, INSERT_BATCH)):
            total += len(batch)
            self.db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", batch)
            self.db.executemany("INSERT OR IGNORE INTO datasets (s) VALUES (?)", datasets)
            self.db.executemany("INSERT OR IGNORE INTO members VALUES (?, ?)", members)
            datasets.clear()
            members.clear()
        self.db.execute("COMMIT")
        return total

    def dataset_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM datasets").fetchone()[0]

    def dataset_batches(self, size: int) -> Iterator[list[str]]:
        """Dataset keys in document order, ``size`` at a time."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT n, s FROM datasets WHERE n > ? ORDER BY n LIMIT ?", (last, size)
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [key for _, key in rows]

    def _rows(self, key: str) -> tuple[list[tuple], list[tuple]]:
        """A node's rows and its triples as rdflib terms; IRI nodes are cached."""
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        rows = self.db.execute(
            "SELECT p, o, k, x FROM t WHERE s = ? ORDER BY n LIMIT ?", (key, MAX_ROWS_PER_NODE)
        ).fetchall()
        subject = _node(key)
        triples = [(subject, URIRef(p), _term(o, k, x)) for p, o, k, x in rows]
        if not key.startswith("_:"):
            self._cache[key] = (rows, triples)
            if len(self._cache) > NODE_CACHE:
                self._cache.popitem(last=False)
        return rows, triples

    def describe(self, dataset: str) -> list[tuple]:
        """The dataset's bounded description, plus the catalogue triple that lists it."""
        out: list[tuple] = []
        seen = {dataset}
        queue: deque[tuple[str, int]] = deque([(dataset, 0)])
        while queue:
            key, depth = queue.popleft()
            rows, triples = self._rows(key)
            if depth and any(p == RDF_TYPE and o in CONTAINER_TYPES for p, o, _, _ in rows):
                continue  # another dataset or a catalogue: described on its own
            out.extend(triples)
            for p, o, kind, _ in rows:
                if p == RDF_TYPE or kind == 2:
                    continue
                if kind == 1:
                    target = "_:" + o
                elif depth < IRI_DEPTH:
                    target = o
                else:
                    continue
                if target not in seen and len(seen) < MAX_NODES_PER_DATASET:
                    seen.add(target)
                    queue.append((target, depth + 1))
        ref = _node(dataset)
        for (catalog,) in self.db.execute("SELECT c FROM members WHERE d = ?", (dataset,)):
            out.append((_node(catalog), RDF.type, DCAT.Catalog))
            out.append((_node(catalog), DCAT.dataset, ref))
        return out

    def hydra_graph(self) -> rdflib.Graph:
        """The paging nodes' own triples, for ckanext-dcat's ``next_page``."""
        graph = rdflib.Graph()
        for key in sorted(self.hydra):
            for triple in self._rows(key)[1]:
                graph.add(triple)
        return graph


# --------------------------------------------------------------------------- harvester


@register
class DcatHarvester(Harvester):
    """A DCAT-AP catalogue document, Hydra-paged or not, at ``source.portal_url``.

    Options: ``profiles`` (ckanext-dcat profile names, default
    ``euro_dcat_ap_3``), ``languages`` (the partner's languages; the first is
    preferred for multilingual literals), ``stream_threshold`` (bytes above
    which a document is streamed through the on-disk index; 0 streams always),
    ``max_pages``.
    """

    portal_type = "dcat"

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        options = self.source.options or {}
        url = self.source.portal_url
        profiles = _names(options.get("profiles")) or list(DEFAULT_PROFILES)
        languages = _names(options.get("languages"))
        parser = make_parser(profiles, url, languages[0] if languages else None)
        threshold = int(options.get("stream_threshold", STREAM_THRESHOLD))
        max_pages = int(options.get("max_pages", MAX_PAGES))
        fetched: set[str] = set()
        yielded: set[str] = set()
        for number in range(max_pages):
            first = number == 0
            fetched.add(url)
            next_url = None
            with tempfile.TemporaryDirectory(prefix="partnercity-dcat-") as tmp:
                download = self.client.download_to(url, Path(tmp) / "body", accept=ACCEPT)
                fetched.add(download.url)
                with open(download.path, "rb") as body:
                    head = body.read(4096)
                syntax = detect_syntax(download.content_type, download.url, head)
                if download.size > threshold:
                    documents = self._streamed(parser, download, syntax, Path(tmp))
                else:
                    documents = self._in_memory(parser, download, syntax)
                with contextlib.closing(documents):
                    for page in documents:
                        if isinstance(page, str):
                            next_url = page
                            continue
                        if first and not (page.records or page.errors):
                            raise HarvestError(
                                f"no dcat:Dataset in this {syntax.label} document; "
                                "is it a DCAT catalogue?",
                                download.url,
                            )
                        yield self._filtered(page, since, yielded)
            if not next_url:
                return
            next_url = urljoin(download.url, next_url)
            if next_url in fetched:
                log.warning("DCAT paging of %s loops back to %s; listing ends", url, next_url)
                return
            url = next_url
        raise HarvestError(f"more than {max_pages} pages; the listing is incomplete", url)

    def _filtered(self, page: Page, since: datetime.datetime | None, yielded: set[str]) -> Page:
        """Drop records seen on an earlier page and, with ``since``, unchanged ones."""
        kept = []
        for record in page.records:
            key = record.uri or record.identifier
            if key in yielded:
                continue
            yielded.add(key)
            if since is None or not _older_than(record, since):
                kept.append(record)
        page.records = kept
        return page

    def _read(
        self, parser: _DatasetParser, ref: URIRef | BNode, url: str
    ) -> PartnerRecord | RecordError:
        try:
            return record_from_dataset(parser.dataset(ref), parser.g, ref)
        except Exception as exc:  # a profile choking on one partner dataset
            name = str(ref) if isinstance(ref, URIRef) else ""
            return RecordError(
                message=f"cannot read dataset {name or '(blank node)'}: "
                f"{type(exc).__name__}: {_brief(exc)}",
                url=url,
                identifier=name,
            )

    def _page(self, parser: _DatasetParser, refs: Iterable[Any], url: str) -> Page:
        page = Page(url=url)
        for ref in refs:
            result = self._read(parser, ref, url)
            if isinstance(result, RecordError):
                page.errors.append(result)
            else:
                page.records.append(result)
        return page

    def _in_memory(
        self, parser: _DatasetParser, download: Download, syntax: RdfSyntax
    ) -> Iterator[Page | str]:
        data = download.path.read_bytes()
        if syntax is JSON_LD:
            data = self._inline_contexts(data, download.url)
        parser.g = rdflib.ConjunctiveGraph()
        try:
            parser.g.parse(data=data, format=syntax.rdflib, publicID=download.url)
        except Exception as exc:  # rdflib's parsers raise many unrelated types
            raise HarvestError(f"malformed {syntax.label}: {_brief(exc)}", download.url) from None
        del data
        refs = list(dict.fromkeys(parser.g.subjects(RDF.type, DCAT.Dataset)))
        yield self._page(parser, refs, download.url)
        next_page = parser.next_page()
        if next_page:
            yield next_page

    def _streamed(
        self, parser: _DatasetParser, download: Download, syntax: RdfSyntax, tmp: Path
    ) -> Iterator[Page | str]:
        index = TripleIndex(tmp)
        try:
            try:
                if syntax is RDF_XML:
                    _check_well_formed(download.path)
                triples = index.load(download.path, syntax, download.url)
            except (SyntaxError, xml.parsers.expat.ExpatError) as exc:
                reason = _brief(exc)
                if "LoadDocumentCallback" in reason:
                    reason = "remote @context documents are not loaded for streamed JSON-LD"
                raise HarvestError(f"malformed {syntax.label}: {reason}", download.url) from None
            log.info(
                "streamed %s: %d triples, %d datasets",
                download.url,
                triples,
                index.dataset_count(),
            )
            size = max(1, int(self.source.page_size or 100))
            empty = True
            for keys in index.dataset_batches(size):
                empty = False
                graph = rdflib.Graph()
                for key in keys:
                    for triple in index.describe(key):
                        graph.add(triple)
                parser.g = graph
                yield self._page(parser, [_node(key) for key in keys], download.url)
            if empty:
                yield Page(url=download.url)
            parser.g = index.hydra_graph()
            next_page = parser.next_page()
            if next_page:
                yield next_page
        finally:
            index.close()

    def _inline_contexts(self, data: bytes, url: str) -> bytes:
        """Fetch remote JSON-LD contexts through the HttpClient and inline them.

        rdflib would otherwise fetch them itself, past the partner URL policy.
        """
        try:
            document = json.loads(data)
        except ValueError as exc:
            raise HarvestError(f"malformed JSON-LD: {_brief(exc)}", url) from None
        cache: dict[str, Any] = {}

        def resolve(context: Any, base: str) -> Any:
            if isinstance(context, str):
                target = urljoin(base, context)
                if target not in cache:
                    if len(cache) >= MAX_REMOTE_CONTEXTS:
                        raise HarvestError("too many remote JSON-LD contexts", target)
                    cache[target] = {}
                    fetched = self.client.get_json(target)
                    inner = fetched.get("@context", {}) if isinstance(fetched, dict) else {}
                    cache[target] = walk(resolve(inner, target), target)
                return cache[target]
            if isinstance(context, list):
                return [resolve(item, base) for item in context]
            if isinstance(context, dict) and isinstance(context.get("@import"), str):
                imported = resolve(context["@import"], base)
                rest = {k: v for k, v in context.items() if k != "@import"}
                return {**(imported if isinstance(imported, dict) else {}), **rest}
            return context

        def walk(node: Any, base: str) -> Any:
            if isinstance(node, dict):
                for key, value in node.items():
                    node[key] = resolve(value, base) if key == "@context" else value
                    walk(node[key], base)
            elif isinstance(node, list):
                for item in node:
                    walk(item, base)
            return node

        return json.dumps(walk(document, url)).encode("utf-8")
