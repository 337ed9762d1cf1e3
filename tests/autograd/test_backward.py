"""backward(): nodes used twice, diamonds, a million-deep chain, repeated passes, freed graphs."""


import gc
import math
import sys
import weakref

import pytest

import autograd
from autograd import Value

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
    y.backward(retain_graph=True)
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


def test_a_second_backward_through_the_same_graph_raises_as_in_pytorch():
    # a loss built once and back-propagated at every step added stale gradients in silence
    x = Value(2.0)
    loss = (x * x) * 3.0
    loss.backward()
    with pytest.raises(RuntimeError, match=r"already gone through.*zero_grad\(\).*"
                                           r"retain_graph=True"):
        loss.backward()
    assert x.grad == 12.0  # the refused pass added nothing
    with pytest.raises(RuntimeError, match="already gone through"):
        autograd.backward(loss)


def test_retain_graph_allows_one_more_pass_and_create_graph_implies_it():
    x = Value(2.0)
    loss = x * x
    loss.backward(retain_graph=True)
    loss.backward(retain_graph=True)
    loss.backward()
    assert x.grad == 12.0
    with pytest.raises(RuntimeError, match="already gone through"):
        loss.backward()
    y = Value(3.0)
    cube = y * y * y
    cube.backward(create_graph=True)
    cube.backward(create_graph=True, retain_graph=False)
    assert y.grad.data == 54.0
    with pytest.raises(RuntimeError, match="already gone through"):
        cube.backward()


def test_backward_of_a_loss_computed_under_no_grad_raises_naming_no_grad():
    # every grad stayed 0 in silence (PyTorch: "element 0 of tensors does not require grad")
    x = Value(2.0)
    with autograd.no_grad():
        loss = x * x
    for call in (loss.backward, lambda: autograd.gradients(loss, [x])):
        with pytest.raises(RuntimeError, match=r"computed inside no_grad\(\).*outside"):
            call()
    assert x.grad == 0.0
    assert (x * x).local_grads and not loss.local_grads  # an ordinary leaf otherwise


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
