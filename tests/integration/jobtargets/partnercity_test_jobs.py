"""Job targets for the background-job tests; the worker subprocess imports this module."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def annotate_dataset(dataset_id: str, note: str) -> str:
    """Change a dataset from inside a worker, so the test sees DB and index writes."""
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": dataset_id, "notes": note})
    return note
