"""The engine against PyTorch float64: every op, random graphs, IEEE edge cases, special inputs.

Each op's PyTorch counterpart comes from its table entry's ``torch`` name
(``tests.strategies.torch_counterpart``), so an op added to the table is
compared here with no edit.
"""

import itertools
import math

import pytest
from hypothesis import assume, given

from autograd import Value
from tests.strategies import APPLY, CASES, IEEE_CASES, graphs, same, torch_counterpart

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.torch

COMPARED = [name for name, case in CASES.items() if case.op.torch]  # ops PyTorch has
TORCH = {name: torch_counterpart(CASES[name].op, torch) for name in COMPARED}


def _tensor(x, requires_grad=False):
    return torch.tensor(float(x), dtype=torch.float64, requires_grad=requires_grad)


@pytest.mark.parametrize("name", COMPARED)
def test_torch_name_in_the_table_is_a_torch_function(name):
    # a typo in an entry's torch name would otherwise surface as an AttributeError mid-test
    function = torch
    for part in CASES[name].op.torch.split("."):
        function = getattr(function, part, None)
    assert callable(function), f"OPS[{name!r}].torch = {CASES[name].op.torch!r} is not in torch"


def test_softplus_is_torchs_below_its_threshold_and_exact_above():
    # torch.nn.functional.softplus(x) returns x itself for x > 20; ours stays ln(1 + e^x),
    # which is why the comparisons use torch.logaddexp(x, 0) for it
    below, above = _tensor(19.5), _tensor(25.0)
    softplus = torch.nn.functional.softplus
    assert Value(19.5).softplus().data == pytest.approx(softplus(below).item(), rel=1e-15)
    assert softplus(above).item() == 25.0
    assert Value(25.0).softplus().data == 25.0 + math.log1p(math.exp(-25.0)) != 25.0


def agree(a, b, rel=1e-12):
    """Equal to ``rel`` where both are finite; otherwise (inf, nan) exactly the same."""
    return same(a, b) or (math.isfinite(a) and math.isfinite(b) and math.isclose(a, b, rel_tol=rel))


def _grad(tensor):
    return 0.0 if tensor.grad is None else tensor.grad.item()


def _torch_case(op, args, number=None):
    """torch's value and gradients for ``op(*args)``, args[number] a constant."""
    inputs = [_tensor(a, requires_grad=i != number) for i, a in enumerate(args)]
    out = TORCH[op](*inputs)
    out.backward()
    return out.item(), [_grad(t) for i, t in enumerate(inputs) if i != number]


def _our_case(op, args, number=None):
    inputs = [a if i == number else Value(a) for i, a in enumerate(args)]
    out = CASES[op].apply(*inputs)
    out.backward()
    return out.data, [v.grad for i, v in enumerate(inputs) if i != number]


# --- each op ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", COMPARED)
def test_op_matches_torch_in_its_smooth_domain(name):
    @given(CASES[name].inputs)
    def check(args):
        value, grads = _our_case(name, args)
        torch_value, torch_grads = _torch_case(name, args)
        # sum and dot may add in another order: rounding then scales with the terms;
        # and below the normal range (1e-308) IEEE keeps no relative precision
        terms = math.fsum(abs(a) for a in args) ** 2 if name == "dot" else math.fsum(map(abs, args))
        assert math.isclose(value, torch_value, rel_tol=1e-12, abs_tol=1e-15 * terms + 1e-300), (
            f"{name}{args}: ours {value!r}, torch {torch_value!r}")
        # a derivative written in terms of the output (tanh: 1 - y^2) may differ by as
        # much as the outputs do where torch's tanh, exp... differ from libm's by an ulp
        slack = 4 * abs(value - torch_value) if math.isfinite(value - torch_value) else 0.0
        for ours, theirs in zip(grads, torch_grads):
            assert math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-300 + slack), (
                f"d {name}{args}: ours {grads}, torch {torch_grads}")

    check()


# --- random graphs -----------------------------------------------------------------------------

@given(graphs())
def test_random_graph_matches_torch(graph):
    assume(all(step.op in TORCH for step in graph.steps))  # (every op of the table, today)
    leaves = [Value(x) for x in graph.leaves]
    ours = graph.evaluate(leaves, APPLY)
    ours[-1].backward()

    tensors = [_tensor(x, requires_grad=True) for x in graph.leaves]
    theirs = graph.evaluate(tensors, TORCH)
    for t in theirs[len(tensors):]:
        t.retain_grad()  # compare the intermediate nodes' grads too
    theirs[-1].backward()

    # rounding differs only where torch's exp/log/sin... differ from libm's in the last
    # bit, or torch sums in another order; scale by the largest number in the graph
    scale = max(1.0, *(abs(v.data) for v in ours), *(abs(v.grad) for v in ours))
    for i, (v, t) in enumerate(zip(ours, theirs)):
        assert math.isclose(v.data, t.item(), rel_tol=1e-12, abs_tol=1e-13 * scale), (
            f"v{i}: ours {v.data!r}, torch {t.item()!r}")
        assert math.isclose(v.grad, _grad(t), rel_tol=1e-12, abs_tol=1e-13 * scale), (
            f"d/dv{i}: ours {v.grad!r}, torch {_grad(t)!r}")


# --- IEEE edge cases -----------------------------------------------------------------------------

@pytest.mark.parametrize("case", IEEE_CASES, ids=[c.expr for c in IEEE_CASES])
def test_ieee_edge_case_matches_torch(case):
    value, grads = _our_case(case.op, case.args, case.number)
    torch_value, torch_grads = _torch_case(case.op, case.args, case.number)
    assert same(value, torch_value), f"{case.expr}: ours {value!r}, torch {torch_value!r}"
    assert all(map(same, grads, torch_grads)), f"d({case.expr}): ours {grads}, torch {torch_grads}"


@pytest.mark.parametrize("case", IEEE_CASES, ids=[c.expr for c in IEEE_CASES])
def test_ieee_hand_derivation_agrees_with_torch(case):
    # keeps the hand-written expectations of IEEE_CASES honest
    torch_value, torch_grads = _torch_case(case.op, case.args, case.number)
    assert same(case.value, torch_value)
    assert all(map(same, case.grads, torch_grads))


SPECIAL = (0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -8.0, 1 / 3, 1000.0, -1000.0,
           1e308, -1e308, math.inf, -math.inf, math.nan)


def _grid(name):
    """(args, number) pairs: every special input, each side as a plain number for binary ops.

    An n-ary op gets every pair, and every pair with a third input (dot: a bias).
    """
    arity = CASES[name].op.arity
    if arity == 1:
        return [((x,), None) for x in SPECIAL]
    pairs = list(itertools.product(SPECIAL, repeat=2))
    if arity == 2:
        return [(p, number) for p in pairs for number in (None, 0, 1)]
    return [(p, None) for p in pairs] + [
        (p + (b,), None) for p in pairs for b in (0.0, -1.0, math.inf, math.nan)]


@pytest.mark.parametrize("name", COMPARED)
def test_special_inputs_match_torch(name):
    mismatches = []
    for args, number in _grid(name):
        value, grads = _our_case(name, args, number)
        torch_value, torch_grads = _torch_case(name, args, number)
        if not (agree(value, torch_value) and all(map(agree, grads, torch_grads))):
            form = "" if number is None else f" (input {number} a plain number)"
            mismatches.append(f"{name}{args}{form}: ours {value!r} with grads {grads}, "
                              f"torch {torch_value!r} with grads {torch_grads}")
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:30])
