"""autograd.compile on wide dots and sums, written over lists (autograd/static/wide.py).

The random programs here draw dots and sums over slices of list arguments, so
that gradients go into lists, mixed with scalar uses of the same numbers
(which keep them one line per edge). ``WIDE`` is lowered so that every dot and
sum is wide; the results must still be ``value_and_grad``'s, bit for bit.
"""

import math
from operator import add

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import autograd.static.wide
from bench.impl_compiled import penalty
from bench.workload import flatten, initial_weights
from tests.autograd.test_compile import NUMBERS, same_bits


@pytest.fixture(autouse=True)
def every_node_wide(monkeypatch):
    monkeypatch.setattr(autograd.static.wide, "WIDE", 1)


def _slices(draw, n, length=None):
    length = length or draw(st.integers(1, n))
    start = draw(st.integers(0, n - length))
    return start, start + length


@st.composite
def wide_programs(draw):
    """(xs, samples, steps): f(xs, ys) runs the steps; each sample is a ys."""
    n = draw(st.integers(1, 6))
    xs = draw(st.lists(NUMBERS, min_size=n, max_size=n))
    samples = draw(st.lists(st.lists(NUMBERS, min_size=n, max_size=n), min_size=1, max_size=3))
    steps = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["dot", "dot", "sum", "scalar", "node dot"]))
        a, b = _slices(draw, n)
        if kind == "dot":  # xs[a:b] · (xs or ys)[c:d], with a bias or not
            other = draw(st.sampled_from(["xs", "ys"]))
            steps.append(("dot", (a, b), other, _slices(draw, n, b - a),
                          draw(st.sampled_from([None, "node", 0.5]))))
        elif kind == "node dot":  # earlier nodes (or numbers) · xs[a:b]
            picks = draw(st.lists(st.one_of(st.integers(0, len(steps)), st.just(2.0)),
                                  min_size=b - a, max_size=b - a))
            steps.append(("node dot", (a, b), picks))
        elif kind == "sum":
            steps.append(("sum", draw(st.sampled_from(["xs", "ys"])), (a, b),
                          draw(st.booleans())))
        else:  # a scalar use of one number of xs: its gradient leaves the list
            steps.append(("scalar", draw(st.integers(0, n - 1))))
    return xs, samples, steps


def run(steps, xs, ys):
    nodes = [autograd.sum(ys)]  # node 0, so that "earlier nodes" always has one
    lists = {"xs": xs, "ys": ys}
    for step in steps:
        if step[0] == "dot":
            _, (a, b), other, (c, d), bias = step
            bias = nodes[-1] if bias == "node" else bias
            nodes.append(autograd.dot(xs[a:b], lists[other][c:d], bias))
        elif step[0] == "node dot":
            _, (a, b), picks = step
            items = [p if isinstance(p, float) else nodes[min(p, len(nodes) - 1)] for p in picks]
            nodes.append(autograd.dot(items, xs[a:b]))
        elif step[0] == "sum":
            _, name, (a, b), number = step
            nodes.append(autograd.sum(lists[name][a:b] + ([0.25] if number else [])))
        else:
            nodes.append(nodes[-1] * xs[step[1]])
    return nodes[-1] if len(nodes) == 1 else autograd.sum(nodes[1:])


@given(wide_programs(), st.sampled_from([0, 1, (0, 1)]))
def test_wide_nodes_give_value_and_grad_bit_for_bit(program, argnums):
    xs, samples, steps = program
    def f(xs, ys):
        return run(steps, xs, ys)
    g, reference = autograd.compile(f, argnums), autograd.value_and_grad(f, argnums)
    for ys in samples:
        assert same_bits(g(xs, ys), reference(xs, ys)), (g.source, steps)


@given(wide_programs())
def test_wide_nodes_in_g_sum_add_up_like_per_sample_calls(program):
    xs, samples, steps = program
    def f(xs, ys):
        return run(steps, xs, ys)
    g = autograd.compile(f)
    total, grads = 0.0, [0.0] * len(xs)
    for ys in samples:
        value, grad = g(xs, ys)
        total += value
        grads = list(map(add, grads, grad))
    assert same_bits(g.sum(xs, batch=[(ys,) for ys in samples]), (total, grads))


def test_a_penalty_over_every_parameter_is_a_few_lines_not_one_per_parameter(monkeypatch):
    monkeypatch.setattr(autograd.static.wide, "WIDE", 64)  # the library's own threshold
    params = flatten(initial_weights())
    g = autograd.compile(penalty)
    assert same_bits(g(params), autograd.value_and_grad(penalty)(params))
    lines = g.source.splitlines()
    assert "    v1 = sum(map(mul, params, params), 0.0)  # dot, over lists" in lines
    assert "    g_params[:] = map(add, g_params, map(mul, params, repeat(g1)))" in lines
    assert len(lines) < 60 and "g_params_5" not in g.source


def test_a_narrow_dot_stays_one_line_per_edge(monkeypatch):
    monkeypatch.setattr(autograd.static.wide, "WIDE", 64)
    g = autograd.compile(lambda w, x: autograd.dot(w, x))
    g([1.0] * 63, [2.0] * 63)
    assert "g_w_62 = x_62" in g.source and "map(" not in g.source


def test_a_tuple_argument_gets_a_tuple_of_gradients():
    def f(w):
        return autograd.dot(w, w)
    value, grad = autograd.compile(f)((1.0, -2.0, 3.0))
    assert value == 14.0 and grad == (2.0, -4.0, 6.0) and type(grad) is tuple


def test_numbers_no_term_reaches_get_plus_zero_and_first_terms_keep_their_sign():
    def f(w):
        return autograd.dot(w[:2], [-0.0, 1.0])  # w[2] unused; d/dw0 = -0.0
    value, grad = autograd.compile(f)([1.0, 2.0, 3.0])
    reference = autograd.value_and_grad(f)([1.0, 2.0, 3.0])
    assert same_bits((value, grad), reference)
    assert math.copysign(1.0, grad[2]) == 1.0


def test_a_part_of_a_list_is_a_slice_in_the_source():
    def f(w, x):
        return autograd.dot(w[2:4], x) + autograd.dot(w[0:2], x)
    g = autograd.compile(f)
    assert same_bits(g([1.0, 2.0, 3.0, 4.0], [0.5, -1.0]),
                     autograd.value_and_grad(f)([1.0, 2.0, 3.0, 4.0], [0.5, -1.0]))
    assert "g_w[2:4] = map(add, g_w[2:4], map(mul, x, repeat(" in g.source
