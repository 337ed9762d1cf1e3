"""grad, value_and_grad, hessian and gradients: derivatives as functions, as in JAX and PyTorch."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, gradients, hessian, topological_order, value_and_grad
from tests.strategies import away_from_zero, reals

# --- grad composes: second and third derivatives against closed forms ----------------------

COMPOSITES = [
    # f, f', f'', f''' (by hand), domain
    ("sin(x²)", lambda x: (x * x).sin(),
     lambda x: 2 * x * math.cos(x * x),
     lambda x: 2 * math.cos(x * x) - 4 * x * x * math.sin(x * x),
     lambda x: -12 * x * math.sin(x * x) - 8 * x**3 * math.cos(x * x), reals(-3, 3)),
    ("x eˣ", lambda x: x * x.exp(),  # the n-th derivative is (x + n) eˣ
     lambda x: (x + 1) * math.exp(x), lambda x: (x + 2) * math.exp(x),
     lambda x: (x + 3) * math.exp(x), reals(-10, 10)),
    ("ln(1 + x²)", lambda x: (x * x).log1p(),
     lambda x: 2 * x / (1 + x * x), lambda x: 2 * (1 - x * x) / (1 + x * x) ** 2,
     lambda x: 4 * x * (x * x - 3) / (1 + x * x) ** 3, reals(-10, 10)),
    ("softplus(tanh x)", lambda x: x.tanh().softplus(),  # s = σ(tanh x), t = tanh x
     lambda x: _sig(math.tanh(x)) * _sech2(x),
     lambda x: _d_sig(math.tanh(x)) * _sech2(x) ** 2 - 2 * math.tanh(x) * _sech2(x)
     * _sig(math.tanh(x)), None, reals(-5, 5)),
]


def _sig(t):
    return 1 / (1 + math.exp(-t))


def _d_sig(t):
    return _sig(t) * (1 - _sig(t))


def _sech2(x):
    return 1 - math.tanh(x) ** 2


@pytest.mark.parametrize("name, f, d1, d2, d3, domain", COMPOSITES, ids=[c[0] for c in COMPOSITES])
def test_nested_grad_gives_second_and_third_derivatives(name, f, d1, d2, d3, domain):
    @given(domain)
    def check(x):
        got = [grad(f)(x), grad(grad(f))(x)] + ([grad(grad(grad(f)))(x)] if d3 else [])
        expected = [d1(x), d2(x)] + ([d3(x)] if d3 else [])
        scale = max(1.0, *map(abs, expected))  # rounding is relative to the terms' size
        for order, (a, b) in enumerate(zip(got, expected), start=1):
            assert type(a) is float
            assert abs(a - b) <= 1e-12 * scale, f"{name}: derivative {order} {a!r}, {b!r}"

    check()


def test_value_and_grad_gives_the_value_and_the_derivative_as_floats():
    value, derivative = value_and_grad(lambda x: x ** 3)(2.0)
    assert (value, derivative) == (8.0, 12.0)
    assert type(value) is float and type(derivative) is float


def test_grad_called_with_values_returns_values_to_differentiate_again():
    x = Value(2.0)
    derivative = grad(lambda t: t ** 3)(x)  # 3x², with a graph back to x
    assert isinstance(derivative, Value) and derivative.data == 12.0
    assert gradients(derivative, [x]) == [12.0]  # 6x


# --- argnums ---------------------------------------------------------------------------------

def _f(x, y, z):
    return x * y * y + z ** 3  # ∂/∂x = y², ∂/∂y = 2xy, ∂/∂z = 3z²


def test_argnums_int_tuple_and_negative():
    x, y, z = 3.0, 2.0, 1.0
    assert grad(_f)(x, y, z) == 4.0
    assert grad(_f, argnums=1)(x, y, z) == 12.0
    assert grad(_f, argnums=-1)(x, y, z) == 3.0
    assert grad(_f, argnums=(0, 2))(x, y, z) == (4.0, 3.0)
    assert grad(_f, argnums=(-2,))(x, y, z) == (12.0,)  # a tuple of one: a tuple back
    assert value_and_grad(_f, argnums=(1, 0))(x, y, z) == (13.0, (12.0, 4.0))


@pytest.mark.parametrize("argnums", [3, -4, (0, 3)])
def test_argnums_out_of_range_names_the_argument_and_the_count(argnums):
    with pytest.raises(ValueError, match=r"names argument -?\d, but the function was called "
                                         r"with 3 argument\(s\)"):
        grad(_f, argnums=argnums)(3.0, 2.0, 1.0)


@pytest.mark.parametrize("argnums", [1.0, "0", True, (0, None), [0, "1"]],
                         ids=["float", "str", "bool", "None in a tuple", "str in a list"])
def test_argnums_of_the_wrong_type_says_what_it_takes(argnums):
    with pytest.raises(TypeError, match="argnums takes an int, or a tuple or list of ints"):
        grad(_f, argnums=argnums)(3.0, 2.0, 1.0)


def test_argnums_may_be_a_list_as_in_jax():
    # a list of argnums was refused; JAX and HIPS autograd take any sequence
    assert grad(_f, argnums=[0, 2])(3.0, 2.0, 1.0) == grad(_f, argnums=(0, 2))(3.0, 2.0, 1.0)


def test_keyword_arguments_are_passed_to_f_and_not_differentiated():
    # grad(f)(x, scale=2.0) raised: grad_f took no keyword arguments
    def f(x, y, *, scale=1.0, shift=0.0):
        return scale * x * y + shift

    assert grad(f, argnums=(0, 1))(3.0, 2.0, scale=10.0, shift=5.0) == (20.0, 30.0)
    assert value_and_grad(f)(3.0, 2.0, scale=10.0) == (60.0, 20.0)
    assert hessian(f)(3.0, 2.0, scale=10.0) == [[0.0, 10.0], [10.0, 0.0]]


def test_grad_of_a_function_closing_over_a_value_keeps_that_values_graph():
    # y = x · d/dt (x t) = x², so dy/dx = 2x; the inner grad returned x's number, and dy/dx was 1
    x = Value(1.0)
    y = x * grad(lambda t: x * t)(2.0)
    y.backward()
    assert x.grad == 2.0
    w = Value(3.0)
    value, slope = value_and_grad(lambda t: (w * t).tanh())(0.5)
    assert isinstance(slope, Value) and value.data == math.tanh(1.5)
    assert autograd.gradients(slope, [w]) == [pytest.approx(
        (1 - math.tanh(1.5) ** 2) * (1 - 2 * 1.5 * math.tanh(1.5)))]  # d/dw [w (1 − tanh² wt)]


def test_grad_without_values_from_outside_still_gives_plain_numbers():
    assert type(grad(lambda t: t ** 3 + autograd.sum([1.0, 2.0]))(2.0)) is float
    assert type(grad(grad(lambda t: t ** 3))(2.0)) is float  # the inner seed is no one's Value
    with autograd.no_grad(), pytest.raises(RuntimeError, match=r"inside no_grad\(\)"):
        grad(lambda t: t * t)(3.0)  # nothing is recorded: there is no graph to differentiate


def test_nested_list_arguments_give_gradients_of_the_same_structure():
    def f(matrix, pair):
        (a, b), (c,) = matrix
        p, q = pair
        return a * b + c * p - q  # d/da = b, d/db = a, d/dc = p, d/dp = c, d/dq = -1

    grads = grad(f, argnums=(0, 1))([[2.0, 3.0], [4.0]], (5.0, 6.0))
    assert grads == ([[3.0, 2.0], [5.0]], (4.0, -1.0))
    assert type(grads[0][0]) is list and type(grads[1]) is tuple


def test_an_argument_that_is_not_a_number_says_what_grad_differentiates():
    with pytest.raises(TypeError, match="argument 0 holds str 'a'.*numbers, or lists, tuples"):
        grad(lambda x: x)("a")


def test_f_returning_a_plain_number_explains_why_that_has_no_gradient():
    with pytest.raises(TypeError, match=r"returned float 6\.0.*x\.data, x\.item\(\) or a math"):
        grad(lambda x: x.data * 3)(2.0)


# --- no perturbation confusion ------------------------------------------------------------

@given(reals(-10, 10))
def test_nested_grad_over_a_closed_over_variable_has_no_perturbation_confusion(x):
    # d/dx [x · (d/dy x·y)] = d/dx [x · x] = 2x; confusing the two derivatives gives x or 3x
    def outer(x):
        return x * grad(lambda y: x * y)(1.0)

    assert grad(outer)(x) == 2 * x


def test_inner_grad_with_respect_to_the_same_number_as_the_outer():
    # d/dx [d/dy (x·y) at y = x] = d/dx x = 1 (Siskind and Pearlmutter's example)
    assert grad(lambda x: grad(lambda y: x * y)(x))(4.0) == 1.0


# --- hessian ---------------------------------------------------------------------------------

# Entries exactly 0 or of moderate size: halving a subnormal would round.
ENTRIES = st.one_of(st.just(0.0), away_from_zero(1e-3, 10))


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(ENTRIES, min_size=n, max_size=n), min_size=n, max_size=n),
    st.lists(ENTRIES, min_size=n, max_size=n), st.lists(reals(-10, 10), min_size=n, max_size=n))))
def test_hessian_of_a_quadratic_form_is_the_symmetric_part_of_its_matrix_exactly(abx):
    a, b, x = abx
    n = len(x)

    def quadratic(xs):  # ½ xᵀAx + bᵀx
        return 0.5 * autograd.sum(a[i][j] * xs[i] * xs[j] for i in range(n) for j in range(n)) \
            + autograd.sum(b[i] * xs[i] for i in range(n))

    # each entry is ½A[i][j] + ½A[j][i]: two exact halvings and one rounded sum, as here
    assert hessian(quadratic)(x) == [[(a[i][j] + a[j][i]) / 2 for j in range(n)] for i in range(n)]


def test_hessian_by_default_is_over_every_argument_like_pytorch():
    def f(x, y):
        return x * x * y + y.exp()  # H = [[2y, 2x], [2x, e^y]]

    expected = [[4.0, 6.0], [6.0, math.exp(2.0)]]
    assert hessian(f)(3.0, 2.0) == expected
    assert hessian(f, argnums=(0, 1))(3.0, 2.0) == expected
    assert hessian(lambda xy: f(*xy))([3.0, 2.0]) == expected
    assert hessian(f, argnums=1)(3.0, 2.0) == [[math.exp(2.0)]]


def test_newtons_method_with_grad_and_hessian_converges_quadratically():
    # f(x) = x⁴/4 − x: f'(x) = x³ − 1 has the simple root 1, and f''(1) = 3 ≠ 0. Newton's
    # step x − f'/f'' gives the error e' = e² (2x + 1)/(3x²) <= e² for x >= 1: it squares.
    def f(x):
        return x ** 4 / 4 - x

    x, errors = 2.0, [1.0]
    while errors[-1] > 0 and len(errors) < 10:
        assert grad(grad(f))(x) == hessian(f)(x)[0][0]
        x -= grad(f)(x) / hessian(f)(x)[0][0]
        errors.append(abs(x - 1.0))
    assert errors[-1] <= 2.3e-16, f"no convergence in 10 steps: errors {errors}"
    for before, after in zip(errors, errors[1:]):
        assert after <= max(1.0 * before**2, 2.3e-16), f"not quadratic: errors {errors}"
    assert len(errors) <= 8  # 1, 0.42, 0.11, 1e-2, 1e-4, 1e-8, 2e-16, 0


# --- gradients ------------------------------------------------------------------------------------

def _graph_with_marked_grads():
    x, y = Value(0.5), Value(-1.5)
    out = (x * y).tanh() + autograd.logsumexp([x, y, 2.0]) * x
    nodes = topological_order(out)
    for i, node in enumerate(nodes):
        node.grad = 100.0 + i  # a mark no pass of the chain rule would leave
    return x, y, out, nodes


@pytest.mark.parametrize("create_graph", [False, True])
def test_gradients_leaves_every_grad_untouched(create_graph):
    x, y, out, nodes = _graph_with_marked_grads()
    dx, dy = gradients(out, [x, y], create_graph=create_graph)
    assert [node.grad for node in nodes] == [100.0 + i for i in range(len(nodes))]
    expected = gradients(out, [x, y])  # the same numbers without create_graph
    assert [getattr(d, "data", d) for d in (dx, dy)] == expected


def test_gradients_agree_with_backward():
    x, y, out, _ = _graph_with_marked_grads()
    dx, dy = gradients(out, [x, y])
    x.grad = y.grad = 0.0
    out.backward()
    assert (dx, dy) == (x.grad, y.grad)


def test_gradients_for_an_input_the_output_does_not_depend_on_is_zero():
    x, unused = Value(2.0), Value(5.0)
    assert gradients(x * x, [x, unused]) == [4.0, 0.0]
    zero = gradients(x * x, [unused], create_graph=True)[0]
    assert isinstance(zero, Value) and zero.data == 0.0


@pytest.mark.parametrize("bad", [2.0, "x", None])
def test_gradients_with_respect_to_a_non_value_says_what_it_takes(bad):
    x = Value(2.0)
    with pytest.raises(TypeError, match="gradients\\(\\) takes the Values to differentiate"):
        gradients(x * x, [x, bad])
