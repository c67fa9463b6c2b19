"""Turn a harvested PartnerRecord into a partner_dataset (a linked reference)."""

from __future__ import annotations

import hashlib
import json

from slugify import slugify

from ckanext.partnercity.compat import ckan as compat
from ckanext.partnercity.harvesters import sanitize
from ckanext.partnercity.harvesters.base import PartnerRecord
from ckanext.partnercity.hvd.rules import licences

DATASET_TYPE = "partner_dataset"
PARTNER_TYPE = "partner_city"
NAME_MAX = 100
#: Longest stored partner identifier (the schema's partnercity_cap_text keeps TITLE_MAX).
IDENTIFIER_MAX = sanitize.TITLE_MAX
IDENTIFIER_HASH = 32  # hex digits of the full identifier's hash kept in a shortened one


def _licence(record: PartnerRecord) -> tuple[str, str]:
    """(title, url) as the partner states them, completed from CKAN's register when the
    partner's parser matched a register licence (ckanext-dcat gives its id)."""
    title, url = record.license_title, record.license_url
    if record.license_id:
        register = compat.licences()
        if not url and not title and record.license_id in register:
            title, url = register[record.license_id]
        elif url in register:
            title = register[url][0]
    return title, url


def identifier_key(identifier: object) -> str:
    """The one form of a partner's identifier: what is stored, looked up and compared.

    Sanitized (entities decoded, tags and controls gone, NFC) exactly as the schema stores
    it, so a lookup finds what an earlier run stored however the partner encodes it. One
    longer than the schema keeps is cut and ends with a hash of all of it: still unique,
    and already as short as the schema's cap, which would otherwise cut it differently.
    """
    text = sanitize.clean_text(identifier, limit=len(str(identifier)) + 1)
    if len(text) > IDENTIFIER_MAX:
        digest = hashlib.sha256(text.encode()).hexdigest()[:IDENTIFIER_HASH]
        text = f"{text[: IDENTIFIER_MAX - IDENTIFIER_HASH - 1].rstrip()}…{digest}"
    return sanitize.clean_text(text, IDENTIFIER_MAX)  # a fixpoint: the schema keeps it as is


def reference_name(partner_name: str, record: PartnerRecord) -> str:
    """Stable, readable, unique dataset name: partner, title words, identifier hash."""
    digest = hashlib.sha1(identifier_key(record.identifier).encode()).hexdigest()[:10]
    room = NAME_MAX - len(partner_name) - len(digest) - 2
    title = slugify(sanitize.clean_title(record.title), max_length=max(room, 0)) or "dataset"
    return f"{partner_name}-{title}-{digest}"


def package_fields(record: PartnerRecord) -> dict:
    """The sanitized, capped fields of a reference (everything but name/owner/status)."""
    title = sanitize.clean_title(record.title) or sanitize.clean_title(record.identifier)
    license_title, license_url = _licence(record)
    license_url = sanitize.clean_url(license_url)
    license_title = sanitize.clean_text(license_title)
    return {
        "type": DATASET_TYPE,
        "title": title,
        "notes": sanitize.clean_markdown(record.description),
        "partner_identifier": identifier_key(record.identifier),
        "partner_uri": sanitize.clean_url(record.uri),
        "partner_landing_page": sanitize.clean_url(record.landing_page),
        "partner_license": license_title,
        "partner_license_url": license_url,
        "license_id": licences.ckan_licence_id(license_title, license_url),
        "publisher_name": sanitize.clean_text(record.publisher),
        "issued": sanitize.clean_text(record.issued, 40),
        "modified": sanitize.clean_text(record.modified, 40),
        "partner_categories": sanitize.clean_list(record.categories),
        "partner_keywords": sanitize.clean_list(record.keywords),
        "language": sanitize.clean_list(record.language),
        "hvd_category": sanitize.clean_url_list(record.hvd_category),
        "applicable_legislation": sanitize.clean_url_list(record.applicable_legislation),
        "partner_hvd_markers": sanitize.clean_list(record.hvd_markers),
        "partner_translations": sanitize.clean_translations(record.translations),
        "resources": [
            {
                "url": url,
                "name": sanitize.clean_title(dist.title) or sanitize.clean_text(dist.format, 100),
                "description": sanitize.clean_markdown(dist.description, 5000),
                "format": sanitize.clean_text(dist.format, 100),
                "mimetype": sanitize.clean_text(dist.media_type, 200),
                "access_service_url": sanitize.clean_url(dist.access_service),
            }
            for dist in record.distributions[:100]
            if (url := sanitize.clean_url(dist.url))
        ],
    }


def _fields(value: object) -> object:
    return value.__dict__ if hasattr(value, "__dataclass_fields__") else str(value)


def fingerprint(record: PartnerRecord) -> str:
    """Content hash of what the partner published: equal hashes mean nothing to write."""
    # Same bytes as json.dumps(asdict(record)), without asdict's deep copies (the hot path
    # of a no-change re-harvest).
    payload = json.dumps(record, sort_keys=True, ensure_ascii=False, default=_fields)
    return hashlib.sha256(payload.encode()).hexdigest()
