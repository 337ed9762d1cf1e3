"""A model's modules as boxes in a drawing: each neuron's and layer's nodes, boxed by name.

``draw_graph(loss, cluster=model)`` reads ``model.named_parameters()``
(``layers.0.neurons.3.w.1``): a parameter lives in its module, a neuron's
``w·x+b`` and its activation join it, and each module is a Graphviz cluster
(``layers.0`` holding ``neurons.3``). Anything with ``named_parameters()``
works: this module does not import ``nn``.
"""

from __future__ import annotations

from typing import Any

from .style import BOX, FONT


def parameter_names(model):
    """Parameter Value -> its dotted name, from ``model.named_parameters()``."""
    if model is None:
        return {}
    if not callable(getattr(model, "named_parameters", None)):
        raise TypeError("cluster= takes a model with named_parameters() (an nn.Module), "
                        f"got {type(model).__name__}")
    names: dict = {}
    for name, value in model.named_parameters():
        names.setdefault(value, name)  # a shared parameter keeps its first name
    return names


def _owner(name):
    """The module a parameter belongs to: layers.0.neurons.3.w.1 -> (layers, 0, neurons, 3)."""
    parts = name.split(".")
    while parts and parts[-1].isdigit():  # the index into a list of weights
        parts.pop()
    return tuple(parts[:-1])  # without the attribute's own name (w, b)


def short_name(name):
    """A parameter's name inside its module (w.1, b): shown when it has no label."""
    return "" if name is None else ".".join(name.split(".")[len(_owner(name)):])


def cluster_homes(order, names):
    """Value -> the module it is drawn in, as a tuple of name parts.

    A parameter lives in its module. A computed node joins a module when all
    of its parameter parents belong to that module (a neuron's w·x+b); a
    one-input op without a constant applied to such a node (the activation)
    joins it too. Everything else (inputs, losses, sums across modules) stays outside.
    """
    owners = {value: _owner(name) for value, name in names.items()}
    homes, weighted = dict(owners), set()
    for value in order:
        if not value.parents or value in homes:
            continue
        modules = {owners[p] for p in value.parents if p in owners}
        if len(modules) == 1:
            homes[value] = modules.pop()
            weighted.add(value)
        elif len(value.parents) == 1 and value.constant is None and value.parents[0] in weighted:
            homes[value] = homes[value.parents[0]]
    return homes


def _boxes(path):
    """The boxes a node of module ``path`` sits in, outermost first: every prefix that names
    a module. A prefix followed by an index (``layers`` in ``layers.0``) is a list, not a box."""
    return [path[:k] for k in range(1, len(path) + 1) if k == len(path) or not path[k].isdigit()]


def add_nodes(graph: Any, nodes: list, outer: tuple = (), boxes: dict | None = None,
              rankdir: str = "TB") -> None:
    """Add (home, id, attrs) nodes to ``graph``, each nested in its boxes below ``outer``.

    ``boxes``: cluster name -> attributes that fix it in place (``layout.py``), or None.
    Inside a box, nodes side by side keep the order they come in (a neuron's
    w₀, w₁, …, b): dot's second pass of crossing reduction, which shuffles
    them, is off in a picture with boxes (``remincross=false``, build_graph),
    and left to right each box's nodes are written in reverse, because dot
    puts a box's first node at the bottom of its column there (it turns the
    columns of the whole graph so that the first node is on top, but not
    those of a box).
    """
    inner: dict = {}
    here = []
    for node in nodes:
        deeper = [box for box in _boxes(node[0]) if len(box) > len(outer)]
        if deeper:
            inner.setdefault(deeper[0], []).append(node)
        else:
            here.append(node)
    for _, node_id, attrs in reversed(here) if outer and rankdir == "LR" else here:
        graph.node(node_id, **attrs)
    for path, members in inner.items():
        name = "cluster_" + ".".join(path)
        with graph.subgraph(name=name) as box:
            # labelled relative to the enclosing box: layers.0 holds neurons.3; in its top
            # left corner, away from the middle, where edges from other boxes come in
            box.attr(label=".".join(path[len(outer):]), labeljust="l", **BOX, **FONT,
                     **(boxes or {}).get(name, {}))
            add_nodes(box, members, path, boxes, rankdir)
