"""What a trace cannot see raises TraceError, naming the line; outside a trace nothing changes."""

import inspect
import math
import random

import pytest

import autograd
from autograd import TraceError, Value
from autograd.static.guard import tracing
from autograd.static.tracing import read_arguments


def line_of(function, text):
    """The line number of the first line of ``function`` that contains ``text``."""
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


def refused(f, *args):
    """The TraceError that compiling and calling ``f`` raises."""
    with pytest.raises(TraceError) as caught:
        autograd.compile(f)(*args)
    return caught.value


def if_on_a_value(x):
    if x > 0:
        return x
    return -x


def max_with_zero(x):
    return max(x, 0.0) * 2.0


def min_with_zero(x):
    return min(0.0, x) * 2.0


def truth_of_a_value(x):
    return x * 2.0 if x else x


def while_on_a_value(x):
    while x < 10:
        x = x * 2.0
    return x


def math_on_a_value(x):
    return Value(math.exp(x))


def float_of_a_value(x):
    return x * float(x)


def int_of_a_value(x):
    return x * int(x)


def round_of_a_value(x):
    return x * round(x, 1)


def item_of_a_value(x):
    return x * x.item()


def label_compared(x, y):
    return x * 2.0 if y == 1 else x


def label_not_equal(x, y):
    return x if y != 1 else -x


def index_with_a_value(xs, i):
    return xs[i]


def range_of_a_value(x):
    return autograd.sum([x] * 2 + [x for _ in range(x)])


CASES = [  # (f, arguments, the line's text, a word of the fix the message suggests)
    (if_on_a_value, (1.0,), "if x > 0", "relu"),
    (max_with_zero, (1.0,), "max(x, 0.0)", "x.relu() for max(x, 0)"),
    (min_with_zero, (1.0,), "min(0.0, x)", "-(-x).relu() for min(x, 0)"),
    (truth_of_a_value, (1.0,), "if x else", "x.sign()"),
    (while_on_a_value, (1.0,), "while x < 10", "relu"),
    (math_on_a_value, (1.0,), "math.exp(x)", "x.exp()"),
    (float_of_a_value, (1.0,), "float(x)", "x.exp()"),
    (int_of_a_value, (1.0,), "int(x)", "x.item()"),
    (round_of_a_value, (1.0,), "round(x, 1)", "x.item()"),
    (item_of_a_value, (1.0,), "x.item()", "call f itself"),
    (label_compared, (1.0, 1.0), "y == 1", "(1 - y * s).relu()"),
    (label_not_equal, (1.0, 1.0), "y != 1", "(1 - y * s).relu()"),
    (index_with_a_value, ([1.0, 2.0], 0.0), "xs[i]", "one-hot"),
    (range_of_a_value, (2.0,), "range(x)", "one-hot"),
]


@pytest.mark.parametrize("f, args, text, fix", CASES, ids=[case[0].__name__ for case in CASES])
def test_python_control_flow_on_a_value_names_the_line_and_the_op_to_use(f, args, text, fix):
    error = refused(f, *args)
    assert error.filename == __file__ and error.lineno == line_of(f, text)
    message = str(error)
    assert f"test_trace.py:{error.lineno}:" in message and text in message and fix in message


def test_trace_error_is_a_type_error_as_in_jax():
    assert isinstance(refused(if_on_a_value, 1.0), TypeError)


def test_a_comparison_inside_an_ops_second_derivative_says_so():
    def f(x):
        return autograd.grad(lambda y: y.relu() * y)(x)  # relu's rule compares: relu'(y)

    error = refused(f, 1.0)
    assert error.lineno == line_of(f, "autograd.grad") and "second derivative" in str(error)


def test_a_smooth_second_derivative_compiles():
    def f(x):
        return autograd.grad(lambda y: y.tanh() * y)(x)

    assert autograd.compile(f)(0.5) == autograd.value_and_grad(f)(0.5)


# --- reading .data ---------------------------------------------------------------------------

def constant_from_data(x):
    return x * x.data


def detached(x):
    return x * x.detach()


def branch_on_data(x):
    return x if x.data > 0 else -x


def dropout(x):
    return x * (0.0 if random.random() < 0.5 else 2.0)


@pytest.mark.parametrize("f", [constant_from_data, detached])
def test_a_number_read_from_data_is_caught_at_the_first_call(f):
    error = refused(f, 2.0)
    assert "different graph" in str(error) and f"test_trace.py:{line_of(f, 'return')}" in str(error)


def test_a_branch_on_data_is_caught_when_a_later_call_takes_the_other_branch():
    g = autograd.compile(branch_on_data)
    assert g(1.0) == (1.0, 1.0) and g(2.0) == (2.0, 1.0)
    with pytest.raises(TraceError, match="different graph"):
        g(-1.0)
    with pytest.raises(TraceError, match="different graph"):  # and from then on, always
        g(3.0)


def test_random_numbers_inside_f_are_caught():
    random.seed(3)
    g = autograd.compile(dropout)
    with pytest.raises(TraceError, match="random"):
        for x in range(8):
            g(float(x))


def test_a_branch_on_data_is_caught_among_the_first_samples_of_a_sum():
    g = autograd.compile(lambda w, x: branch_on_data(w * x))
    with pytest.raises(TraceError, match="sample 2 of g.sum"):
        g.sum(1.0, batch=zip([1.0, 2.0, -3.0]))


# --- outside a trace, Values behave as before --------------------------------------------------

def test_outside_a_trace_comparisons_compare_numbers_and_equality_is_identity():
    x = Value(2.0)
    assert x > 1 and x >= 2 and not x < 2 and x <= 2.5 and max(x, Value(1.0)) is x
    assert x != 2 and not x == 2 and x == x and len({x, Value(2.0)}) == 2
    assert bool(Value(0.0)) is False and bool(x) is True  # the truth of the number


def test_outside_a_trace_a_value_is_no_index():
    with pytest.raises(TypeError, match=r"int\(x.item\(\)\)"):
        [1, 2][Value(0.0)]


def test_inside_tracing_item_is_refused_and_outside_it_is_the_number():
    x = Value(2.0)
    assert x.item() == 2.0
    with tracing(), pytest.raises(TraceError):
        x.item()
    assert x.item() == 2.0


def test_arguments_must_be_numbers_or_lists_of_them():
    assert read_arguments([1, [2.0, (3,)]]) == (
        (float, (list, (float, (tuple, (float,))))), [1.0, [2.0, (3.0,)]])
    with pytest.raises(TypeError, match="argument 0 holds str"):
        read_arguments(["a"])
    with pytest.raises(TypeError, match="holds bool"):
        read_arguments([[True]])
