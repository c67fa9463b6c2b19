"""The admin "Add partner city" form: paste a URL, Detect, pick a publisher, then the rest.

Works without JavaScript: "Detect" and "Add" are POSTs of one form (CSRF-protected like
the other admin forms); each answer renders the form again, prefilled with what detection
found (portal type and base URL, title, the publisher as source filter) for the team to
check and complete. Detection and creation are the actions partnercity_portal_detect and
partnercity_partner_create, so the page does nothing the API does not.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnercity.helpers import partnercity_portal_type_choices

#: The fields the form posts to partnercity_partner_create.
FIELDS = (
    "title",
    "name",
    "country",
    "portal_type",
    "portal_url",
    "source_filter",
    "partnership_since",
    "wikidata",
    "description",
)
NAME_MAX = 100


def slug(text: str) -> str:
    """A partner name (URL) from a title: ASCII, lowercase, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:NAME_MAX]


def _error_lines(exc: tk.ValidationError) -> dict[str, list[str]]:
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {}
    return {
        key: [str(m) for m in (value if isinstance(value, list) else [value])]
        for key, value in errors.items()
    }


def prefilled(found: dict) -> dict[str, str]:
    """The form's values from a detection: the team still checks and edits each one."""
    publishers = found.get("publishers") or []
    return {
        "title": found.get("title") or "",
        "name": slug(found.get("title") or ""),
        "portal_type": found["portal_type"],
        "portal_url": found["portal_url"],
        "source_filter": publishers[0]["id"] if len(publishers) == 1 else "",
    }


def type_choices(current: str) -> list[dict]:
    """The registered portal types, plus a detected one not installed here (shown as such)."""
    choices = partnercity_portal_type_choices()
    if current and current not in {c["value"] for c in choices}:
        label = tk._("{type} (not installed on this portal)").format(type=current)
        choices.append({"value": current, "label": label})
    return choices


#: What the team typed that a new detection must not overwrite (Enter in a field of the
#: full form submits its first button, Detect, again).
TYPED = ("title", "name", "country", "partnership_since", "wikidata", "description")


def detect(context: dict, form: dict) -> dict[str, Any]:
    """Template variables after "Detect": the finding and the prefilled form (keeping what
    was typed), or the error."""
    url = form.get("url", "")
    typed = {key: form[key].strip() for key in TYPED if (form.get(key) or "").strip()}
    try:
        found = tk.get_action("partnercity_portal_detect")(context, {"url": url})
    except tk.ValidationError as exc:
        return {"url": url, "errors": _error_lines(exc), "values": typed}
    return {"url": url, "found": found, "values": {**prefilled(found), **typed}, "errors": {}}


def create(context: dict, form: dict) -> tuple[dict | None, dict[str, Any]]:
    """Create the partner from the posted form: (the partner, {}) or (None, variables to
    render the form again with the errors and what was typed)."""
    values = {key: (form.get(key) or "").strip() for key in FIELDS}
    data = {key: value for key, value in values.items() if value}
    try:
        partner = tk.get_action("partnercity_partner_create")(context, data)
    except tk.ValidationError as exc:
        return None, {"url": form.get("url", ""), "values": values, "errors": _error_lines(exc)}
    return partner, {}


def variables(state: dict[str, Any]) -> dict[str, Any]:
    """Everything the template reads, with defaults for the first, empty form."""
    values = state.get("values") or {}
    return {
        "url": state.get("url", ""),
        "found": state.get("found"),
        "values": values,
        "errors": state.get("errors") or {},
        "type_choices": type_choices(values.get("portal_type", "")),
        "show_details": bool(state.get("found") or values),
    }
