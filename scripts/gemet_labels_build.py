"""Derive the compact GEMET label table the counterpart finder reads (run once; recipe).

Input: GEMET SKOS files of geonetwork/util-gemet, one prefLabel language per file, taken with
``git show <commit>:thesauri/gemet-<lang>.rdf``:

- ``gemet-{de,fr,it,nl}.rdf`` at commit 74409ebac2eec7e439a23c689ba561858e9d8194 (GEMET
  4.1.2): labels **and** broader relations;
- ``gemet-en.rdf`` at commit b145c8d55579738ae6315c5fb052568dc1e67173 (GEMET 4.0.1, the newest
  English file the repository stores in full; later ones are large-file pointers): given as
  ``labels:<path>``, so only its labels are read, for the concepts of the 4.1.2 files (GEMET
  concept numbers are persistent across versions; concepts 4.1.2 no longer has stay out).

Output: ``ckanext/partnercity/themes/vocabularies/<OUT_NAME>``:
``{"concepts": {"<concept number>": {"de": label, "en": label, ...}}, "broader": {"<n>":
["<m>", ...]}}`` for the ``http://www.eionet.europa.eu/gemet/concept/<n>`` concepts (groups
and themes left out, also as broader concepts). Labels and relations are copied unchanged.

    python scripts/gemet_labels_build.py /tmp/gemet-de.rdf /tmp/gemet-fr.rdf \\
        /tmp/gemet-it.rdf /tmp/gemet-nl.rdf labels:/tmp/gemet-en-4.0.1.rdf
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox

BASE = "http://www.eionet.europa.eu/gemet/concept/"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
BROADER = "http://www.w3.org/2004/02/skos/core#broader"
OUT_NAME = "gemet_concept-labels_de-fr-it-nl-4.1.2_en-4.0.1.json"
OUT = Path(__file__).resolve().parents[1] / "ckanext/partnercity/themes/vocabularies" / OUT_NAME
LABELS_ONLY = "labels:"


def _read(path: str) -> tuple[dict[str, dict[str, str]], dict[str, set[str]]]:
    concepts: dict[str, dict[str, str]] = {}
    broader: dict[str, set[str]] = {}
    for quad in ox.parse(path=path, format=ox.RdfFormat.RDF_XML):
        s, o = quad.subject.value, quad.object
        if not s.startswith(BASE):
            continue
        if quad.predicate.value == PREF and o.language:
            concepts.setdefault(s[len(BASE) :], {})[o.language] = o.value
        elif quad.predicate.value == BROADER and o.value.startswith(BASE):
            broader.setdefault(s[len(BASE) :], set()).add(o.value[len(BASE) :])
    return concepts, broader


def main(args: list[str]) -> int:
    main_paths = [a for a in args if not a.startswith(LABELS_ONLY)]
    extra_paths = [a[len(LABELS_ONLY) :] for a in args if a.startswith(LABELS_ONLY)]
    if not main_paths:
        print("usage: gemet_labels_build.py FILE.rdf ... [labels:FILE.rdf ...]", file=sys.stderr)
        return 2
    concepts: dict[str, dict[str, str]] = {}
    broader: dict[str, set[str]] = {}
    for path in main_paths:
        found, rel = _read(path)
        for number, labels in found.items():
            concepts.setdefault(number, {}).update(labels)
        for number, parents in rel.items():
            broader.setdefault(number, set()).update(parents)
    for path in extra_paths:
        found, _ = _read(path)
        for number, labels in found.items():
            if number in concepts:
                for lang, label in labels.items():
                    concepts[number].setdefault(lang, label)
    langs = sorted({lang for labels in concepts.values() for lang in labels})
    doc = {
        "about": "GEMET (EEA) concept prefLabels: de, fr, it, nl from GEMET 4.1.2 "
        "(geonetwork/util-gemet thesauri/gemet-*.rdf @ 74409eb), en from GEMET 4.0.1 "
        "(same repository @ b145c8d); see vocabularies/README.md.",
        "base": BASE,
        "languages": langs,
        "concepts": {k: dict(sorted(v.items())) for k, v in sorted(concepts.items(), key=_num)},
        "broader": {k: sorted(v, key=int) for k, v in sorted(broader.items(), key=_num)},
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(len(concepts), "concepts,", ", ".join(langs), "->", OUT)
    return 0


def _num(kv: tuple[str, object]) -> int:
    return int(kv[0])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
