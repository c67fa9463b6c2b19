"""The one HTTP client the portal uses towards partners: harvests, partner images, schemes
fetched by URL. Configured once from the extension's settings (URL policy, timeout, cap)."""

from __future__ import annotations

from ckanext.partnercity import settings
from ckanext.partnercity.harvesters.deadline import Deadline
from ckanext.partnercity.harvesters.http import HttpClient


def http_client(run_deadline: Deadline | None = None) -> HttpClient:
    """``run_deadline``: a harvest run's, which no request outlasts."""
    return HttpClient(
        timeout=settings.http_timeout(),
        max_bytes=settings.max_response_bytes(),
        allow_private=settings.allow_private_urls(),
        user_agent=settings.user_agent(),
        run_deadline=run_deadline,
    )
