"""The DCAT-AP portal type: syntax detection, ckanext-dcat parsing, streaming."""

from ckanext.partnercity.harvesters.dcat.harvester import DcatHarvester

__all__ = ["DcatHarvester"]
