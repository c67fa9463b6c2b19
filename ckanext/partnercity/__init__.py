"""ckanext-partnercity: partner-city references, shared themes and HVD checks for CKAN."""


def __getattr__(name: str) -> str:
    """``__version__`` is looked up when asked for: importlib.metadata costs the standalone
    ``partnercity-hvd`` command a tenth of its start-up, and it never needs the version."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("ckanext-partnercity")  # one version: pyproject.toml's
    except PackageNotFoundError:  # a source tree on sys.path without an install
        value = "0+unknown"
    globals()["__version__"] = value
    return value
