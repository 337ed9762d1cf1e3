"""gradcheck: passes on every op of the table, and names the op whose derivative is wrong."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, GradcheckError, Value, gradcheck
from autograd.calculus.check import first_wrong_op
from autograd.core.value import apply


def _dot(*flat):
    n = len(flat) // 2  # w₁…wₙ, x₁…xₙ and, if the count is odd, b
    return autograd.dot(flat[:n], flat[n:2 * n], flat[2 * n] if len(flat) % 2 else None)


NARY = {"sum": lambda *xs: autograd.sum(xs), "logsumexp": lambda *xs: autograd.logsumexp(xs),
        "dot": _dot}


def apply_op(name, *args):
    """The node of op ``name`` on ``args`` (Values or numbers), for any entry of the table."""
    op = OPS[name]
    if op.arity:
        return apply(op, args)
    assert name in NARY, f"the n-ary op {name!r} needs a caller in NARY here"
    return NARY[name](*args)


def smooth_point(op):
    """Inputs inside the op's domain, at different places of each interval, away from kinks."""
    count = op.arity or 5  # an n-ary op: 5 inputs (dot: 2 weights, 2 inputs, a bias)
    point = []
    for i in range(count):
        low, high = op.domain[min(i, len(op.domain) - 1)]
        x = low + (high - low) * (0.3 + 0.13 * i)
        assert all(abs(x - kink) > 0.1 for kink in op.kinks)
        point.append(x)
    return point


@pytest.mark.parametrize("name", OPS)
def test_gradcheck_passes_on_every_op_of_the_table(name):
    assert gradcheck(lambda *xs: apply_op(name, *xs), *smooth_point(OPS[name]))


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.arity == 2])
def test_gradcheck_passes_on_every_binary_op_with_a_plain_number_on_either_side(name):
    a, b = smooth_point(OPS[name])
    assert gradcheck(lambda x: apply_op(name, x, b), a)
    assert gradcheck(lambda y: apply(OPS[name], (Value(a), y)) * y, b)  # a Value on the left


def test_gradcheck_takes_nested_lists_and_checks_second_derivatives():
    def f(w, x):
        return autograd.dot(w[0], x, w[1][0]).tanh() * w[1][1]

    assert gradcheck(f, [[0.3, -0.7], [0.2, 1.5]], [1.0, 2.0])
    assert gradcheck(autograd.grad(lambda x: x.sin() * x.exp()), 0.4)  # f'' against f'


def _wrong_cube():
    """cube x = x³ registered with the derivative 2x² instead of 3x², on purpose."""
    autograd.register_op("cube", lambda x: x ** 3, lambda x: 2 * x ** 2)


def test_a_wrong_registered_op_is_named():
    _wrong_cube()

    def f(x, y):
        h = (x * y).cube()
        h.label = "h"
        return h.tanh() + y.exp()

    with pytest.raises(GradcheckError) as error:
        gradcheck(f, 0.7, 0.4)
    culprit = error.value.culprit
    assert culprit.op == "cube" and culprit.label == "h" and culprit.position == 0
    assert culprit.inputs == (0.7 * 0.4,)
    assert culprit.analytic == pytest.approx(2 * 0.28 ** 2)
    assert culprit.numeric == pytest.approx(3 * 0.28 ** 2, rel=1e-6)
    message = str(error.value)
    assert "cube" in message and "'h'" in message and f"cube({0.7 * 0.4!r})" in message


def test_the_table_shows_analytic_numeric_and_difference_for_each_input():
    _wrong_cube()
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x, w: x.cube() + w[0] * w[1], 0.5, [2.0, 3.0])
    rows = error.value.rows
    assert [row.input for row in rows] == ["x", "w[0]", "w[1]"]
    assert rows[0].analytic == pytest.approx(2 * 0.5 ** 2)  # the wrong rule
    assert rows[0].numeric == pytest.approx(3 * 0.5 ** 2, rel=1e-6)  # the truth
    assert [row.ok for row in rows] == [False, True, True]
    assert [row.numeric for row in rows[1:]] == pytest.approx([3.0, 2.0])
    lines = str(error.value).splitlines()
    header = next(line for line in lines if "analytic" in line)
    assert header.split() == ["input", "analytic", "numeric", "difference"]
    x_line = next(line for line in lines if line.split()[:1] == ["x"])
    assert x_line.split()[1:4] == [f"{2 * 0.25:.8g}", f"{rows[0].numeric:.8g}",
                                   f"{rows[0].analytic - rows[0].numeric:.3g}"]
    assert "differs" in x_line
    assert "1 of 3" in lines[0] and "atol + rtol·|numeric|" in str(error.value)


