"""Every op in the table: forward, local derivatives, numbers mixed in, no exception escapes.

Each test loops over ``CASES`` (tests/strategies.py), one record per op derived
from its table entry: an op added to ``OPS`` is tested here with no edit.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import OPS, Value
from autograd.core.ops import MASKED
from tests.strategies import (
    CASES,
    away_from_zero,
    central_difference,
    partial_differences,
    reals,
)

BINARY = [name for name, case in CASES.items() if case.op.arity == 2]


def _node(name, args):
    """The op's node over fresh leaves holding ``args``, and those leaves."""
    leaves = [Value(a) for a in args]
    return CASES[name].apply(*leaves), leaves


def _forward(name):
    return lambda *args: _node(name, args)[0].data


def assert_matches_difference(grad, difference, value):
    """A local derivative agrees with its central difference.

    The five-point difference is accurate to ~1e-10 relative here; rounding in
    f adds about eps * |f| / h, hence the term scaled by |f|.
    """
    assert abs(grad - difference) <= 1e-7 * abs(difference) + 1e-9 * max(1.0, abs(value)), (
        f"local derivative {grad!r}, central difference {difference!r}")


# --- the table itself -------------------------------------------------------------

def test_every_op_in_the_table_has_a_case():
    # the cases are derived from the table, so an op can only be missing if it was
    # registered after the tests were collected
    assert set(CASES) == set(OPS)


@pytest.mark.parametrize("name", CASES)
def test_table_entry_is_complete(name):
    op = OPS[name]
    assert op.name == name
    assert op.symbol and op.formula
    assert op.arity >= 0
    assert all(low < high for low, high in op.domain), f"{name}: an empty domain {op.domain}"


@pytest.mark.parametrize("name", CASES)
def test_case_inputs_lie_where_the_op_is_smooth(name):
    # the strategy drawn from the entry's domain and kinks agrees with the smoothness test
    case = CASES[name]

    @given(case.inputs)
    @settings(max_examples=20)
    def check(args):
        assert case.smooth(args, [False] * len(args)), args
        assert math.isfinite(case.reference(*args)), args

    check()


# --- properties over the table -----------------------------------------------------

@pytest.mark.parametrize("name", CASES)
def test_local_grads_match_central_differences(name):
    @given(CASES[name].inputs)
    def check(args):
        node, leaves = _node(name, args)
        assert node.parents == tuple(leaves)
        assert len(node.local_grads) == len(leaves)
        assert all(type(g) is float or g is MASKED for g in node.local_grads)
        for grad, difference in zip(node.local_grads, partial_differences(_forward(name), args)):
            assert_matches_difference(grad, difference, node.data)

    check()


@pytest.mark.parametrize("name", CASES)
def test_node_holds_the_entrys_forward(name):
    # what a learner writes (x.tanh(), a / b, autograd.dot(w, x, b)) reaches the op's forward
    case = CASES[name]

    @given(case.inputs)
    def check(args):
        node, _ = _node(name, args)
        assert type(node.data) is float
        assert node.data == case.reference(*args)

    check()


# Values known exactly, or to the last bit, that no formula in ops.py produced: the
# independent check of each forward and derivative (PyTorch checks them everywhere else).
KNOWN = [
    # (op, inputs, value, local derivatives)
    ("add", (2.0, 3.0), 5.0, (1.0, 1.0)),
    ("sub", (2.0, 3.0), -1.0, (1.0, -1.0)),
    ("mul", (2.0, 3.0), 6.0, (3.0, 2.0)),
    ("div", (3.0, 2.0), 1.5, (0.5, -0.75)),
    ("pow", (2.0, 3.0), 8.0, (12.0, 8.0 * math.log(2.0))),
    ("neg", (2.0,), -2.0, (-1.0,)),
    ("exp", (0.0,), 1.0, (1.0,)),
    ("exp", (1.0,), math.e, (math.e,)),
    ("log", (1.0,), 0.0, (1.0,)),
    ("log", (4.0,), math.log(2.0) * 2, (0.25,)),
    ("tanh", (0.0,), 0.0, (1.0,)),
    ("sigmoid", (0.0,), 0.5, (0.25,)),
    ("relu", (-3.0,), 0.0, (0.0,)),
    ("relu", (3.0,), 3.0, (1.0,)),
    ("sqrt", (4.0,), 2.0, (0.25,)),
    ("abs", (-3.0,), 3.0, (-1.0,)),
    ("sign", (-3.0,), -1.0, (0.0,)),
    ("sign", (0.5,), 1.0, (0.0,)),
    ("sin", (0.0,), 0.0, (1.0,)),
    ("cos", (0.0,), 1.0, (-0.0,)),
    ("softplus", (0.0,), math.log(2.0), (0.5,)),
    ("softplus", (math.log(3.0),), math.log(4.0), (0.75,)),  # ln(1 + 3), 3/(1 + 3)
    ("log1p", (0.0,), 0.0, (1.0,)),
    ("log1p", (1.0,), math.log(2.0), (0.5,)),
    ("expm1", (0.0,), 0.0, (1.0,)),
    ("expm1", (1e-20,), 1e-20, (1.0,)),  # e^x - 1 without cancellation
    ("sum", (1.0, 2.0, 4.0), 7.0, (1.0, 1.0, 1.0)),
    ("dot", (1.0, 2.0, 3.0, 4.0, 5.0), 16.0, (3.0, 4.0, 1.0, 2.0, 1.0)),
    ("dot", (1.0, 2.0, 3.0, 4.0), 11.0, (3.0, 4.0, 1.0, 2.0)),
    ("logsumexp", (0.0, 0.0), math.log(2.0), (0.5, 0.5)),
    ("logsumexp", (0.0, math.log(3.0)), math.log(4.0), (0.25, 0.75)),
]


