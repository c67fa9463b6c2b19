"""The package's shape: no import cycles (not even behind function-level imports), a core
that runs without CKAN, small modules and small folders."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ckanext" / "partnercity"
PREFIX = "ckanext.partnercity"

MAX_MODULE_LINES = 400
MAX_FOLDER_MODULES = 15
# The core: runs without a CKAN app (the standalone checker, the harvesters, SKOS mapping).
CORE = (
    "harvesters",
    "hvd.rules",
    "hvd.duties",
    "hvd.report_templates",
    "themes",
    "compat.dcat",
    "lod",
)
# Modules inside a core folder that are the CKAN adapter of that capability.
CORE_ADAPTERS = ("themes.store", "themes.mappings", "themes.index")
# The CKAN app: its database model, plugin toolkit, request cycle. ckanext-dcat's RDF parser is a
# library the DCAT harvester builds on, so it is not on this list.
APP_MODULES = ("ckan.model", "ckan.plugins", "ckan.logic", "ckan.lib", "ckan.views", "flask")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migration" not in path.relative_to(PACKAGE).parts[:1]
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> set[str]:
    """Every module this one imports at run time, wherever the import statement stands."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node)
        for n in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target in _imports(name, path) if target in modules and target != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    module = tmp_path / "mod.py"
    module.write_text("def f():\n    from ckanext.partnercity import settings\n")
    assert "ckanext.partnercity.settings" in _imports("ckanext.partnercity.mod", module)


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def _is_core(name: str) -> bool:
    short = name.removeprefix(PREFIX + ".")
    in_core = any(short == c or short.startswith(c + ".") for c in CORE)
    return in_core and short not in CORE_ADAPTERS


def test_the_core_needs_no_ckan_app():
    """What the core imports, directly or through other modules of ours, is core too, and
    none of it imports CKAN, Flask or a CKAN extension."""
    modules = _modules()
    offences = []
    for name, path in modules.items():
        if not _is_core(name):
            continue
        for target in _imports(name, path):
            if target in modules and target != PREFIX and not _is_core(target):
                offences.append(f"{name} imports {target}")
            if any(target == app or target.startswith(app + ".") for app in APP_MODULES):
                offences.append(f"{name} imports {target}")
    assert offences == []


def test_modules_and_folders_stay_small():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}
    crowded = {
        str(folder.relative_to(ROOT)): count
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
        if (count := len([f for f in folder.glob("*.py") if f.name != "__init__.py"]))
        > MAX_FOLDER_MODULES
    }
    assert crowded == {}
