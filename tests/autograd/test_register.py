"""register_op: one call adds an op to the table, a Value method, the drawing, higher order."""

import math

import pytest

import autograd
from autograd import OPS, Value
from tests.strategies import read_dot


def _cube(x):
    return x ** 3


def _cube_derivative(x):
    return 3 * x ** 2  # arithmetic only: valid on floats and on Values


def test_a_registered_op_is_a_table_entry_and_a_value_method():
    op = autograd.register_op("cube", _cube, _cube_derivative)
    assert OPS["cube"] is op and op.arity == 1 and op.symbol == "cube" and op.method
    x = Value(2.0)
    y = x.cube()
    assert y.data == _cube(2.0) and y.op == "cube" and y.parents == (x,)
    y.backward()
    assert x.grad == _cube_derivative(2.0)
    assert op.formula in Value.cube.__doc__


def test_the_decorator_form_registers_the_function_and_returns_it_unchanged():
    @autograd.register_op("cube", derivative=_cube_derivative, symbol="x³")
    def cube(x):
        return x ** 3

    assert cube(3.0) == 27.0  # still the plain function
    assert OPS["cube"].symbol == "x³" and Value(3.0).cube().data == 27.0


def test_a_two_input_op_takes_a_value_or_a_plain_number():
    autograd.register_op("hypot", lambda a, b: math.hypot(a, b),
                         lambda a, b: (a / (a * a + b * b) ** 0.5, b / (a * a + b * b) ** 0.5))
    a, b = Value(3.0), Value(4.0)
    h = a.hypot(b)
    h.backward()
    assert h.data == 5.0 and (a.grad, b.grad) == pytest.approx((3 / 5, 4 / 5))
    c = Value(3.0)
    k = c.hypot(4)  # the number is folded into the op, as in x * 2
    k.backward()
    assert k.data == 5.0 and k.parents == (c,) and k.constant == 4.0
    assert c.grad == pytest.approx(3 / 5)
    assert autograd.gradcheck(lambda a, b: a.hypot(b).log() * a.hypot(2.0), 0.7, -1.3)


def test_a_registered_op_is_drawn_with_its_symbol_and_formula():
    autograd.register_op("cube", _cube, _cube_derivative, symbol="x³", formula="x³;  d/dx = 3x²")
    x = Value(2.0, label="x")
    y = x.cube() + 1
    picture = read_dot(autograd.draw_graph(y).source)
    ops = {attrs["label"]: attrs.get("tooltip") for node, attrs in picture.nodes.items()
           if node.endswith("_op")}
    assert ops["x³"] == "x³;  d/dx = 3x²"
    x_id = next(node for node in picture.nodes if picture.fields(node)[0] == "x")
    # the edge from x into the op carries the local derivative 3x² = 12
    assert (x_id, "12") in [(tail, label) for tail, _, label in picture.edge_labels()]


def test_higher_derivatives_flow_through_a_registered_op():
    autograd.register_op("cube", _cube, _cube_derivative)
    f = lambda x: x.cube().sin()  # noqa: E731  f' = 3x² cos(x³), f'' = 6x cos(x³) − 9x⁴ sin(x³)
    x = 0.8
    expected = 6 * x * math.cos(x ** 3) - 9 * x ** 4 * math.sin(x ** 3)
    assert autograd.grad(autograd.grad(f))(x) == pytest.approx(expected, rel=1e-12)
    v = Value(x)
    v.cube().backward(create_graph=True)
    v_grad = v.grad
    (second,) = autograd.gradients(v_grad, [v])
    assert second == pytest.approx(6 * x, rel=1e-12)


def test_a_derivative_written_with_math_functions_fails_clearly_at_second_order():
    autograd.register_op("myexp", math.exp, math.exp)
    assert autograd.grad(lambda x: x.myexp())(1.0) == math.exp(1.0)  # first order: floats
    with pytest.raises(TypeError, match="Value-capable"):
        autograd.grad(autograd.grad(lambda x: x.myexp()))(1.0)


def test_replace_swaps_a_registered_op():
    autograd.register_op("cube", _cube, lambda x: 2 * x ** 2)  # wrong, on purpose
    with pytest.raises(ValueError, match="already registered.*replace=True"):
        autograd.register_op("cube", _cube, _cube_derivative)
    autograd.register_op("cube", _cube, _cube_derivative, replace=True)
    assert autograd.grad(lambda x: x.cube())(2.0) == _cube_derivative(2.0)


def test_unregister_removes_the_entry_and_the_method():
    autograd.register_op("cube", _cube, _cube_derivative)
    autograd.unregister_op("cube")
    assert "cube" not in OPS and not hasattr(Value, "cube")
    with pytest.raises(ValueError, match="not an op"):
        autograd.unregister_op("cube")
    with pytest.raises(ValueError, match="built-in"):
        autograd.unregister_op("tanh")
    assert "tanh" in OPS and hasattr(Value, "tanh")


@pytest.mark.parametrize("name", ["tanh", "add", "dot"])
def test_a_built_in_op_can_never_be_replaced(name):
    before = OPS[name]
    for replace in (False, True):
        with pytest.raises(ValueError, match=f"'{name}' is a built-in op.*my_{name}"):
            autograd.register_op(name, _cube, _cube_derivative, replace=replace)
    assert OPS[name] is before


@pytest.mark.parametrize("name", ["data", "grad", "backward", "item", "label"])
def test_a_value_attribute_can_never_be_shadowed(name):
    for replace in (False, True):
        with pytest.raises(ValueError, match=f"Value already has an attribute '{name}'"):
            autograd.register_op(name, _cube, _cube_derivative, replace=replace)
    assert name not in OPS