def test_the_first_wrong_op_in_topological_order_is_named():
    _wrong_cube()
    autograd.register_op("double", lambda x: 2 * x, lambda x: 2.5)  # wrong too
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x: x.double().cube(), 0.3)  # double comes first
    assert error.value.culprit.op == "double"


def test_a_wrong_op_is_found_among_n_ary_nodes_with_plain_numbers():
    _wrong_cube()

    def f(x, y):
        s = autograd.sum([x, 2.0, y])
        d = autograd.dot([x, 1.5], [y, 0.5])  # no bias, a plain weight and input
        return autograd.logsumexp([s, d, 0.3]).cube()

    with pytest.raises(GradcheckError) as error:
        gradcheck(f, 0.2, -0.4)
    assert error.value.culprit.op == "cube"


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
@settings(max_examples=30)
def test_no_op_is_blamed_at_any_smooth_point_with_values_or_numbers(name, data):
    op = OPS[name]
    count = op.arity or data.draw(st.sampled_from((3, 4, 5)), label="inputs")
    args = []
    for i in range(count):
        low, high = op.domain[min(i, len(op.domain) - 1)]
        x = data.draw(st.floats(low, high), label=f"x{i}")
        assume(all(abs(x - kink) > 1e-3 for kink in op.kinks))
        plain = i > 0 and data.draw(st.booleans(), label=f"x{i} is a plain number")
        args.append(x if plain else Value(x))
    culprit, checked, _ = first_wrong_op(apply_op(name, *args), 1e-6, 1e-5, 1e-3)
    assert culprit is None and checked >= 1


def test_a_kink_at_the_point_is_reported_not_blamed():
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x: x.relu() * 2.0, 0.0)  # numeric: (2ε − 0) / 2ε = 1, analytic 0
    assert error.value.culprit is None
    assert "skipped at a kink" in str(error.value) and "relu at 0.0" in str(error.value)


def test_reading_data_is_reported_as_the_functions_own_fault():
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x: x * x.data, 3.0)  # the graph sees x · 3: d/dx = 3, not 6
    assert error.value.culprit is None
    assert "x.data" in str(error.value) and "chain rule multiplied correct numbers" in str(
        error.value)


def test_tolerances_follow_pytorchs_rule():
    autograd.register_op("twice", lambda x: 2 * x, lambda x: 2.0 * (1 + 5e-4))  # 0.05% off
    f = lambda x: x.twice()  # noqa: E731
    assert gradcheck(f, 1.0)  # |a − n| = 1e-3 ≤ atol + rtol·|n| = 1e-5 + 2e-3
    with pytest.raises(GradcheckError):
        gradcheck(f, 1.0, rtol=1e-4)  # 1e-3 > 1e-5 + 2e-4
    assert gradcheck(f, 1.0, atol=2e-3, rtol=0)


def test_gradcheck_error_is_a_runtime_error_as_in_pytorch():
    assert issubclass(GradcheckError, RuntimeError)


def test_many_inputs_show_only_those_that_differ():
    _wrong_cube()
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda xs: autograd.sum(xs) + xs[7].cube(), [0.1 * i for i in range(30)])
    lines = str(error.value).splitlines()
    assert sum("xs[" in line for line in lines) == 1 and "xs[7]" in str(error.value)


def test_gradcheck_inside_no_grad_says_why_it_cannot_work():
    with autograd.no_grad(), pytest.raises(RuntimeError, match="outside `with no_grad"):
        gradcheck(lambda x: x * x, 1.0)


@pytest.mark.parametrize("call, error, message", [
    (lambda: gradcheck(lambda x: x, Value(1.0)), TypeError, "plain numbers"),
    (lambda: gradcheck(lambda x: x), TypeError, "point"),
    (lambda: gradcheck(lambda x: x, 1.0, eps=0), ValueError, "eps"),
    (lambda: gradcheck(lambda x: x, 1.0, atol=-1), ValueError, "atol"),
    (lambda: gradcheck(lambda x: math.sin(x.data), 1.0), TypeError, "return a Value"),
    (lambda: gradcheck(lambda x: x, "one"), TypeError, "numbers"),
])
def test_bad_calls_say_what_to_do(call, error, message):
    with pytest.raises(error, match=message):
        call()
