"""The UI strings' catalogue: extractable, German complete, compiled .mo in step with the .po."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ckanext" / "partnercity" / "i18n"
DOMAIN = "ckanext-partnercity"
PO = I18N / "de" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)s")

# The pages of issue 6 (citizen pages, admin area): every string must be in the catalogue.
PAGE_SOURCES = (
    "ckanext/partnercity/templates/header.html",
    "ckanext/partnercity/templates/admin/",
    "ckanext/partnercity/templates/package/",
    "ckanext/partnercity/templates/partnercity/admin/",
    "ckanext/partnercity/templates/partnercity/snippets/",
    "ckanext/partnercity/templates/partnercity/partner_",
    "ckanext/partnercity/templates/partnercity/theme",
    "ckanext/partnercity/templates/partnercity/compare.html",
    "ckanext/partnercity/views/admin.py",
    "ckanext/partnercity/views/citizen.py",
    "ckanext/partnercity/views/landing.py",
    "ckanext/partnercity/logic/action/pages.py",
    # HVD duties (issue 12): the admin tab, the report's section, the actions' messages
    "ckanext/partnercity/templates/partnercity/snippets/hvd_duties_section.html",
    "ckanext/partnercity/views/hvd_duties.py",
    "ckanext/partnercity/logic/action/hvd_duties.py",
    "ckanext/partnercity/logic/schema_duties.py",
    "ckanext/partnercity/hvd/duty_list.py",
    # Partner titles in the reader's language (issue 15 §4): the language badge
    "ckanext/partnercity/pages/titles.py",
    "ckanext/partnercity/templates/partnercity/macros/",
)


def _messages(catalog) -> dict:
    return {_key(m.id): m for m in catalog if m.id}


def _key(value):
    """Plural ids and strings come as lists from a .mo and as tuples from a .po."""
    return tuple(value) if isinstance(value, list) else value


def test_german_catalogue_is_complete_and_not_fuzzy():
    catalog = read_po(PO.open("rb"))
    assert catalog.locale.language == "de"
    messages = _messages(catalog)
    assert len(messages) > 100
    for msgid, message in messages.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {msgid!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {msgid!r}"
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[-1])), msgid


def test_compiled_catalogue_matches_the_po():
    po = {mid: _key(m.string) for mid, m in _messages(read_po(PO.open("rb"))).items()}
    mo = {mid: _key(m.string) for mid, m in _messages(read_mo(MO.open("rb"))).items()}
    assert mo == po, "run: python setup.py compile_catalog"


def test_template_is_the_po_without_translations():
    pot = set(_messages(read_po((I18N / f"{DOMAIN}.pot").open("rb"))))
    assert pot == set(_messages(read_po(PO.open("rb"))))


def _extracted() -> dict[str, set]:
    method_map = [
        ("ckanext/partnercity/**.py", "python"),
        ("ckanext/partnercity/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ]
    found: dict[str, set] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        keywords={"_": None, "gettext": None, "ungettext": (1, 2), "ngettext": (1, 2)},
    ):
        found.setdefault(message, set()).add(filename)
    return found


def test_strings_of_the_pages_are_extracted_and_translated():
    extracted = _extracted()
    catalog = _messages(read_po(PO.open("rb")))
    # Strings from templates (CKAN's Jinja extractor) and from Python are both found.
    assert "Who publishes what" in extracted
    assert "Harvest now" in extracted
    assert ("{num} dataset", "{num} datasets") in extracted
    assert "Need to be system administrator to administer" in extracted
    missing = sorted(
        str(message)
        for message, files in extracted.items()
        if any(f.startswith(PAGE_SOURCES) for f in files) and message not in catalog
    )
    assert not missing, (
        "new UI strings: python setup.py extract_messages && python setup.py update_catalog"
        f" -l de, translate, python setup.py compile_catalog: {missing}"
    )
