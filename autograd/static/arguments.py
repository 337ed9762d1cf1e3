"""The arguments of generated code: their names, the check of their structure, the unpacking.

A generated function takes the arguments ``f`` took (``def f(w, x):``), checks
cheaply that they have the structure it was traced with (``type(w) is list and
len(w) == 3``; anything else returns ``MISS``, and the slow path traces again),
then unpacks their numbers into names that say where each comes from
(``w_0, w_1, w_2 = w``; ``x_1_2`` is ``x[1][2]``).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Sequence
from typing import Any

from .. import tree
from ..core.value import Value
from .inline import HELPERS
from .source import tuple_of, wrap

_RESERVED = {"sum", "type", "len", "float", "list", "tuple", "total", "batch", *HELPERS}
_GENERATED = re.compile(r"[vdcgCGT]\d+|[gG]_.*|T_.*|.*_(forward|partials|pack|unpack)")


def usable(name: str) -> bool:
    """Whether ``name`` can name f or an argument without clashing with generated names."""
    return (name.isidentifier() and not keyword.iskeyword(name) and name not in _RESERVED
            and not _GENERATED.fullmatch(name))


class Arguments:
    """The arguments of one trace as generated code reads them.

    ``names``: f's parameter names when none can clash with a generated name,
    else ``arg0, arg1, …``; ``leaf_names``: {leaf Value: its name} (``x``,
    ``x_0``, ``x_1_2``). Namedtuple types used by the arguments or the output
    are put into ``namespace`` as ``T_Name`` so the code can test and build them.
    """

    def __init__(self, names: Sequence[str] | None, trees: Sequence, namespace: dict) -> None:
        """Name the arguments ``trees`` (Values in place of their numbers)."""
        self.trees, self.namespace = trees, namespace
        self.names = _argument_names(names, trees)
        self.leaf_names = {}
        for name, argument in zip(self.names, trees):
            self.leaf_names.update(_leaf_names(argument, name))

    def type_name(self, container: Any) -> str:
        """``list``, ``tuple``, or ``T_P`` for a namedtuple type ``P`` (added to the namespace)."""
        kind = type(container)
        if kind is list or kind is tuple:
            return kind.__name__
        name = "T_" + re.sub(r"\W", "_", kind.__name__)
        while self.namespace.get(name, kind) is not kind:
            name += "_"
        self.namespace[name] = kind
        return name

    def display(self, argument: Any, name_of: Callable[[Value], str]) -> str:
        """A tree of Values written out with ``name_of`` for each: ``[x_0, (x_1, x_2)]``."""
        if not tree.is_container(argument):
            return name_of(argument)
        items = [self.display(item, name_of) for item in argument]
        kind = self.type_name(argument)
        if kind == "list":
            return "[" + ", ".join(items) + "]"
        return tuple_of(items) if kind == "tuple" else f"{kind}({', '.join(items)})"

    def guard(self, names: Sequence[str], trees: Sequence, indent: str,
              unused: set[str]) -> list[str]:
        """``if not (type(w) is list and …): return MISS``: the structure check of ``names``."""
        conditions = [c for name, argument in zip(names, trees)
                      for c in self._conditions(name, argument)]
        conditions += [f"len({name}) == {len(argument)}" for name, argument in zip(names, trees)
                       if name in unused]  # what unpacking it would check
        if not conditions:
            return []
        return [*wrap(f"{indent}if not ({' and '.join(conditions)}):"),
                f"{indent}    return MISS  # not the traced structure: the slow path"]

    def _conditions(self, name: str, argument: Any) -> list[str]:
        """Cheap tests that ``name`` has the traced structure: each number a float, a list a list.

        Lengths and nesting are checked by unpacking (a ValueError or TypeError),
        and the numbers inside lists by the output's type: a Value, a list or a
        string among them makes the output something else than a float.
        """
        if not tree.is_container(argument):
            return [f"type({name}) is float"]
        conditions = [f"type({name}) is {self.type_name(argument)}"]
        if not tree.is_flat(argument):
            conditions.append(f"len({name}) == {len(argument)}")  # before indexing into it
            for i, item in enumerate(argument):
                if tree.is_container(item):
                    conditions += self._conditions(f"{name}[{i}]", item)
        return conditions

    def unpack(self, names: Sequence[str], trees: Sequence, indent: str,
               unused: set[str]) -> list[str]:
        """``w_0, w_1 = w``: the numbers of each argument of ``names`` (but ``unused``), named."""
        lines = []
        for name, argument in zip(names, trees):
            if tree.is_container(argument) and name not in unused:
                lines += wrap(f"{indent}{self._target(argument)} = {name}")
        return lines

    def _target(self, argument: Any) -> str:
        """The left side that unpacks ``argument``: its leaves' names in its nesting."""
        if not tree.is_container(argument):
            return self.leaf_names[argument]
        items = [self._target(item) for item in argument]
        return "[" + ", ".join(items) + "]" if type(argument) is list else tuple_of(items)

    def unused(self, lines: Sequence[str]) -> set[str]:
        """The flat list arguments whose numbers ``lines`` never name (only lists of them)."""
        text = "\n".join(lines)
        return {name for name, argument in zip(self.names, self.trees)
                if tree.is_container(argument) and tree.is_flat(argument)
                and not re.search(rf"\b{name}_\d", text)}


def _argument_names(names: Sequence[str] | None, trees: Sequence) -> list[str]:
    """f's parameter names when they cannot clash with generated ones, else arg0, arg1, …"""
    if names and len(names) == len(trees):
        every, checked = list(names), list(names)
        for name, argument in zip(names, trees):
            if tree.is_container(argument):
                every += _leaf_names(argument, name).values()
                checked.append(name + "_0")  # x_0, x_1_2 …: all usable if this one is
        if len(set(every)) == len(every) and all(map(usable, checked)):
            return list(names)
    return [f"arg{i}" for i in range(len(trees))]


def _leaf_names(argument: Any, name: str) -> dict[Value, str]:
    """{leaf Value: its name}: ``x`` for a number argument x, ``x_0``, ``x_1_2`` inside lists."""
    if tree.is_container(argument) and tree.is_flat(argument):  # the usual case: x_0, x_1, …
        return {leaf: f"{name}_{i}" for i, leaf in enumerate(argument)}
    return {leaf: name + "".join(f"_{i}" for i in path)
            for leaf, path in zip(tree.leaves(argument), tree.paths(argument))}
