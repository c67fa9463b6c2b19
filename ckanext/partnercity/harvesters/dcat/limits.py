"""Caps on what one partner dataset may cost: a few kilobytes of Turtle can list
thousands of distributions or describe a million triples, and ckanext-dcat reads a
dataset's whole description into an rdflib graph (about 1 KB per triple).

Both DCAT paths cut a dataset to its first distributions (document order) and the
streamed path stops describing it at a triple budget; what was cut is reported as a
warning on the run while the dataset is still harvested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import DCAT

MAX_DISTRIBUTIONS = 100
MAX_TRIPLES = 20_000
DISTRIBUTIONS_OPTION = "max_distributions_per_dataset"
TRIPLES_OPTION = "max_triples_per_dataset"


@dataclass(frozen=True)
class DatasetLimits:
    """The caps, from a PartnerSource's options (the adapter fills them from the config)."""

    max_distributions: int = MAX_DISTRIBUTIONS
    max_triples: int = MAX_TRIPLES

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> DatasetLimits:
        return cls(
            max_distributions=max(1, int(options.get(DISTRIBUTIONS_OPTION, MAX_DISTRIBUTIONS))),
            max_triples=max(1, int(options.get(TRIPLES_OPTION, MAX_TRIPLES))),
        )


DEFAULT_LIMITS = DatasetLimits()


@dataclass
class Cut:
    """What the caps took from one dataset."""

    distributions: int = 0
    kept: int = 0
    truncated_at: int = 0

    def message(self) -> str:
        """The warning text, empty when nothing was cut."""
        parts = []
        if self.kept < self.distributions:
            parts.append(
                f"kept the first {self.kept} of {self.distributions} distributions "
                f"({DISTRIBUTIONS_OPTION})"
            )
        if self.truncated_at:
            parts.append(f"description cut at {self.truncated_at} triples ({TRIPLES_OPTION})")
        return "; ".join(parts)


def cap_graph_distributions(
    graph: rdflib.Graph, dataset: URIRef | BNode, limits: DatasetLimits
) -> Cut:
    """Unlink all but the first ``max_distributions`` distributions of an in-memory dataset."""
    listed = list(dict.fromkeys(graph.objects(dataset, DCAT.distribution)))
    cut = Cut(distributions=len(listed), kept=min(len(listed), limits.max_distributions))
    for extra in listed[limits.max_distributions :]:
        graph.remove((dataset, DCAT.distribution, extra))
    return cut
