"""Rebuild tests/fixtures/hvd/duties/*.json from the public repositories named in its README.

Run once by hand with local git snapshots of those repositories (paths as arguments); the bench
and the tests only read the JSON it writes. Titles, notes (first 600 characters), tags and the
portal's own HVD marker/category are kept; selection rules are spelled out below and in the
README, and nothing is edited by hand.

    python bench/hvd_duties_set_build.py DATAGOUV_GIT NKOD_GIT MDK_GIT [DCATTOOLS_GIT PILOT_GIT
                                          OHMYUNIVERSITY_DOCS_GIT]
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "hvd" / "duties"
REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "portals"
B = "http://data.europa.eu/bna/"
NOTES = 600

DGF_CATEGORY = {
    "geospatiales": B + "c_ac64a52d",
    "observation-de-la-terre-et-environnement": B + "c_dd313021",
    "meteorologiques": B + "c_164e0bf5",
    "statistiques": B + "c_e1da4e07",
    "entreprises-et-propriete-dentreprises": B + "c_a9135398",
    "mobilite": B + "c_b79e35eb",
}
#: Publishers' own tags for the classes the issue calls clearly non-HVD.
DGF_NEGATIVE_TAGS = [
    "agenda", "evenement", "evenements", "bibliotheque", "bibliotheques", "mediatheque",
    "deliberation", "deliberations", "conseil-municipal", "horaires", "musee", "musees",
    "festival", "spectacle", "spectacles",
]  # fmt: skip
PER_NEGATIVE_TAG = 8
#: "horaires" also tags public-transport timetables, which the issue counts among the titles
#: the finder must suggest: such items are not taken as clearly non-HVD.
DGF_NOT_NEGATIVE_TAGS = {"transport", "transports", "transport-en-commun", "gtfs", "bus",
                         "mobilite", "reseau-de-transport", "horaires-de-passage"}  # fmt: skip
EO_SAMPLE_STEP = 7
#: data.gouv.fr's HVD marker tags: "hvd" and the category tags it adds with it. They ARE the
#: label, so they are removed from every item's tags (a finder that read them would be scored
#: on the answer, and an undeclared dataset does not carry them).
DGF_MARKER_TAGS = frozenset(DGF_CATEGORY) | {"hvd"}

#: Musterdatenkatalog class -> HVD concept. MAPPED BY US from the class name (the portals did not
#: flag these datasets); kept apart in the bench report for that reason.
MDK_MAP = {
    "Infrastruktur - Adressen": "c_c3de25e4",
    "Raumordnung - Adressen": "c_c3de25e4",
    "Raumordnung - Hausnummern": "c_c3de25e4",
    "Raumordnung - Liegenschaftskataster": "c_6a3f6896",
    "Raumordnung - Stadtgebiet": "c_9427236f",
    "Raumordnung - Orthofotos": "c_91185a85",
    "Raumordnung - Bebauungspläne": "c_ad9ae929",
    "Raumordnung - Flächennutzungen": "c_ad9ae929",
    "Individualverkehr - Lärm": "c_e4358335",
    "Wetter - Messstellen": "c_3af3368c",
    "Bevölkerung - Einwohnerzahl": "c_f2b50efd",
    "Bevölkerung - Demografie": "c_f2b50efd",
    "Bevölkerung - Geburten und Sterbefälle": "c_317b9493",
    "ÖPNV - Haltestellen": "c_4b74ea13",
    "ÖPNV- Haltestellen": "c_4b74ea13",
    "ÖPNV - Liniennetz": "c_4b74ea13",
    "ÖPNV - Verkehrsnetz": "c_4b74ea13",
    "ÖPNV - Sollfahrdaten": "c_4b74ea13",
    "Gewässer - Wasserflächen": "c_06b1eec4",
    "Grünflächen - Naturschutz": "c_b7f6a4f3",
    "Grünflächen - Biotopflächen": "c_c3919aec",
    "Umweltschutz - Messstellen": "c_7b8fbb64",
}
MDK_NEGATIVE_PREFIXES = (
    "Kultur - Veranstaltungen", "Theater - ", "Volkshochschulen - ", "Politische Vertretung - ",
    "Bibliotheken - ", "Externe Infrastruktur - Öffnungszeiten", "Museen - ",
    "Bürgerservice - Telefonverzeichnis", "Bürgerservice - Wartezeiten", "Friedhöfe - ",
    "Website - Zugriffe", "Bevölkerung - Vornamen", "Öffentlichkeitsarbeit - Pressemitteilungen",
    "Musikschulen - ",
)  # fmt: skip
MDK_CAP = 12

#: NKOD items that are accounting statements, code lists or procedure types (clearly not Annex
#: datasets); budget fulfilment and tax statistics are left out as doubtful.
NKOD_NEGATIVE = (
    "Balance Sheet", "Rozvaha", "Profit and", "Výkaz zisku", "Notes to Financial", "Příloha",
    "Kniha podrozvahových", "Číselník", "Druh řízení", "Souhrnný výkaz",
)  # fmt: skip

UDATA_NEGATIVE = ("Baromètre", "Cuisses", "Covid", "Logements sociaux", "Marchés publics",
                  "Défibrillateurs", "Véhicules", "rickrollées")  # fmt: skip


def git_ls(repo: str, rev: str) -> list[str]:
    cmd = ["git", "-c", "core.quotepath=false", "-C", repo, "ls-tree", "-r", rev, "--name-only"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()


def git_show(repo: str, rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, "show", f"{rev}:{path}"], capture_output=True, check=True
    ).stdout.decode("utf-8")


def item(id_, title, notes, tags, lang, label, markers=frozenset(), **extra):
    """One labelled item; ``markers``: the source's HVD marker tags, dropped from ``tags``."""
    return {
        "id": id_,
        "title": (title or "").strip(),
        "notes": (notes or "").strip()[:NOTES],
        "tags": [t for t in tags if t and t not in markers],
        "lang": lang,
        "label": label,
        **extra,
    }


