"""autograd.compile: the generated code gives the dynamic engine's numbers, bit for bit.

The random expressions here are drawn by a generator of this file, not by
``tests.strategies.graphs``: this one covers every op of the table (those
registered at run time too) and IEEE specials (inf, nan, -0.0, overflow),
where ``graphs`` keeps to smooth domains for finite differences.
"""

import builtins
import math
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from operator import add

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import OPS, Op, Value
from autograd.core.value import add_methods
from autograd.static.compiler import CHECKED_CALLS
from bench.impl_autograd import AutogradMLP
from bench.workload import L2, LAYER_SIZES, LEARNING_RATE, flatten, initial_weights, two_moons
from tests.strategies import Const as GraphConst
from tests.strategies import graphs


def bits(x):
    """A float's exact bits: equal bits are the same number, sign of zero and nan included."""
    return struct.pack("<d", x) if x == x else b"nan"


def same_bits(a, b):
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_bits, a, b))
    return bits(a) == bits(b)


# --- random expressions over the whole op table ---------------------------------------------

SPECIAL = (0.0, -0.0, 1.0, -1.0, 2.0, math.inf, -math.inf, math.nan, 1e300, -1e-300, 800.0)
NUMBERS = st.one_of(st.floats(-4, 4), st.sampled_from(SPECIAL))
CONSTANTS = st.one_of(st.floats(-3, 3), st.sampled_from((0.0, 2.0, -1.0, 0.5, 3.0, math.inf)))


@dataclass(frozen=True)
class Const:
    value: float


@st.composite
def expressions(draw, arities=None):
    """(leaf numbers, steps): each step an op on earlier nodes (indices) and Consts.

    ``arities``: op name -> arity, every op of ``OPS`` by default.
    """
    arities = arities or {name: op.arity for name, op in OPS.items()}
    leaves = draw(st.lists(NUMBERS, min_size=1, max_size=3))
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        node = st.integers(0, len(leaves) + len(steps) - 1)  # reuse of nodes is common
        operand = st.one_of(node, node, CONSTANTS.map(Const))
        name = draw(st.sampled_from(sorted(arities)))
        arity = arities[name]
        if name == "dot":
            n = draw(st.integers(0, 3))
            weights, inputs = (draw(st.lists(operand, min_size=n, max_size=n)) for _ in "wx")
            args = (weights, inputs, draw(st.one_of(st.none(), operand)))
        elif arity == 0:  # sum, logsumexp: nodes, and at most one plain number
            args = (draw(st.lists(node, min_size=1, max_size=4))
                    + draw(st.lists(CONSTANTS.map(Const), max_size=1)),)
        else:
            args = (draw(node), *(draw(operand) for _ in range(arity - 1)))
            if arity == 2 and draw(st.booleans()):
                args = args[::-1]  # a number first: 2 - x, 2 ** x
        steps.append((name, args))
    return leaves, steps


def _get(nodes, a):
    return a.value if isinstance(a, Const) else nodes[a]


def build(leaves, steps):
    """The output of ``steps`` on ``leaves`` (Values), with the engine's public API."""
    nodes = list(leaves)
    binary = {"add": add, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}
    for name, args in steps:
        if name == "dot":
            weights, inputs, bias = args
            out = autograd.dot([_get(nodes, a) for a in weights], [_get(nodes, a) for a in inputs],
                               None if bias is None else _get(nodes, bias))
        elif name in ("sum", "logsumexp"):
            out = getattr(autograd, name)([_get(nodes, a) for a in args[0]])
        elif name in binary:
            out = binary[name](*(_get(nodes, a) for a in args))
        elif name == "neg":
            out = -nodes[args[0]]
        else:
            first, *rest = (_get(nodes, a) for a in args)
            out = getattr(first, name)(*rest)
        nodes.append(out)
    return nodes[-1]


def compiled_and_dynamic(leaves, steps):
    def f(*xs):
        return build(xs, steps)
    argnums = tuple(range(len(leaves)))
    return autograd.compile(f, argnums)(*leaves), autograd.value_and_grad(f, argnums)(*leaves)


@given(expressions())
def test_compiled_equals_value_and_grad_bit_for_bit_over_the_whole_table(expression):
    compiled, dynamic = compiled_and_dynamic(*expression)
    assert same_bits(compiled, dynamic), (compiled, dynamic)


RUNTIME_OPS = [
    Op("cube", "³", 1, "x³;  d/dx = 3x²", lambda x: x * x * x, lambda out, x: (3.0 * x * x,)),
    Op("fma", "fma", 3, "a·b + c;  d/da = b, d/db = a, d/dc = 1",
       lambda a, b, c: a * b + c, lambda out, a, b, c: (b, a, 1.0)),
]


