"""High-Value Datasets rules (Implementing Regulation (EU) 2023/138, DCAT-AP HVD).

Installed as ``ckanext.partnercity.hvd.rules``: the rule set as data, one file per
rule group, each rule citing its legal source, plus the engine that evaluates
it. Runs without CKAN.
"""
