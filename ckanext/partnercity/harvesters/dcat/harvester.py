"""DCAT-AP catalogues (Turtle, RDF/XML, JSON-LD, N-Triples), read with ckanext-dcat.

ckanext-dcat's profiles do the DCAT-AP mapping; this module fetches, follows
Hydra paging and hands each document to the in-memory or the streamed path.
A DCAT catalogue cannot filter by date, so ``since`` is applied client-side.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import tempfile
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, RDF

from ckanext.partnercity.compat.dcat import DatasetParser
from ckanext.partnercity.harvesters.base import (
    Harvester,
    HarvestError,
    Page,
    PartnerRecord,
    RecordError,
    brief,
)
from ckanext.partnercity.harvesters.dcat.jsonld import inline_contexts
from ckanext.partnercity.harvesters.dcat.limits import Cut, DatasetLimits, cap_graph_distributions
from ckanext.partnercity.harvesters.dcat.mapping import older_than, record_from_dataset
from ckanext.partnercity.harvesters.dcat.parser import make_parser, option_names
from ckanext.partnercity.harvesters.dcat.publisher import publisher_matches
from ckanext.partnercity.harvesters.dcat.spelling import add_dcat_spellings
from ckanext.partnercity.harvesters.dcat.streaming import (
    DCAT,
    TripleIndex,
    check_well_formed,
    node,
)
from ckanext.partnercity.harvesters.http import Download
from ckanext.partnercity.harvesters.rdf_syntax import (
    JSON_LD,
    RDF_XML,
    EntityDeclarationError,
    RdfSyntax,
    detect_syntax,
    refuse_entity_declarations,
)

log = logging.getLogger(__name__)

ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, */*;q=0.1"
DEFAULT_PROFILES = ("euro_dcat_ap_3",)
# Above this many bytes a document is streamed (streaming.py); below it rdflib,
# the more forgiving parser, reads it in memory and may fetch remote contexts.
STREAM_THRESHOLD = 5 * 1024 * 1024
MAX_PAGES = 10_000
# A streamed batch is handed to ckanext-dcat once its graph holds this many triples
# (rdflib: about 1 KB each), however few datasets it has.
BATCH_TRIPLES = 50_000


class NotDcat(HarvestError):
    """The answer is no DCAT catalogue: not RDF at all (HTML, empty, unknown syntax) or
    RDF without a single dcat:Dataset.

    A subclass so a portal type with another way in (Opendatasoft's JSON API) can tell
    "there is no DCAT here" from "the DCAT document is broken".
    """


def _detect(download: Download, head: bytes) -> RdfSyntax:
    try:
        return detect_syntax(download.content_type, download.url, head)
    except HarvestError as exc:
        raise NotDcat(exc.message, exc.url or download.url) from None


def _refuse_entities(download: Download, syntax: RdfSyntax) -> None:
    """Refuse entity-declaring RDF/XML before rdflib or pyoxigraph expands it."""
    if syntax is not RDF_XML:
        return
    try:
        refuse_entity_declarations(download.path)
    except EntityDeclarationError as exc:
        raise HarvestError(f"refused {syntax.label}: {exc}", download.url) from None


class DcatHarvester(Harvester):
    """A DCAT-AP catalogue document, Hydra-paged or not, at ``source.portal_url``.

    Options: ``profiles`` (ckanext-dcat profile names, default
    ``euro_dcat_ap_3``), ``languages`` (the partner's languages; the first is
    preferred for multilingual literals), ``stream_threshold`` (bytes above
    which a document is streamed through the on-disk index; 0 streams always),
    ``max_pages``, ``max_distributions_per_dataset`` and ``max_triples_per_dataset``
    (limits.py).

    ``source_filter`` names a publisher (its URI or ``foaf:name``, any case): datasets of
    other publishers are skipped but reported as listed (``Page.skipped``), so a reference
    of theirs from before the filter is never withdrawn as missing; the listing still counts
    as complete for that publisher, whose datasets gone upstream are withdrawn. A filter
    that matches none of the datasets listed is an error, not an empty partner: a renamed
    publisher must not withdraw every reference.
    """

    portal_type = "dcat"
    label = "DCAT-AP catalogue (Turtle, RDF/XML, JSON-LD)"
    # Datasets of the listing the publisher filter skipped, and those it kept.
    _skipped = 0
    _kept = 0

    @property
    def limits(self) -> DatasetLimits:
        return DatasetLimits.from_options(self.source.options or {})

    @property
    def publisher_filter(self) -> str:
        return self.source.source_filter.strip()

    def adjust(self, record: PartnerRecord, graph: rdflib.Graph, ref: URIRef | BNode) -> None:
        """Hook for a portal whose DCAT output needs reading its own way (Opendatasoft)."""

    def listed_identifier(self, graph: rdflib.Graph, ref: URIRef | BNode) -> str:
        """The identifier a dataset would be harvested under (dct:identifier, else its URI),
        without running the profiles: for the datasets the publisher filter skips."""
        identifier = graph.value(ref, DCTERMS.identifier)
        if identifier is not None and str(identifier).strip():
            return str(identifier).strip()
        return str(ref) if isinstance(ref, URIRef) else ""

    def may_be_empty(self, since: datetime.datetime | None) -> bool:
        """Whether a first document without any dcat:Dataset is a listing (a portal asked for
        recent datasets only) rather than a sign that the URL is no DCAT catalogue."""
        return False

    def pages(self, since: datetime.datetime | None = None) -> Iterator[Page]:
        self._skipped = self._kept = 0
        yield from self._listing(since)
        if self.publisher_filter and self._skipped and not self._kept:
            raise HarvestError(
                f"source_filter {self.publisher_filter!r} matches the publisher of none of the "
                f"{self._skipped} datasets listed (URI or foaf:name); nothing is withdrawn",
                self.source.portal_url,
            )

    def _listing(self, since: datetime.datetime | None) -> Iterator[Page]:
        options = self.source.options or {}
        url = self.source.portal_url
        profiles = option_names(options.get("profiles")) or list(DEFAULT_PROFILES)
        languages = option_names(options.get("languages"))
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
                syntax = _detect(download, head)
                _refuse_entities(download, syntax)
                if download.size > threshold:
                    documents = self._streamed(parser, download, syntax, Path(tmp))
                else:
                    documents = self._in_memory(parser, download, syntax)
                with contextlib.closing(documents):
                    for page in documents:
                        if isinstance(page, str):
                            next_url = page
                            continue
                        listed = page.records or page.errors or self._skipped
                        if first and not listed and not self.may_be_empty(since):
                            raise NotDcat(
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
            if since is None or not older_than(record, since):
                kept.append(record)
        page.records = kept
        identifiers = {record.identifier for record in kept}
        page.warnings = [w for w in page.warnings if w.identifier in identifiers]
        return page

    def _read(
        self, parser: DatasetParser, ref: URIRef | BNode, url: str
    ) -> PartnerRecord | RecordError:
        try:
            record = record_from_dataset(parser.dataset(ref), parser.g, ref)
            self.adjust(record, parser.g, ref)
            return record
        except Exception as exc:  # a profile choking on one partner dataset
            name = str(ref) if isinstance(ref, URIRef) else ""
            return RecordError(
                message=f"cannot read dataset {name or '(blank node)'}: "
                f"{type(exc).__name__}: {brief(exc)}",
                url=url,
                identifier=name,
            )

    def _page(self, parser: DatasetParser, refs: Iterable[tuple[Any, Cut]], url: str) -> Page:
        """Read each dataset; what the limits cut from one is a warning, not a failure."""
        page = Page(url=url)
        for ref, cut in refs:
            if self.publisher_filter:
                if not publisher_matches(parser.g, ref, self.publisher_filter):
                    # another publisher's: listed, so not missing, but not this partner's
                    self._skipped += 1
                    if skipped := self.listed_identifier(parser.g, ref):
                        page.skipped.append(skipped)
                    continue
                self._kept += 1
            result = self._read(parser, ref, url)
            if isinstance(result, RecordError):
                page.errors.append(result)
                continue
            page.records.append(result)
            if cut.message():
                page.warnings.append(
                    RecordError(
                        f"dataset {result.identifier} is too large: {cut.message()}",
                        url,
                        result.identifier,
                    )
                )
        return page

    def _in_memory(
        self, parser: DatasetParser, download: Download, syntax: RdfSyntax
    ) -> Iterator[Page | str]:
        data = download.path.read_bytes()
        if syntax is JSON_LD:
            data = inline_contexts(data, download.url, self.client.get_json)
        parser.g = rdflib.ConjunctiveGraph()
        try:
            parser.g.parse(data=data, format=syntax.rdflib, publicID=download.url)
        except Exception as exc:  # rdflib's parsers raise many unrelated types
            raise HarvestError(f"malformed {syntax.label}: {brief(exc)}", download.url) from None
        del data
        add_dcat_spellings(parser.g)
        refs = list(dict.fromkeys(parser.g.subjects(RDF.type, DCAT.Dataset)))
        cuts = [(ref, cap_graph_distributions(parser.g, ref, self.limits)) for ref in refs]
        yield self._page(parser, cuts, download.url)
        next_page = parser.next_page()
        if next_page:
            yield next_page

    def _batches(self, parser: DatasetParser, index: TripleIndex, url: str) -> Iterator[Page]:
        """Pages of at most ``page_size`` datasets and about BATCH_TRIPLES triples."""
        size, limits = max(1, int(self.source.page_size or 100)), self.limits
        for keys in index.dataset_batches(size):
            graph, described = rdflib.Graph(), []
            for key in keys:
                triples, cut = index.describe(key, limits)
                for triple in triples:
                    graph.add(triple)
                described.append((node(key), cut))
                if len(graph) >= BATCH_TRIPLES or len(described) == len(keys):
                    parser.g = graph
                    yield self._page(parser, described, url)
                    graph, described = rdflib.Graph(), []

    def _streamed(
        self, parser: DatasetParser, download: Download, syntax: RdfSyntax, tmp: Path
    ) -> Iterator[Page | str]:
        index = TripleIndex(tmp)
        try:
            try:
                if syntax is RDF_XML:
                    check_well_formed(download.path)
                triples = index.load(download.path, syntax, download.url)
            except (SyntaxError, EntityDeclarationError, xml.parsers.expat.ExpatError) as exc:
                reason = brief(exc)
                if "LoadDocumentCallback" in reason:
                    reason = "remote @context documents are not loaded for streamed JSON-LD"
                raise HarvestError(f"malformed {syntax.label}: {reason}", download.url) from None
            log.info(
                "streamed %s: %d triples, %d datasets",
                download.url,
                triples,
                index.dataset_count(),
            )
            empty = True
            for page in self._batches(parser, index, download.url):
                empty = False
                yield page
            if empty:
                yield Page(url=download.url)
            parser.g = index.hydra_graph()
            next_page = parser.next_page()
            if next_page:
                yield next_page
        finally:
            index.close()
