"""CSRF check of the extension's own forms, independent of CKAN's global exemptions.

CKAN 2.12 exempts a view from CSRF protection for the rest of the process as soon as one
request reaches it with an API token or anonymously (``csrf.exempt`` in its before-request
hook), so a later session-authenticated POST would pass without a token. The admin forms
change data, so they check the token themselves whenever CKAN's CSRF protection is on.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import current_app, g, request


def require_token() -> None:
    """Abort with 400 unless a session-authenticated POST carries a valid CSRF token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if g.get("login_via_auth_header") and tk.current_user.is_authenticated:
        return  # API token: CKAN exempts these requests, as it should
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    field = current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    try:
        validate_csrf(request.form.get(field) or request.headers.get("X-CSRFToken"))
    except ValidationError:
        tk.abort(400, tk._("The form has expired or is invalid; reload the page and try again."))
