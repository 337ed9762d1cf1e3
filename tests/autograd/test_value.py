"""Exact small cases for every documented behaviour of Value, backward(), no_grad, sum and dot."""

import asyncio
import gc
import math
import sys
import threading
import weakref
from fractions import Fraction

import pytest
from hypothesis import given, settings

import autograd
from autograd import OPS, Value
from tests.strategies import APPLY, IEEE_CASES, OP_INPUTS


def same(a, b):
    """Equal floats, with nan equal to nan (IEEE results are compared exactly)."""
    return a == b or (math.isnan(a) and math.isnan(b))


# --- construction -------------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    (3, 3.0), (-2, -2.0), (True, 1.0), (False, 0.0), (2.5, 2.5), (Fraction(1, 4), 0.25),
])
def test_value_converts_real_numbers_to_float(data, expected):
    v = Value(data)
    assert type(v.data) is float
    assert v.data == expected
    assert v.grad == 0.0 and type(v.grad) is float


def test_value_keeps_nan_and_inf():
    assert math.isnan(Value(math.nan).data)
    assert Value(-math.inf).data == -math.inf


def test_value_label():
    assert Value(1.0, "x").label == "x"
    assert Value(1.0, label="w1").label == "w1"
    assert Value(1.0).label == ""


@pytest.mark.parametrize("bad", ["abc", "1.5", None, 1j, complex(2, 0), [1.0], (1.0,), {"x": 1},
                                 {1.0}, b"1", object()])
def test_value_rejects_non_real_input_naming_its_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_error_message_shows_the_input():
    with pytest.raises(TypeError, match="'abc'"):
        Value("abc")


OPERATORS = {
    "x + bad": lambda x, bad: x + bad, "bad + x": lambda x, bad: bad + x,
    "x - bad": lambda x, bad: x - bad, "bad - x": lambda x, bad: bad - x,
    "x * bad": lambda x, bad: x * bad, "bad * x": lambda x, bad: bad * x,
    "x / bad": lambda x, bad: x / bad, "bad / x": lambda x, bad: bad / x,
    "x ** bad": lambda x, bad: x ** bad, "bad ** x": lambda x, bad: bad ** x,
}


@pytest.mark.parametrize("bad", ["a", None, 1j, [1.0]], ids=["str", "None", "complex", "list"])
@pytest.mark.parametrize("operation", OPERATORS.values(), ids=OPERATORS.keys())
def test_operators_reject_non_real_numbers(operation, bad):
    with pytest.raises(TypeError):
        operation(Value(2.0), bad)


@pytest.mark.parametrize("bad", ["a", None, 1j])
def test_adding_a_non_real_names_its_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(2.0) + bad


def test_misspelled_attribute_raises_instead_of_passing_silently():
    v = Value(1.0)
    with pytest.raises(AttributeError):
        v.grda  # noqa: B018
    with pytest.raises(AttributeError):
        v.grda = 1.0


def test_repr_shows_data_grad_and_label():
    x = Value(2.5, "x")
    y = x * 4.0
    y.backward()
    text = repr(x)
    assert "2.5" in text and "4.0" in text and "'x'" in text
    assert "data" in text and "grad" in text
    assert "label" not in repr(Value(1.0))


def test_float_of_a_value_is_its_data():
    assert float(Value(2.5)) == 2.5


# --- comparisons and hashing -----------------------------------------------------------

def test_comparisons_compare_data_and_return_bool():
    a, b = Value(1.0), Value(2.0)
    results = [a < b, a <= b, a > b, a >= b, a < 1.5, 1.5 < b, a >= 1, 2 <= b, b > True]
    assert results == [True, True, False, False, True, True, True, True, True]
    assert all(type(r) is bool for r in results)


def test_comparison_with_a_non_number_raises():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) < "a"  # noqa: B015


def test_sorting_and_max_use_data():
    values = [Value(3.0), Value(1.0), Value(2.0)]
    assert [v.data for v in sorted(values)] == [1.0, 2.0, 3.0]
    assert max(values) is values[0]


