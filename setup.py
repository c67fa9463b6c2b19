"""Packaging for ckanext-partnercity: one package tree under ``ckanext.partnercity``."""

from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["ckanext.partnercity", "ckanext.partnercity.*"]),
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
        "ckanext.partnercity.hvd.rules": ["*.yaml", "rules/*.yaml"],
        "ckanext.partnercity.hvd.report_templates": ["*.html", "*.css"],
        "ckanext.partnercity.themes": ["vocabularies/*"],
        "ckanext.partnercity.lod": ["*.ttl"],
    },
)
