"""Nested arguments ("trees"), walked in one place: leaves, map, unflatten, structure, paths.

``grad(f)(w, x)``, ``gradcheck(f, [[1.0, 2.0], 3.0])`` and
``compile(f)(params, x)`` take their arguments as *trees*: a leaf (a number,
or a Value) or a container of trees. The containers are lists, tuples and
namedtuples, the same everywhere; anything else is a leaf, and the caller
says what leaves it takes (``leaf_error``). A gradient comes back in the
structure of its argument, a namedtuple as a namedtuple.

    >>> from collections import namedtuple
    >>> P = namedtuple("P", "w b")
    >>> tree = [P(1.0, 2.0), (3.0,)]
    >>> leaves(tree)
    [1.0, 2.0, 3.0]
    >>> map(lambda x: 10 * x, tree)
    [P(w=10.0, b=20.0), (30.0,)]
    >>> paths(tree)
    [(0, 0), (0, 1), (1, 0)]

Autodidax's pytrees do this job for JAX; here there is no registry of
container types, only these three, so that every entry point accepts the
same arguments and refuses the rest with the same words.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from numbers import Real
from typing import Any


def is_container(x: Any) -> bool:
    """True for a list, a tuple or a namedtuple: the containers a tree may have."""
    return type(x) is list or isinstance(x, tuple)


def is_flat(container: Sequence) -> bool:
    """True when no item of ``container`` is itself a container (a plain list of numbers).

    Looks at the items' types once each, not at each item: the common case
    of a long list of numbers or Values costs no Python call per item.
    """
    kinds = set(builtins.map(type, container))  # (tree.map is this module's map)
    return not any(kind is list or issubclass(kind, tuple) for kind in kinds)


def leaves(tree: Any) -> list:
    """The leaves of ``tree``, left to right (a leaf alone is ``[leaf]``)."""
    if not is_container(tree):
        return [tree]
    if is_flat(tree):
        return list(tree)
    flat: list = []
    _collect(tree, flat)
    return flat


def _collect(tree: Sequence, flat: list) -> None:
    for item in tree:
        if type(item) is list or isinstance(item, tuple):
            _collect(item, flat)
        else:
            flat.append(item)


def rebuild(container: Sequence, items: Iterable) -> Any:
    """A container of the same type as ``container`` holding ``items`` (namedtuples included)."""
    kind: Any = type(container)
    if kind is list or kind is tuple:
        return kind(items)
    if hasattr(container, "_fields"):  # a namedtuple takes its fields one by one
        return kind(*items)
    return kind(items)  # another subclass of tuple


def map(function: Callable[[Any], Any], tree: Any) -> Any:  # noqa: A001 - tree.map, as in JAX
    """``tree`` with ``function(leaf)`` in place of each leaf, containers rebuilt alike."""
    if not is_container(tree):
        return function(tree)
    if is_flat(tree):  # no call of map per item for a plain list
        return rebuild(tree, [function(item) for item in tree])
    return rebuild(tree, [map(function, item) for item in tree])


def unflatten(tree: Any, flat: Iterable) -> Any:
    """The structure of ``tree`` filled with the items of ``flat``, in order (see ``leaves``)."""
    items = iter(flat)
    return map(lambda _: next(items), tree)


def structure(tree: Any, leaf: Callable[[Any], Any] = lambda x: None) -> Any:
    """A hashable key for the shape of ``tree``: container types, lengths, and ``leaf(x)``.

    Two trees with equal keys have the same containers in the same places.
        >>> structure([1.0, (2.0, 3.0)]) == structure([4.0, (5.0, 6.0)])
        True
    """
    if not is_container(tree):
        return leaf(tree)
    return type(tree), tuple(structure(item, leaf) for item in tree)


def paths(tree: Any) -> list[tuple[int, ...]]:
    """The position of each leaf, as the indices that reach it from the top (``()`` for a leaf)."""
    found: list[tuple[int, ...]] = []
    _walk_paths(tree, (), found)
    return found


def _walk_paths(tree: Any, path: tuple[int, ...], found: list) -> None:
    if not is_container(tree):
        found.append(path)
        return
    if is_flat(tree):
        found.extend((*path, i) for i in range(len(tree)))
        return
    for i, item in enumerate(tree):
        _walk_paths(item, (*path, i), found)


def path_names(tree: Any, name: str) -> list[str]:
    """``x``, ``w[1]``, ``w[1][0]``: each leaf of argument ``name`` as Python would index it."""
    return [name + "".join(f"[{i}]" for i in path) for path in paths(tree)]


def any_leaf(predicate: Callable[[Any], bool], tree: Any) -> bool:
    """Whether ``predicate`` holds for some leaf of ``tree``."""
    return builtins.any(builtins.map(predicate, leaves(tree)))


def is_number(x: Any) -> bool:
    """A real number that is not a bool: what a leaf of numbers may hold."""
    return isinstance(x, Real) and not isinstance(x, bool)


def leaf_error(leaf: Any, where: str, takes: str = "numbers") -> TypeError:
    """The one error for a leaf an entry point cannot take (a dict, a string, an array…).

        >>> print(leaf_error("w", "grad() argument 0"))
        grad() argument 0 holds str 'w': it takes numbers, or lists, tuples or namedtuples of them
    """
    hint = (" (convert a NumPy array with .tolist())" if hasattr(leaf, "tolist")
            else " (for a dict, pass its values as a list or a namedtuple)"
            if isinstance(leaf, dict) else "")
    return TypeError(f"{where} holds {type(leaf).__name__} {leaf!r:.40}: it takes {takes}, or "
                     f"lists, tuples or namedtuples of them{hint}")


def argnum_positions(argnums: int | Sequence[int] | None, count: int,
                     where: str = "grad()") -> list[int]:
    """The argument indices named by ``argnums``: an int, or a tuple or list of ints.

    Negative indices count from the end; None names every argument
    (``hessian``'s default).
    """
    if argnums is None:
        argnums = tuple(range(count))
    many = argnums if isinstance(argnums, (tuple, list)) else (argnums,)
    positions = []
    for i in many:
        if type(i) is not int:
            raise TypeError(f"{where}: argnums takes an int, or a tuple or list of ints, "
                            f"got {argnums!r}")
        if not -count <= i < count:
            raise ValueError(f"{where}: argnums={argnums!r} names argument {i}, but the function "
                             f"was called with {count} argument(s)")
        positions.append(i % count)
    return positions
