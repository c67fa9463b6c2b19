"""Differences between the CKAN versions we support (2.11, 2.12) in one place.

CKAN 2.12 keeps dataset extras in a JSONB column ``package.extras``; 2.11 keeps
them as rows of ``package_extra``. Our bulk reads (one query per partner instead
of one package_show per dataset) need either shape.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckan import model

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
