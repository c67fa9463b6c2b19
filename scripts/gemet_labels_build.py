"""Derive the compact GEMET label table the counterpart finder reads (run once; recipe).

Input: the GEMET 4.1.2 SKOS files of geonetwork/util-gemet (``thesauri/gemet-{de,fr,it,nl}.rdf``,
commit 74409ebac2eec7e439a23c689ba561858e9d8194, one prefLabel language per file), e.g. taken
with ``git show <commit>:thesauri/gemet-de.rdf``. Output:
``ckanext/partnercity/themes/vocabularies/gemet-4.1.2_concept-labels_de-fr-it-nl.json``:
``{"concepts": {"<concept number>": {"de": label, "fr": label, ...}}, "broader": {"<n>":
["<m>", ...]}}`` for the ``http://www.eionet.europa.eu/gemet/concept/<n>`` concepts (groups
and themes left out, also as broader concepts). Labels and relations are copied unchanged.

    python scripts/gemet_labels_build.py /tmp/gemet-de.rdf /tmp/gemet-fr.rdf ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox

BASE = "http://www.eionet.europa.eu/gemet/concept/"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
BROADER = "http://www.w3.org/2004/02/skos/core#broader"
OUT = (
    Path(__file__).resolve().parents[1]
    / "ckanext/partnercity/themes/vocabularies/gemet-4.1.2_concept-labels_de-fr-it-nl.json"
)


def main(paths: list[str]) -> int:
    concepts: dict[str, dict[str, str]] = {}
    broader: dict[str, set[str]] = {}
    for path in paths:
        for quad in ox.parse(path=path, format=ox.RdfFormat.RDF_XML):
            s, o = quad.subject.value, quad.object
            if not s.startswith(BASE):
                continue
            if quad.predicate.value == PREF and o.language:
                concepts.setdefault(s[len(BASE) :], {})[o.language] = o.value
            elif quad.predicate.value == BROADER and o.value.startswith(BASE):
                broader.setdefault(s[len(BASE) :], set()).add(o.value[len(BASE) :])
    doc = {
        "about": "GEMET 4.1.2 (EEA) concept prefLabels in de, fr, it, nl, from "
        "geonetwork/util-gemet thesauri/gemet-*.rdf @ 74409eb; see vocabularies/README.md.",
        "base": BASE,
        "concepts": dict(sorted(concepts.items(), key=lambda kv: int(kv[0]))),
        "broader": {
            k: sorted(v, key=int) for k, v in sorted(broader.items(), key=lambda kv: int(kv[0]))
        },
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(len(concepts), "concepts ->", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
