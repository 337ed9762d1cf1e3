"""no_grad (threads and asyncio tasks included), detach and is_leaf."""


import asyncio
import threading

import pytest
from hypothesis import given, settings

import autograd
from autograd import Value
from tests.strategies import CASES

# --- no_grad, detach, is_leaf -----------------------------------------------------------------

def test_no_grad_results_are_leaves_with_the_right_data():
    x, y = Value(2.0), Value(3.0)
    with autograd.no_grad():
        assert not autograd.is_grad_enabled()
        z = x * y + 1
    assert z.data == 7.0
    assert z.is_leaf and z.parents == () and z.local_grads == ()
    assert autograd.is_grad_enabled()
    assert (x * y).parents == (x, y)


@pytest.mark.parametrize("name", CASES)
def test_no_grad_makes_every_op_a_leaf(name):
    @given(CASES[name].inputs)
    @settings(max_examples=5)
    def check(args):
        with autograd.no_grad():
            node = CASES[name].apply(*[Value(a) for a in args])
        assert node.is_leaf and node.parents == () and node.local_grads == ()

    check()


def test_no_grad_nests():
    x = Value(2.0)
    with autograd.no_grad():
        with autograd.no_grad():
            pass
        assert (x * 2).is_leaf  # leaving the inner block does not switch recording on
    assert not (x * 2).is_leaf


def test_no_grad_is_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with autograd.no_grad():
            raise RuntimeError("boom")
    assert autograd.is_grad_enabled()
    x = Value(2.0)
    assert (x * 2).parents == (x,)


def test_no_grad_works_as_a_decorator():
    @autograd.no_grad()
    def evaluate(x):
        assert not autograd.is_grad_enabled()
        return x * 2

    x = Value(2.0)
    for _ in range(2):  # reusable
        assert evaluate(x).is_leaf
        assert autograd.is_grad_enabled()


def test_no_grad_in_one_thread_does_not_affect_another():
    x = Value(2.0)
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def quiet():
        with autograd.no_grad():
            inside.set()
            release.wait(10)
            seen["leaf"] = (x * 2).is_leaf

    thread = threading.Thread(target=quiet)
    thread.start()
    try:
        assert inside.wait(10)
        assert autograd.is_grad_enabled()
        assert (x * 2).parents == (x,)  # recorded while the other thread is in no_grad
    finally:
        release.set()
        thread.join(10)
    assert seen == {"leaf": True}


def test_new_thread_records_while_the_starting_thread_is_in_no_grad():
    x = Value(2.0)
    seen = {}

    def loud():
        seen["enabled"] = autograd.is_grad_enabled()
        seen["parents"] = (x * 2).parents

    with autograd.no_grad():
        thread = threading.Thread(target=loud)
        thread.start()
        thread.join(10)
    assert seen == {"enabled": True, "parents": (x,)}


def test_no_grad_in_one_asyncio_task_does_not_affect_another():
    x = Value(2.0)

    async def main():
        inside, release = asyncio.Event(), asyncio.Event()

        async def quiet():
            with autograd.no_grad():
                inside.set()
                await release.wait()
                return (x * 2).is_leaf

        async def loud():
            await inside.wait()
            node = x * 2  # while quiet() is suspended inside no_grad
            release.set()
            return node.parents == (x,)

        return await asyncio.gather(quiet(), loud())

    assert asyncio.run(main()) == [True, True]


def test_detach_returns_a_leaf_with_the_same_data():
    x = Value(2.0)
    y = x * 3.0
    d = y.detach()
    assert d is not y and d.data == 6.0 and d.is_leaf and d.grad == 0.0


def test_gradient_does_not_flow_through_detach():
    x = Value(2.0)
    y = x * x
    z = y.detach() * x + y  # d/dx through y only: 2x, plus y.data from the product
    z.backward()
    assert x.grad == 4.0 + 4.0


def test_is_leaf():
    x = Value(1.0)
    assert x.is_leaf
    assert not (x + 1).is_leaf
    assert (x + 1).detach().is_leaf
