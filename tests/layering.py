"""Reads the packages' imports with ``ast`` and checks them against the layers of DESIGN.md.

Every ``import`` and ``from … import`` counts, at the top of a module or inside a
function (a lazy import is still an arrow). Three checks:

* ``against_layers``: an arrow the layering forbids. autograd's ``core/`` imports
  only ``core/``; ``tree.py`` imports ``core/``; ``calculus/``, ``static/`` and
  ``viz/`` import ``core/``, ``tree.py`` and themselves, never each other; the
  public face ``autograd/__init__.py`` may import all of autograd; ``nn``
  imports only the public face ``autograd`` and ``autograd.tree``; autograd
  never imports ``nn``.
* ``circles``: modules that import each other, directly or round a loop.
* ``private_names``: ``from m import _name``, or ``m._name`` on an imported module
  ``m``: a name another module keeps to itself.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("autograd", "nn")

# layer -> the layers it may import
ALLOWED = {
    "core": {"core"},
    "tree": {"core", "tree"},
    "calculus": {"core", "tree", "calculus"},
    "static": {"core", "tree", "static"},
    "viz": {"core", "tree", "viz"},
    "face": {"face", "core", "tree", "calculus", "static", "viz"},
    "nn": {"nn", "face", "tree"},
}


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` at ``line`` (``names``: what ``from target import`` takes)."""

    source: str
    target: str
    line: int
    names: tuple[str, ...] = ()


def layer(module: str) -> str:
    """The layer a module of the project belongs to (a new one is no layer: nothing allowed)."""
    parts = module.split(".")
    if parts[0] == "nn":
        return "nn"
    return "face" if len(parts) == 1 else parts[1]


def modules(root: Path) -> dict[str, Path]:
    """{dotted module name: its file} for every module of the packages under ``root``."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def arrows(root: Path) -> list[Arrow]:
    """Every import between the project's modules, lazy ones included."""
    known = modules(root)
    found = []
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [Arrow(module, alias.name, node.lineno) for alias in node.names
                          if alias.name in known]
            elif isinstance(node, ast.ImportFrom):
                found += _from_arrows(module, package, node, known)
    return found


def _target(package: str, node: ast.ImportFrom) -> str:
    """The module ``from … import`` reads from, relative imports resolved against ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _from_arrows(module: str, package: str, node: ast.ImportFrom, known: dict) -> list[Arrow]:
    target = _target(package, node)
    found = []
    names = []
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        if submodule in known:  # from . import ops: an arrow to the module ops
            found.append(Arrow(module, submodule, node.lineno))
        else:
            names.append(alias.name)
    if names and target in known:
        found.append(Arrow(module, target, node.lineno, tuple(names)))
    return found


def against_layers(root: Path) -> list[str]:
    """The arrows the layering forbids, as ``"a.b:12 imports c.d (core -> viz)"``."""
    return [f"{a.source}:{a.line} imports {a.target} ({layer(a.source)} -> {layer(a.target)})"
            for a in arrows(root)
            if layer(a.target) not in ALLOWED.get(layer(a.source), ())]


def circles(root: Path) -> list[list[str]]:
    """Each loop of imports once, as the modules round it (empty when there is none)."""
    graph: dict[str, set[str]] = {}
    for a in arrows(root):
        if a.source != a.target:
            graph.setdefault(a.source, set()).add(a.target)
    loops, seen = [], set()
    for start in sorted(graph):
        path = _loop_from(start, graph)
        if path and frozenset(path) not in seen:
            seen.add(frozenset(path))
            loops.append(path)
    return loops


def _loop_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path start -> … -> start, found by an iterative depth-first search, or None."""
    stack, visited = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in sorted(graph.get(module, ())):
            if target == start:
                return path
            if target not in visited:
                visited.add(target)
                stack.append((target, path + [target]))
    return None


def private_names(root: Path) -> list[str]:
    """Imports of another module's private names: ``from m import _x`` or ``m._x``."""
    found = [f"{a.source}:{a.line} imports {name} from {a.target}"
             for a in arrows(root) for name in a.names if _private(name)]
    known = modules(root)
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _module_aliases(tree, module, path, known)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _private(node.attr)):
                found.append(f"{module}:{node.lineno} reads {aliases[node.value.id]}."
                             f"{node.attr}")
    return found


def _module_aliases(tree: ast.Module, module: str, path: Path, known: dict) -> dict[str, str]:
    """{local name: module} for the project's modules this file imports as a whole."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known and alias.asname:
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _target(package, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
    return aliases


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
