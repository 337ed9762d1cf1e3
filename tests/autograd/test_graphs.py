"""Random expression graphs: backward() against central differences on every leaf."""

import gc
import math
import weakref

from hypothesis import Phase, find, given, settings

from autograd import Value
from tests.strategies import (
    APPLY,
    CASES,
    REFERENCE,
    Const,
    central_difference,
    graphs,
    shares_a_node,
)


def _build(graph, leaf_type=Value):
    leaves = [leaf_type(x) for x in graph.leaves]
    return leaves, graph.evaluate(leaves, APPLY)


@given(graphs())
def test_backward_matches_central_differences_on_every_leaf(graph):
    leaves, nodes = _build(graph)
    nodes[-1].backward()
    for i, leaf in enumerate(leaves):
        def output(t, i=i):
            return graph.output([*graph.leaves[:i], t, *graph.leaves[i + 1:]])
        difference = central_difference(output, graph.leaves[i], rel_step=1e-5)
        assert abs(leaf.grad - difference) <= 1e-6 * abs(difference) + 1e-7, (
            f"leaf v{i}: backward gives {leaf.grad!r}, central difference {difference!r}")


@given(graphs())
def test_forward_matches_math_module(graph):
    _, nodes = _build(graph)
    expected = graph.evaluate(graph.leaves, REFERENCE)
    for got, want in zip(nodes, expected):
        assert math.isclose(got.data, want, rel_tol=1e-12, abs_tol=1e-12)


@given(graphs())
@settings(max_examples=50)
def test_random_graph_holds_no_reference_cycles(graph):
    class Watched(Value):
        __slots__ = ("__weakref__",)

    gc.disable()
    try:
        leaves, nodes = _build(graph, Watched)
        nodes[-1].backward()
        refs = [weakref.ref(leaf) for leaf in leaves]
        del leaves, nodes
        assert all(ref() is None for ref in refs)
    finally:
        gc.enable()


# --- the strategy generates what it promises ----------------------------------------------

def _ops(graph):
    return {step.op for step in graph.steps}


def _numbers_on(graph, side):
    return any(len(step.args) == 2 and isinstance(step.args[side], Const) for step in graph.steps)


# find() raises NoSuchExample if no graph in the budget has the property; no shrinking needed
_SEARCH = settings(phases=[Phase.generate], max_examples=1000, database=None)


def test_graph_strategy_uses_every_op():
    for name in CASES:
        find(graphs(), lambda g, name=name: name in _ops(g), settings=_SEARCH)


def test_graph_strategy_generates_shared_nodes_and_numbers_on_either_side():
    find(graphs(), shares_a_node, settings=_SEARCH)
    find(graphs(), lambda g: _numbers_on(g, 0), settings=_SEARCH)
    find(graphs(), lambda g: _numbers_on(g, 1), settings=_SEARCH)
    find(graphs(), lambda g: any(s.op == "dot" and len(s.args) % 2 == 0 for s in g.steps),
         settings=_SEARCH)  # a dot without bias
    find(graphs(), lambda g: any(s.op == "dot" and len(s.args) % 2 == 1 for s in g.steps),
         settings=_SEARCH)
    find(graphs(), lambda g: len(g.steps) >= 6 and shares_a_node(g), settings=_SEARCH)
