"""Packaging for ckanext-partnercity.

The core packages live at the top of the repository (harvesters/, hvd_rules/,
templates/) so they read as the design card, but they are installed under the
``ckanext.partnercity`` namespace: nothing ever imports a bare ``harvesters``.
"""

from setuptools import find_namespace_packages, setup

CORE = {
    "ckanext.partnercity.harvesters": "harvesters",
    "ckanext.partnercity.hvd_rules": "hvd_rules",
    "ckanext.partnercity.report_templates": "templates",
    "ckanext.partnercity.themes": "themes",
}

setup(
    packages=find_namespace_packages(include=["ckanext.partnercity", "ckanext.partnercity.*"])
    + list(CORE),
    package_dir=CORE,
    include_package_data=True,
    package_data={
        "ckanext.partnercity": [
            "config_declaration.yaml",
            "schemas/*.yaml",
            "templates/**/*.html",
            "migration/partnercity/alembic.ini",
            "migration/partnercity/script.py.mako",
            "i18n/**/*",
            "public/partnercity/*",
        ],
        "ckanext.partnercity.hvd_rules": ["*.yaml", "rules/*.yaml"],
        "ckanext.partnercity.report_templates": ["*.html", "*.css"],
        "ckanext.partnercity.themes": ["vocabularies/*"],
    },
)
