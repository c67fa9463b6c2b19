"""Local copies of the partners' flags and coats of arms, served by our portal.

A partner's ``image_url`` is fetched when the partner is created or changed and again by a
harvest once the copy is a week old, into ``<ckan.storage_path>/partnercity/images/``.
Pages show only the local copy (``/partner-cities/<name>/image``): a partner whose image
cannot be fetched, or is no raster image, has none. Fetching never fails the action or
the harvest that asked for it.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from pathlib import Path

import ckan.plugins.toolkit as tk

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.images import TYPES, fetch_image
from ckanext.partnercity.partners.client import http_client

log = logging.getLogger(__name__)

REFRESH_AFTER = datetime.timedelta(days=7)


def _directory() -> Path | None:
    root = tk.config.get("ckan.storage_path")
    return Path(root) / "partnercity" / "images" if root else None


def stored(name: str) -> tuple[Path, str] | None:
    """The local copy of a partner's image and its media type, if there is one."""
    directory = _directory()
    if directory is None or not name:
        return None
    for extension, mimetype in TYPES.items():
        path = directory / f"{name}.{extension}"
        if path.is_file():
            return path, mimetype
    return None


def _meta_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.json"


def _read_meta(directory: Path, name: str) -> dict:
    try:
        return json.loads(_meta_path(directory, name).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def remove(name: str) -> None:
    directory = _directory()
    if directory is None:
        return
    for extension in [*TYPES, "json"]:
        (directory / f"{name}.{extension}").unlink(missing_ok=True)


def refresh(partner: dict, *, force: bool = False) -> str:
    """Bring the local copy in line with the partner's ``image_url``; returns what happened
    (``stored``, ``unchanged``, ``removed``, ``no storage`` or ``failed: <reason>``)."""
    directory = _directory()
    if directory is None:
        return "no storage"
    name, url = partner["name"], (partner.get("image_url") or "").strip()
    if not url:
        remove(name)
        return "removed"
    meta = _read_meta(directory, name)
    now = datetime.datetime.now(datetime.UTC)
    if not force and meta.get("url") == url and stored(name):
        fetched = datetime.datetime.fromisoformat(meta.get("fetched", "1970-01-01T00:00:00+00:00"))
        if now - fetched < REFRESH_AFTER:
            return "unchanged"
    try:
        image = fetch_image(http_client(), url)
    except HarvestError as exc:
        log.warning("image of partner %s not fetched: %s", name, exc)
        if meta.get("url") != url:
            remove(name)  # the copy shows the image of another address
        return f"failed: {exc.message}"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.{image.extension}"
    partial = target.with_suffix(target.suffix + ".partial")
    partial.write_bytes(image.content)
    remove(name)
    os.replace(partial, target)
    meta = {"url": url, "fetched": now.isoformat(), "bytes": len(image.content)}
    _meta_path(directory, name).write_text(json.dumps(meta), "utf-8")
    return "stored"


def refresh_quietly(partner: dict, *, force: bool = False) -> str:
    """``refresh`` for actions and harvests: a broken image never breaks them."""
    try:
        return refresh(partner, force=force)
    except Exception as exc:  # noqa: BLE001  (disk full, permissions: log, go on)
        log.exception("image of partner %s not refreshed", partner.get("name"))
        return f"failed: {exc.__class__.__name__}"


def public_url(partner: dict) -> str | None:
    """Where pages load a partner's image from: our portal, or nowhere."""
    found = stored(partner.get("name") or "")
    if found is None:
        return None
    version = int(found[0].stat().st_mtime)
    return tk.h.url_for("partnercity_pages.partner_image", name=partner["name"], v=version)