@pytest.mark.parametrize("name", ["2x", "my-op", "_hidden", "__add__", "class", ""])
def test_the_name_must_be_a_public_identifier(name):
    with pytest.raises(ValueError, match="Python identifier"):
        autograd.register_op(name, _cube, _cube_derivative)


@pytest.mark.parametrize("forward, derivative, message", [
    (_cube, None, "needs derivative"),
    ("x ** 3", _cube_derivative, "forward must be a function"),
    (lambda *xs: 0.0, _cube_derivative, "one or two plain inputs"),
    (lambda: 0.0, _cube_derivative, "one or two plain inputs"),
    (lambda x, y, z: 0.0, _cube_derivative, "one or two plain inputs"),
    (lambda x, *, scale: x, _cube_derivative, "one or two plain inputs"),
    (lambda x, y: x * y, _cube_derivative, "takes 2 input"),
])
def test_forward_and_derivative_are_checked(forward, derivative, message):
    with pytest.raises(TypeError, match=message):
        autograd.register_op("myop", forward, derivative)
    assert "myop" not in OPS


@pytest.mark.parametrize("options, message", [
    ({"domain": (1.0, -1.0)}, "domain"),
    ({"domain": [(0, 1), (0, 1)]}, "domain"),
    ({"kinks": ("zero",)}, "kinks"),
    ({"symbol": ""}, "symbol"),
    ({"formula": 3}, "formula"),
])
def test_options_are_checked(options, message):
    with pytest.raises((TypeError, ValueError), match=message):
        autograd.register_op("cube", _cube, _cube_derivative, **options)
    assert "cube" not in OPS


def test_parameters_with_defaults_are_not_inputs():
    op = autograd.register_op("scaled", lambda x, scale=2.0: scale * x, lambda x, scale=2.0: scale)
    assert op.arity == 1 and Value(3.0).scaled().data == 6.0


def test_domain_and_kinks_are_stored_for_the_tests_and_gradcheck():
    op = autograd.register_op("hinge", lambda x: max(0.0, 1.0 - x),
                              lambda x: -1.0 if x < 1 else 0.0, domain=(-5, 5), kinks=(1,))
    assert op.domain == ((-5.0, 5.0),) and op.kinks == (1.0,)
    two = autograd.register_op("hypot", lambda a, b: math.hypot(a, b), lambda a, b: (a, b))
    assert two.domain == ((-1.0, 1.0),) * 2  # the default: one interval per input


def test_a_derivative_returning_the_wrong_count_is_named_when_used():
    autograd.register_op("pair", lambda a, b: a + b, lambda a, b: 1.0)
    with pytest.raises(TypeError, match="one number per input"):
        Value(1.0).pair(2.0)


def test_a_forward_written_for_values_fails_clearly_on_floats():
    autograd.register_op("myexp", lambda x: x.exp(), lambda x: x.exp())
    with pytest.raises(TypeError, match="math.exp"):
        Value(1.0).myexp()


def test_a_forward_returning_something_else_than_a_number_is_named():
    autograd.register_op("bad", lambda x: "one", lambda x: 0.0)
    with pytest.raises(TypeError, match="'bad' must return a real number"):
        Value(1.0).bad()


def test_an_arithmetic_error_says_how_the_built_in_ops_avoid_it():
    autograd.register_op("reciprocal", lambda x: 1 / x, lambda x: -1 / x ** 2)
    with pytest.raises(ZeroDivisionError, match="'reciprocal'.*return math.inf"):
        Value(0.0).reciprocal()


# --- what the derivative returns is checked where it is first used ----------------------------

@pytest.mark.parametrize("derivative, words", [
    (lambda x: None, "returned NoneType None"),
    (lambda x: "3x²", "returned str '3x²'"),
    (lambda x: Value(2.0), "returned a Value"),
    (lambda x: True, "returned bool True"),
    (lambda x: (1.0, 2.0), "one number per input (1)"),
])
def test_a_derivative_returning_something_else_than_a_number_is_named(derivative, words):
    # None or a string failed later with "unsupported operand type(s)" naming no op,
    # compile returned (4.0, None), and a Value made x.grad a Value
    autograd.register_op("twice", lambda x: 2 * x, derivative)
    for call in (lambda: Value(1.0).twice(), lambda: autograd.compile(lambda t: t.twice())(1.0)):
        with pytest.raises(TypeError, match=r"derivative of the op 'twice'") as error:
            call()
        assert words in str(error.value)


def test_an_int_derivative_becomes_a_float_everywhere():
    autograd.register_op("twice", lambda x: 2 * x, lambda x: 2)
    x = Value(1.0)
    x.twice().backward()
    assert type(x.grad) is float and x.grad == 2.0
    value, gradient = autograd.compile(lambda t: t.twice())(1.0)
    assert type(gradient) is float and (value, gradient) == (2.0, 2.0)


def test_a_derivative_written_with_value_methods_works_on_floats_and_on_values():
    # the docstring's own example, lambda x: x.exp(), failed with a bare AttributeError
    autograd.register_op("myexp", math.exp, lambda x: x.exp())
    x = Value(0.5)
    x.myexp().backward()
    assert x.grad == math.exp(0.5)
    assert autograd.grad(autograd.grad(lambda t: t.myexp()))(0.5) == pytest.approx(math.exp(0.5))
    assert autograd.compile(lambda t: t.myexp())(0.5) == (math.exp(0.5), math.exp(0.5))
    assert autograd.gradcheck(lambda t: t.myexp() * t, 0.5)