def test_equality_and_hash_are_by_identity():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b
    assert len({a, b, a}) == 2
    table = {a: "a", b: "b"}
    assert table[a] == "a" and table[b] == "b"


# --- numbers mixed in -------------------------------------------------------------------

MIXED = {
    # form: (build, the number, number on the left?, value and d/dx by hand at x = 3)
    "x * 2": (lambda x: x * 2, 2, False, 6.0, 2.0),
    "2 * x": (lambda x: 2 * x, 2, True, 6.0, 2.0),
    "x + 1": (lambda x: x + 1, 1, False, 4.0, 1.0),
    "1 + x": (lambda x: 1 + x, 1, True, 4.0, 1.0),
    "x - 1": (lambda x: x - 1, 1, False, 2.0, 1.0),
    "1 - x": (lambda x: 1 - x, 1, True, -2.0, -1.0),
    "x / 2": (lambda x: x / 2, 2, False, 1.5, 0.5),
    "1 / x": (lambda x: 1 / x, 1, True, 1 / 3, -1 / 9),
    "2 ** x": (lambda x: 2 ** x, 2, True, 8.0, 8 * math.log(2)),
    "x ** 3": (lambda x: x ** 3, 3, False, 27.0, 27.0),
    "x * 0.5": (lambda x: x * 0.5, 0.5, False, 1.5, 0.5),
    "x + True": (lambda x: x + True, True, False, 4.0, 1.0),
}


@pytest.mark.parametrize("build, number, first, value, grad", MIXED.values(), ids=MIXED.keys())
def test_numbers_mix_in_without_becoming_nodes(build, number, first, value, grad):
    x = Value(3.0)
    y = build(x)
    assert y.parents == (x,)
    assert y.constant == number
    assert y.constant_first is first
    assert math.isclose(y.data, value, rel_tol=1e-15)
    y.backward()
    assert math.isclose(x.grad, grad, rel_tol=1e-15)
    assert len(autograd.topological_order(y)) == 2  # x and y: no node for the number


def test_operation_between_values_has_no_constant():
    x, y = Value(2.0), Value(3.0)
    z = x * y
    assert z.parents == (x, y) and z.constant is None
    assert z.local_grads == (3.0, 2.0)


def test_parents_and_local_grads_are_tuples_of_values_and_floats():
    x, y = Value(2.0), Value(3.0)
    z = (x * y).tanh()
    assert type(z.parents) is tuple and all(isinstance(p, Value) for p in z.parents)
    assert type(z.local_grads) is tuple and all(type(g) is float for g in z.local_grads)


# --- node reuse ---------------------------------------------------------------------------

def test_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_node_squared_by_itself_gets_both_contributions():
    a = Value(3.0)
    (a * a).backward()  # d/da a^2 = 2a
    assert a.grad == 6.0


def test_x_plus_x_times_x_tinygrad_overwrite_bug():
    # early tinygrad overwrote instead of adding: (x + x) * x = 2x^2, d/dx = 4x
    x = Value(3.0)
    y = (x + x) * x
    y.backward()
    assert y.data == 18.0
    assert x.grad == 12.0


def test_self_cancelling_uses_sum_to_zero():
    a = Value(3.0)
    (a - a).backward()
    assert a.grad == 0.0
    b = Value(3.0)
    (b / b).backward()  # 1/b - b/b^2 = 0
    assert b.grad == 0.0


def test_value_to_its_own_power_differentiates_in_base_and_exponent():
    x = Value(2.0)
    y = x ** x
    y.backward()  # d/dx x^x = x^x (ln x + 1)
    assert math.isclose(x.grad, 4.0 * (math.log(2.0) + 1.0), rel_tol=1e-15)


