"""CKAN internals we depend on, and the differences between 2.11 and 2.12.

CKAN 2.12 keeps dataset extras in a JSONB column ``package.extras``; 2.11 keeps
them as rows of ``package_extra``. Our bulk reads (one query per partner instead
of one package_show per dataset) need either shape.

Indexing: CKAN 2.12's package actions index the dataset themselves unless the
context has ``defer_commit``; CKAN 2.11's actions index nothing, its
``SynchronousSearchPlugin`` does it from the session's ``before_commit`` (twice for
a new dataset: as new, then as changed through its new resources, tags and extras).
``deferred_indexing`` keeps that plugin quiet for one session, so a harvest can
index a page's datasets once (``index_packages``) and commit Solr once.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterable, Iterator

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.config.middleware.flask_app import handle_i18n
from ckan.lib.plugins import get_permission_labels as permission_labels
from ckan.lib.search.common import SearchIndexError, make_connection
from ckan.model.license import LicenseRegister
from ckan.model.modification import DomainObjectModificationExtension

try:  # CKAN 2.11: indexing by an observer of the session's commits
    from ckan.lib.search import SynchronousSearchPlugin
except ImportError:  # CKAN 2.12: the package actions index (skipped with defer_commit)
    SynchronousSearchPlugin = None

log = logging.getLogger(__name__)

__all__ = [
    "EXTRAS_AS_JSONB",
    "allow_caching",
    "deferred_indexing",
    "extras_select",
    "handle_i18n",
    "index_packages",
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


#: session.info key: the set of package ids whose indexing this session defers.
DEFERRED = "partnercity.deferred_index"


@contextlib.contextmanager
def deferred_indexing(pending: set[str]) -> Iterator[set[str]]:
    """Until the block ends, commits of this thread's session do not index datasets.

    Only this session (one thread, one run) is affected: other requests and threads
    index as usual. Call actions with ``defer_commit`` in the context and commit the
    session yourself; the ids CKAN 2.11 would have indexed are added to ``pending``,
    the caller adds the ids it wrote (for 2.12) and calls ``index_packages(pending)``.
    """
    session = model.Session()
    session.info[DEFERRED] = pending
    try:
        yield pending
    finally:
        session.info.pop(DEFERRED, None)


def _before_commit(session) -> None:
    """CKAN 2.11: notify observers as CKAN does, but note the search index's packages.

    Runs before CKAN's own ``before_commit`` listener (``insert=True``), which then finds
    the session's change cache empty and notifies nobody a second time.
    """
    pending = session.info.get(DEFERRED)
    if pending is None:
        return
    session.flush()
    cache = getattr(session, "_object_cache", {})
    purged = any(isinstance(obj, model.Package) for obj in cache.get("deleted", ()))
    if not (purged or _other_observers()):
        # Only the search index listens: note the written datasets and skip CKAN's walk
        # over related objects (a query per new member, tag or extra), which only feeds it.
        for key in ("new", "changed"):
            pending.update(obj.id for obj in cache.get(key, ()) if isinstance(obj, model.Package))
        for objects in cache.values():
            objects.clear()
        return

    def notify(entity, operation) -> None:
        for observer in plugins.PluginImplementations(plugins.IDomainObjectModification):
            if (
                isinstance(observer, SynchronousSearchPlugin)
                and isinstance(entity, model.Package)
                and operation != model.DomainObjectOperation.deleted
            ):
                pending.add(entity.id)
                continue
            try:
                observer.notify(entity, operation)
            except SearchIndexError:
                raise  # as CKAN does: a search index that cannot follow is an error
            except Exception:  # as CKAN does: other observers are secondary
                log.exception("IDomainObjectModification observer %r failed", observer)

    DomainObjectModificationExtension().notify_observers(session, notify)
    for objects in getattr(session, "_object_cache", {}).values():
        objects.clear()


def _other_observers() -> bool:
    """Does anything but the search index watch the session's commits?"""
    watchers = [
        observer
        for observer in plugins.PluginImplementations(plugins.IDomainObjectModification)
        if not isinstance(observer, SynchronousSearchPlugin)
    ]
    return bool(watchers or list(plugins.PluginImplementations(plugins.IResourceUrlChange)))


if SynchronousSearchPlugin is not None and not sa.event.contains(
    model.Session, "before_commit", _before_commit
):
    sa.event.listen(model.Session, "before_commit", _before_commit, insert=True)


def index_packages(package_ids: Iterable[str]) -> int:
    """Index these datasets (those still in the database) without a Solr commit.

    ``ckan.lib.search.rebuild(package_ids=…)`` is what both 2.11 and 2.12 offer for it:
    package_show with validation off, then the index update with ``defer_commit``.
    """
    from ckan.lib.search import rebuild

    wanted = sorted(set(package_ids))
    if not wanted:
        return 0
    present = [
        row.id for row in model.Session.query(model.Package.id).filter(model.Package.id.in_(wanted))
    ]
    rebuild(package_ids=present, defer_commit=True, quiet=True)
    return len(present)


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
