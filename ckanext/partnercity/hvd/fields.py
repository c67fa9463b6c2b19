"""HVD fields on our own datasets: category choices and validators (scheming schema dataset.yaml).

A dataset with an HVD category is in scope of Regulation (EU) 2023/138, so the ELI is added
to the dataset, its distributions and their data services as DCAT-AP HVD requires; a data
service without categories of its own takes the dataset's.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnercity.hvd.rules import loaders
from ckanext.partnercity.hvd.rules.model import ELI_HVD, HVD_SCHEME
from ckanext.partnercity.hvd.rules.vocabulary import concept_index
from ckanext.partnercity.language import ui_language_code

# The validators and template helpers the plugin registers (through logic.validators and
# helpers), with the two functions other modules use.
__all__ = [
    "partnercity_hvd_category",
    "partnercity_hvd_legislation",
    "partnercity_hvd_service_category",
    "partnercity_hvd_category_choices",
    "partnercity_hvd_category_label",
    "category_label",
    "as_list",
]

CATEGORY_KEY = ("hvd_category",)


@functools.cache
def _concepts() -> dict[str, tuple[dict[str, str], int, str]]:
    """HVD concept URI → (prefLabels by language, depth, sort key), from the bundled vocabulary."""
    index = concept_index()
    labels = index.pref_labels
    out = {}
    for uri in index.broader:
        path = [*reversed(index.ancestors(uri)), uri]
        key = " / ".join(labels.get(u, {}).get("en", u) for u in path)
        out[uri] = (labels.get(uri, {}), len(path) - 1, key)
    return out


def category_label(uri: str, lang: str) -> str:
    labels = _concepts().get(uri, ({}, 0, ""))[0]
    return labels.get(lang) or labels.get("en") or uri


def partnercity_hvd_category_choices(field: dict | None = None) -> list[dict]:
    """Choices in the UI language, ordered and indented by the vocabulary's hierarchy."""
    lang = ui_language_code()
    rows = sorted(_concepts().items(), key=lambda item: item[1][2])
    return [
        {"value": uri, "label": "\u2003" * depth + category_label(uri, lang)}
        for uri, (_labels, depth, _key) in rows
    ]


def as_list(value: Any) -> list[str]:
    """A field value as sent by forms (str), the API (list) or stored (JSON text)."""
    if value is tk.missing:
        return []
    return [str(v).strip() for v in loaders.as_list(value) if str(v).strip()]


def partnercity_hvd_category(value: Any) -> str:
    """Only concepts of the HVD category scheme; stored as a JSON list (like scheming)."""
    uris = list(dict.fromkeys(as_list(value)))
    unknown = [u for u in uris if u not in _concepts()]
    if unknown:
        raise tk.Invalid(
            tk._("Not an HVD category of {scheme}: {uris}").format(
                scheme=HVD_SCHEME, uris=", ".join(unknown)
            )
        )
    return json.dumps(uris)


def _dataset_categories(data: dict) -> list[str]:
    return as_list(data.get(CATEGORY_KEY))


def partnercity_hvd_legislation(key, data, errors, context) -> None:
    """Add the HVD ELI wherever the dataset has an HVD category."""
    if not _dataset_categories(data):
        return
    values = as_list(data.get(key))
    if ELI_HVD not in values:
        data[key] = [*values, ELI_HVD]


def partnercity_hvd_service_category(key, data, errors, context) -> None:
    """A data service of an HVD dataset without categories of its own takes the dataset's."""
    if as_list(data.get(key)):
        return
    categories = _dataset_categories(data)
    if categories:
        data[key] = categories


def partnercity_hvd_category_label(uri: str) -> str:
    """Template helper: an HVD category's label in the UI language."""
    return category_label(uri, ui_language_code())