def test_diamond_through_intermediate_nodes():
    x, y = Value(2.0), Value(3.0)
    u = x * y          # used by v and by w
    v = u + x
    w = u * v          # w = xy (xy + x) = x^2 y^2 + x^2 y
    w.backward()
    assert w.data == 48.0
    assert x.grad == 2 * 2.0 * 3.0**2 + 2 * 2.0 * 3.0   # 2xy^2 + 2xy = 48
    assert y.grad == 2 * 2.0**2 * 3.0 + 2.0**2          # 2x^2 y + x^2 = 28
    assert u.grad == v.data + u.data                     # dw/du = v + u (through v)
    assert v.grad == u.data


def test_diamond_through_unary_functions():
    a = Value(0.3)
    b = a * 2
    c = b.exp() * b.sin()  # c = e^(2a) sin(2a), dc/da = 2 e^(2a) (sin 2a + cos 2a)
    c.backward()
    expected = 2 * math.exp(0.6) * (math.sin(0.6) + math.cos(0.6))
    assert math.isclose(a.grad, expected, rel_tol=1e-14)
    assert math.isclose(b.grad, expected / 2, rel_tol=1e-14)


def test_intermediate_used_by_many_nodes_gets_every_contribution():
    x = Value(1.5)
    s = x * x
    y = s + s + s + s  # 4 x^2, d/dx = 8x
    y.backward()
    assert x.grad == 12.0
    assert s.grad == 4.0


def test_chain_a_million_nodes_deep_under_the_default_recursion_limit():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default, whatever the runner set
    try:
        x = Value(0.0)
        y = x
        for _ in range(1_000_000):
            y = y + 1.0
        y = y * 3.0
        y.backward()
        assert y.data == 3_000_000.0
        assert x.grad == 3.0
        del y  # freeing a deep chain must not recurse either
    finally:
        sys.setrecursionlimit(limit)


# --- backward ------------------------------------------------------------------------------

def test_backward_sets_the_root_grad_to_one():
    x = Value(2.0)
    y = x * 3.0
    y.backward()
    assert y.grad == 1.0


def test_backward_with_a_given_gradient_scales_every_grad():
    x = Value(2.0)
    y = x * x
    y.backward(3.0)
    assert y.grad == 3.0 and x.grad == 12.0


def _repeated_backward():
    x = Value(2.0)
    h = x * x        # intermediate: dy/dh = 3
    y = h * 3.0      # dy/dx = 6x = 12
    y.backward()
    y.backward()
    return x, h, y


def test_repeated_backward_accumulates_leaf_grads():
    x, _, _ = _repeated_backward()
    assert x.grad == 24.0  # 12 + 12, as in PyTorch: zero_grad() between steps


def test_repeated_backward_resets_intermediate_grads():
    _, h, y = _repeated_backward()
    assert h.grad == 3.0  # this pass only, not 6
    assert y.grad == 1.0


def test_backward_from_a_second_root_resets_shared_intermediates():
    x = Value(2.0)
    h = x * x
    (h * 3.0).backward()
    (h * 5.0).backward()
    assert h.grad == 5.0
    assert x.grad == 12.0 + 20.0


def test_backward_on_a_leaf_sets_its_grad_and_accumulates():
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_backward_leaves_unrelated_leaves_alone():
    x, z = Value(2.0), Value(5.0)
    (x * 2).backward()
    assert z.grad == 0.0


def test_topological_order_puts_parents_first():
    x, y = Value(2.0), Value(3.0)
    u = x * y
    v = u + x
    w = u * v
    order = autograd.topological_order(w)
    assert order[-1] is w
    assert len(order) == len(set(order)) == 5
    for i, node in enumerate(order):
        assert all(order.index(p) < i for p in node.parents)


# --- no_grad, detach, is_leaf -----------------------------------------------------------------

def test_no_grad_results_are_leaves_with_the_right_data():
    x, y = Value(2.0), Value(3.0)
    with autograd.no_grad():
        assert not autograd.is_grad_enabled()
        z = x * y + 1
    assert z.data == 7.0
    assert z.is_leaf and z.parents == () and z.local_grads == ()
    assert autograd.is_grad_enabled()
    assert (x * y).parents == (x, y)


