"""The Annex item of Implementing Regulation (EU) 2023/138 a category belongs to, and the
legislation it names, as one line an administrator can read.

Sections and their legislation follow /work/shared/reference/hvd/DIGEST.md §2 and §4 (from the
vocabulary's definitions, "… Annex, Section N", and the Annex paraphrase of the Geonovum
guide); INSPIRE annex/theme numbers are those of Directive 2007/2/EC, Annexes I–III.
"""

from __future__ import annotations

from ..rules.vocabulary import concept_index

B = "http://data.europa.eu/bna/"

SECTIONS = {
    B + "c_ac64a52d": "Annex §1 Geospatial — INSPIRE Directive 2007/2/EC themes; reference and "
    "agricultural parcels: Regulation (EU) 2021/2116 Art. 67",
    B + "c_dd313021": "Annex §2 Earth observation and environment — INSPIRE Directive 2007/2/EC "
    "themes and the Union's environmental legislation listed in the Annex",
    B + "c_164e0bf5": "Annex §3 Meteorological — datasets listed in the Annex table "
    "(API and bulk; NWP model data API only)",
    B + "c_e1da4e07": "Annex §4 Statistics — datasets of the Union statistical acts "
    "listed in the Annex",
    B + "c_a9135398": "Annex §5 Companies and company ownership — company information and "
    "documents (Directive (EU) 2017/1132)",
    B + "c_b79e35eb": "Annex §6 Mobility — INSPIRE Directive 2007/2/EC Annex I theme 7 "
    "'Transport networks'; inland waterways: Directive 2005/44/EC (RIS)",
}

#: INSPIRE Directive 2007/2/EC: the annex and number of the themes that are HVD sub-categories.
INSPIRE = {
    "c_9427236f": "Annex I theme 4 'Administrative units'",
    "c_6c2bb82d": "Annex I theme 3 'Geographical names'",
    "c_c3de25e4": "Annex I theme 5 'Addresses'",
    "c_6a3f6896": "Annex I theme 6 'Cadastral parcels'",
    "c_60182062": "Annex III theme 2 'Buildings'",
    "c_4b74ea13": "Annex I theme 7 'Transport networks'",
    "c_06b1eec4": "Annex I theme 8 'Hydrography'",
    "c_83aa10a6": "Annex I theme 9 'Protected sites'",
    "c_315692ad": "Annex II theme 1 'Elevation'",
    "c_b21e1296": "Annex II theme 2 'Land cover'",
    "c_91185a85": "Annex II theme 3 'Orthoimagery'",
    "c_e3f55603": "Annex II theme 4 'Geology'",
    "c_87a129d9": "Annex III theme 3 'Soil'",
    "c_ad9ae929": "Annex III theme 4 'Land use'",
    "c_7b8fbb64": "Annex III theme 7 'Environmental monitoring facilities'",
    "c_59c93ba5": "Annex III theme 8 'Production and industrial facilities'",
    "c_af646f5b": "Annex III theme 11 'Area management/restriction/regulation zones'",
    "c_63be22bd": "Annex III theme 12 'Natural risk zones'",
    "c_b40e6d46": "Annex III theme 15 'Oceanographic geographical features'",
    "c_f399050e": "Annex III theme 16 'Sea regions'",
    "c_c873f344": "Annex III theme 17 'Bio-geographical regions'",
    "c_c3919aec": "Annex III theme 18 'Habitats and biotopes'",
    "c_793164b6": "Annex III theme 19 'Species distribution'",
    "c_b7de66cd": "Annex III theme 20 'Energy resources'",
    "c_4dd389c5": "Annex III theme 21 'Mineral resources'",
}


#: The Union environmental act each of these Annex §2 items concerns (the Annex lists the acts;
#: these are the main one per item, named so an administrator knows which law to read).
ENVIRONMENT = {
    "c_e4358335": "Directive 2002/49/EC (environmental noise)",
    "c_43f88346": "Directive 2000/60/EC (water framework)",
    "c_63b37dd4": "Directive 2008/50/EC (ambient air quality)",
    "c_38933a65": "Directive 2008/98/EC (waste)",
    "c_b7f6a4f3": "Directives 92/43/EEC (habitats) and 2009/147/EC (birds)",
}


def annex_text(concept: str) -> str:
    """ "Annex §N Category — legislation[: INSPIRE theme]" for any concept of the scheme."""
    index = concept_index()
    top = index.top(concept)
    text = SECTIONS.get(top, "Annex of Implementing Regulation (EU) 2023/138")
    if concept != top:
        label = index.labels.get(concept, concept)
        code = concept.removeprefix(B)
        theme, act = INSPIRE.get(code), ENVIRONMENT.get(code)
        text += f"; item '{label}'" + (f" = INSPIRE {theme}" if theme else "")
        text += f": {act}" if act else ""
    return text
