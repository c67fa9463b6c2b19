"""ckanext-dcat RDF profile ``partnercity_hvd``: what DCAT-AP HVD adds to DCAT-AP 3.

Runs after ``euro_dcat_ap_3`` and ``euro_dcat_ap_scheming``; writes what ckanext-dcat leaves
out and types objects explicitly, because the official shapes run without inference.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.profiles.base import DCATAP, VCARD
from ckanext.partnercity import settings
from ckanext.partnercity.hvd.rules.eu_reporting import country_uri
from ckanext.partnercity.hvd.rules.licences import eu_nal
from ckanext.partnercity.hvd.rules.loaders import as_list

ELI = Namespace("http://data.europa.eu/eli/ontology#")

#: predicate → class its objects must have (hvd-SHACL-ranges.ttl, DCAT-AP HVD 3.0.0).
RANGES = {
    DCATAP.hvdCategory: SKOS.Concept,
    DCATAP.applicableLegislation: ELI.LegalResource,
    FOAF.page: FOAF.Document,
    DCAT.contactPoint: VCARD.Kind,
    DCTERMS.rights: DCTERMS.RightsStatement,
    DCTERMS.license: DCTERMS.LicenseDocument,
    DCTERMS.conformsTo: DCTERMS.Standard,
    DCAT.endpointDescription: RDFS.Resource,
    DCAT.endpointURL: RDFS.Resource,
    DCAT.accessURL: RDFS.Resource,
    VCARD.hasEmail: RDFS.Resource,
    VCARD.hasURL: RDFS.Resource,
}


class PartnercityHvdProfile(RDFProfile):
    """DCAT-AP HVD additions on top of ckanext-dcat's DCAT-AP 3 output."""

    def parse_dataset(self, dataset_dict: dict, dataset_ref) -> dict:
        return dataset_dict

    def graph_from_dataset(self, dataset_dict: dict, dataset_ref) -> None:
        g = self.g
        for key, predicate in (("title_en", DCTERMS.title), ("notes_en", DCTERMS.description)):
            if dataset_dict.get(key):
                g.add((dataset_ref, predicate, Literal(dataset_dict[key], lang="en")))
        services = self._services(dataset_dict, dataset_ref)
        for dist in g.objects(dataset_ref, DCAT.distribution):
            self._access_url(dist)
        self._drop_duplicate_contacts(dataset_ref)
        nodes = [dataset_ref, *g.objects(dataset_ref, DCAT.distribution), *services]
        nodes += [c for n in list(nodes) for c in g.objects(n, DCAT.contactPoint)]
        for node in nodes:
            self._type_objects(node)
        self._catalogue_record(dataset_dict, dataset_ref)

    def _catalogue_record(self, dataset_dict: dict, dataset_ref) -> None:
        """The portal's catalogue record of the dataset (DCAT-AP ``dcat:CatalogRecord``):
        data.europa.eu's HVD reporting counts a dataset only with a record that has an
        identifier; CKAN's package id is that identifier (as the portal's check assumed
        before it read this export)."""
        if not dataset_dict.get("id"):
            return
        from ckanext.dcat.utils import catalog_uri

        uri = str(dataset_ref)
        record = URIRef(uri + ("-record" if "#" in uri else "#record"))
        g = self.g
        g.add((record, RDF.type, DCAT.CatalogRecord))
        g.add((record, FOAF.primaryTopic, dataset_ref))
        g.add((dataset_ref, RDF.type, DCAT.Resource))  # the range of foaf:primaryTopic
        g.add((record, DCTERMS.identifier, Literal(dataset_dict["id"])))
        for key, predicate in (
            ("metadata_modified", DCTERMS.modified),
            ("metadata_created", DCTERMS.issued),
        ):
            if dataset_dict.get(key):
                self._add_date_triple(record, predicate, dataset_dict[key])
        g.add((URIRef(catalog_uri()), DCAT.record, record))

    def _services(self, dataset_dict: dict, dataset_ref) -> list:
        """Data services of the dataset's distributions, with HVD fields ckanext-dcat skips.

        ckanext-dcat names a service by its ``uri`` or, for a blank node, leaves the node's
        id in the dict as ``access_service_ref``.
        """
        g, out = self.g, []
        for resource in dataset_dict.get("resources", []):
            for svc in as_list(resource.get("access_services")):
                if not isinstance(svc, dict):
                    continue
                ref = svc.get("uri") or svc.get("access_service_ref")
                if not ref:
                    continue
                node = URIRef(ref) if svc.get("uri") else BNode(ref)
                out.append(node)
                for uri in as_list(svc.get("hvd_category")):
                    g.add((node, DCATAP.hvdCategory, URIRef(uri)))
                for uri in as_list(svc.get("documentation")):
                    g.add((node, FOAF.page, URIRef(uri)))
                if not any(g.objects(node, DCAT.servesDataset)):
                    g.add((node, DCAT.servesDataset, dataset_ref))
        return out

    def _access_url(self, dist) -> None:
        """DCAT-AP requires an access URL; ckanext-dcat leaves it out when the resource URL
        is the download URL, and DCAT-AP then asks for the download URL in both places."""
        if not any(self.g.objects(dist, DCAT.accessURL)):
            for url in list(self.g.objects(dist, DCAT.downloadURL)):
                self.g.add((dist, DCAT.accessURL, url))

    def _drop_duplicate_contacts(self, dataset_ref) -> None:
        """Two ckanext-dcat profiles may write the same contact as two blank nodes."""
        seen = set()
        for contact in list(self.g.objects(dataset_ref, DCAT.contactPoint)):
            if not isinstance(contact, BNode):
                continue
            key = frozenset(self.g.predicate_objects(contact))
            if key in seen:
                self.g.remove((dataset_ref, DCAT.contactPoint, contact))
                self.g.remove((contact, None, None))
            seen.add(key)

    def _type_objects(self, node) -> None:
        for predicate, cls in RANGES.items():
            for obj in list(self.g.objects(node, predicate)):
                if not isinstance(obj, Literal):
                    self.g.add((obj, RDF.type, cls))
        for licence in self.g.objects(node, DCTERMS.license):
            nal = eu_nal(str(licence)) if isinstance(licence, URIRef) else None
            if nal:  # the usage note asks licences to be mapped to the EU licence NAL
                self.g.add((licence, SKOS.exactMatch, URIRef(nal)))

    def graph_from_catalog(self, catalog_dict: dict, catalog_ref) -> None:
        """The reporting Member State (``ckanext.partnercity.hvd.country``) as the catalogue's
        ``dct:spatial``: the EU reporting view takes the country from there."""
        spatial = country_uri(settings.hvd_country())
        if spatial:
            self.g.add((catalog_ref, DCTERMS.spatial, URIRef(spatial)))