@pytest.mark.parametrize("name", OPS)
def test_no_grad_makes_every_op_a_leaf(name):
    @given(OP_INPUTS[name])
    @settings(max_examples=5)
    def check(args):
        with autograd.no_grad():
            node = APPLY[name](*[Value(a) for a in args])
        assert node.is_leaf and node.parents == () and node.local_grads == ()

    check()


def test_no_grad_nests():
    x = Value(2.0)
    with autograd.no_grad():
        with autograd.no_grad():
            pass
        assert (x * 2).is_leaf  # leaving the inner block does not switch recording on
    assert not (x * 2).is_leaf


def test_no_grad_is_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with autograd.no_grad():
            raise RuntimeError("boom")
    assert autograd.is_grad_enabled()
    x = Value(2.0)
    assert (x * 2).parents == (x,)


def test_no_grad_works_as_a_decorator():
    @autograd.no_grad()
    def evaluate(x):
        assert not autograd.is_grad_enabled()
        return x * 2

    x = Value(2.0)
    for _ in range(2):  # reusable
        assert evaluate(x).is_leaf
        assert autograd.is_grad_enabled()


def test_no_grad_in_one_thread_does_not_affect_another():
    x = Value(2.0)
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def quiet():
        with autograd.no_grad():
            inside.set()
            release.wait(10)
            seen["leaf"] = (x * 2).is_leaf

    thread = threading.Thread(target=quiet)
    thread.start()
    try:
        assert inside.wait(10)
        assert autograd.is_grad_enabled()
        assert (x * 2).parents == (x,)  # recorded while the other thread is in no_grad
    finally:
        release.set()
        thread.join(10)
    assert seen == {"leaf": True}


def test_new_thread_records_while_the_starting_thread_is_in_no_grad():
    x = Value(2.0)
    seen = {}

    def loud():
        seen["enabled"] = autograd.is_grad_enabled()
        seen["parents"] = (x * 2).parents

    with autograd.no_grad():
        thread = threading.Thread(target=loud)
        thread.start()
        thread.join(10)
    assert seen == {"enabled": True, "parents": (x,)}


def test_no_grad_in_one_asyncio_task_does_not_affect_another():
    x = Value(2.0)

    async def main():
        inside, release = asyncio.Event(), asyncio.Event()

        async def quiet():
            with autograd.no_grad():
                inside.set()
                await release.wait()
                return (x * 2).is_leaf

        async def loud():
            await inside.wait()
            node = x * 2  # while quiet() is suspended inside no_grad
            release.set()
            return node.parents == (x,)

        return await asyncio.gather(quiet(), loud())

    assert asyncio.run(main()) == [True, True]


def test_detach_returns_a_leaf_with_the_same_data():
    x = Value(2.0)
    y = x * 3.0
    d = y.detach()
    assert d is not y and d.data == 6.0 and d.is_leaf and d.grad == 0.0


def test_gradient_does_not_flow_through_detach():
    x = Value(2.0)
    y = x * x
    z = y.detach() * x + y  # d/dx through y only: 2x, plus y.data from the product
    z.backward()
    assert x.grad == 4.0 + 4.0


def test_is_leaf():
    x = Value(1.0)
    assert x.is_leaf
    assert not (x + 1).is_leaf
    assert (x + 1).detach().is_leaf


# --- IEEE 754 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", IEEE_CASES, ids=[c.expr for c in IEEE_CASES])
def test_ieee_edge_case_value_and_local_derivatives(case):
    node, inputs = case.build()
    assert same(node.data, case.value), f"{case.expr} = {node.data!r}, expected {case.value!r}"
    assert len(node.local_grads) == len(case.grads)
    for got, expected in zip(node.local_grads, case.grads):
        assert same(got, expected), f"d({case.expr}): {node.local_grads!r}, expected {case.grads!r}"
    node.backward()
    assert all(same(v.grad, g) for v, g in zip(inputs, case.grads))


