"""The main job, for now: build an expression, run backward(), print the gradients.

Run it with ``make demo``.
"""

from autograd import Value


def main():
    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    b = Value(6.8813735870195432, label="b")
    y = (x * w + b).tanh()  # a one-input neuron with a tanh activation
    y.backward()
    print("y = tanh(x·w + b) =", round(y.data, 6))
    print("dy/dx =", round(x.grad, 6), "  (= w · (1 - y²))")
    print("dy/dw =", round(w.grad, 6), "  (= x · (1 - y²))")
    print("dy/db =", round(b.grad, 6), "  (= 1 - y²)")


if __name__ == "__main__":
    main()
