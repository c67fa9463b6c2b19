"""Paste a URL: which portal software a partner runs, before the partner is registered."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnercity.harvesters.detect.model import DetectionError
from ckanext.partnercity.harvesters.detect.orchestrator import detect
from ckanext.partnercity.logic import schema
from ckanext.partnercity.partners.client import http_client

__all__ = ["partnercity_portal_detect"]


def partnercity_portal_detect(context: dict, data_dict: dict) -> dict:
    """The software at ``url`` (portal_type, portal_url, title, publishers, evidence).

    At most 8 requests to the partner, under the partner URL policy; nothing is stored.
    Nothing recognised (or a refused or unreachable URL) is a ValidationError on ``url``
    saying what was tried. POST only (not side-effect free): the server sends requests to
    the URL, so a link a sysadmin merely follows must not trigger them.
    """
    tk.check_access("partnercity_portal_detect", context, data_dict)
    data = schema.check("partnercity_portal_detect", data_dict, context)
    try:
        return detect(data["url"], http_client()).as_dict()
    except DetectionError as exc:
        raise tk.ValidationError({"url": [exc.message]}) from None