ISSUE_CASES = {
    "log(0)": (lambda: Value(0.0).log(), -math.inf),
    "log(-1)": (lambda: Value(-1.0).log(), math.nan),
    "sqrt(-1)": (lambda: Value(-1.0).sqrt(), math.nan),
    "x/0": (lambda: Value(1.0) / 0, math.inf),
    "-1/x": (lambda: -1 / Value(0.0), -math.inf),
    "0/0": (lambda: Value(0.0) / Value(0.0), math.nan),
    "(-8)**(1/3)": (lambda: Value(-8.0) ** (1 / 3), math.nan),
    "0**-1": (lambda: Value(0.0) ** -1, math.inf),
    "exp(1000)": (lambda: Value(1000.0).exp(), math.inf),
    "10**400": (lambda: Value(10.0) ** 400, math.inf),
    "10**x": (lambda: 10 ** Value(400.0), math.inf),
    "sin(inf)": (lambda: Value(math.inf).sin(), math.nan),
}


@pytest.mark.parametrize("build, expected", ISSUE_CASES.values(), ids=ISSUE_CASES.keys())
def test_ieee_results_from_the_issue_written_as_operators(build, expected):
    assert same(build().data, expected)


def test_sigmoid_and_tanh_are_stable_far_out():
    for x, sigmoid, tanh in [(-1000.0, 0.0, -1.0), (1000.0, 1.0, 1.0), (-1e308, 0.0, -1.0)]:
        s, t = Value(x).sigmoid(), Value(x).tanh()
        assert s.data == sigmoid and s.local_grads == (0.0,)
        assert t.data == tanh and t.local_grads == (0.0,)


# --- reference cycles -------------------------------------------------------------------------

class _Watched(Value):
    """A Value that can be watched with a weakref (Value's __slots__ leave that out)."""

    __slots__ = ("__weakref__",)


def test_dropping_the_output_frees_the_graph_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        x, w = _Watched(0.5), _Watched(2.0)
        watched = [weakref.ref(x), weakref.ref(w)]
        hidden = autograd.dot([w, x], [x, 3.0], w).tanh() * x
        out = autograd.sum([hidden, 2.0, (w ** x).log(), abs(-x)]) / w
        out.backward()
        del x, w, hidden
        assert all(ref() is not None for ref in watched)  # the graph holds its leaves...
        del out
        # ...and nothing else does: no cycle keeps the intermediate nodes alive
        assert all(ref() is None for ref in watched)
    finally:
        gc.enable()


def test_values_have_no_instance_dict():
    assert not hasattr(Value(1.0), "__dict__")


# --- sum and dot ---------------------------------------------------------------------------------

def test_sum_is_one_node_with_one_edge_per_value():
    x, y, z = Value(1.0), Value(2.0), Value(4.0)
    s = autograd.sum([x, y, z])
    assert s.data == 7.0
    assert s.parents == (x, y, z) and s.local_grads == (1.0, 1.0, 1.0)
    assert s.op == "sum"
    s.backward()
    assert (x.grad, y.grad, z.grad) == (1.0, 1.0, 1.0)


def test_sum_folds_numbers_into_one_constant():
    x, y = Value(1.0), Value(2.0)
    s = autograd.sum([x, 2, y, 3.5])
    assert s.data == 8.5
    assert s.parents == (x, y) and s.constant == 5.5


def test_sum_accepts_a_generator_and_repeated_nodes():
    x = Value(1.5)
    s = autograd.sum(v for v in [x, x, x])
    s.backward()
    assert s.data == 4.5 and x.grad == 3.0


def test_sum_rejects_a_non_number_naming_its_type():
    with pytest.raises(TypeError, match="str"):
        autograd.sum([Value(1.0), "a"])


