"""What udata's ids and flags mean: licences, and how a dataset says "high-value dataset".

udata gives a licence as an id of its own register; a dataset harvested by udata from a DCAT
source whose licence udata could not match keeps ``notspecified`` and, in ``extras.dcat``,
the licence as the source stated it. udata marks HVD with the ``hvd`` tag and, for certified
public-service organizations, the ``hvd`` badge; its own DCAT-AP export states the HVD
regulation and categories only for the badge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ckanext.partnercity.harvesters.base import json_text as _text
from ckanext.partnercity.harvesters.urls import is_http_url

#: udata's licence ids (data.gouv.fr's ``/api/1/datasets/licenses/``) -> title and official
#: page. udata's ``cc-by``/``cc-by-sa`` carry no version: the current 4.0 deed is linked.
LICENCES: dict[str, tuple[str, str]] = {
    "lov2": (
        "Licence Ouverte / Open Licence version 2.0",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    "fr-lo": (
        "Licence Ouverte / Open Licence",
        "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
    ),
    "odc-odbl": (
        "Open Data Commons Open Database License (ODbL)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "odc-by": (
        "Open Data Commons Attribution License",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "odc-pddl": (
        "Open Data Commons Public Domain Dedication and Licence (PDDL)",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    "cc-by": ("Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa": (
        "Creative Commons Attribution Share-Alike",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "cc-zero": ("Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "notspecified": ("License Not Specified", ""),
    "other-at": ("Other (Attribution)", ""),
    "other-open": ("Other (Open)", ""),
    "other-pd": ("Other (Public Domain)", ""),
}

HVD_BADGE, HVD_TAG = "udata: hvd badge", "udata: hvd tag"
#: What udata's own DCAT-AP export states for a dataset with the ``hvd`` badge: the HVD
#: regulation, and a category for each of these tags (slugs of the French category names).
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
HVD_CATEGORY_TAGS = {
    "meteorologiques": "http://data.europa.eu/bna/c_164e0bf5",
    "entreprises-et-propriete-dentreprises": "http://data.europa.eu/bna/c_a9135398",
    "geospatiales": "http://data.europa.eu/bna/c_ac64a52d",
    "mobilite": "http://data.europa.eu/bna/c_b79e35eb",
    "observation-de-la-terre-et-environnement": "http://data.europa.eu/bna/c_dd313021",
    "statistiques": "http://data.europa.eu/bna/c_e1da4e07",
}


@dataclass
class HvdSigns:
    markers: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    legislation: list[str] = field(default_factory=list)


def hvd_of(tags: list[str], badges: list[str]) -> HvdSigns:
    """The HVD markers of a dataset, and what udata's DCAT-AP export states for its badge."""
    signs = HvdSigns()
    if "hvd" in badges:
        signs.markers.append(HVD_BADGE)
        signs.legislation.append(HVD_LEGISLATION)
        signs.categories = list(
            dict.fromkeys(HVD_CATEGORY_TAGS[t] for t in tags if t in HVD_CATEGORY_TAGS)
        )
    if "hvd" in tags:
        signs.markers.append(HVD_TAG)
    return signs


def licence_of(dataset: dict) -> tuple[str, str]:
    """(title, URL) of a dataset's licence: udata's register, else its harvested source's."""
    licence_id = _text(dataset.get("license"))
    if licence_id in LICENCES and licence_id != "notspecified":
        return LICENCES[licence_id]
    stated = _stated_licences(dataset)
    url = next((s for s in stated if is_http_url(s)), "")
    title = next((s for s in stated if not is_http_url(s)), "")
    if url or title:
        return title, url
    return LICENCES.get(licence_id, (licence_id, ""))


def _stated_licences(dataset: dict) -> list[str]:
    """``extras.dcat.license``: one text or a list, as udata's DCAT harvester keeps it."""
    extras = dataset.get("extras")
    dcat = extras.get("dcat") if isinstance(extras, dict) else None
    value: Any = dcat.get("license") if isinstance(dcat, dict) else None
    values = value if isinstance(value, list) else [value]
    return [t for t in (_text(v) for v in values) if t]
