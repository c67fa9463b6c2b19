"""Typed access to the ``ckanext.partnercity.*`` options (declared in config_declaration.yaml)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnercity import __version__

PREFIX = "ckanext.partnercity."
OPTIONS = (
    "allow_private_urls",
    "http_timeout",
    "max_response_bytes",
    "user_agent",
    "full_harvest_interval_days",
    "run_timeout_minutes",
    "page_size",
    "max_distributions_per_dataset",
    "max_triples_per_dataset",
    "theme_scheme",
    "dictionaries",
    "auto_apply_confidence",
    "hvd_report_visibility",
    "hvd_auditors",
    "hvd_country",
    "page_cache_seconds",
    "city_country",
    "city_wikidata",
    "sparql_timeout_seconds",
    "sparql_max_results",
)


def allow_private_urls() -> bool:
    return tk.asbool(tk.config.get(PREFIX + "allow_private_urls"))


def http_timeout() -> int:
    return int(tk.config.get(PREFIX + "http_timeout"))


def max_response_bytes() -> int:
    return int(tk.config.get(PREFIX + "max_response_bytes"))


def full_harvest_interval_days() -> int:
    return int(tk.config.get(PREFIX + "full_harvest_interval_days"))


def run_timeout_minutes() -> int:
    return int(tk.config.get(PREFIX + "run_timeout_minutes"))


def page_size() -> int:
    return int(tk.config.get(PREFIX + "page_size"))


def max_distributions_per_dataset() -> int:
    return int(tk.config.get(PREFIX + "max_distributions_per_dataset"))


def max_triples_per_dataset() -> int:
    return int(tk.config.get(PREFIX + "max_triples_per_dataset"))


def theme_scheme() -> str:
    return tk.config.get(PREFIX + "theme_scheme")


def dictionaries() -> str:
    return tk.config.get(PREFIX + "dictionaries") or ""


def auto_apply_confidence() -> float:
    return float(tk.config.get(PREFIX + "auto_apply_confidence"))


def page_cache_seconds() -> int:
    return int(tk.config.get(PREFIX + "page_cache_seconds") or 0)


def city_country() -> str | None:
    return (tk.config.get(PREFIX + "city_country") or "").strip().upper() or None


def city_wikidata() -> str | None:
    return (tk.config.get(PREFIX + "city_wikidata") or "").strip() or None


def sparql_timeout_seconds() -> int:
    return int(tk.config.get(PREFIX + "sparql_timeout_seconds") or 0)


def sparql_max_results() -> int:
    return int(tk.config.get(PREFIX + "sparql_max_results") or 0)


def hvd_report_visibility() -> str:
    return tk.config.get(PREFIX + "hvd.report_visibility")


def hvd_auditors() -> list[str]:
    return tk.aslist(tk.config.get(PREFIX + "hvd.auditors"))


def hvd_country() -> str:
    """The reporting Member State (EU country NAL code or URI); "" when unknown."""
    return (tk.config.get(PREFIX + "hvd.country") or "").strip()


def user_agent() -> str:
    configured = tk.config.get(PREFIX + "user_agent")
    if configured:
        return configured
    return f"ckanext-partnercity/{__version__} (+{tk.config.get('ckan.site_url')})"


def effective() -> dict[str, Any]:
    """Every option with the value in force, for status pages and support requests."""
    return {PREFIX + name.replace("hvd_", "hvd.", 1): globals()[name]() for name in OPTIONS}
