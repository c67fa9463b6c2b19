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


def reference_name(partner_name: str, record: PartnerRecord) -> str:
    """Stable, readable, unique dataset name: partner, title words, identifier hash."""
    digest = hashlib.sha1(record.identifier.encode()).hexdigest()[:10]
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
        "partner_identifier": sanitize.clean_text(record.identifier),
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
