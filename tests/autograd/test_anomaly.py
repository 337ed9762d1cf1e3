"""detect_anomaly(): the first nan or inf, forward or backward, raises and names its op or edge."""

import asyncio
import math
import threading

import pytest

import autograd
from autograd import Value


def test_log_of_zero_in_forward_names_log_and_its_input():
    x = Value(0.0, label="x")
    assert x.log().data == -math.inf  # outside the context: IEEE, no exception
    with autograd.detect_anomaly():
        with pytest.raises(FloatingPointError) as error:
            x.log()
    message = str(error.value)
    assert "log" in message and "x=0.0" in message and "-inf" in message
    assert "from finite inputs" in message


def test_forward_anomaly_with_a_plain_number_input_names_the_number():
    x = Value(1.0, label="x")
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as error:
        x / 0  # the 0 is folded into the op as a constant
    assert "div(x=1.0, 0.0)" in str(error.value)


def test_forward_anomaly_that_came_in_from_outside_says_so():
    x, big = Value(0.0, label="x"), Value(math.inf, label="big")
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as error:
        x * big  # 0 · inf = nan, but the inf was made outside the checked region
    message = str(error.value)
    assert "'big' was already inf" in message and "from finite inputs" not in message


def test_large_finite_numbers_are_not_anomalies():
    x = Value(700.0)
    with autograd.detect_anomaly():
        y = x.exp()  # about 1e304: large, finite
        y.backward()
    assert x.grad == y.data


def _zero_times_sqrt(x):
    return x.sqrt() * 0.0  # forward: 0 · 0 = 0; backward: d√x/dx = inf at 0, and inf · 0 = nan


def test_nan_made_only_in_backward_names_the_edge():
    x = Value(0.0, label="x")
    _zero_times_sqrt(x).backward()  # the premise, outside the context: a quiet nan
    assert math.isnan(x.grad)
    x.grad = 0.0
    with autograd.detect_anomaly():
        y = _zero_times_sqrt(x)  # the forward pass is finite: no exception
        assert y.data == 0.0
        with pytest.raises(FloatingPointError) as error:
            y.backward()
    message = str(error.value)
    assert "nan" in message and "sqrt" in message and "'x'" in message
    assert "local derivative d(sqrt)/d(input 0) = inf" in message
    assert "upstream gradient d(root)/d(sqrt) = 0.0" in message


def test_backward_anomaly_names_the_first_edge_not_where_the_nan_spreads():
    x, w = Value(0.0, label="x"), Value(2.0, label="w")
    h = _zero_times_sqrt(x) + w
    h.label = "h"
    y = (h * w).tanh()  # the nan would spread from x's edge into nothing else; w's are finite
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as error:
        y.backward()
    assert "from the sqrt node" in str(error.value) and "to its input 'x'" in str(error.value)


def test_backward_started_with_a_nan_gradient_says_so():
    x = Value(2.0, label="x")
    y = x * 3
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as error:
        y.backward(math.nan)
    assert "upstream gradient is itself not finite" in str(error.value)


@pytest.mark.parametrize("how", ["gradients", "create_graph", "grad of grad"])
def test_backward_anomaly_is_caught_on_every_path(how):
    x = Value(0.0, label="x")
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="sqrt"):
        if how == "gradients":
            autograd.gradients(_zero_times_sqrt(x), [x])
        elif how == "create_graph":
            _zero_times_sqrt(x).backward(create_graph=True)
        else:
            autograd.grad(autograd.grad(_zero_times_sqrt))(0.0)


def _some_grads():
    x, w = Value(0.3, label="x"), Value(-1.2, label="w")
    y = autograd.logsumexp([(x * w).tanh(), w.exp(), autograd.dot([w, x], [x, 2.0], 0.5)])
    y.backward()
    second = autograd.grad(autograd.grad(lambda t: (t * t).sigmoid().log()))(0.7)
    return x.grad, w.grad, y.data, second


def test_the_mode_changes_no_number():
    outside = _some_grads()
    with autograd.detect_anomaly():
        inside = _some_grads()
    assert inside == outside


def test_grad_stays_enabled_and_a_bool_inside():
    with autograd.detect_anomaly():
        assert autograd.is_grad_enabled() is True
        assert autograd.is_anomaly_enabled() is True
    assert autograd.is_anomaly_enabled() is False


def test_nested_contexts_keep_checking_until_the_outer_one_ends():
    x = Value(0.0)
    with autograd.detect_anomaly():
        with autograd.detect_anomaly():
            pass
        with pytest.raises(FloatingPointError):
            x.log()
    assert x.log().data == -math.inf


def test_the_mode_is_restored_after_an_exception():
    x = Value(0.0)
    with pytest.raises(FloatingPointError):
        with autograd.detect_anomaly():
            x.log()
    assert not autograd.is_anomaly_enabled() and autograd.is_grad_enabled() is True
    assert x.log().data == -math.inf  # no longer checked
    _zero_times_sqrt(x).backward()
    assert math.isnan(x.grad)


def test_no_grad_inside_records_and_checks_nothing_and_then_checking_resumes():
    x = Value(0.0)
    with autograd.detect_anomaly():
        with autograd.no_grad():
            y = x.log()  # evaluation only: no graph, no backward to protect
            assert y.is_leaf and y.data == -math.inf
        with pytest.raises(FloatingPointError):
            x.log()


def test_detect_anomaly_inside_no_grad_does_not_switch_recording_on():
    x = Value(2.0)
    with autograd.no_grad(), autograd.detect_anomaly():
        assert (x * 2).is_leaf and not autograd.is_grad_enabled()


def test_detect_anomaly_works_as_a_decorator():
    @autograd.detect_anomaly()
    def forward(x):
        return x.log()

    with pytest.raises(FloatingPointError):
        forward(Value(0.0))
    assert not autograd.is_anomaly_enabled()


def test_detect_anomaly_in_one_thread_does_not_affect_another():
    x = Value(0.0)
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def careful():
        with autograd.detect_anomaly():
            inside.set()
            release.wait(10)
            try:
                x.log()
            except FloatingPointError:
                seen["raised"] = True

    thread = threading.Thread(target=careful)
    thread.start()
    try:
        assert inside.wait(10)
        assert not autograd.is_anomaly_enabled()
        assert x.log().data == -math.inf  # unchecked here while the other thread checks
    finally:
        release.set()
        thread.join(10)
    assert seen == {"raised": True}


def test_detect_anomaly_in_one_asyncio_task_does_not_affect_another():
    x = Value(0.0)

    async def main():
        inside, release = asyncio.Event(), asyncio.Event()

        async def careful():
            with autograd.detect_anomaly():
                inside.set()
                await release.wait()
                with pytest.raises(FloatingPointError):
                    x.log()
                return True

        async def carefree():
            await inside.wait()
            y = x.log()  # while careful() is suspended inside detect_anomaly()
            release.set()
            return y.data == -math.inf

        return await asyncio.gather(careful(), carefree())

    assert asyncio.run(main()) == [True, True]


def test_a_registered_op_is_checked_like_a_built_in():
    autograd.register_op("square_op", lambda x: x * x, lambda x: 2 * x)
    try:
        with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="square_op"):
            Value(1e200, label="x").square_op()  # 1e400 overflows to inf
    finally:
        autograd.unregister_op("square_op")