def test_dot_is_one_node_with_one_edge_per_value():
    w1, w2, x1, x2, b = Value(2.0), Value(-1.0), Value(3.0), Value(4.0), Value(0.5)
    d = autograd.dot([w1, w2], [x1, x2], b)
    assert d.data == 2.0 * 3.0 - 4.0 + 0.5
    assert d.parents == (w1, w2, x1, x2, b)
    assert d.local_grads == (3.0, 4.0, 2.0, -1.0, 1.0)  # d/dw = x, d/dx = w, d/db = 1
    assert d.op == "dot"
    d.backward()
    assert [v.grad for v in (w1, w2, x1, x2, b)] == [3.0, 4.0, 2.0, -1.0, 1.0]


def test_dot_without_bias():
    w, x = Value(2.0), Value(3.0)
    d = autograd.dot([w], [x])
    assert d.data == 6.0
    assert d.parents == (w, x) and d.local_grads == (3.0, 2.0)
    assert d.constant is None


def test_dot_folds_numbers_and_keeps_only_values_as_parents():
    w, x = Value(2.0), Value(4.0)
    d = autograd.dot([w, 5.0], [3.0, x], 1.5)  # 2*3 + 5*4 + 1.5
    assert d.data == 27.5
    assert d.parents == (w, x) and d.local_grads == (3.0, 5.0)
    assert d.constant == 1.5


def test_dot_with_a_value_bias_and_number_weights():
    x, b = Value(4.0), Value(1.0)
    d = autograd.dot([2.0], [x], b)
    assert d.data == 9.0 and d.parents == (x, b) and d.local_grads == (2.0, 1.0)


def test_dot_with_value_weights_and_bias_fed_plain_numbers():
    # a neuron in the first layer: its inputs are data, not nodes
    w1, w2, b = Value(2.0), Value(-1.0), Value(0.5)
    d = autograd.dot([w1, w2], [3.0, 4], b)
    assert d.data == 6.0 - 4.0 + 0.5
    assert d.parents == (w1, w2, b) and d.local_grads == (3.0, 4.0, 1.0)


def test_dot_with_value_weights_and_bias_and_mixed_inputs():
    w1, w2, x2, b = Value(2.0), Value(-1.0), Value(4.0), Value(0.5)
    d = autograd.dot([w1, w2], [3.0, x2], b)
    assert d.data == 2.5
    assert d.parents == (w1, w2, x2, b) and d.local_grads == (3.0, 4.0, -1.0, 1.0)


def test_dot_with_a_node_on_both_sides():
    x = Value(3.0)
    d = autograd.dot([x], [x])
    d.backward()  # x^2
    assert d.data == 9.0 and x.grad == 6.0


def test_dot_length_mismatch_says_what_was_wrong():
    with pytest.raises(ValueError, match="2 weights.*3 inputs"):
        autograd.dot([Value(1.0), Value(2.0)], [Value(1.0)] * 3)


@pytest.mark.parametrize("bad", ["a", None, 1j, [1.0]], ids=["str", "None", "complex", "list"])
def test_dot_rejects_a_non_number_input_even_with_value_weights_and_bias(bad):
    # the neuron's fast path must not let a bad input through (nor turn it into a node)
    with pytest.raises(TypeError, match=type(bad).__name__):
        autograd.dot([Value(1.0)], [bad], Value(0.0))


def test_dot_rejects_a_non_number_weight_or_bias():
    with pytest.raises(TypeError, match="str"):
        autograd.dot(["a"], [Value(1.0)])
    with pytest.raises(TypeError, match="str"):
        autograd.dot([Value(1.0)], [Value(1.0)], "a")


def test_builtin_sum_over_values_works():
    x, y, z = Value(1.0), Value(2.0), Value(4.0)
    s = sum([x, y * y, z])
    s.backward()
    assert s.data == 9.0
    assert (x.grad, y.grad, z.grad) == (1.0, 4.0, 1.0)
