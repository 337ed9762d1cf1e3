"""One layout for many pictures: the backward steps' nodes stay where they are.

``dot`` lays each picture out from its text, so a step whose grads are
longer numbers (``grad 0`` becoming ``grad -0.0005447``) widened its records
and moved every node after them: the frames of ``backward_steps`` jumped.
Here ``dot`` lays out one picture made with the widest text every node and
label takes in any frame; its positions (nodes, their sizes, the splines
and label spots of edges, the boxes) are read back (Graphviz's ``json0``
output) and written into every frame, which Graphviz then draws without
laying out again (``neato -n2``, the "nop2" engine).
"""

from __future__ import annotations

import json
from typing import Any

from . import renderers

Positions = dict[str, Any]  # "nodes": id -> attrs, "edges": [attrs], "boxes": name -> attrs, ...


def positions(layout_source: str, backend: str = "auto") -> Positions | None:
    """Where ``dot`` puts everything in ``layout_source``; None if no renderer could say.

    Returns ``{"graph": {...}, "nodes": {id: {...}}, "edges": [{...}], "boxes":
    {cluster name: {...}}}``: the attributes that fix each thing in place,
    edges in the order of the DOT text.
    """
    try:
        laid_out = json.loads(renderers.render(layout_source, "json0", backend))
    except Exception:  # noqa: BLE001 - no renderer here: each frame is laid out on its own
        return None
    names, nodes, boxes = {}, {}, {}
    for thing in laid_out.get("objects", []):
        names[thing["_gvid"]] = thing["name"]
        if "bb" in thing:  # a cluster (a module's box)
            boxes[thing["name"]] = {"bb": thing["bb"], **_some(thing, "lp", "lwidth", "lheight")}
        elif "pos" in thing:
            nodes[thing["name"]] = {"pos": thing["pos"], "width": thing["width"],
                                    "height": thing["height"], "fixedsize": "true"}
    edges = [{"ends": (names[edge["tail"]], names[edge["head"]]),
              **_some(edge, "pos", "lp")} for edge in laid_out.get("edges", [])]
    return {"graph": _some(laid_out, "bb", "lp", "lwidth", "lheight"), "nodes": nodes,
            "edges": edges, "boxes": boxes}


def place(graph: Any, nodes: list, edges: list, fixed: Positions) -> bool:
    """Write ``fixed`` positions into the nodes and edges of a picture about to be built.

    ``nodes`` holds ``(home, id, attrs)`` and ``edges`` ``(tail, head, attrs)``,
    whose attrs gain ``pos`` and sizes; ``graph`` gains its bounding box. False
    (and nothing changed) when the picture does not have the same nodes and
    edges, in the same order, as the one laid out.
    """
    ends = [(tail, head) for tail, head, _ in edges]
    if ({node_id for _, node_id, _ in nodes} != set(fixed["nodes"])
            or ends != [edge["ends"] for edge in fixed["edges"]]):
        return False
    for _, node_id, attrs in nodes:
        attrs.update(fixed["nodes"][node_id])
    for (_, _, attrs), edge in zip(edges, fixed["edges"]):
        attrs.update({key: value for key, value in edge.items() if key != "ends"})
    graph.attr(**fixed["graph"])
    # neato -n2 measures the picture again around what it draws, and an edge label that is
    # shorter in this frame would move everything by its difference: two invisible points at
    # the layout's corners keep the frame the same for every step
    if "bb" in fixed["graph"]:
        left, bottom, right, top = fixed["graph"]["bb"].split(",")
        for name, x, y in (("corner_low", left, bottom), ("corner_high", right, top)):
            graph.node(name, label="", shape="point", style="invis", width="0", height="0",
                       pos=f"{x},{y}")
    return True


def _some(thing: dict, *keys: str) -> dict[str, str]:
    return {key: str(thing[key]) for key in keys if key in thing}
