"""Two harvests starting together on a fresh portal both need the bundled vocabularies."""

from __future__ import annotations

import threading

import pytest
from ckan import model

from ckanext.partnercity.model import Scheme
from ckanext.partnercity.themes import store
from ckanext.partnercity.themes.skos import schemes as skos_schemes

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]


def test_concurrent_first_loads_of_the_bundled_vocabularies_do_not_collide():
    assert model.Session.query(Scheme).count() == 0
    start, errors = threading.Barrier(2), []

    def load() -> None:
        try:
            start.wait(timeout=30)
            store.ensure_bundled()  # each thread has its own session and connection
            model.Session.commit()
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    stored = {uri for (uri,) in model.Session.query(Scheme.uri).filter(Scheme.source == "bundled")}
    assert stored == {scheme.uri for scheme in skos_schemes.bundled_schemes()}
