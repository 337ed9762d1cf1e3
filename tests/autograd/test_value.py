"""Value itself: construction, errors naming the type, repr, comparisons, numbers mixed in."""


import math
from fractions import Fraction

import pytest

import autograd
from autograd import Value

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


# --- a Value is not a plain float ---------------------------------------------------------

def test_math_sin_on_a_value_raises_instead_of_dropping_the_gradient():
    # the example: math.sin(x) was a plain float, so x.grad came out 2.0, not 2 + cos 0.5
    x = Value(0.5)
    with pytest.raises(TypeError, match=r"x\.sin\(\)") as error:
        x * 2 + math.sin(x)
    assert "x.item()" in str(error.value) and "gradient" in str(error.value)
    z = x * 2 + x.sin()  # what the message says to write
    z.backward()
    assert x.grad == 2 + math.cos(0.5)


@pytest.mark.parametrize("convert", [float, int, round, lambda v: round(v, 2), math.exp,
                                     math.tanh, math.isfinite, math.floor],
                         ids=["float", "int", "round", "round2", "exp", "tanh", "isfinite",
                              "floor"])
def test_every_conversion_to_a_plain_number_is_refused(convert):
    with pytest.raises(TypeError, match="item"):
        convert(Value(1.5))


def test_item_is_the_plain_number():
    x = Value(2.5)
    assert x.item() == 2.5 and type(x.item()) is float
    assert math.sin((x * 2).item()) == math.sin(5.0)


def test_format_spec_formats_the_number_and_no_spec_gives_the_repr():
    loss = Value(0.693147, "loss")
    assert f"{loss:.3f}" == "0.693"
    assert f"{loss:8.2e}" == "6.93e-01"
    assert f"{loss}" == repr(loss) == str(loss)


def test_every_public_dunder_has_a_docstring():
    inherited = {"__class__", "__doc__", "__module__", "__slots__", "__init_subclass__",
                 "__subclasshook__", "__weakref__"}
    # Value's own, and those it inherits from the engine (NotAFloat: comparisons, float(), …)
    members = {name: member for cls in reversed(Value.__mro__[:-1])
               for name, member in vars(cls).items()}
    dunders = [name for name, member in members.items()
               if name.startswith("__") and name.endswith("__") and name not in inherited
               and callable(member)]
    assert {"__init__", "__pow__", "__abs__", "__float__", "__format__", "__lt__"} <= set(dunders)
    undocumented = [name for name in dunders if not (getattr(Value, name).__doc__ or "").strip()]
    assert undocumented == []


# --- comparisons and hashing -----------------------------------------------------------

def test_truth_of_a_value_is_the_truth_of_its_number_as_in_pytorch():
    # `if loss:` and `while error:` passed for every Value, 0.0 included
    assert [bool(Value(v)) for v in (0.0, -0.0, 1e-300, -2.0, math.nan)] == [
        False, False, True, True, True]
    error, steps = Value(3.0), 0
    while error:
        error, steps = error - 1.0, steps + 1
    assert steps == 3


def test_in_place_update_of_a_leaf_with_a_number_is_refused():
    # p -= lr * p.grad rebound p to a new Value and left the parameter unchanged
    p = Value(1.0)
    p.grad = 0.5
    for update in ("p -= 0.1 * p.grad", "p += 1", "p *= 2.0", "p /= 2", "p **= 2"):
        with pytest.raises(RuntimeError, match=r"leaf.*unchanged.*\.data"):
            exec(update, {"p": p})
    assert p.data == 1.0


def test_in_place_operators_still_build_graphs_between_values():
    x, w = Value(2.0), Value(3.0)
    total = Value(0.0)
    for term in (x * w, x, w):  # total += term on Values: a graph, as for floats
        total += term
    total *= 2  # on a computed Value, a number is fine
    total.backward()
    assert total.data == 22.0 and x.grad == 2 * (3.0 + 1.0) and w.grad == 2 * (2.0 + 1.0)


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