@contextmanager
def registered(new_ops):
    """Ops added to the table at run time, as a learner would; removed afterwards."""
    for op in new_ops:
        OPS[op.name] = op
    add_methods(new_ops)
    try:
        yield
    finally:
        for op in new_ops:
            del OPS[op.name]
            delattr(Value, op.name)


@given(expressions({"cube": 1, "fma": 3, "mul": 2, "relu": 1, "dot": 0, "sum": 0}))
def test_ops_registered_at_run_time_go_through_the_table(expression):
    with registered(RUNTIME_OPS):
        compiled, dynamic = compiled_and_dynamic(*expression)
    assert same_bits(compiled, dynamic), (compiled, dynamic)


def test_a_registered_op_is_called_from_the_table_in_the_source():
    def f(x, y):
        return x.cube().fma(y, 2.0) * x

    with registered(RUNTIME_OPS):
        g = autograd.compile(f, argnums=(0, 1))
        assert same_bits(g(1.5, -2.0), autograd.value_and_grad(f, (0, 1))(1.5, -2.0))
        assert "cube_partials(" in g.source and "fma_partials(" in g.source


def test_relu_after_an_infinite_gradient_gives_zero_like_pytorch_and_the_engine():
    # relu'(-1) × inf was nan, a product; PyTorch masks: where(x <= 0, 0, grad)
    def f(x, y):
        return x.relu() * y

    compiled = autograd.compile(f)(-1.0, math.inf)
    dynamic = autograd.value_and_grad(f)(-1.0, math.inf)
    assert dynamic[1] == 0.0 and same_bits(compiled, dynamic)


@pytest.mark.parametrize("f", [lambda x, y: (x ** 0.0) * y, lambda x, y: x.sign() * y,
                               lambda x, y: (x ** y) * math.inf, lambda x, y: y ** x])
def test_masked_derivatives_give_the_dynamic_numbers_compiled(f):
    # x ** 0 (inlined), sign (called from the table), pow with a Value exponent
    for point in [(3.0, math.inf), (0.0, 2.0), (-1.0, math.nan), (0.0, 0.0)]:
        assert same_bits(autograd.compile(f, argnums=(0, 1))(*point),
                         autograd.value_and_grad(f, argnums=(0, 1))(*point))


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-320, math.inf, -math.inf, math.nan, 710.0, -745.0])
def test_ieee_specials_spread_as_in_the_engine(x):
    def f(x):
        return (x.exp() / x).log() * x.relu() + (x ** 2.0).sqrt() - x.tanh() * x.sigmoid()
    assert same_bits(autograd.compile(f)(x), autograd.value_and_grad(f)(x))


# --- the benchmark's workload -----------------------------------------------------------------

def score(params, x):
    """The benchmark's MLP (2-16-16-1, relu) on a flat parameter list, as in bench/impl_autograd."""
    i, a = 0, x
    for n_in, n_out in zip(LAYER_SIZES, LAYER_SIZES[1:]):
        out = []
        for _ in range(n_out):
            out.append(autograd.dot(params[i:i + n_in], a, params[i + n_in]))
            i += n_in + 1
        a = [z.relu() for z in out] if n_out != 1 else out
    return a[0]


def batch_loss(params, points, labels):
    """The benchmark's loss on one graph: mean hinge + L2 penalty (bench/impl_autograd.py)."""
    hinges = [(1.0 - y * score(params, x)).relu() for x, y in zip(points, labels)]
    return autograd.sum(hinges) / len(hinges) + L2 * autograd.dot(params, params)


def sample_loss(params, x, y):
    return (1.0 - y * score(params, x)).relu()


def test_sgd_on_the_benchmark_workload_equals_the_engine_bit_for_bit():
    points, labels = two_moons(n=12)
    engine = AutogradMLP(initial_weights(), (points, labels))
    g = autograd.compile(batch_loss)
    params = flatten(initial_weights())
    for _ in range(3):
        loss, grads = g(params, points, labels)
        assert bits(loss) == bits(engine.step())
        params = [p - LEARNING_RATE * d for p, d in zip(params, grads)]
        assert same_bits(params, engine.parameters())


def test_sum_over_the_batch_equals_adding_up_per_sample_calls_bit_for_bit():
    points, labels = two_moons()
    params = flatten(initial_weights())
    g = autograd.compile(sample_loss)
    total, grads = 0.0, [0.0] * len(params)
    for x, y in zip(points, labels):
        value, sample_grads = g(params, x, y)
        total += value
        grads = list(map(add, grads, sample_grads))
    assert same_bits(g.sum(params, batch=zip(points, labels)), (total, grads))


def test_per_sample_values_and_grads_equal_value_and_grad_bit_for_bit():
    points, labels = two_moons(n=10)
    params = flatten(initial_weights())
    g, reference = autograd.compile(sample_loss), autograd.value_and_grad(sample_loss)
    for x, y in zip(points, labels):
        assert same_bits(g(params, x, y), reference(params, x, y))


