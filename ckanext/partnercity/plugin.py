"""The CKAN plugin: wires the core into CKAN and stays thin."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultTranslation

from ckanext.partnercity import cli
from ckanext.partnercity.logic import action, auth
from ckanext.partnercity.pages import cache as page_cache
from ckanext.partnercity.pages import middleware as cached_hits
from ckanext.partnercity.partners import images as partner_images
from ckanext.partnercity.partners import titles as reference_titles
from ckanext.partnercity.partners.references import DATASET_TYPE, PARTNER_TYPE
from ckanext.partnercity.themes import index as themes_index
from ckanext.partnercity.themes import mappings as themes_mappings
from ckanext.partnercity.views import admin as admin_views
from ckanext.partnercity.views import citizen as page_views
from ckanext.partnercity.views import counterparts as counterpart_views
from ckanext.partnercity.views import hvd as hvd_views
from ckanext.partnercity.views import hvd_attest as hvd_attest_views
from ckanext.partnercity.views import hvd_duties as hvd_duties_views
from ckanext.partnercity.views import landing as views

#: Solr field of a reference's other language versions (``extras_*``: copied into ``text``).
TRANSLATIONS_INDEX_FIELD = "extras_partner_translations_text"


# Registration by blankets: logic.validators and helpers name what they register in
# ``__all__``; logic.action collects its modules' lists (adding the ckanext-dcat chains only
# while their plugin is loaded) and logic.auth gives one auth function per action.
@tk.blanket.config_declarations
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints(
    [
        views.partnercity,
        page_views.pages,
        admin_views.admin,
        hvd_views.hvd,
        hvd_duties_views.duties,
        hvd_attest_views.hvd_attest,
        counterpart_views.review,
    ]
)
@tk.blanket.cli([cli.partnercity])
class PartnercityPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.IGroupController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)

    # IMiddleware

    def make_middleware(self, app: Any, config: Any) -> Any:
        """Cached citizen pages for anonymous visitors, answered before CKAN's request cycle."""
        flask_app = cached_hits.flask_app_of(app)
        if flask_app is None:
            return app
        return cached_hits.CachedHits(app, flask_app)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        # One small stylesheet, served as a static file: as a webassets bundle its freshness
        # checks cost 3 ms on every page render (a fifth of an uncached partner profile).
        tk.add_public_directory(config, "public")

    # IConfigurable

    def configure(self, config: Any) -> None:
        """The counterpart finder reads dictionaries where the site says (core: no CKAN)."""
        from ckanext.partnercity import settings
        from ckanext.partnercity.themes import dictionary

        dictionary.configure(settings.dictionaries())

    # IPackageController

    def before_dataset_search(self, search_params: dict) -> dict:
        """Withdrawn references stay stored but leave search, unless asked for by status.

        ``partnercity_theme`` is an alias of the multi-valued index field that holds
        the shared theme URIs (CKAN's schema has no other multi-valued string field).
        """
        fq = search_params.get("fq") or ""
        if "reference_status" not in fq:
            fq = f"{fq} -reference_status:withdrawn".strip()
        search_params["fq"] = themes_index.to_index_field(fq)
        if search_params.get("fq_list"):
            search_params["fq_list"] = [
                themes_index.to_index_field(item) for item in search_params["fq_list"]
            ]
        facets = search_params.get("facet.field")
        if isinstance(facets, list):
            search_params["facet.field"] = [themes_index.to_index_field(f) for f in facets]
        return search_params

    # IOrganizationController / IGroupController (create, edit and delete are shared with
    # IPackageController, whose after_dataset_* hooks below already cover datasets)

    def create(self, entity: Any) -> None:
        if isinstance(entity, model.Group):
            _refresh_partner_image(entity)
            page_cache.bump("organization or group created")

    def edit(self, entity: Any) -> None:
        if isinstance(entity, model.Group):
            _refresh_partner_image(entity)
            page_cache.bump("organization or group edited")

    def delete(self, entity: Any) -> None:
        if isinstance(entity, model.Group):
            if entity.type == PARTNER_TYPE:
                partner_images.remove(entity.name)
                themes_mappings.forget_partner(entity.id)
            page_cache.bump("organization or group deleted")

    def after_dataset_create(self, context: dict, pkg_dict: dict) -> None:
        _map_own_categories(pkg_dict)
        page_cache.bump("dataset created")

    def after_dataset_update(self, context: dict, pkg_dict: dict) -> None:
        _map_own_categories(pkg_dict)
        page_cache.bump("dataset updated")

    def after_dataset_delete(self, context: dict, pkg_dict: dict) -> None:
        page_cache.bump("dataset deleted")

    def after_dataset_search(self, search_results: dict, search_params: dict) -> dict:
        return themes_index.label_theme_facets(search_results)

    def before_dataset_index(self, pkg_dict: dict) -> dict:
        if pkg_dict.get("type") == DATASET_TYPE and not pkg_dict.get("reference_status"):
            pkg_dict["reference_status"] = "active"
        partner_id, categories = themes_index.dataset_categories(pkg_dict)
        pkg_dict[themes_index.INDEX_FIELD] = themes_index.applied_themes(partner_id, categories)
        pkg_dict[themes_index.HVD_INDEX_FIELD] = themes_index.hvd_categories(pkg_dict)
        # Every language version the partner published is searchable: an extras_* field is
        # copied into CKAN's catch-all "text" field by CKAN's own Solr schema.
        versions = reference_titles.search_text(pkg_dict.get("partner_translations"))
        if versions:
            pkg_dict[TRANSLATIONS_INDEX_FIELD] = versions
        return pkg_dict


def _map_own_categories(pkg_dict: dict) -> None:
    """Our dataset's new groups, tags, DCAT themes and HVD categories get their mappings
    in the same transaction, before CKAN indexes the dataset at its commit."""
    if pkg_dict.get("type") != DATASET_TYPE:
        _owner, categories = themes_index.dataset_categories(pkg_dict)
        themes_mappings.map_new_own_categories(categories)


def _refresh_partner_image(group: Any) -> None:
    """A partner's flag or coat of arms follows its image_url (partner_images)."""
    if group.type == PARTNER_TYPE and group.state == "active":
        partner_images.refresh_quietly({"name": group.name, "image_url": group.image_url})