def datagouv(repo: str) -> list[dict]:
    names = subprocess.run(
        ["git", "-c", "core.quotepath=false", "-C", repo, "ls-tree", "-r", "HEAD", "--name-only"],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    rows = []
    csv.field_size_limit(10**9)
    for name in sorted(n for n in names if n.startswith("export-dataset-")):
        reader = csv.reader(io.StringIO(git_show(repo, "HEAD", name)), delimiter=";")
        header = None
        for row in reader:
            if row and row[0] == "id":
                header = row
            elif header and len(row) == len(header):
                rows.append(dict(zip(header, row, strict=True)))
    rows.sort(key=lambda r: r["id"])
    out, eo = [], 0
    for r in rows:
        tags = r["tags"].split(",") if r["tags"] else []
        if "hvd" not in tags:
            continue
        labels = sorted({DGF_CATEGORY[t] for t in tags if t in DGF_CATEGORY})
        if not labels:
            continue  # flagged without a category tag: nothing to score the category against
        if labels == [B + "c_dd313021"]:
            eo += 1
            if eo % EO_SAMPLE_STEP:
                continue
        out.append(item(r["id"], r["title"], r["description"], tags, "fr", labels,
                        DGF_MARKER_TAGS))  # fmt: skip
    taken: dict[str, int] = {}
    seen = {i["id"] for i in out}
    for r in rows:
        tags = r["tags"].split(",") if r["tags"] else []
        if "hvd" in tags or r["id"] in seen or DGF_NOT_NEGATIVE_TAGS & set(tags):
            continue
        for t in DGF_NEGATIVE_TAGS:
            if t in tags and taken.get(t, 0) < PER_NEGATIVE_TAG:
                taken[t] = taken.get(t, 0) + 1
                seen.add(r["id"])
                out.append(item(r["id"], r["title"], r["description"], tags, "fr", None,
                                DGF_MARKER_TAGS, why=t))  # fmt: skip
                break
    return out


def nkod(repo: str) -> list[dict]:
    rev = "9736270384e65e12d4e9b153558bddfce2eb3267"
    names = subprocess.run(
        ["git", "-c", "core.quotepath=false", "-C", repo, "ls-tree", "-r", rev, "--name-only"],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    out, seen = [], set()
    for name in sorted(n for n in names if n.startswith("nkod_data/") and n.endswith(".json")):
        d = json.loads(git_show(repo, rev, name))
        if not isinstance(d, dict) or "title" not in d or d.get("uri") in seen:
            continue
        seen.add(d.get("uri"))
        if d.get("isHVD") and d.get("hvdCategory"):
            label = [d["hvdCategory"]]
        elif not d.get("isHVD") and d["title"].startswith(NKOD_NEGATIVE):
            label = None
        else:
            continue
        out.append(item(d["uri"], d["title"], d.get("description"), d.get("keywords") or [],
                        "cs", label))  # fmt: skip
    return out


def mdk(repo: str) -> list[dict]:
    rows = csv.DictReader(io.StringIO(git_show(
        repo, "82d35ba78ff205629ae375416f39975516729a83",
        "data/raw/2022-10-10_bst_baseline_training_3506_v1.csv")))  # fmt: skip
    out, count = [], {}
    for r in rows:
        cls = r["MUSTERDATENSATZ"]
        if cls in MDK_MAP:
            label = [B + MDK_MAP[cls]]
        elif cls.startswith(MDK_NEGATIVE_PREFIXES):
            label = None
        else:
            continue
        if count.get(cls, 0) >= MDK_CAP:
            continue
        count[cls] = count.get(cls, 0) + 1
        out.append(item(r["dct:identifier"], r["dct:title"], r["dct:description"], [], "de",
                        label, mdk_class=cls, org=r["ORG"]))  # fmt: skip
    return out


def udata() -> list[dict]:
    out = []
    for entry in json.loads((REF / "data-gouv-fr_udata_15-datasets_fixtures.json").read_text()):
        d = entry["dataset"]
        tags = d.get("tags") or []
        if "hvd" in tags:
            labels = sorted({DGF_CATEGORY[t] for t in tags if t in DGF_CATEGORY})
            if not labels and "geospatiales" not in tags:
                continue
            label = labels or [DGF_CATEGORY["geospatiales"]]
        elif any(k.lower() in d["title"].lower() for k in UDATA_NEGATIVE):
            label = None
        else:
            continue
        out.append(item(d["id"], d["title"], d.get("description"), tags, "fr", label,
                        DGF_MARKER_TAGS))  # fmt: skip
    return out


def unibo() -> list[dict]:
    import pyoxigraph as ox

    data = (REF / "dati-unibo_ckan_dcat-ap-it_catalog.rdf").read_bytes()
    props: dict[tuple[str, str], dict] = {}
    keywords: dict[tuple[str, str], list[str]] = {}
    datasets = set()
    dct = "http://purl.org/dc/terms/"
    for q in ox.parse(data, format=ox.RdfFormat.RDF_XML):
        p, o = q.predicate.value, q.object
        if p.endswith("22-rdf-syntax-ns#type") and o.value == "http://www.w3.org/ns/dcat#Dataset":
            datasets.add(q.subject.value)
        elif p in (dct + "title", dct + "description") and isinstance(o, ox.Literal):
            key = (q.subject.value, o.language or "it")
            props.setdefault(key, {})[p[len(dct) :]] = o.value
        elif p == "http://www.w3.org/ns/dcat#keyword" and isinstance(o, ox.Literal):
            keywords.setdefault((q.subject.value, o.language or "it"), []).append(o.value)
    out = []
    for (subject, lang), v in sorted(props.items()):
        if "title" in v and subject in datasets:
            tags = keywords.get((subject, lang), [])
            out.append(
                item(f"{subject}#{lang}", v["title"], v.get("description"), tags, lang, None)
            )
    return out


def rostock() -> list[dict]:
    import pyoxigraph as ox

    data = (REF / "rostock_opendata-hro_ckan_dcat-ap-de_dataset.rdf").read_bytes()
    dct, r5r = "http://purl.org/dc/terms/", "http://data.europa.eu/r5r/hvdCategory"
    d: dict = {"tags": []}
    for q in ox.parse(data, format=ox.RdfFormat.RDF_XML):
        p = q.predicate.value
        if p == dct + "title":
            d["id"], d["title"] = q.subject.value, q.object.value
        elif p == dct + "description" and "dataset" in q.subject.value:
            d["notes"] = q.object.value
        elif p == "http://www.w3.org/ns/dcat#keyword":
            d["tags"].append(q.object.value)
        elif p == r5r:
            d["label"] = [q.object.value]
    return [item(d["id"], d["title"], d.get("notes"), d["tags"], "de", d.get("label"))]


#: Fedict/dcattools snapshot and the data.gov.be catalogues in it (DCAT-AP RDF/XML). The budget
#: file is not valid RDF/XML (dct:temporal holds dcat:startDate directly), so all five are read as
#: plain XML: only dcat:Dataset elements and their title, description, keyword, hvdCategory.
BE_REV = "7525cf8be7422b4fa60cd1884400ae3b73549a1c"
BE_FILES = ("dist/data/best/dcat.rdf", "dist/data/dcat-other/fpsbosabudget.xml",
            "dist/data/dcat-other/fpsecocbe.xml", "dist/data/dcat-other/fpsjust.xml",
            "dist/data/favv/dcat.rdf")  # fmt: skip
DK_REV = "f4400849c208af213a2ddf6958ef76b38b991570"
DK_PATH = "meetings/2026-07-07/T-1B-data-services-apis/example-metadata-files/ISO19139_dcat-ap.rdf"


def _by_lang(elements, attr: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in elements:
        if e.text and e.text.strip():
            out.setdefault(e.get(attr) or "", []).append(e.text.strip())
    return out


def belgium(repo: str) -> list[dict]:
    """data.gov.be catalogues: one item per dataset and title language (nl, fr, de, en).

    HVD: datasets with ``dcatap:hvdCategory`` (the label). Non-HVD: datasets of catalogues that
    declare no HVD at all (FPS Justice, FAVV/AFSCA). The unflagged datasets of catalogues that do
    declare one (BeSt derived CSVs, the CBE open-data extract) are left out as doubtful: they are
    cuts of the flagged HVD.
    """
    import xml.etree.ElementTree as ET

    dcat, dct = "{http://www.w3.org/ns/dcat#}", "{http://purl.org/dc/terms/}"
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    res = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
    about = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
    out = []
    for path in BE_FILES:
        root = ET.fromstring(git_show(repo, BE_REV, path).encode("utf-8"))
        datasets = list(root.iter(dcat + "Dataset"))
        labels = [
            sorted({e.get(res) for e in d if e.tag.endswith("}hvdCategory")}) for d in datasets
        ]
        any_hvd = any(labels)
        for d, label in zip(datasets, labels, strict=True):
            if any_hvd and not label:
                continue
            titles = _by_lang(d.findall(dct + "title"), lang_attr)
            notes = _by_lang(d.findall(dct + "description"), lang_attr)
            tags = _by_lang(d.findall(dcat + "keyword"), lang_attr)
            for lang, title in sorted(titles.items()):
                out.append(item(f"{d.get(about)}#{lang}", title[0], (notes.get(lang) or [""])[0],
                                tags.get(lang, []), lang, label or None, file=path))  # fmt: skip
    return out


def _hvd_keywords() -> frozenset[str]:
    """Keywords that are the HVD marker itself: the vocabulary's prefLabels (every language)
    and "High-value dataset" — the INSPIRE HVD-thesaurus keywords the Danish record flattens
    into dcat:keyword ("Adresser", "Geospatiale data", "High-value dataset")."""
    import pyoxigraph as ox

    vocab = Path(__file__).resolve().parents[1] / "ckanext" / "partnercity" / "themes"
    path = vocab / "vocabularies" / "high-value-dataset-category.rdf"
    labels = {
        q.object.value
        for q in ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML)
        if q.predicate.value.endswith("#prefLabel")
    }
    return frozenset(labels | {"High-value dataset"})


def denmark(repo: str) -> list[dict]:
    """The Danish geoportal's INSPIRE Addresses record (GeoDCAT-AP pilot): the dataset node only
    (not its data services), one item per title language (da, en)."""
    import pyoxigraph as ox

    data = git_show(repo, DK_REV, DK_PATH).encode("utf-8")
    dct, dcat = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
    quads = list(ox.parse(data, format=ox.RdfFormat.RDF_XML))
    datasets = {
        q.subject
        for q in quads
        if q.predicate.value.endswith("#type") and q.object.value == dcat + "Dataset"
    }
    out = []
    for ds in sorted(datasets, key=str):
        own = [q for q in quads if q.subject == ds]
        label = sorted({q.object.value for q in own if q.predicate.value.endswith("hvdCategory")})
        texts: dict[str, dict[str, list[str]]] = {}
        for q in own:
            if isinstance(q.object, ox.Literal) and q.predicate.value in (
                dct + "title",
                dct + "description",
                dcat + "keyword",
            ):
                key = q.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                texts.setdefault(q.object.language or "", {}).setdefault(key, []).append(
                    q.object.value
                )
        # The record's description and keywords are Danish only: the English item gets them too.
        da = texts.get("da", {})
        for lang, t in sorted(texts.items()):
            if "title" in t:
                notes = (t.get("description") or da.get("description") or [""])[0]
                tags = t.get("keyword") or da.get("keyword") or []
                out.append(item(f"{ds.value}#{lang}", t["title"][0], notes, tags, lang,
                                label or None, _hvd_keywords()))  # fmt: skip
    return out


#: Real GovData records (Berlin-Lichtenberg, Rheinland-Pfalz) of ckanext-dcatde's example
#: catalogue that are clearly not Annex datasets (public tenders, election results); its two
#: test records and "Naturräume Geest und Marsch" (natural regions: could be Bio-geographical
#: regions) are left out.
BERLIN_NEGATIVE = ("Aktuelle Ausschreibungen", "Europawahl")


def berlin() -> list[dict]:
    """GovData records (DCAT-AP.de RDF/XML whose catalogue URI is a placeholder,
    so it is read as plain XML): no HVD marker in 2020; the clearly non-Annex ones are taken."""
    import xml.etree.ElementTree as ET

    dcat, dct = "{http://www.w3.org/ns/dcat#}", "{http://purl.org/dc/terms/}"
    about = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
    root = ET.fromstring((REF / "govdata-ckanext-dcatde_berlin-derived_dcat-ap-de_catalog.rdf")
                         .read_bytes())  # fmt: skip
    out = []
    for d in root.iter(dcat + "Dataset"):
        title = d.findtext(dct + "title") or ""
        if title.startswith(BERLIN_NEGATIVE):
            tags = [k.text for k in d.findall(dcat + "keyword") if k.text]
            out.append(item(d.get(about), title, d.findtext(dct + "description"), tags, "de", None))
    return out


#: ohmyopensource/ohmyuniversity-docs quotes one real data.europa.eu Search API result (a Danish
#: record harvested from Open Data DK) in its API guide: JSON with // comments and shortened texts.
EDP_REV = "8992ea7b8d49f34d49b1fd67ba355b876808722a"
EDP_PATH = "docs/api/edp/api/search-api.md"


def _strip_line_comments(text: str) -> str:
    """Drop ``// ...`` up to the end of the line, outside JSON strings (URLs keep their //)."""
    out, in_str, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def edp_denmark(repo: str) -> list[dict]:
    """The data.europa.eu Search API results quoted in the guide, original language only (the
    portal's own text; the EDP's machine translations are left out). ``is_hvd: false`` records
    are non-HVD; an ``is_hvd: true`` one would carry no category to score, so it is left out."""
    import re

    text = git_show(repo, EDP_REV, EDP_PATH)
    out = []
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        data = json.loads(_strip_line_comments(block))
        results = data.get("result", {}).get("results", []) if isinstance(data, dict) else []
        for r in results:
            if r.get("is_hvd") is not False:
                continue
            details = r.get("translation_meta", {}).get("details", {})
            for lang, meta in sorted(details.items()):
                if meta.get("machine_translated") is not False or lang not in r.get("title", {}):
                    continue
                tags = [k["label"] for k in r.get("keywords", []) if k.get("language") == lang]
                notes, id_ = r.get("description", {}).get(lang), f"{r['resource']}#{lang}"
                out.append(item(id_, r["title"][lang], notes, tags, lang, None))
    return out


def main(dgf: str, nk: str, md: str, be: str = "", dk: str = "", edp: str = "") -> None:
    sources = {
        "fr-datagouv-export": datagouv(dgf),
        "fr-udata-fixtures": udata(),
        "cs-nkod": nkod(nk),
        "de-musterdatenkatalog": mdk(md),
        "de-rostock": rostock(),
        "it-en-unibo": unibo(),
        "de-berlin": berlin(),
    }
    if be:
        sources["be-datagovbe"] = belgium(be)
    if dk:
        sources["dk-geodata-info"] = denmark(dk)
    if edp:
        sources["da-edp-opendatadk"] = edp_denmark(edp)
    for name, items in sources.items():
        path = OUT / f"{name}.json"
        text = json.dumps({"source": name, "items": items}, ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
        pos = sum(1 for i in items if i["label"])
        print(f"{name}: {len(items)} items, {pos} HVD, {len(items) - pos} non-HVD")


if __name__ == "__main__":
    main(*sys.argv[1:7])
