"""autograd.tree: nested arguments walked in one place, the same for every entry point."""

import math
from collections import namedtuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, tree

P = namedtuple("P", "w b")


def f(p, x):
    return (p.w * x + p.b).tanh()


def df(p, x):  # by hand: d tanh(u)/du = 1 − tanh²(u), u = w·x + b
    slope = 1 - math.tanh(p.w * x + p.b) ** 2
    return P(slope * x, slope)


# --- the functions --------------------------------------------------------------------------

def test_leaves_map_unflatten_and_paths_agree_on_a_nested_tree():
    t = [P(1.0, (2.0, 3.0)), [], (4.0,)]
    assert tree.leaves(t) == [1.0, 2.0, 3.0, 4.0]
    assert tree.paths(t) == [(0, 0), (0, 1, 0), (0, 1, 1), (2, 0)]
    assert tree.path_names(t, "a") == ["a[0][0]", "a[0][1][0]", "a[0][1][1]", "a[2][0]"]
    doubled = tree.map(lambda x: 2 * x, t)
    assert doubled == [P(2.0, (4.0, 6.0)), [], (8.0,)] and type(doubled[0]) is P
    assert tree.unflatten(t, "abcd") == [P("a", ("b", "c")), [], ("d",)]


def test_a_leaf_alone_is_a_tree_of_one():
    assert tree.leaves(5.0) == [5.0] and tree.paths(5.0) == [()]
    assert tree.map(str, 5.0) == "5.0"


def test_structure_tells_containers_apart_but_not_numbers():
    assert tree.structure([1.0, 2.0]) == tree.structure([3.0, 4.0])
    assert tree.structure([1.0, 2.0]) != tree.structure((1.0, 2.0))
    assert tree.structure(P(1.0, 2.0)) != tree.structure((1.0, 2.0))
    assert tree.structure([1.0, [2.0]]) != tree.structure([1.0, 2.0])


def test_dicts_sets_and_strings_are_leaves_not_containers():
    for leaf in ({"w": 1.0}, {1.0}, "ab"):
        assert tree.leaves(leaf) == [leaf]


nested = st.recursive(st.floats(-5, 5), lambda children: st.one_of(
    st.lists(children, max_size=3), st.tuples(children, children),
    st.builds(P, children, children)), max_leaves=8)


@given(nested)
def test_unflatten_of_the_leaves_gives_the_tree_back(t):
    assert tree.unflatten(t, tree.leaves(t)) == t
    assert tree.structure(tree.unflatten(t, tree.leaves(t))) == tree.structure(t)
    assert len(tree.paths(t)) == len(tree.leaves(t))


# --- every entry point takes the same containers ---------------------------------------------

def test_a_namedtuple_argument_works_in_grad_gradcheck_hessian_and_compile():
    # grad() and gradcheck() raised "P.__new__() missing 1 required positional argument"
    p, x = P(0.5, -0.25), 1.5
    gradient = autograd.grad(f)(p, x)
    assert type(gradient) is P
    assert gradient == pytest.approx(df(p, x), abs=1e-15)
    assert autograd.gradcheck(f, p, x)
    hessian = autograd.hessian(lambda p: (p.w * p.b).sin())(P(0.5, 2.0))
    assert hessian[0][1] == pytest.approx(math.cos(1.0) - 1.0 * math.sin(1.0))
    value, compiled = autograd.compile(f)(p, x)
    assert type(compiled) is P and compiled == tuple(gradient)
    assert value == f(P(Value(0.5), Value(-0.25)), x).data


def test_compile_returns_a_namedtuple_gradient_from_its_summing_loop_too():
    g = autograd.compile(lambda p, x, y: (p.w * x + p.b - y) ** 2)
    total, gradient = g.sum(P(2.0, 1.0), batch=[(1.0, 3.0), (2.0, 4.0)])
    assert type(gradient) is P
    assert (total, gradient) == (1.0, P(4.0, 2.0))  # errors 0 and 1: Σ 2e·x = 4, Σ 2e = 2


@pytest.mark.parametrize("call", [
    lambda arg: autograd.grad(lambda a: a["w"])(arg),
    lambda arg: autograd.gradcheck(lambda a: a["w"], arg),
    lambda arg: autograd.hessian(lambda a: a["w"])(arg),
    lambda arg: autograd.compile(lambda a: a["w"])(arg),
])
def test_every_entry_point_refuses_a_dict_with_the_same_words(call):
    with pytest.raises(TypeError, match=r"argument 0 holds dict .*it takes numbers.*, or lists, "
                                        r"tuples or namedtuples of them \(for a dict"):
        call({"w": 1.0})
