"""One format label (``CSV``, ``GeoJSON``) from however a partner writes a format.

Portals write formats as EU file-type URIs (``…/authority/file-type/CSV``), CURIEs
(``ftype:CSV``), IANA media-type URIs (``https://www.iana.org/assignments/media-types/text/csv``),
bare media types (``text/csv; charset=utf-8``) or free labels (``csv``, ``.CSV``, ``Esri REST``).
Every harvester passes its format values through ``format_label`` so the reference pages,
the facets and the HVD checks see one spelling per format.
"""

from __future__ import annotations

import functools
import mimetypes
import re

FILE_TYPE_PREFIXES = (
    "http://publications.europa.eu/resource/authority/file-type/",
    "https://publications.europa.eu/resource/authority/file-type/",
)
MEDIA_TYPE_PREFIXES = (
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
)
# CURIE prefixes bound to the EU file-type authority table in DCAT-AP documents.
FILE_TYPE_CURIES = ("ftype:", "filetype:", "file-type:")

# Media types whose label is not their file extension (or whose extension mimetypes lacks).
MEDIA_TYPE_LABELS = {
    "application/geo+json": "GeoJSON",
    "application/vnd.geo+json": "GeoJSON",
    "application/ld+json": "JSON-LD",
    "application/json": "JSON",
    "application/rdf+xml": "RDF/XML",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "text/csv": "CSV",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.google-earth.kml+xml": "KML",
    "application/vnd.google-earth.kmz": "KMZ",
    "application/x-shapefile": "SHP",
    "application/x-zipped-shp": "SHP",
    "application/shapefile": "SHP",
    "application/gml+xml": "GML",
    "application/geopackage+sqlite3": "GPKG",
    "application/x-sqlite3": "SQLite",
    "application/vnd.apache.parquet": "Parquet",
    "application/x-parquet": "Parquet",
    "application/pdf": "PDF",
    "application/zip": "ZIP",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/html": "HTML",
    "text/plain": "TXT",
    "image/tiff": "TIFF",
    "image/geotiff": "GeoTIFF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/x-netcdf": "NetCDF",
    "application/netcdf": "NetCDF",
    "application/gtfs+zip": "GTFS",
    "application/vnd.sun.xml.writer": "SXW",
}
# Labels whose conventional spelling is not all upper case, by their upper-case form.
SPELLINGS = {
    "GEOJSON": "GeoJSON",
    "JSONLD": "JSON-LD",
    "JSON_LD": "JSON-LD",
    "GEOTIFF": "GeoTIFF",
    "NETCDF": "NetCDF",
    "PARQUET": "Parquet",
    "TURTLE": "Turtle",
    "RDF_XML": "RDF/XML",
    "RDFXML": "RDF/XML",
    "RDF": "RDF/XML",
    "RDF_TURTLE": "Turtle",
    "TTL": "Turtle",
    "N_TRIPLES": "N-Triples",
    "NT": "N-Triples",
    "SHAPEFILE": "SHP",
    "ESRI SHAPEFILE": "SHP",
    "SQLITE": "SQLite",
    "TIF": "TIFF",
    "JPG": "JPEG",
    "HTM": "HTML",
    "HTML_SIMPL": "HTML",
    "TEXT": "TXT",
    "WMS_SRVC": "WMS",
    "WFS_SRVC": "WFS",
    "ESRI REST": "Esri REST",
    "WEB PAGE": "Web page",
    "WEBPAGE": "Web page",
    "ARCGIS GEOSERVICES REST API": "Esri REST",
}
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+.\- ]{0,39}$")
MAX_LABEL = 100


def format_label(value: object) -> str:
    """The one label for a format written in any of the ways partners write it ("" if none)."""
    return _format_label(value) if isinstance(value, str) else ""


@functools.lru_cache(maxsize=1024)  # every distribution of every run passes here
def _format_label(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        return ""
    for prefix in FILE_TYPE_PREFIXES:
        if text.startswith(prefix):
            return _label(text[len(prefix) :])
    lowered = text.lower()
    for curie in FILE_TYPE_CURIES:
        if lowered.startswith(curie):
            return _label(text[len(curie) :])
    for prefix in MEDIA_TYPE_PREFIXES:
        if text.startswith(prefix):
            return media_type_label(text[len(prefix) :]) or _label(text.rsplit("/", 1)[-1])
    if media_type_of(text):
        return media_type_label(text) or _label(media_type_of(text).rsplit("/", 1)[-1])
    if lowered.startswith(("http://", "https://")):
        # another vocabulary's URI (purl.org media types, a portal's own): its last segment
        return _label(text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return _label(text.lstrip("."))


def media_type_label(media_type: str) -> str:
    """A label for a media type (``text/csv`` -> CSV); "" when none is known."""
    bare = media_type.split(";", 1)[0].strip().lower()
    if bare in MEDIA_TYPE_LABELS:
        return MEDIA_TYPE_LABELS[bare]
    extension = mimetypes.guess_extension(bare, strict=False)
    return _label(extension.lstrip(".")) if extension else ""


def media_type_of(value: object) -> str:
    """The bare media type an IANA media-type URI or a media type names ("" otherwise)."""
    return _media_type_of(value) if isinstance(value, str) else ""


@functools.lru_cache(maxsize=1024)
def _media_type_of(value: str) -> str:
    text = value.strip()
    for prefix in MEDIA_TYPE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    bare = text.split(";", 1)[0].strip().lower()
    return bare if re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", bare) else ""


def _label(token: str) -> str:
    token = token.strip().strip("/")
    if not token:
        return ""
    upper = token.upper()
    if upper in SPELLINGS:
        return SPELLINGS[upper]
    if _TOKEN.match(token):
        return upper if " " not in token else token
    return token[:MAX_LABEL]