@pytest.mark.parametrize("name, args, value, grads", KNOWN,
                         ids=[f"{k[0]}{k[1]}" for k in KNOWN])
def test_known_values_and_derivatives(name, args, value, grads):
    node, leaves = _node(name, args)
    assert math.isclose(node.data, value, rel_tol=2e-16, abs_tol=1e-300), node.data
    for got, expected in zip(node.local_grads, grads):
        assert math.isclose(got, expected, rel_tol=4e-16, abs_tol=1e-300), node.local_grads


@pytest.mark.parametrize("name", CASES)
def test_node_records_the_op_that_made_it(name):
    @given(CASES[name].inputs)
    @settings(max_examples=5)
    def check(args):
        node, _ = _node(name, args)
        assert node.op == name
        assert not node.is_leaf

    check()


@pytest.mark.parametrize("name", BINARY)
def test_number_on_either_side_matches_reference_and_central_differences(name):
    apply, reference = CASES[name].apply, CASES[name].reference

    @given(CASES[name].inputs)
    def check(args):
        a, b = args
        expected = reference(a, b)
        for node, leaf, derivative in [
            (apply(Value(a), b), "left", lambda t: apply(Value(t), b).data),
            (apply(a, Value(b)), "right", lambda t: apply(a, Value(t)).data),
        ]:
            assert len(node.parents) == 1, f"the number on the {leaf} became a node"
            assert node.data == expected
            difference = central_difference(derivative, a if leaf == "left" else b)
            assert_matches_difference(node.local_grads[0], difference, node.data)

    check()


# --- numbers on either side, derivatives by hand --------------------------------------

FORMS = [
    # (form, build, value, d/dx by hand, domain of x)
    ("x + 2", lambda x: x + 2, lambda x: x + 2, lambda x: 1.0, reals(-100, 100)),
    ("2 + x", lambda x: 2 + x, lambda x: 2 + x, lambda x: 1.0, reals(-100, 100)),
    ("x - 2", lambda x: x - 2, lambda x: x - 2, lambda x: 1.0, reals(-100, 100)),
    ("2 - x", lambda x: 2 - x, lambda x: 2 - x, lambda x: -1.0, reals(-100, 100)),
    ("x * 3", lambda x: x * 3, lambda x: x * 3, lambda x: 3.0, reals(-100, 100)),
    ("3 * x", lambda x: 3 * x, lambda x: 3 * x, lambda x: 3.0, reals(-100, 100)),
    ("x / 4", lambda x: x / 4, lambda x: x / 4, lambda x: 0.25, reals(-100, 100)),
    ("1 / x", lambda x: 1 / x, lambda x: 1 / x, lambda x: -1 / x**2, away_from_zero(0.1, 100)),
    ("2 / x", lambda x: 2 / x, lambda x: 2 / x, lambda x: -2 / x**2, away_from_zero(0.1, 100)),
    ("x ** 2", lambda x: x**2, lambda x: x * x, lambda x: 2 * x, reals(-100, 100)),
    ("x ** 3", lambda x: x**3, lambda x: x * x * x, lambda x: 3 * x * x, reals(-20, 20)),
    ("x ** -1", lambda x: x**-1, lambda x: 1 / x, lambda x: -1 / (x * x), away_from_zero(0.1, 100)),
    ("x ** 0.5", lambda x: x**0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), reals(0.01, 100)),
    ("x ** 0", lambda x: x**0, lambda x: 1.0, lambda x: 0.0, reals(-100, 100)),
    ("2 ** x", lambda x: 2**x, lambda x: math.exp(x * math.log(2)),
     lambda x: math.exp(x * math.log(2)) * math.log(2), reals(-20, 20)),
    ("0.5 ** x", lambda x: 0.5**x, lambda x: math.exp(-x * math.log(2)),
     lambda x: -math.exp(-x * math.log(2)) * math.log(2), reals(-20, 20)),
    ("-x", lambda x: -x, lambda x: -x, lambda x: -1.0, reals(-100, 100)),
    ("True + x", lambda x: True + x, lambda x: 1 + x, lambda x: 1.0, reals(-100, 100)),
]