# --- tracing, caching and retracing ---------------------------------------------------------

class Counted:
    """f(xs) = Σ xᵢ² that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, xs):
        self.calls += 1
        return autograd.dot(xs, xs)


def test_a_trace_is_cached_per_structure_and_reused():
    f = Counted()
    g = autograd.compile(f)
    for _ in range(CHECKED_CALLS + 1):
        assert g([1.0, 2.0]) == (5.0, [2.0, 4.0])
    calls = f.calls
    assert g([3.0, 4.0]) == (25.0, [6.0, 8.0])
    assert f.calls == calls and len(g.traces) == 1  # the cached code ran, not f


def test_another_structure_traces_again_and_both_stay_cached():
    f = Counted()
    g = autograd.compile(f)
    assert g([1.0, 2.0]) == (5.0, [2.0, 4.0])
    assert g([1.0, 2.0, 3.0]) == (14.0, [2.0, 4.0, 6.0])
    assert g((1.0, 2.0)) == (5.0, (2.0, 4.0))  # a tuple is another structure, as in jax.jit
    assert len(g.traces) == 3
    assert g([1.0, 2.0]) == (5.0, [2.0, 4.0]) and len(g.traces) == 3


def test_ints_and_nested_lists_are_numbers_too():
    def f(w, x):
        return autograd.dot(w[0], x) + w[1][0] * w[1][1]

    g = autograd.compile(f, argnums=(0, 1))
    expected = autograd.value_and_grad(f, (0, 1))([[1.0, 2.0], (3.0, 4.0)], [5.0, 6.0])
    assert g([[1, 2], (3, 4)], [5, 6]) == expected
    assert g([[1.0, 2.0], (3.0, 4.0)], [5.0, 6.0]) == expected
    assert expected[1][0] == [[5.0, 6.0], (4.0, 3.0)]


@pytest.mark.parametrize("argnums", [0, 1, -1, (0,), (1, 0), (0, 1, 2)])
def test_argnums_mirror_value_and_grad(argnums):
    def f(x, ys, z):
        return x * ys[0] - ys[1] / z

    args = (2.0, [3.0, 4.0], 5.0)
    assert autograd.compile(f, argnums)(*args) == autograd.value_and_grad(f, argnums)(*args)


def test_keyword_arguments_and_defaults_follow_fs_signature():
    def f(x, scale=3.0):
        return x * scale

    g = autograd.compile(f)
    assert g(2.0) == g(x=2.0) == g(2.0, scale=3.0) == (6.0, 3.0)


def test_values_f_uses_from_outside_are_read_at_every_call():
    weight = Value(2.0, "w")
    g = autograd.compile(lambda x: weight * x)
    assert g(3.0) == (6.0, 2.0)
    weight.data = 5.0  # an optimizer's step, say
    assert g(3.0) == (15.0, 5.0)
    assert "'w'" in g.source


def test_a_value_as_argument_is_refused_with_a_clear_message():
    g = autograd.compile(lambda x: x * 2.0)
    g(1.0)
    with pytest.raises(TypeError, match="plain numbers"):
        g(Value(1.0))


def test_f_must_return_a_value():
    with pytest.raises(TypeError, match="return a Value"):
        autograd.compile(lambda x: 2.0)(1.0)


# --- the batched form ---------------------------------------------------------------------------

def test_sum_needs_argnums_to_name_shared_arguments():
    g = autograd.compile(sample_loss, argnums=1)
    with pytest.raises(ValueError, match="argnums must name shared"):
        g.sum(flatten(initial_weights()), batch=[((0.5, 0.5), 1.0)])


def test_sum_rejects_samples_of_different_structures():
    g = autograd.compile(lambda w, x: autograd.dot(w, x))
    with pytest.raises(ValueError, match="sample 1 differs"):
        g.sum([1.0, 2.0], batch=[([1.0, 2.0],), ([1.0],)])


def test_sum_of_one_per_sample_argument_takes_zip_of_one_list():
    g = autograd.compile(lambda w, x: w * x)
    assert g.sum(2.0, batch=zip([1.0, 3.0])) == (8.0, 4.0)


# --- the generated source -------------------------------------------------------------------

def test_the_source_is_python_that_reads_forward_then_backward():
    g = autograd.compile(sample_loss)
    g(flatten(initial_weights()), (0.5, -0.5), 1.0)
    builtins.compile(g.source, "<source>", "exec")
    lines = g.source.splitlines()
    assert lines[0] == "def sample_loss(params, x, y):"
    forward = lines.index("    # forward pass: each node's value, from its parents'")
    backward = next(i for i, line in enumerate(lines) if "# backward pass" in line)
    assert forward < backward
    assert "    v1 = sum((params_0 * x_0, params_1 * x_1), params_2)  # dot" in lines  # neuron 0
    assert all(len(line) <= 100 for line in lines)
    program = next(iter(g.traces.values()))
    builtins.compile(program.sum_source(1), "<sum source>", "exec")


def test_labels_of_nodes_become_comments_where_each_layer_starts():
    def f(w, x):
        hidden = [autograd.dot(w[0:2], x, w[2]).relu(), autograd.dot(w[3:5], x, w[5]).relu()]
        for h in hidden:
            h.label = "layer 1"
        out = autograd.dot(w[6:8], hidden, w[8])
        out.label = "layer 2"
        return out

    g = autograd.compile(f)
    g([0.1 * i for i in range(9)], [1.0, -1.0])
    comments = [line.strip() for line in g.source.splitlines() if line.strip().startswith("# l")]
    assert comments == ["# layer 1", "# layer 2", "# layer 2", "# layer 1"]  # forward, backward


def test_a_model_used_from_outside_is_read_at_each_call_with_its_labels_in_the_source():
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [4, 1], seed=1)

    def loss(x, y):
        return (1.0 - y * model(x)).relu()

    def dynamic(*args):  # Values, whose graphs reach the model: value_and_grad keeps them
        return autograd.tree.map(lambda v: v.data, autograd.value_and_grad(loss)(*args))

    g = autograd.compile(loss)
    assert same_bits(g([0.5, -0.2], 1.0), dynamic([0.5, -0.2], 1.0))
    assert "# 'w0', a Value from outside the arguments" in g.source
    for p in model.parameters():
        p.data *= 0.5
    assert same_bits(g([0.5, -0.2], 1.0), dynamic([0.5, -0.2], 1.0))


def test_names_that_would_clash_with_generated_ones_become_arg0_arg1():
    def f(sum, g_x, *rest):  # noqa: A002 - the point of the test
        return sum * g_x

    g = autograd.compile(f, argnums=(0, 1))
    assert g(2.0, 3.0) == (6.0, (3.0, 2.0))
    assert g.source.startswith("def f(arg0, arg1):")
    assert autograd.compile(lambda *xs: xs[0] * xs[1])(2.0, 3.0) == (6.0, 3.0)


# --- the shared random graphs of tests/strategies.py -----------------------------------------

def _flat_apply(name, args):
    """The op ``name`` on flat inputs, as tests.strategies lays them out (dot: w…, x…, [b])."""
    if name == "dot":
        n = len(args) // 2
        return autograd.dot(args[:n], args[n:2 * n], args[2 * n] if len(args) % 2 else None)
    if name in ("sum", "logsumexp"):
        return getattr(autograd, name)(args)
    binary = {"add": add, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}
    if name in binary:
        return binary[name](*args)
    return -args[0] if name == "neg" else getattr(args[0], name)(*args[1:])


def graph_function(graph):
    """f(*leaves) = the graph's output, built with the engine."""
    def f(*xs):
        nodes = list(xs)
        for step in graph.steps:
            nodes.append(_flat_apply(step.op, [a.value if isinstance(a, GraphConst) else nodes[a]
                                               for a in step.args]))
        return nodes[-1]
    return f


