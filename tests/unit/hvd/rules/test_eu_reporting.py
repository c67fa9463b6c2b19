"""The EU reporting view, one criterion at a time (pass and fail) on small Turtle catalogues.

Each test starts from ``COUNTED`` (a catalogue data.europa.eu's reporting queries would
count: country, catalogue record, leaf category, English title and description, a bulk
download and an API with EU licences) and changes one block.
"""

from __future__ import annotations

import pytest

from ckanext.partnercity.hvd.rules import engine, eu_reporting, loaders

PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix eli: <http://data.europa.eu/eli/reg_impl/2023/138/> .
@prefix bna: <http://data.europa.eu/bna/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix ex: <https://city.example/> .
"""
BLOCKS = {
    "catalogue": "ex:catalog a dcat:Catalog ; dct:spatial country:DEU ; dcat:dataset ex:ds ; "
    "dcat:record ex:rec .",
    "record": 'ex:rec a dcat:CatalogRecord ; foaf:primaryTopic ex:ds ; dct:identifier "ds-1" .',
    "dataset": "ex:ds a dcat:Dataset ; dcatap:applicableLegislation eli:oj ; "
    'dcatap:hvdCategory bna:c_f2b50efd ; dct:title "Bevölkerung"@de, "Population"@en ; '
    'dct:description "Einwohner"@de, "Inhabitants by district"@en ; dcat:distribution ex:dist .',
    "distribution": "ex:dist a dcat:Distribution ; dcatap:applicableLegislation eli:oj ; "
    "dcat:accessURL ex:files ; dcat:downloadURL ex:files\\/pop.csv ; dct:license lic:CC_BY_4_0 .",
    "service": "ex:api a dcat:DataService ; dcat:servesDataset ex:ds ; "
    "dcatap:applicableLegislation eli:oj ; dcatap:hvdCategory bna:c_f2b50efd ; "
    "dcat:endpointURL ex:api\\/v1 ; foaf:page ex:api\\/sla ; dct:license lic:CC0 ; "
    "dcat:contactPoint [ a vcard:Kind ; vcard:hasEmail <mailto:api@city.example> ] .",
    "extra": "",
}
NO_DIST = {"distribution": "ex:dist a dcat:Distribution ."}
NO_API = {"service": ""}


def check(**blocks) -> dict:
    text = PREFIXES + "\n".join({**BLOCKS, **blocks}.values())
    return engine.check_catalogue(loaders.load(text.encode(), name="c.ttl"))


def view(**blocks) -> dict:
    return check(**blocks)["datasets"][0]["eu_reporting"]


def test_a_complete_dataset_is_counted():
    report = check()
    ds = report["datasets"][0]
    assert ds["eu_reporting"]["counted"] is True and ds["eu_reporting"]["reasons"] == []
    summary = report["summary"]["eu_reporting"]
    assert summary["country"].endswith("/country/DEU")
    assert (summary["datasets"], summary["counted"], summary["not_counted"]) == (1, 1, 0)
    assert (summary["bulk_downloads"], summary["apis"]) == (1, 1)


# -- the dataset names the ELI --------------------------------------------------------


def test_a_dataset_in_scope_by_category_only_is_not_counted_without_the_eli():
    dataset = BLOCKS["dataset"].replace("dcatap:applicableLegislation eli:oj ; ", "")
    result = view(dataset=dataset)
    assert result["reasons"] == ["dataset does not name the HVD ELI"]
    assert check(dataset=dataset)["summary"]["eu_reporting"]["without_hvd_eli"] == 1


# -- catalogue country --------------------------------------------------------------------


def test_without_catalogue_spatial_nothing_is_counted():
    catalogue = BLOCKS["catalogue"].replace("dct:spatial country:DEU ; ", "")
    assert view(catalogue=catalogue)["reasons"] == ["catalogue has no dct:spatial (country)"]


def test_a_country_outside_the_eu_is_not_a_reporting_country():
    catalogue = BLOCKS["catalogue"].replace("country:DEU", "country:NOR")
    (reason,) = view(catalogue=catalogue)["reasons"]
    assert "country/NOR is not an EU Member State" in reason


def test_without_a_catalogue_there_is_no_country():
    (reason,) = view(catalogue="")["reasons"]
    assert reason.startswith("no dcat:Catalog")


def test_country_codes_and_uris_give_the_same_nal_uri():
    uri = "http://publications.europa.eu/resource/authority/country/DEU"
    assert eu_reporting.country_uri("deu") == eu_reporting.country_uri(uri) == uri
    assert eu_reporting.country_uri("  ") is None


# -- catalogue record -------------------------------------------------------------------


def test_without_a_catalogue_record_it_is_not_counted():
    reasons = view(record="")["reasons"]
    assert reasons == ["no dcat:CatalogRecord with foaf:primaryTopic and dct:identifier"]


def test_a_record_without_identifier_does_not_count():
    record = BLOCKS["record"].replace(' ; dct:identifier "ds-1"', "")
    assert view(record=record)["counted"] is False


def test_a_record_named_by_the_catalogue_counts_without_a_type():
    assert view(record='ex:rec foaf:primaryTopic ex:ds ; dct:identifier "1" .')["counted"]


def test_a_typed_record_counts_without_the_catalogue_naming_it():
    catalogue = BLOCKS["catalogue"].replace(" ; dcat:record ex:rec", "")
    assert view(catalogue=catalogue)["counted"] is True


# -- granular category ---------------------------------------------------------------------


def test_a_broad_category_is_not_granular():
    dataset = BLOCKS["dataset"].replace("c_f2b50efd", "c_e1da4e07")  # Statistics
    service = BLOCKS["service"].replace("c_f2b50efd", "c_e1da4e07")
    reasons = view(dataset=dataset, service=service)["reasons"]
    assert reasons == ["category c_e1da4e07 has narrower concepts"]


def test_one_leaf_category_is_enough():
    dataset = BLOCKS["dataset"].replace("bna:c_f2b50efd", "bna:c_e1da4e07, bna:c_f2b50efd")
    assert view(dataset=dataset)["counted"] is True


def test_a_category_outside_the_scheme_is_named():
    dataset = BLOCKS["dataset"].replace("bna:c_f2b50efd", "ex:my-category")
    reasons = view(dataset=dataset)["reasons"]
    assert reasons == [
        "category https://city.example/my-category is not in the HVD category scheme"
    ]


# -- English title and description ---------------------------------------------------------


def test_no_english_title():
    dataset = BLOCKS["dataset"].replace(', "Population"@en', "")
    assert view(dataset=dataset)["reasons"] == ["no English dct:title"]


def test_no_english_description():
    dataset = BLOCKS["dataset"].replace(', "Inhabitants by district"@en', "")
    report = check(dataset=dataset)
    assert report["datasets"][0]["eu_reporting"]["reasons"] == ["no English dct:description"]
    assert report["summary"]["eu_reporting"]["without_english_description"] == 1


def test_a_regional_english_tag_counts_as_english():
    dataset = BLOCKS["dataset"].replace('"Population"@en', '"Population"@en-GB')
    assert view(dataset=dataset)["counted"] is True


def test_an_untagged_title_is_not_english():
    dataset = BLOCKS["dataset"].replace('"Population"@en', '"Population"')
    assert view(dataset=dataset)["reasons"] == ["no English dct:title"]


# -- routes: bulk download or API ----------------------------------------------------------


def test_a_bulk_download_alone_is_a_route():
    assert view(**NO_API)["counted"] is True


def test_an_api_alone_is_a_route():
    assert view(**NO_DIST)["counted"] is True


def test_an_access_service_is_an_api_route():
    service = BLOCKS["service"].replace("dcat:servesDataset ex:ds ; ", "")
    dist = "ex:dist a dcat:Distribution ; dcat:accessService ex:api ."
    assert view(distribution=dist, service=service)["counted"] is True


def test_without_any_route_each_gap_is_named():
    dist = BLOCKS["distribution"].replace(" ; dcat:downloadURL ex:files\\/pop.csv", "")
    service = BLOCKS["service"].replace("foaf:page ex:api\\/sla ; ", "")
    reasons = view(distribution=dist, service=service)["reasons"]
    assert reasons == [
        "distribution https://city.example/dist: no dcat:downloadURL",
        "data service https://city.example/api: no documentation page (foaf:page)",
    ]


def test_without_distributions_or_services_the_reasons_say_so():
    dataset = BLOCKS["dataset"].replace(" ; dcat:distribution ex:dist", "")
    reasons = view(dataset=dataset, distribution="", service="")["reasons"]
    assert reasons == ["no distribution", "no data service"]


def test_resources_without_the_eli_are_not_hvd_routes():
    dist = BLOCKS["distribution"].replace("dcatap:applicableLegislation eli:oj ; ", "")
    reasons = view(distribution=dist, **NO_API)["reasons"]
    assert reasons[0] == "distribution https://city.example/dist: not HVD-tagged (no ELI)"


@pytest.mark.parametrize(
    "missing, gap",
    [
        ("dcat:endpointURL ex:api\\/v1 ; ", "no dcat:endpointURL"),
        ("dcatap:hvdCategory bna:c_f2b50efd ; ", "no dcatap:hvdCategory"),
        ("dct:license lic:CC0 ; ", "no dct:license"),
    ],
)
def test_each_api_condition_is_needed(missing, gap):
    service = BLOCKS["service"].replace(missing, "")
    assert (
        f"data service https://city.example/api: {gap}"
        in view(service=service, **NO_DIST)["reasons"]
    )


def test_an_api_without_contact_point_is_no_route():
    service = BLOCKS["service"].split(" ; dcat:contactPoint")[0] + " ."
    reasons = view(service=service, **NO_DIST)["reasons"]
    assert "data service https://city.example/api: no dcat:contactPoint" in reasons


# -- licences: CC BY 4.0 or CC0, or mapped to one --------------------------------------------


def _with_licence(licence: str, extra: str = "") -> dict:
    dist = BLOCKS["distribution"].replace("lic:CC_BY_4_0", licence)
    return view(distribution=dist, extra=extra, **NO_API)


@pytest.mark.parametrize(
    "licence",
    [
        "lic:CC0",
        "<https://creativecommons.org/licenses/by/4.0/>",
        "<http://creativecommons.org/publicdomain/zero/1.0/legalcode>",
    ],
)
def test_cc_by_4_and_cc0_in_any_known_spelling_count(licence):
    assert _with_licence(licence)["counted"] is True


@pytest.mark.parametrize("mapping", ["skos:exactMatch", "owl:sameAs", "skos:narrowMatch"])
def test_an_own_licence_mapped_to_an_eu_licence_counts(mapping):
    extra = f"ex:own-licence {mapping} lic:CC_BY_4_0 ."
    assert _with_licence("ex:own-licence", extra)["counted"] is True


@pytest.mark.parametrize(
    "licence, extra",
    [
        ("lic:CC_BYSA_4_0", ""),
        ("lic:DL_DE_BY_2_0", ""),  # open under Art. 4(3), but not one the reporting counts
        ("ex:own-licence", "ex:own-licence skos:broadMatch lic:CC_BY_4_0 ."),
        ("ex:own-licence", "ex:own-licence skos:closeMatch lic:CC0 ."),
        ("ex:own-licence", ""),
    ],
)
def test_other_licences_do_not_count(licence, extra):
    reasons = _with_licence(licence, extra)["reasons"]
    assert reasons[0].endswith("is not CC BY 4.0 or CC0 nor mapped to one")


# -- scope and catalogue counts ----------------------------------------------------------


def test_out_of_scope_datasets_are_not_counted_nor_in_the_counts():
    extra = 'ex:other a dcat:Dataset ; dct:title "Opening hours"@en .'
    report = check(extra=extra)
    other = next(d for d in report["datasets"] if d["uri"].endswith("/other"))
    assert other["eu_reporting"]["counted"] is False
    assert other["eu_reporting"]["reasons"] == ["not in HVD scope"]
    assert report["summary"]["eu_reporting"]["datasets"] == 1


def test_catalogue_counts_of_bulk_downloads_and_apis():
    extra = (
        "ex:ds2 a dcat:Dataset ; dcatap:applicableLegislation eli:oj ; "
        'dcatap:hvdCategory bna:c_e1da4e07 ; dct:title "Statistik"@de ; dcat:distribution ex:d2 .'
        "ex:d2 a dcat:Distribution ; dcatap:applicableLegislation eli:oj ; dcat:accessURL ex:x ; "
        "dct:license lic:ODC_ODBL ."
        "ex:api2 a dcat:DataService ; dcat:servesDataset ex:ds2 ; "
        "dcatap:applicableLegislation eli:oj ; dcat:endpointURL ex:y ."
    )
    s = check(extra=extra)["summary"]["eu_reporting"]
    assert (s["datasets"], s["counted"], s["not_counted"]) == (2, 1, 1)
    assert s["without_catalogue_record"] == 1 and s["without_english_title"] == 1
    assert s["without_english_description"] == 1 and s["without_granular_category"] == 1
    assert s["without_route"] == 1
    assert (s["bulk_downloads"], s["bulk_downloads_without_download_url"]) == (2, 1)
    assert s["bulk_downloads_without_eu_licence"] == 1
    assert (s["apis"], s["apis_without_documentation"], s["apis_without_contact_point"]) == (
        2,
        1,
        1,
    )
    assert (s["apis_without_endpoint_url"], s["apis_without_eu_licence"]) == (0, 1)


def test_long_route_reasons_name_three_resources_and_count_the_rest():
    dists = " , ".join(f"ex:d{i}" for i in range(5))
    dataset = BLOCKS["dataset"].replace("dcat:distribution ex:dist", f"dcat:distribution {dists}")
    reasons = view(dataset=dataset, distribution="", service="")["reasons"]
    assert len([r for r in reasons if r.startswith("distribution ")]) == 3
    assert "… and 2 more distributions" in reasons


def test_a_dataset_takes_the_country_of_the_catalogue_that_lists_it():
    """Several catalogues in one file: a national one with the country, one without."""
    catalogue = BLOCKS["catalogue"].replace("dct:spatial country:DEU ; ", "")
    extra = "ex:national a dcat:Catalog ; dct:spatial country:AUT ; dcat:dataset ex:ds ."
    report = check(catalogue=catalogue, extra=extra)
    assert report["datasets"][0]["eu_reporting"]["counted"] is True
    assert report["summary"]["eu_reporting"]["countries"] == [
        "http://publications.europa.eu/resource/authority/country/AUT"
    ]


def test_datasets_of_two_countries_have_no_single_reporting_country():
    extra = (
        "ex:at a dcat:Catalog ; dct:spatial country:AUT ; dcat:dataset ex:ds2 ."
        "ex:ds2 a dcat:Dataset ; dcatap:applicableLegislation eli:oj ."
    )
    summary = check(extra=extra)["summary"]["eu_reporting"]
    assert summary["country"] is None
    assert [c[-3:] for c in summary["countries"]] == ["AUT", "DEU"]


def test_blank_node_resources_are_named_by_their_url():
    dataset = BLOCKS["dataset"].replace("dcat:distribution ex:dist", "dcat:distribution _:d")
    dist = "_:d a dcat:Distribution ; dcat:accessURL ex:files ."
    (reason, _) = view(dataset=dataset, distribution=dist, service="")["reasons"]
    assert reason.startswith("distribution _:")
    assert "(https://city.example/files): not HVD-tagged (no ELI); no dcat:downloadURL" in reason


def test_counts_per_top_category_as_on_the_dashboard():
    extra = (
        "ex:ds2 a dcat:Dataset ; dcatap:applicableLegislation eli:oj ; "
        "dcatap:hvdCategory bna:c_60182062 ."  # Geospatial › Buildings
    )
    categories = check(extra=extra)["summary"]["eu_reporting"]["categories"]
    assert categories == [
        {"category": "http://data.europa.eu/bna/c_ac64a52d", "datasets": 1, "counted": 0},
        {"category": "http://data.europa.eu/bna/c_e1da4e07", "datasets": 1, "counted": 1},
    ]


def test_an_api_front_distribution_is_not_counted_as_a_bulk_download():
    dataset = BLOCKS["dataset"].replace(
        "dcat:distribution ex:dist", "dcat:distribution ex:dist, ex:front"
    )
    extra = (
        "ex:front a dcat:Distribution ; dcatap:applicableLegislation eli:oj ; "
        "dcat:accessURL ex:api\\/v1 ; dcat:accessService ex:api ."
    )
    summary = check(dataset=dataset, extra=extra)["summary"]["eu_reporting"]
    assert (summary["bulk_downloads"], summary["bulk_downloads_without_download_url"]) == (1, 0)
