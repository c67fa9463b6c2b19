"""Actions of the shared-theme layer: vocabularies, suggestions, mappings, export."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.partnercity import settings
from ckanext.partnercity.harvesters.urls import PartnerUrlError, check_partner_url, is_http_url
from ckanext.partnercity.language import ui_language
from ckanext.partnercity.logic import schema
from ckanext.partnercity.model import Concept, Mapping, MappingRelation, utcnow
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.partners.client import http_client
from ckanext.partnercity.partners.lookup import get_partner
from ckanext.partnercity.themes import mappings as themes_mappings
from ckanext.partnercity.themes import store as themes_store
from ckanext.partnercity.themes.skos.schemes import load_schemes

__all__ = [
    "partnercity_scheme_list",
    "partnercity_scheme_load",
    "partnercity_concept_show",
    "partnercity_theme_suggest",
    "partnercity_mapping_list",
    "partnercity_mapping_decide",
    "partnercity_mapping_export",
]


def _lang(data_dict: dict) -> str:
    return data_dict.get("lang") or ui_language()


@tk.side_effect_free
def partnercity_scheme_list(context: dict, data_dict: dict) -> list[dict]:
    """Loaded concept schemes with their concept counts."""
    tk.check_access("partnercity_scheme_list", context, data_dict)
    schema.check("partnercity_scheme_list", data_dict, context)
    return themes_store.scheme_list()


def partnercity_scheme_load(context: dict, data_dict: dict) -> list[dict]:
    """Load SKOS schemes from ``url`` (http(s)), an uploaded ``content`` or ``bundled: true``."""
    tk.check_access("partnercity_scheme_load", context, data_dict)
    data_dict = schema.check("partnercity_scheme_load", data_dict, context)
    if data_dict.get("bundled"):
        return themes_store.load_bundled()
    content, source = _scheme_source(data_dict)
    try:
        schemes = load_schemes(content)
    except ValueError as exc:
        raise tk.ValidationError({"content": [str(exc)]}) from None
    if not schemes:
        raise tk.ValidationError({"content": ["no skos:ConceptScheme with concepts found"]})
    return [themes_store.store_scheme(scheme, source) for scheme in schemes]


def _scheme_source(data_dict: dict) -> tuple[bytes, str]:
    if data_dict.get("url"):
        url = data_dict["url"]
        try:
            check_partner_url(url, allow_private=settings.allow_private_urls())
        except PartnerUrlError as exc:
            raise tk.ValidationError({"url": [str(exc)]}) from None
        response = http_client().get(
            url, accept="text/turtle, application/rdf+xml, application/ld+json"
        )
        return response.content, url
    if data_dict.get("content"):
        content = data_dict["content"]
        data = content.encode() if isinstance(content, str) else content
        return data, data_dict.get("filename") or "upload"
    raise tk.ValidationError({"url": [tk._("Give a url, content or bundled: true")]})


@tk.side_effect_free
def partnercity_concept_show(context: dict, data_dict: dict) -> dict:
    tk.check_access("partnercity_concept_show", context, data_dict)
    data_dict = schema.check("partnercity_concept_show", data_dict, context)
    concept = model.Session.get(Concept, data_dict.get("uri") or data_dict.get("id") or "")
    if concept is None:
        raise tk.ObjectNotFound(tk._("Concept not found"))
    return themes_store.concept_dict(concept, _lang(data_dict))


@tk.side_effect_free
def partnercity_theme_suggest(context: dict, data_dict: dict) -> list[dict]:
    """Suggest shared concepts for local category labels, one entry per label, in order.

    Anyone may call it, so the input is bounded (schema.LABELS_MAX labels of at most
    schema.LABEL_MAX_CHARS characters, schema.LABELS_TOTAL_CHARS in all) and a label
    repeated in the batch is worked on once."""
    tk.check_access("partnercity_theme_suggest", context, data_dict)
    labels = schema.label_items(data_dict.get("labels"))
    data_dict = schema.check("partnercity_theme_suggest", dict(data_dict, labels=labels), context)
    labels = schema.labels_within_budget(data_dict.get("labels") or [])
    scheme = data_dict.get("scheme") or themes_store.default_scheme()
    suggester = themes_store.suggester()  # one generation query per request, not per label
    answers: dict[tuple, list[dict]] = {}
    out = []
    for item in labels:
        label, lang = item["label"], item.get("lang")
        if (label, lang) not in answers:
            answers[label, lang] = [
                {"concept": s.concept, "relation": s.relation, "confidence": s.confidence}
                for s in suggester.suggest(label, lang, scheme=scheme)
            ]
        out.append({"label": label, "lang": lang, "suggestions": answers[label, lang]})
    return out


@tk.side_effect_free
def partnercity_mapping_list(context: dict, data_dict: dict) -> list[dict]:
    """Mappings of local categories (filters: partner, origin); ``unmapped: true`` lists
    the categories that have no applied or suggested mapping, so admins see the gaps."""
    tk.check_access("partnercity_mapping_list", context, data_dict)
    data_dict = schema.check("partnercity_mapping_list", data_dict, context)
    partner_given = bool(data_dict.get("partner"))
    partner_id = _partner_id(data_dict.get("partner"))
    lang = _lang(data_dict)
    if data_dict.get("unmapped"):
        public_only = not authz.is_sysadmin(context.get("user"))
        return _with_category_labels(
            themes_mappings.unmapped(partner_id, partner_given, public_only), lang
        )
    query = themes_mappings.current()
    if partner_given:
        query = query.filter(Mapping.partner_id == partner_id)
    if data_dict.get("origin"):
        query = query.filter(Mapping.origin == data_dict["origin"])
    mappings = query.order_by(Mapping.category, Mapping.confidence.desc().nullslast()).all()
    labels = themes_store.concept_labels((m.concept_uri for m in mappings), lang)
    rows = [dict(m.as_dict(), concept_label=labels.get(m.concept_uri)) for m in mappings]
    return _with_category_labels(rows, lang)


def _with_category_labels(rows: list[dict], lang: str) -> list[dict]:
    """``category_label``: a category that is a loaded concept's IRI (an HVD category or a
    DCAT theme of our datasets, a partner reference's HVD category) by its label in
    ``lang`` (English when the vocabulary has none), so reviewers read "Air", not
    ``http://data.europa.eu/bna/c_...``; None for a category that is a plain label."""
    iris = [row["category"] for row in rows if is_http_url(row.get("category") or "")]
    labels = themes_store.concept_labels(iris, lang)
    return [dict(row, category_label=labels.get(row["category"])) for row in rows]


