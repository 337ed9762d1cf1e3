"""nn.feedback: a check that fails says what, found and expected, and by how much."""

import pytest

import autograd
from autograd import Value
from nn.feedback import expect_close, expect_equal, expect_gradcheck, expect_grads


def test_expect_close_passes_within_the_tolerance_and_says_by_how_much_otherwise():
    expect_close("the loss", Value(0.5), 0.5 + 1e-12)
    with pytest.raises(AssertionError) as error:
        expect_close("the loss", 0.75, 0.5, tol=1e-3)
    assert str(error.value) == "the loss is 0.75, expected 0.5: off by +0.25 (allowed: ±0.001)"


def test_expect_close_refuses_what_is_not_a_number():
    with pytest.raises(AssertionError, match="the loss should be a number, got str"):
        expect_close("the loss", "0.5", 0.5)


def test_expect_grads_names_each_partial_derivative_that_is_off_and_each_missing_one():
    with pytest.raises(AssertionError) as error:
        expect_grads({"w1": 0.25, "b1": 1.0}, {"w1": 0.4, "b1": 1.0, "w2": -2.0}, of="l")
    assert str(error.value) == ("∂l/∂w1 is 0.25, expected 0.4 (off by -0.15); "
                                "∂l/∂w2 is missing from your answer")


def test_expect_equal_names_both():
    expect_equal("the count", 73, 73)
    with pytest.raises(AssertionError, match="the count is 72, expected 73"):
        expect_equal("the count", 72, 73)


def test_expect_gradcheck_names_the_op_whose_derivative_is_wrong():
    autograd.register_op("bad_cube", lambda x: x ** 3, lambda x: 2 * x ** 2)  # 3x² is right
    with pytest.raises(AssertionError, match="the derivative of the op 'bad_cube' is wrong: "
                                             r"∂bad_cube/∂\(input 1\) at \[2.0\] is 8, "):
        expect_gradcheck(lambda x: x.bad_cube() + x, 2.0)
    expect_gradcheck(lambda x: x.tanh() * x, 0.3)
