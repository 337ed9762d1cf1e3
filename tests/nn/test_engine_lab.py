"""nn.engine_lab: notebook 02b's checks find each mistake in a learner's engine, and name it.

A small engine written the way the lab asks is the reference; each test plants
one mistake a learner makes in a copy of it.
"""

import math

import pytest

from nn.engine_lab import GRAPHS, expect_op, expect_same_grads, expect_topological


class Value:
    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        self.data, self.grad = float(data), 0.0
        self.parents, self.local_grads, self.op, self.label = (tuple(parents),
                                                               tuple(local_grads), op, label)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    __radd__, __rmul__ = __add__, __mul__

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,), "tanh")

    def exp(self):
        return Value(math.exp(self.data), (self,), (math.exp(self.data),), "exp")

    def backward(self):
        order = order_with_a_stack(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local_grad in zip(node.parents, node.local_grads):
                parent.grad += local_grad * node.grad


def order_with_a_stack(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents if parent not in seen)
    return order


def order_by_recursion(root, order=None, seen=None):
    order, seen = ([], set()) if order is None else (order, seen)
    if root not in seen:
        seen.add(root)
        for parent in root.parents:
            order_by_recursion(parent, order, seen)
        order.append(root)
    return order


def test_the_reference_engine_passes_every_check():
    for op in ("add", "mul", "tanh", "exp"):
        expect_op(Value, op)
    expect_topological(order_with_a_stack, Value)
    for graph in GRAPHS:
        expect_same_grads(Value, graph)
        expect_same_grads(Value, graph, your_ops=True)


def test_a_wrong_local_derivative_is_named_through_gradcheck(monkeypatch):
    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t,), "tanh")      # the square forgotten

    monkeypatch.setattr(Value, "tanh", tanh)
    with pytest.raises(AssertionError, match="the derivative of the op 'your_tanh' is wrong"):
        expect_op(Value, "tanh")
    with pytest.raises(AssertionError, match=r"on the graph 'neuron', ∂o/∂s is 0.29"):
        expect_same_grads(Value, "neuron", your_ops=True)
    expect_same_grads(Value, "neuron")                # backward() alone is still right


def test_swapped_derivatives_of_mul_are_named(monkeypatch):
    monkeypatch.setattr(Value, "__mul__", lambda self, other: Value(
        self.data * other.data, (self, other), (self.data, other.data), "*"))
    with pytest.raises(AssertionError, match="the derivative of the op 'your_mul' is wrong"):
        expect_op(Value, "mul")


def test_an_op_that_forgets_its_parents_is_told_so(monkeypatch):
    monkeypatch.setattr(Value, "exp", lambda self: Value(math.exp(self.data)))
    with pytest.raises(AssertionError, match=r"the parents of exp\(0.3,\) should be its 1 "):
        expect_op(Value, "exp")


def test_a_recursive_order_is_caught_by_the_deep_chain():
    with pytest.raises(AssertionError, match="5,000 nodes deep raised RecursionError"):
        expect_topological(order_by_recursion, Value)


def test_an_order_that_puts_a_node_before_its_parent_is_named():
    with pytest.raises(AssertionError, match="the root should come last"):
        expect_topological(lambda root: order_with_a_stack(root)[::-1], Value)


def test_equals_instead_of_plus_equals_is_named_at_the_node_used_twice():
    def backward(root):
        order = order_with_a_stack(root)
        root.grad = 1.0
        for node in reversed(order):
            for parent, local_grad in zip(node.parents, node.local_grads):
                parent.grad = local_grad * node.grad

    with pytest.raises(AssertionError, match="on the graph 'used twice', ∂c/∂b is 6, "
                                             "expected 12"):
        expect_same_grads(Value, "used twice", backward=backward)
