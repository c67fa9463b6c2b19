"""Spend the request budget in a sensible order to tell which software a pasted URL runs.

1. GET the pasted URL itself. A DCAT file, a CSW capabilities document or an ArcGIS Hub
   feed decides at once; any page shows hints (meta generator, words only one software's
   pages carry, API paths in the URL).
2. Probe the software the hints name first, then the others in a fixed order, each at the
   base URL its own path markers give (a dataset page or API URL pasted → the portal's base).
3. List the publishers of the software found, if it lists them and the budget allows.

The answer is a suggestion for an admin, who still sees and edits every field.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.detect import (
    arcgis_hub,
    ckan,
    csw,
    dcat,
    opendatasoft,
    page,
    piveau,
    udata,
)
from ckanext.partnercity.harvesters.detect.model import (
    MAX_PUBLISHERS,
    MAX_REQUESTS,
    BudgetSpent,
    Detection,
    DetectionError,
    Prober,
    Seen,
    Signature,
)
from ckanext.partnercity.harvesters.http import HttpClient, UrlRefused

#: Probing order when nothing hints: the most common software first, DKAN's shim last.
SIGNATURES: tuple[Signature, ...] = (
    dcat.SIGNATURE,
    ckan.CKAN,
    opendatasoft.SIGNATURE,
    udata.SIGNATURE,
    piveau.SIGNATURE,
    arcgis_hub.SIGNATURE,
    csw.SIGNATURE,
    ckan.DKAN,
)
PAGE_ACCEPT = (
    "text/html,application/xhtml+xml,application/rdf+xml;q=0.9,text/turtle;q=0.9,"
    "application/ld+json;q=0.9,application/json;q=0.8,*/*;q=0.5"
)
#: The software types detection can answer with, for docs and forms.
PORTAL_TYPES = ("ckan", "dcat", "opendatasoft", "arcgis_hub", "udata", "piveau", "csw")


def normalise(url: str) -> str:
    """The pasted text as a URL: trimmed, ``https://`` added when no scheme was pasted."""
    text = (url or "").strip()
    if not text:
        raise DetectionError("Paste the URL of the partner's portal.")
    if "://" not in text:
        text = f"https://{text}"
    if not urlsplit(text).hostname:
        raise DetectionError(f"{text} is not a URL.")
    return text


def _first(prober: Prober, url: str) -> Seen:
    try:
        return prober.fetch(url, accept=PAGE_ACCEPT)
    except UrlRefused as exc:
        raise DetectionError(f"The URL is refused: {exc.message}", prober.tried) from None
    except (HarvestError, BudgetSpent) as exc:
        raise DetectionError(f"{url} cannot be read: {exc}", prober.tried) from None


def _ranked(first: Seen) -> list[tuple[Signature, list[str]]]:
    """Signatures with what the first answer showed of them; hinted ones first."""
    hinted = [(sig, sig.page(first)) for sig in SIGNATURES if sig.identify is not dcat.identify]
    return sorted(hinted, key=lambda pair: not pair[1])


def detect(url: str, client: HttpClient, budget: int = MAX_REQUESTS) -> Detection:
    """The software at ``url``; DetectionError naming what was tried when nothing matches."""
    url = normalise(url)
    prober = Prober.around(client, budget)
    first = _first(prober, url)
    found = _identified(first, url) or _probed(prober, first)
    if found is None:
        raise DetectionError(_nothing(url, prober), prober.tried)
    found.title = found.title or page.title(first)
    if found.publishers is None:
        found.publishers = _publishers(prober, found)
    found.publishers = found.publishers[:MAX_PUBLISHERS]
    found.requests = prober.spent
    return found


#: Decisions from the pasted URL's own answer, the most specific first (a Hub feed is DCAT too).
IDENTIFY = (arcgis_hub.SIGNATURE, csw.SIGNATURE, dcat.SIGNATURE)


def _identified(first: Seen, url: str) -> Detection | None:
    for sig in IDENTIFY:
        found = sig.identify(first, url) if sig.identify else None
        if found is not None:
            return found
    return None


def _probed(prober: Prober, first: Seen) -> Detection | None:
    for sig, hints in _ranked(first):
        if prober.left() <= 0:
            return None
        found = sig.confirm(prober, page.base_url(first.url, sig.markers))
        if found is not None:
            found.evidence = [*hints, *found.evidence]
            return found
    return None


def _publishers(prober: Prober, found: Detection) -> list:
    sig = next((s for s in SIGNATURES if s.portal_type == found.portal_type), None)
    if sig is None or sig.publishers is None or prober.left() <= 0:
        return []
    return sig.publishers(prober, found)


def _nothing(url: str, prober: Prober) -> str:
    probed = ", ".join(urlsplit(t).path or "/" for t in prober.tried[1:]) or "nothing else"
    failures = f" Failures: {'; '.join(prober.failures[:3])}." if prober.failures else ""
    return (
        f"No supported portal software recognised at {url} (looked for "
        f"{', '.join(PORTAL_TYPES)}; {prober.spent} requests: the URL itself, then {probed})."
        f"{failures} Paste the portal's home page, a dataset page or its API or catalogue URL."
    )
