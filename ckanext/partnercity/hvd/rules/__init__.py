"""High-Value Datasets checker (Implementing Regulation (EU) 2023/138, DCAT-AP HVD).

No CKAN import, so any DCAT-AP catalogue can be checked; the rules are data (one YAML file
per group, each rule citing its legal source).
"""
