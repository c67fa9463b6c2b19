"""CKAN internals we depend on, and the differences between 2.11 and 2.12.

CKAN 2.12 keeps dataset extras in a JSONB column ``package.extras``; 2.11 keeps
them as rows of ``package_extra``. Our bulk reads (one query per partner instead
of one package_show per dataset) need either shape.
"""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.config.middleware.flask_app import handle_i18n
from ckan.lib.plugins import get_permission_labels as permission_labels
from ckan.lib.search.common import make_connection
from ckan.model.license import LicenseRegister

__all__ = [
    "EXTRAS_AS_JSONB",
    "allow_caching",
    "extras_select",
    "handle_i18n",
    "licences",
    "permission_labels",
    "solr_commit",
]

EXTRAS_AS_JSONB = not hasattr(model, "package_extra_table")


def extras_select(keys: tuple[str, ...], *where) -> sa.sql.Select:
    """SELECT package id and one column per extra ``key`` (NULL when absent)."""
    pkg = model.package_table
    if EXTRAS_AS_JSONB:
        columns = [pkg.c.extras[key].astext.label(key) for key in keys]
        return sa.select(pkg.c.id, *columns).where(*where)
    extra = model.package_extra_table
    columns = [sa.func.max(sa.case((extra.c.key == key, extra.c.value))).label(key) for key in keys]
    return (
        sa.select(pkg.c.id, *columns)
        .select_from(
            pkg.outerjoin(extra, sa.and_(extra.c.package_id == pkg.c.id, extra.c.key.in_(keys)))
        )
        .where(*where)
        .group_by(pkg.c.id)
    )


def solr_commit(wait: bool = False) -> None:
    """Commit CKAN's Solr core now (what ``ckan.search.solr_commit`` would do per dataset)."""
    make_connection().commit(waitSearcher=wait)


@functools.lru_cache(maxsize=1)
def licences() -> dict[str, tuple[str, str]]:
    """CKAN's licence register by id and by URL: (title, url), as ckanext-dcat matches them."""
    register = {}
    for key, lic in LicenseRegister().items():
        register[key] = (lic.title, lic.url)
        if lic.url:
            register.setdefault(lic.url, (lic.title, lic.url))
    return register


def allow_caching(environ: dict) -> None:
    """What tk.render does for CKAN's Cache-Control headers, for a page we serve ourselves:
    CKAN's private ``ckan.lib.base._allow_caching`` where it exists, else its effect."""
    from ckan.lib import base  # imports the app's rendering stack: only when a page is served

    allow = getattr(base, "_allow_caching", None)
    if allow is not None:
        allow()
        return
    environ["__limit_cache_by_cookie__"] = True
    if not tk.asbool(tk.config.get("ckan.cache_enabled")):
        environ["__no_cache__"] = True