def close(a, b):
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(close, a, b))
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) or (a != a and b != b)


@given(graphs())  # shared nodes included (tests/autograd/test_graphs.py checks they occur)
def test_compiled_equals_the_engine_on_the_shared_random_graphs(graph):
    f = graph_function(graph)
    argnums = tuple(range(len(graph.leaves)))
    compiled = autograd.compile(f, argnums)(*graph.leaves)
    assert close(compiled, autograd.value_and_grad(f, argnums)(*graph.leaves)), graph


def test_source_after_only_g_sum_is_the_traced_code_regression():
    # g.source raised "not traced yet" when g had only been used through g.sum
    g = autograd.compile(lambda w, x: w * x)
    assert g.sum(2.0, batch=[(1.0,), (3.0,)]) == (8.0, 4.0)
    assert g.source == g.trace(2.0, 1.0).source
    assert "def " in g.source


def test_sum_of_a_value_and_several_numbers_is_the_same_compiled_and_dynamic():
    # value_and_grad gave 0.0 (x, then -3, then 3 added one by one), compile 1e-20 (x + 0.0)
    def f(x):
        return autograd.sum([x, -3.0, 3.0])

    assert autograd.value_and_grad(f)(1e-20) == autograd.compile(f)(1e-20) == (1e-20, 1.0)


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=5), st.floats(-1e3, 1e3))
def test_sum_with_numbers_folded_is_bit_for_bit_compiled(numbers, x):
    def f(v):
        return autograd.sum([numbers[0], v, *numbers[1:]]) * v

    assert same_bits(autograd.compile(f)(x), autograd.value_and_grad(f)(x))
