"""Pins the CKAN internals in compat/ckan.py (run on CKAN 2.11 and 2.12)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from flask import request

from ckanext.partnercity.compat import ckan as compat


def _dataset(name: str, **fields) -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"ignore_auth": True, "user": site_user}
    org = tk.get_action("organization_create")(dict(context), {"name": f"{name}-org"})
    data = {"name": name, "title": name, "notes": "A dataset", "owner_org": org["id"], **fields}
    return tk.get_action("package_create")(dict(context), data)


def test_handle_i18n_takes_the_language_off_the_path():
    environ = {"PATH_INFO": "/de/partner-cities", "SCRIPT_NAME": ""}
    compat.handle_i18n(environ)
    assert environ["PATH_INFO"] == "/partner-cities"
    assert environ["CKAN_LANG"] == "de"


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckan.search.solr_commit", "false")
def test_solr_commit_makes_new_datasets_searchable():
    _dataset("compat-commit")
    compat.solr_commit(wait=True)
    found = tk.get_action("package_search")({}, {"q": "name:compat-commit"})
    assert found["count"] == 1


def test_licence_register_by_id_and_by_url():
    register = compat.licences()
    title, url = register["cc-by"]
    assert "Creative Commons" in title and url.startswith("http")
    assert register[url][0] == title


def test_allow_caching_marks_the_page_as_cookie_dependent(app):
    with app.flask_app.test_request_context("/partner-cities"):
        compat.allow_caching(request.environ)
        assert request.environ["__limit_cache_by_cookie__"] is True


@pytest.mark.usefixtures("clean_db")
def test_extras_select_reads_extras_in_either_shape():
    pkg = _dataset("compat-extras", extras=[{"key": "colour", "value": "green"}])
    query = compat.extras_select(("colour",), model.package_table.c.id == pkg["id"])
    rows = model.Session.execute(query).all()
    assert [(row.id, row.colour) for row in rows] == [(pkg["id"], "green")]


@pytest.mark.usefixtures("clean_db")
def test_permission_labels_tell_public_from_member_datasets():
    """hvd/visibility.py filters reports with them: public for all, private for members."""
    private = model.Package.get(_dataset("compat-labels", private=True)["id"])
    labels = compat.permission_labels()
    assert labels.get_user_dataset_labels(None) == ["public"]
    assert "public" not in labels.get_dataset_labels(private)
    assert f"member-{private.owner_org}" in labels.get_dataset_labels(private)


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("other_observers", [False, True], ids=["search-only", "observers"])
def test_deferred_indexing_holds_back_this_sessions_indexing_until_index_packages(
    monkeypatch, other_observers
):
    """2.11: our before_commit listener runs before CKAN's and keeps SynchronousSearchPlugin
    quiet, also when other observers must still be notified (CKAN's walk, then);
    2.12: ``defer_commit`` keeps package_create from indexing. Then one index call."""
    from ckan.lib.search.index import PackageSearchIndex

    monkeypatch.setattr(compat, "_other_observers", lambda: other_observers)

    indexed: list[str] = []
    index_package = PackageSearchIndex.index_package

    def spied(self, pkg_dict, defer_commit=False):
        indexed.append(pkg_dict["id"])
        return index_package(self, pkg_dict, defer_commit)

    monkeypatch.setattr(PackageSearchIndex, "index_package", spied)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    org = tk.get_action("organization_create")(
        {"ignore_auth": True, "user": site_user}, {"name": "compat-deferred-org"}
    )
    pending: set[str] = set()
    with compat.deferred_indexing(pending):
        context = {"user": site_user, "defer_commit": True, "return_id_only": True}
        data = {"name": "compat-deferred", "title": "D", "notes": "N", "owner_org": org["id"]}
        package_id = tk.get_action("package_create")(context, data)
        model.Session.commit()
        compat.solr_commit(wait=True)
        assert indexed == []
        assert tk.get_action("package_search")({}, {"q": "name:compat-deferred"})["count"] == 0
    if compat.SynchronousSearchPlugin is not None:
        assert pending == {package_id}  # 2.11 notes what it would have indexed
    else:
        assert pending == set()  # 2.12: the caller notes what it wrote
    assert compat.DEFERRED not in model.Session().info
    assert compat.index_packages({package_id, "no-such-dataset"}) == 1
    assert indexed == [package_id]
    compat.solr_commit(wait=True)
    assert tk.get_action("package_search")({}, {"q": "name:compat-deferred"})["count"] == 1
