"""Large DCAT documents, parsed triple by triple into an on-disk index.

rdflib needs about 54 MB per 1,000 datasets, so a body above the harvester's
``stream_threshold`` is streamed: pyoxigraph parses it into a SQLite table
clustered by subject, and each batch of datasets is described into a small
rdflib graph that ckanext-dcat reads as usual. Memory stays flat
(bench/dcat_stream_bench.py: 100,000 datasets at a 177 MB peak).
"""

from __future__ import annotations

import itertools
import sqlite3
import xml.parsers.expat
from collections import OrderedDict, deque
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, RDF

from ckanext.partnercity.harvesters.dcat.limits import DEFAULT_LIMITS, Cut, DatasetLimits
from ckanext.partnercity.harvesters.dcat.spelling import PREDICATE_ALIASES
from ckanext.partnercity.harvesters.rdf_syntax import EntityDeclarationError, RdfSyntax

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
RDF_TYPE = str(RDF.type)
DISTRIBUTION = str(DCAT.distribution)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTAINER_TYPES = frozenset({str(DCAT.Dataset), str(DCAT.Catalog)})
HYDRA_TYPES = frozenset({str(HYDRA.PartialCollectionView), str(HYDRA.PagedCollection)})

# IRIs are described up to this distance from the dataset (distribution ->
# access service); blank nodes always, within the node and row caps.
IRI_DEPTH = 2
MAX_NODES_PER_DATASET = 2_000
MAX_ROWS_PER_NODE = 5_000
INSERT_BATCH = 20_000
NODE_CACHE = 4_096


def _refuse_entity(*_args: object) -> None:
    raise EntityDeclarationError("XML entity declarations (<!ENTITY) are refused")


def check_well_formed(path: Path) -> None:
    """Raise ExpatError for broken XML: pyoxigraph's RDF/XML parser reads a truncated
    document without complaint, and a silently shortened listing would withdraw datasets.
    An entity declaration raises EntityDeclarationError (the harvester's scan refuses it
    earlier; this keeps expat from ever expanding one).
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.EntityDeclHandler = _refuse_entity
    with open(path, "rb") as body:
        while chunk := body.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _subject_key(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if type(term) is ox.NamedNode else "_:" + term.value


def node(key: str) -> URIRef | BNode:
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
                predicate = PREDICATE_ALIASES.get(predicate, predicate)  # dcat:accessUrl
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
        subject = node(key)
        triples = [(subject, URIRef(p), _term(o, k, x)) for p, o, k, x in rows]
        if not key.startswith("_:"):
            self._cache[key] = (rows, triples)
            if len(self._cache) > NODE_CACHE:
                self._cache.popitem(last=False)
        return rows, triples

    def describe(
        self, dataset: str, limits: DatasetLimits = DEFAULT_LIMITS
    ) -> tuple[list[tuple], Cut]:
        """The dataset's bounded description, plus the catalogue triple that lists it.

        At most ``limits.max_distributions`` distributions are followed and at most
        ``limits.max_triples`` triples kept, so one hostile dataset cannot fill memory.
        """
        out: list[tuple] = []
        cut = Cut()
        seen = {dataset}
        queue: deque[tuple[str, int]] = deque([(dataset, 0)])
        while queue:
            key, depth = queue.popleft()
            rows, triples = self._rows(key)
            if depth and any(p == RDF_TYPE and o in CONTAINER_TYPES for p, o, _, _ in rows):
                continue  # another dataset or a catalogue: described on its own
            if not depth:
                rows, triples = _first_distributions(rows, triples, limits, cut)
            room = limits.max_triples - len(out)
            if len(triples) > room:
                out.extend(triples[:room])
                cut.truncated_at = limits.max_triples
                break
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
        ref = node(dataset)
        for (catalog,) in self.db.execute("SELECT c FROM members WHERE d = ?", (dataset,)):
            out.append((node(catalog), RDF.type, DCAT.Catalog))
            out.append((node(catalog), DCAT.dataset, ref))
        return out, cut

    def hydra_graph(self) -> rdflib.Graph:
        """The paging nodes' own triples, for ckanext-dcat's ``next_page``."""
        graph = rdflib.Graph()
        for key in sorted(self.hydra):
            for triple in self._rows(key)[1]:
                graph.add(triple)
        return graph


def _first_distributions(
    rows: list[tuple], triples: list[tuple], limits: DatasetLimits, cut: Cut
) -> tuple[list[tuple], list[tuple]]:
    """A dataset's own rows without the distributions past the cap (document order)."""
    kept_rows, kept_triples = [], []
    for row, triple in zip(rows, triples, strict=True):
        if row[0] == DISTRIBUTION:
            cut.distributions += 1
            if cut.distributions > limits.max_distributions:
                continue
            cut.kept += 1
        kept_rows.append(row)
        kept_triples.append(triple)
    return kept_rows, kept_triples
