"""Bilingual dictionaries as a bridge between title languages (:mod:`.counterparts`).

GEMET names environmental subjects in five languages; a city's titles name cemeteries,
budgets, bus stops and events too. The FreeDict dictionaries (https://freedict.org, GPL and
CC-BY-SA, built partly from Wiktionary) translate German and English words into the partner
languages. Debian and Ubuntu ship them in dictd format (``apt install
dict-freedict-deu-spa``), read here where they are installed (:data:`DIRECTORY`); without
them, counterparts simply go without this bridge.

The dictd format is an index (headword, offset, length; base64) and a dictzip file: gzip
whose chunks can be inflated one by one, so a lookup reads one chunk, not the whole file.
An entry is a header line and translation lines ("1. cementerio, camposanto"); the
Wiktionary-built dictionaries add a definition in the source language after each sense,
indented examples and cross references, all of which are skipped here.
"""

from __future__ import annotations

import functools
import logging
import re
import string
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import text

log = logging.getLogger(__name__)

#: Where dictd dictionaries are installed (Debian's dictd packages); None: use none
#: (``ckanext.partnercity.dictionaries``, :func:`configure`).
DIRECTORY: Path | None = Path("/usr/share/dictd")
#: Two-letter language -> the three letters FreeDict names its files with.
ISO3 = {
    "cs": "ces",
    "da": "dan",
    "de": "deu",
    "en": "eng",
    "es": "spa",
    "fi": "fin",
    "fr": "fra",
    "it": "ita",
    "nl": "nld",
    "pl": "pol",
    "pt": "por",
    "sv": "swe",
    "hu": "hun",
    "ro": "rom",
    "hr": "hrv",
    "lt": "lit",
    "el": "ell",
    "bg": "bul",
}
#: A translation of more words than this is a paraphrase, not a name for the thing.
MAX_PHRASE = 3
#: Translations kept per headword (dictionaries list the common senses first).
MAX_TRANSLATIONS = 12
#: An inflection ending is taken off a word only when this many letters stay ("haltestellen").
MIN_HEADWORD = 4
#: Words that mark a line as a German definition, not a translation into another language.
_GERMAN_PROSE = frozenset(
    "der die das dem den des ein eine einer eines einem einen und oder von mit für zur zum "
    "zu im ist sind wird werden sich etwas jemand jemandem jemanden auf bei nach als wie "
    "kurzform meist".split()
)
#: dictd's base64 digits (index offsets and lengths).
_DIGITS = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
_B64 = {c: i for i, c in enumerate(_DIGITS)}
_HEADWORD = re.compile(r"[^\W\d_]{2,}")
_SENSE = re.compile(r"^\d+\.\s*|\s+\d+\.$")
_NOTES = re.compile(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")


def _number(code: str) -> int:
    value = 0
    for ch in code:
        value = value * 64 + _B64[ch]
    return value


class DictZip:
    """Random access to a dictzip file: inflate only the chunks an entry lies in."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            head = f.read(10)
            if head[:3] != b"\x1f\x8b\x08" or not head[3] & 4:
                raise ValueError(f"{path}: not a dictzip file")
            (xlen,) = struct.unpack("<H", f.read(2))
            extra = f.read(xlen)
            self.chunk, sizes = _random_access(extra, path)
            flags = head[3]
            for flag in (8, 16):  # file name, comment: zero-terminated
                if flags & flag:
                    while f.read(1) not in (b"\x00", b""):
                        pass
            if flags & 2:
                f.read(2)
            start = f.tell()
        self.offsets = [start]
        for size in sizes:
            self.offsets.append(self.offsets[-1] + size)

    def read(self, offset: int, length: int) -> bytes:
        first, last = offset // self.chunk, (offset + length - 1) // self.chunk
        out = b"".join(self._chunk(i) for i in range(first, last + 1))
        begin = offset - first * self.chunk
        return out[begin : begin + length]

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one reader per file, kept for the process
    def _chunk(self, number: int) -> bytes:
        if number + 1 >= len(self.offsets):
            return b""
        with self.path.open("rb") as f:
            f.seek(self.offsets[number])
            raw = f.read(self.offsets[number + 1] - self.offsets[number])
        return zlib.decompressobj(-15).decompress(raw)


def _random_access(extra: bytes, path: Path) -> tuple[int, list[int]]:
    """Chunk length and compressed chunk sizes from the gzip extra field ("RA")."""
    pos = 0
    while pos + 4 <= len(extra):
        ident, size = extra[pos : pos + 2], struct.unpack("<H", extra[pos + 2 : pos + 4])[0]
        body = extra[pos + 4 : pos + 4 + size]
        if ident == b"RA" and len(body) >= 6:
            _version, chunk, count = struct.unpack("<HHH", body[:6])
            return chunk, list(struct.unpack(f"<{count}H", body[6 : 6 + 2 * count]))
        pos += 4 + size
    raise ValueError(f"{path}: no dictzip chunk table")


@dataclass(eq=False)  # one per file and process: hashed by identity (lookup cache key)
class Dictionary:
    """One dictionary, ``source`` → ``target`` (two-letter codes)."""

    source: str
    target: str
    index: dict[str, tuple[tuple[int, int], ...]]
    data: DictZip

    @functools.cached_property
    def headwords(self) -> frozenset[str]:
        return frozenset(self.index)

    def translations(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Translations of the folded ``word`` (its dictionary form or an inflected form
        of it), each as its content words ("calidad del aire" → ("calidad", "aire"))."""
        return _translations(self, word)


@functools.lru_cache(maxsize=16384)
def _translations(dictionary: Dictionary, word: str) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for key in _forms(word, dictionary.headwords):
        for offset, length in dictionary.index[key]:
            entry = dictionary.data.read(offset, length).decode("utf-8", "replace")
            for phrase in _entry_translations(entry, dictionary.source):
                if phrase not in out:
                    out.append(phrase)
    return tuple(out[:MAX_TRANSLATIONS])


def _forms(word: str, known: frozenset[str]) -> list[str]:
    """Headwords ``word`` is: itself, else without an inflection ending ("haltestellen",
    "bahnhofe" → "haltestelle", "bahnhof")."""
    if word in known:
        return [word]
    for ending in ("en", "n", "e", "s", "es", "er"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= MIN_HEADWORD and base in known:
            return [base]
    return []


def _entry_translations(entry: str, source: str) -> list[tuple[str, ...]]:
    """The translation phrases of one dictd entry, as content words; none when the entry is
    marked as another part of speech than a noun (a title names its subject with nouns:
    "seit" is "desde", no subject)."""
    found: list[tuple[str, ...]] = []
    lines = entry.splitlines()
    if not lines or not _noun(lines[0]):
        return found
    for line in lines[1:]:
        if not line.strip() or line[0].isspace():
            continue  # examples, synonyms, cross references
        line = _SENSE.sub("", _NOTES.sub("", line)).strip()
        words = text.words(line)
        if not words or (source == "de" and _GERMAN_PROSE & set(words)):
            continue  # a definition in the source language
        for item in line.split(","):
            content = tuple(w for w in text.words(item) if w not in text.STOP_WORDS)
            if content and len(text.words(item)) <= MAX_PHRASE:
                found.append(content)
    return found


def _noun(header: str) -> bool:
    """The entry's header names no part of speech, or names a noun ("<n, fem>", "<masc, n,
    sg>"; "<prep>", "<v>", "<adj>" are not)."""
    marks = re.findall(r"<([^>]*)>", header)
    if not marks:
        return True
    return any("n" in {m.strip() for m in mark.split(",")} for mark in marks)


def _load_index(path: Path) -> dict[str, tuple[tuple[int, int], ...]]:
    fold = text.fold.__wrapped__  # every headword once: no use for fold's cache
    index: dict[str, tuple[tuple[int, int], ...]] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3 or not _HEADWORD.fullmatch(fields[0]):
                continue
            key = fields[0].lower() if fields[0].isascii() else fold(fields[0])
            try:
                place = (_number(fields[1]), _number(fields[2]))
            except KeyError:
                continue
            index[key] = (*index.get(key, ()), place)
    return index


@functools.lru_cache(maxsize=16)
def lexicon(lang: str) -> frozenset[str]:
    """The words of ``lang`` as the largest installed dictionary from it knows them (a title
    word it lacks is most likely a name: "Metra" of "Metra Stations"); empty without one."""
    code = ISO3.get(lang)
    if DIRECTORY is None or not code or not DIRECTORY.is_dir():
        return frozenset()
    books = sorted(DIRECTORY.glob(f"freedict-{code}-*.index"), key=lambda p: -p.stat().st_size)
    for path in books:
        target = {v: k for k, v in ISO3.items()}.get(path.stem.split("-")[-1])
        book = load(lang, target) if target else None
        if book is not None:
            return book.headwords
    return frozenset()


def configure(directory: str | None) -> None:
    """Read dictionaries from ``directory`` from now on ("" or None: use none)."""
    global DIRECTORY
    DIRECTORY = Path(directory) if directory and directory.strip() else None
    load.cache_clear()
    lexicon.cache_clear()


@functools.lru_cache(maxsize=32)
def load(source: str, target: str) -> Dictionary | None:
    """The installed dictionary ``source`` → ``target``, or None when there is none or it
    cannot be read (logged once: a broken file costs the bridge, never a page)."""
    a, b = ISO3.get(source), ISO3.get(target)
    if DIRECTORY is None or not a or not b or a == b:
        return None
    base = DIRECTORY / f"freedict-{a}-{b}"
    index, data = base.parent / (base.name + ".index"), base.parent / (base.name + ".dict.dz")
    if not index.is_file() or not data.is_file():
        return None
    try:
        return Dictionary(source, target, _load_index(index), DictZip(data))
    except (OSError, ValueError, struct.error) as error:
        log.warning("dictionary %s unusable: %s", base, error)
        return None
