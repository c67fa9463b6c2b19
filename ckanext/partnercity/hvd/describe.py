"""One description of our datasets: the DCAT-AP HVD RDF that ``/hvd/report.ttl`` publishes.

The portal's check and the Art. 5 export both start here, so they cannot disagree: each
dataset dict goes once through ckanext-dcat's serializer (profiles ``euro_dcat_ap_3``,
``euro_dcat_ap_scheming`` and our ``partnercity_hvd``); the export writes the graphs of the
public datasets in HVD scope, the check reads the same graphs (private datasets too) with
the standalone checker's RDF loader. Results are mapped back to CKAN by dataset URI
(ckanext-dcat's ``dataset_uri()``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import rdflib
from rdflib.namespace import DCAT

from ckanext.partnercity.hvd.rules import engine, loaders
from ckanext.partnercity.hvd.rules.model import Catalogue

log = logging.getLogger(__name__)

PROFILES = ["euro_dcat_ap_3", "euro_dcat_ap_scheming", "partnercity_hvd"]


@dataclass
class Description:
    """The RDF of some datasets, one graph per dataset, and the catalogue's own triples."""

    serializer: Any  # ckanext-dcat's RDFSerializer
    catalog_ref: rdflib.URIRef
    catalog: rdflib.Graph
    graphs: dict[str, rdflib.Graph] = field(default_factory=dict)  # dataset URI → its graph
    packages: dict[str, dict] = field(default_factory=dict)  # dataset URI → dataset dict

    def graph(self, uris: list[str] | None = None) -> rdflib.Graph:
        """The catalogue with the datasets ``uris`` (default: all), as ckanext-dcat's
        ``serialize_catalog`` builds it: the catalogue lists each with ``dcat:dataset``."""
        out = self.serializer.g = _new_graph()
        self.serializer.graph_from_catalog(catalog_dict())  # binds the prefixes too
        for uri in self.graphs if uris is None else uris:
            out += self.graphs[uri]
            out.add((self.catalog_ref, DCAT.dataset, rdflib.URIRef(uri)))
        return out

    def catalogue(self) -> Catalogue:
        """The normalized model of every dataset, read as the standalone checker reads RDF."""
        data = self.graph().serialize(format="nt", encoding="utf-8")
        return loaders.load_rdf(data, loaders.N_TRIPLES, name=str(self.catalog_ref))


def _new_graph() -> rdflib.Graph:
    return rdflib.Graph()


def catalog_dict() -> dict:
    """The catalogue's title, description and homepage in the export (and so in the check)."""
    return {
        "title": tk.config.get("ckan.site_title"),
        "description": tk._("High-Value Datasets (Implementing Regulation (EU) 2023/138)"),
        "homepage": tk.config.get("ckan.site_url"),
    }


def for_serializer(pkg: dict) -> dict:
    """ckanext-dcat 2.4 reads a data service's contact as one dict, while scheming keeps
    repeating subfields as a list (a crash otherwise); hand it the first contact.

    The dataset, its resources and their services are copied (shallowly: ckanext-dcat writes
    into the service dicts), never the whole tree: a deep copy was a tenth of the run.
    """
    resources = []
    for resource in pkg.get("resources") or []:
        services = resource.get("access_services")
        if isinstance(services, list):
            resource = {**resource, "access_services": [_one_contact(s) for s in services]}
        resources.append(resource)
    return {**pkg, "resources": resources}


def _one_contact(service):
    if not isinstance(service, dict):
        return service
    service = dict(service)
    if isinstance(service.get("contact"), list):
        contacts = [c for c in service["contact"] if isinstance(c, dict)]
        if contacts:
            service["contact"] = contacts[0]
        else:
            service.pop("contact")
    return service


def describe(packages: list[dict]) -> Description:
    """Serialize each dataset dict once, into a graph of its own (URIs shared, blank nodes
    not: each graph is exactly what that dataset adds to the catalogue)."""
    # imported here: ckanext-dcat's modules, imported while plugins load, fill CKAN's
    # validator cache before this plugin's validators are registered
    from ckanext.dcat.processors import RDFSerializer
    from ckanext.dcat.utils import dataset_uri

    serializer = RDFSerializer(profiles=PROFILES)
    catalog = serializer.g = _new_graph()
    catalog_ref = serializer.graph_from_catalog(catalog_dict())
    out = Description(serializer, catalog_ref, catalog)
    for pkg in packages:
        uri = dataset_uri(pkg)
        serializer.g = _new_graph()
        serializer.graph_from_dataset(for_serializer(pkg))
        if uri in out.graphs:  # two datasets naming one URI are one dataset in the export
            log.warning("datasets %s and %s share the URI %s", out.packages[uri]["id"],
                        pkg["id"], uri)  # fmt: skip
            out.graphs[uri] += serializer.g
            continue
        out.graphs[uri], out.packages[uri] = serializer.g, pkg
    return out


def in_scope_uris(description: Description, catalogue: Catalogue | None = None) -> list[str]:
    """URIs of the described datasets the checker puts in HVD scope, in dataset order."""
    catalogue = catalogue or description.catalogue()
    scoped = {record.uri for record in catalogue.datasets if engine.in_scope(record)}
    return [uri for uri in description.graphs if uri in scoped]