@pytest.mark.parametrize("form, build, value, derivative, domain", FORMS, ids=[f[0] for f in FORMS])
def test_number_forms_match_hand_derivatives(form, build, value, derivative, domain):
    @given(domain)
    def check(x):
        leaf = Value(x)
        node = build(leaf)
        assert node.parents == (leaf,)
        assert math.isclose(node.data, value(x), rel_tol=1e-13, abs_tol=1e-300)
        assert math.isclose(node.local_grads[0], derivative(x), rel_tol=1e-13, abs_tol=1e-300)

    check()


# --- no exception ever escapes ---------------------------------------------------------

ANY_FLOAT = st.one_of(
    st.floats(),  # nan, +-inf, +-0, subnormals, huge
    st.sampled_from((0.0, -0.0, 1.0, -1.0, 0.5, -8.0, 1 / 3, 1000.0, -1000.0, 1e308, -1e308)),
)


def _any_inputs(name):
    # the op's shape (from its smooth-domain strategy), filled with arbitrary floats
    return CASES[name].inputs.flatmap(lambda args: st.tuples(*[ANY_FLOAT] * len(args)))


@pytest.mark.parametrize("name", CASES)
def test_no_exception_or_complex_escapes_for_any_float(name):
    @given(_any_inputs(name))
    def check(args):
        forms = [[Value(a) for a in args]]
        if OPS[name].arity == 2:  # and each side as a plain number
            forms += [[args[0], Value(args[1])], [Value(args[0]), args[1]]]
        for inputs in forms:
            node = CASES[name].apply(*inputs)
            node.backward()
            assert type(node.data) is float
            assert all(type(g) is float or g is MASKED for g in node.local_grads)
            assert all(type(v.grad) is float for v in inputs if isinstance(v, Value))

    check()


# --- precision: local derivatives against exact rational arithmetic -------------------------
# Central differences only see ~1e-10; these check the last bits, where a formula that
# cancels or overflows in an intermediate step (b*b) loses digits that the result can hold.

def _ulps_close(got, exact, ulps=4):
    return abs(got - exact) <= ulps * math.ulp(exact)


def _signed_magnitudes(low_exponent, high_exponent):
    return st.builds(lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
                     st.sampled_from((1.0, -1.0)), reals(1, 10),
                     st.integers(low_exponent, high_exponent))


@given(_signed_magnitudes(-200, 200), _signed_magnitudes(-200, 200))
def test_div_local_derivatives_do_not_overflow_in_b_squared(a, b):
    exact = -Fraction(a) / Fraction(b) ** 2  # d/db a/b = -a/b^2
    assume(1e-300 < abs(exact) < 1e300)
    node = Value(a) / Value(b)
    assert _ulps_close(node.local_grads[0], float(1 / Fraction(b)))
    assert _ulps_close(node.local_grads[1], float(exact)), (
        f"d/db ({a!r} / {b!r}) = {node.local_grads[1]!r}, exactly {float(exact)!r}")


@given(reals(-19, 19))
def test_tanh_derivative_does_not_cancel_near_saturation(x):
    node = Value(x).tanh()
    y = Fraction(node.data)
    exact = 1 - y * y  # 1 - tanh^2 of the stored output, without rounding
    assume(exact != 0)
    assert _ulps_close(node.local_grads[0], float(exact)), (
        f"d/dx tanh({x!r}) = {node.local_grads[0]!r}, 1 - y^2 is exactly {float(exact)!r}")


@given(reals(-700, 700))
def test_sigmoid_derivative_does_not_cancel_near_saturation(x):
    node = Value(x).sigmoid()
    y = Fraction(node.data)
    exact = y * (1 - y)
    assume(exact != 0 and float(exact) > 1e-300)
    assert _ulps_close(node.local_grads[0], float(exact))
