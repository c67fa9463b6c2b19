"""HVD duties in the portal: which of our datasets probably are High-Value Datasets but are
not declared, and the open-data team's answers (accept sets the category, reject is kept).

The suggestions come from the core (:mod:`ckanext.partnercity.hvd.duties`, no CKAN); this
adapter only feeds it our datasets as CKAN shows them, drops what was rejected before and
what the viewer may not see, and records decisions in ``partnercity_hvd_duty_decision``.
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.partnercity.hvd import checks, visibility
from ckanext.partnercity.hvd.fields import as_list, category_label, partnercity_hvd_category
from ckanext.partnercity.hvd.rules.model import ELI_HVD
from ckanext.partnercity.model import DutyDecision, HvdDutyDecision
from ckanext.partnercity.partners.titles import EU_LANGUAGES

#: A suggestion below this confidence is not a duty worth a person's time (issue 12 measures
#: the finder's precision at this threshold).
MIN_CONFIDENCE = 0.5
#: How many categories the finder may name per dataset.
SUGGESTIONS_PER_DATASET = 3


def suggest(items: list[dict], limit: int = SUGGESTIONS_PER_DATASET) -> list[list[dict]]:
    """The core finder (imported here, on first use: it loads its vocabularies lazily)."""
    from ckanext.partnercity.hvd.duties import suggest as core_suggest

    return core_suggest(items, limit=limit)


def declared(pkg: dict) -> bool:
    """Declared HVD: an HVD category or the 2023/138 ELI, as the checker's scope says."""
    return bool(as_list(pkg.get("hvd_category"))) or ELI_HVD in as_list(
        pkg.get("applicable_legislation")
    )


def dataset_language(pkg: dict, default: str) -> str:
    """The dataset's first language as a two-letter code, else ``default``."""
    for value in as_list(pkg.get("language")):
        code = value.rstrip("/").rsplit("/", 1)[-1]
        code = EU_LANGUAGES.get(code.upper(), code.lower())
        if len(code) == 2 and code.isalpha():
            return code
    return default


def finder_input(pkg: dict, default_lang: str) -> dict:
    """A CKAN dataset as the finder reads it: title, description, tags, language."""
    tags = [t.get("name") for t in pkg.get("tags") or [] if isinstance(t, dict)]
    return {
        "title": pkg.get("title") or "",
        "notes": pkg.get("notes") or "",
        "tags": [t for t in tags if t],
        "lang": dataset_language(pkg, default_lang),
    }


def rejected_pairs() -> set[tuple[str, str]]:
    """(dataset id, category) pairs the team rejected: never suggested again."""
    rows = model.Session.query(HvdDutyDecision.dataset_id, HvdDutyDecision.category).filter(
        HvdDutyDecision.decision == DutyDecision.REJECTED.value
    )
    return {(dataset_id, category) for dataset_id, category in rows}


def _portal_language() -> str:
    return (tk.config.get("ckan.locale_default") or "en").split("_")[0]


def candidates(context: dict, lang: str) -> list[dict]:
    """Our undeclared datasets with suggestions of confidence ≥ MIN_CONFIDENCE, best first.

    Only datasets of our own type (partner references are the partners' to declare), only
    those ``package_show`` would show the viewer, and without rejected categories.
    """
    packages = [pkg for pkg in checks.iter_datasets("own") if not declared(pkg)]
    hidden = visibility.hidden_ids([pkg["id"] for pkg in packages], context)
    packages = [pkg for pkg in packages if pkg["id"] not in hidden]
    default = _portal_language()
    found = suggest([finder_input(pkg, default) for pkg in packages])
    rejected = rejected_pairs()
    out = []
    for pkg, suggestions in zip(packages, found, strict=True):
        kept = [
            _labelled(s, lang)
            for s in suggestions
            if s["confidence"] >= MIN_CONFIDENCE and (pkg["id"], s["category"]) not in rejected
        ]
        if kept:
            out.append({"dataset": _dataset_summary(pkg), "suggestions": kept})
    out.sort(key=lambda c: (-c["suggestions"][0]["confidence"], c["dataset"]["title"]))
    return out


def _labelled(suggestion: dict, lang: str) -> dict:
    return {**suggestion, "label": category_label(suggestion["category"], lang)}


def _dataset_summary(pkg: dict) -> dict:
    org = pkg.get("organization") or {}
    return {
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title") or pkg["name"],
        "private": bool(pkg.get("private")),
        "organization": org.get("title") or org.get("name"),
    }


# -- decisions ----------------------------------------------------------------------------


def our_dataset(ref: str) -> model.Package:
    """One of our active datasets by id or name; partner references are refused."""
    pkg = model.Package.get(ref)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found: {}").format(ref))
    if pkg.type != checks.SCOPE_TYPES["own"]:
        message = tk._("Only our own datasets have HVD duties; {} is a {}").format(ref, pkg.type)
        raise tk.ValidationError({"dataset": [message]})
    return pkg


def hvd_category(uri: str) -> str:
    """A concept of the HVD category vocabulary, or a ValidationError naming ``category``."""
    try:
        partnercity_hvd_category([uri])
    except tk.Invalid as exc:
        raise tk.ValidationError({"category": [exc.error]}) from exc
    return uri


def decide(context: dict, data: dict) -> dict:
    """Accept (the category goes onto the dataset through package_patch, so the schema adds
    the ELI as on any save) or reject (kept with its reason); either is recorded."""
    pkg = our_dataset(data["dataset"])
    category = hvd_category(data["category"])
    if data["decision"] == "accept":
        shown = tk.get_action("package_show")(_write_context(context), {"id": pkg.id})
        categories = list(dict.fromkeys([*as_list(shown.get("hvd_category")), category]))
        tk.get_action("package_patch")(
            _write_context(context), {"id": pkg.id, "hvd_category": categories}
        )
    row = HvdDutyDecision(
        dataset_id=pkg.id,
        category=category,
        decision=(DutyDecision.ACCEPTED if data["decision"] == "accept" else DutyDecision.REJECTED),
        reason=data.get("reason") or "",
        decided_by=context.get("user") or "",
    )
    model.Session.add(row)
    model.Session.commit()
    return with_datasets([row], lang=data.get("lang") or "en")[0]


def _write_context(context: dict) -> dict:
    """A fresh context for CKAN's own actions, as the same user (and auth) as the caller's."""
    return {key: context[key] for key in ("user", "ignore_auth") if key in context}


def history(context: dict, limit: int, lang: str) -> list[dict]:
    """Decisions, newest first, on datasets the viewer may see."""
    rows = (
        model.Session.query(HvdDutyDecision)
        .order_by(HvdDutyDecision.decided_at.desc())
        .limit(limit)
        .all()
    )
    hidden = visibility.hidden_ids(list({row.dataset_id for row in rows}), context)
    return with_datasets([row for row in rows if row.dataset_id not in hidden], lang)


def with_datasets(rows: Iterable[HvdDutyDecision], lang: str) -> list[dict]:
    """Decisions as dicts with their dataset's name and title and the category's label."""
    rows = list(rows)
    ids = {row.dataset_id for row in rows}
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids)) if ids else []
    names = {pkg.id: (pkg.name, pkg.title or pkg.name) for pkg in packages}
    out = []
    for row in rows:
        name, title = names.get(row.dataset_id, (None, None))
        label = category_label(row.category, lang)
        out.append({**row.as_dict(), "dataset_name": name, "dataset_title": title, "label": label})
    return out
