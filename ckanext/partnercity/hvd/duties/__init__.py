"""HVD duties finder: which of a catalogue's datasets probably fall under the HVD regulation.

Core package (no CKAN): :func:`suggest` takes ``{"title", "notes", "tags", "lang"}`` dicts and
returns, per dataset, likely HVD categories with a confidence, the Annex item and the words
that matched. The CKAN action and admin page, and ``partnercity-hvd duties``, call it.
"""

from .suggest import suggest

__all__ = ["suggest"]