def _partner_id(name: str | None) -> str | None:
    if not name:
        return None
    return get_partner(name)["id"]


def partnercity_mapping_decide(context: dict, data_dict: dict) -> dict:
    """An admin's decision on a category: accept, change (to a concept) or reject.

    Decisions win over every automatic origin and survive re-harvests; the
    datasets with that category are re-indexed (in the background when many).
    """
    tk.check_access("partnercity_mapping_decide", context, data_dict)
    data_dict = schema.check("partnercity_mapping_decide", data_dict, context)
    decision = data_dict["decision"]
    mapping = _decided_mapping(data_dict, decision, context.get("user") or "")
    ids = themes_mappings.affected_dataset_ids(mapping.partner_id, mapping.category)
    themes_mappings.apply(ids)
    # Also when nothing is re-indexed now (a background job does it, and bumps again).
    page_cache.bump("mapping decided")
    return dict(mapping.as_dict(), datasets_updated=len(ids))


def _decided_mapping(data_dict: dict, decision: str, user: str) -> Mapping:
    if data_dict.get("id"):
        mapping = model.Session.get(Mapping, data_dict["id"])
        if mapping is None:
            raise tk.ObjectNotFound(tk._("Mapping not found"))
    else:
        category = data_dict.get("category")
        if not category:
            raise tk.ValidationError({"category": [tk._("Missing value")]})
        partner_id = _partner_id(data_dict.get("partner"))
        mapping = themes_mappings.find_mapping(partner_id, category, data_dict.get("concept"))
        if mapping is None:
            mapping = Mapping(
                partner_id=partner_id, category=category, lang=data_dict.get("lang") or ""
            )
    if decision == "change" or not mapping.concept_uri:
        concept = data_dict.get("concept")
        if model.Session.get(Concept, concept or "") is None:
            message = tk._("Not a loaded concept: {}").format(concept)
            raise tk.ValidationError({"concept": [message]})
        mapping.concept_uri = concept
    relation = data_dict.get("relation") or mapping.relation or "exactMatch"
    if relation not in list(MappingRelation):
        raise tk.ValidationError({"relation": [", ".join(MappingRelation)]})
    mapping.relation = relation
    mapping.origin, mapping.rejected = "decided", decision == "reject"
    mapping.decided_by = user
    mapping.updated_at = utcnow()
    model.Session.add(mapping)
    model.Session.commit()
    return mapping


@tk.side_effect_free
def partnercity_mapping_export(context: dict, data_dict: dict) -> str:
    """All current mappings as SKOS (Turtle by default, or JSON-LD)."""
    tk.check_access("partnercity_mapping_export", context, data_dict)
    fmt = schema.check("partnercity_mapping_export", data_dict, context)["format"]
    return themes_mappings.export_graph().serialize(format=fmt)
