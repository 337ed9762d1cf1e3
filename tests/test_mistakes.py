"""What the library protects a learner from: one row per mistake.

Each row is a mistake as a learner would type it, the exception (or warning)
it must raise, and words its message must contain: what was wrong and what
to do about it. The code runs with these names defined: ``x`` (a Value),
``model`` (an ``nn.MLP(2, [3, 1])``), ``X, y`` (20 two-moons samples, labels
0/1), ``optimizer`` (SGD on the model), ``folder`` (an empty temporary
folder), ``math``, ``nn``, ``autograd``, ``Value`` and ``draw_graph``.
Adding the next mistake is one line.
"""

import math

import pytest

import autograd
import nn
from autograd import Value, draw_graph

MISTAKES = [
    # (the mistake as typed, the exception or warning, words its message must contain...)
    # --- a Value where Python wants a plain number ----------------------------------------------
    ("x * 2 + math.sin(x)", TypeError, "x.sin()", "x.item()"),
    ("float(x)", TypeError, "gradient", "x.item()"),
    ("round(x, 2)", TypeError, "round()", "x.item()"),
    ("Value(x)", TypeError, "already a Value"),
    ("nn.MLP(2, [3, 1], activation=math.tanh)", TypeError, "math.tanh", "activation='tanh'"),
    ("nn.Neuron(1, activation=lambda s: max(s.data, 0.0))([2.0])", TypeError,
     "activation <lambda> returned float", "not a Value"),
    # --- backward() ------------------------------------------------------------------------------
    ("(x * 3).backward('a')", TypeError, "backward(gradient)", "number", "str 'a'"),
    ("x.grad = None; (x * 3).backward()", TypeError, "grad of 'x' is None", "zero_grad()"),
    ("p = model.parameters()[0]; p.grad = 0.5; p -= 0.1 * p.grad", RuntimeError, "leaf",
     "unchanged", "p.data -= lr * p.grad"),
    ("loss = nn.mse_loss(model(X[0]), y[0]); loss.backward(); loss.backward()", RuntimeError,
     "already gone through", "inside the loop", "zero_grad()", "retain_graph=True"),
    ("with autograd.no_grad():\n    loss = nn.mse_loss(model(X[0]), y[0])\nloss.backward()",
     RuntimeError, "no_grad()", "outside", "every grad would stay 0"),
    # --- drawing ---------------------------------------------------------------------------------
    ("draw_graph(3.0)", TypeError, "Value", "float 3.0", "no graph"),
    ("draw_graph([x])", TypeError, "one Value", "list", "autograd.sum"),
    ("draw_graph(x * -3, show='chain')", UserWarning, "backward()", "grad 0"),
    ("autograd.backward_steps(x * 3, gradient='1')", TypeError, "gradient", "str"),
    ("autograd.backward_steps(autograd.sum([x * i for i in range(400)]))", ValueError,
     "402 values", "max_nodes=300", "part of it", "max_nodes=None"),
    ("draw_graph(x * 3, size='wide')", ValueError, "size", "inches", "'7,5'"),
    # --- losses ----------------------------------------------------------------------------------
    ("two = nn.MLP(2, [3, 2]); nn.hinge_loss([two(x) for x in X], y)", ValueError,
     "one score per sample", "2 outputs", "cross_entropy"),
    ("nn.hinge_loss(nn.MLP(2, [3, 2])(X[0]), y[0])", TypeError, "2 outputs", "cross_entropy"),
    ("nn.binary_cross_entropy(model(X[0]).sigmoid(), 1)", UserWarning, "logits", "sigmoid",
     "output_activation='linear'"),
    ("nn.cross_entropy(nn.softmax(nn.MLP(2, [3, 3])(X[0])), 1)", UserWarning, "logits",
     "softmax", "applied twice"),
    ("nn.cross_entropy([Value(1.0), Value(2.0), Value(0.5)], [0, 1, 0])", ValueError,
     "one-hot vector", "class index", "(1 here)"),
    ("nn.cross_entropy([nn.MLP(2, [3, 3])(x) for x in X], [[1, 0, 0]] * 20)", ValueError,
     "one-hot vector", "class index", "(0 here)", "argmax"),
    ("nn.cross_entropy(model(X[0]), 0)", ValueError, "1 output", "binary_cross_entropy",
     "2 outputs"),
    ("nn.cross_entropy([model(x) for x in X], y)", ValueError, "1 output",
     "binary_cross_entropy", "2 outputs"),
    ("nn.cross_entropy(nn.MLP(2, [3, 3])(X[0]), True)", TypeError, "class index", "bool"),
    ("nn.cross_entropy(nn.MLP(2, [3, 3])(X[0]), 3)", ValueError, "not a class of 3",
     "0..2", "the first class is 0"),
    ("nn.mse_loss(model(X[0]), 1.0, reduction='none')", ValueError, "reduction='mean'",
     "reduction='sum'", "'none'", "one Value"),
    ("nn.hinge_loss([model(x) for x in X], y, reduction='average')", ValueError,
     "reduction='mean'", "'average'"),
    # --- labels in accuracy() --------------------------------------------------------------------
    ("nn.accuracy(nn.MLP(2, [3, 3]), X, [[1, 0, 0]] * 20)", ValueError, "one-hot vector",
     "class index", "(0 here)"),
    ("nn.accuracy(nn.MLP(2, [3, 3]), X, [3] * 20)", ValueError, "y[0]", "not a class of 3",
     "0..2"),
    ("nn.accuracy(model, X, [2] * 20)", ValueError, "1 output", "0/1", "one output per class"),
    # --- optimizers ------------------------------------------------------------------------------
    ("optimizer.zero_grad(); loss = nn.hinge_loss([model(x) for x in X], y); optimizer.step()",
     UserWarning, "every gradient is exactly 0", "loss.backward()", "zero_grad()",
     "once per optimizer"),
    # --- Keras's way of writing it -----------------------------------------------------------
    ("nn.Dense(64, input_dim=20)", TypeError, "Keras", "Dense(units, activation=None",
     "nn.Dense(nin, nout, activation='relu'", "nn.Dense(20, 64"),
    ("nn.Dense(10, activation='softmax')", TypeError, "Keras", "nn.Dense(nin, 10, "
     "activation='linear')", "loss='cross_entropy'"),
    ("nn.Dense(units=64, activation='relu', input_dim=100)", TypeError, "Keras",
     "nn.Dense(100, 64, activation='relu')"),
    ("nn.Dense(64, input_shape=(20,), kernel_initializer='he_normal')", TypeError,
     "nn.Dense(20, 64, activation='relu', init='he')"),
    ("nn.Dense(2, 3, activaton='tanh')", TypeError, "unknown keyword 'activaton'",
     "nn.Dense(nin, nout, activation='relu'"),
    ("nn.Sequential([nn.Dense(2, 3), nn.Dense(3, 1)])", TypeError, "Keras",
     "nn.Sequential(*layers)"),
    ("nn.MLP(2, [3, 1], init='glorot_uniform')", ValueError, "Keras", "init='xavier'"),
    ("nn.fit(model, X, y, loss='binary_crossentropy', optimizer=optimizer, epochs=1)",
     ValueError, "Keras", "loss='binary_cross_entropy'", "logits", "from_logits=True"),
    ("nn.fit(model, X, y, loss='hinge', optimizer='adam', epochs=1)", TypeError, "Keras",
     "optimizer=nn.Adam(model.parameters(), lr=0.001)"),
    # --- training --------------------------------------------------------------------------------
    ("nn.fit(model, X, y, loss='hinge', optimizer=None, epochs=1)", TypeError,
     "needs an optimizer", "nn.SGD(model.parameters(), lr=0.1)"),
    ("nn.SGD(model.parameters, lr=0.1)", TypeError, "model.parameters()", "parentheses"),
    ("nn.fit(model, X, y, loss='hinge', optimizer=nn.SGD(nn.MLP(2, [3, 1]).parameters(), lr=0.1),"
     " epochs=1)", ValueError, "none of this model's parameters"),
    ("X[3] = [math.nan, 0.0]; nn.fit(model, X, y, loss='hinge', optimizer=optimizer, epochs=1)",
     ValueError, "X[3]", "nan", "drop sample 3"),
    ("X[3] = [10**400, 0.0]; nn.fit(model, X, y, loss='hinge', optimizer=optimizer, epochs=1)",
     ValueError, "X[3]", "10^400", "too large for a float", "sample 3"),
    ("y[3] = 10**400; nn.fit(model, X, y, loss='mse', optimizer=optimizer, epochs=1)",
     ValueError, "y[3]", "10^400", "too large for a float", "sample 3"),
    ("X[15] = [0.5]; nn.fit(model, X, y, loss='hinge', optimizer=optimizer, epochs=1, "
     "batch_size=4)", ValueError, "X[15]", "1 number", "nin=2", "drop sample 15"),
    ("y[15] = 2; nn.fit(model, X, y, loss='hinge', optimizer=optimizer, epochs=1, batch_size=4)",
     ValueError, "y[15]", "labels are -1 or +1", "got 2"),
    ("nn.fit(model, X, y, loss='cross_entropy', optimizer=optimizer, epochs=1)", ValueError,
     "1 output", "binary_cross_entropy", "2 outputs"),
    ("three = nn.MLP(2, [3, 3]); nn.fit(three, X, [[0, 1, 0]] * 20, loss='cross_entropy', "
     "optimizer=nn.SGD(three.parameters(), lr=0.1), epochs=1)", ValueError, "y[0]",
     "one-hot vector", "class index", "(1 here)"),
    ("nn.fit(model, X, y, loss='hinge', optimizer=nn.SGD(model.parameters(), lr=1e300), epochs=5)",
     FloatingPointError, "stopped in epoch", "the loss is", "lr=1e+300", "smaller"),
    ("sigmoid = nn.MLP(2, [3, 1], output_activation='sigmoid'); nn.fit(sigmoid, X, y, "
     "loss='binary_cross_entropy', optimizer=nn.SGD(sigmoid.parameters(), lr=0.1), epochs=1)",
     ValueError, "takes logits", "sigmoid", "output_activation='linear'"),
    ("nn.fit(model, X, y, loss=lambda outputs, y: 0.0, optimizer=optimizer, epochs=1, threshold=0)",
     TypeError, "returned float", "not a Value"),
    ("nn.fit(model, X, y, loss=nn.mse_loss, optimizer=optimizer, epochs=1, callbacks=[print, 3])",
     TypeError, "callbacks", "int 3"),
    ("nn.fit(model, X, y, loss=lambda outputs, y: nn.mse_loss(outputs, y), optimizer=optimizer, "
     "epochs=1)", UserWarning, "threshold="),
    # --- saving ----------------------------------------------------------------------------------
    ("model.save(folder + '/no/such/m.json')", FileNotFoundError, "no/such", "does not exist"),
    ("model.save(folder)", IsADirectoryError, "is a folder", "model.json"),
    ("model.parameters()[0].data = math.nan; model.save(folder + '/m.json')", ValueError,
     "layers.0.neurons.0.w.0", "nan", "learning rate"),
    ("model.threshold = math.nan; model.save(folder + '/m.json')", ValueError,
     "model.threshold is nan", "finite number"),
    ("import os; model.save(folder + '/m.json'); os.chmod(folder + '/m.json', 0o444); "
     "model.save(folder + '/m.json')", PermissionError, "read-only", "another name", "os.chmod"),
    ("import pathlib; pathlib.Path(folder, 'm.json').write_text('{}', encoding='utf-16'); "
     "nn.load(folder + '/m.json')", ValueError, "m.json' is not a model file", "UTF-16",
     "save it again as UTF-8"),
    # --- datasets --------------------------------------------------------------------------------
    ("nn.data.make_spirals(10, classes=0)", ValueError, "classes", "positive int", "0"),
    # --- drawings and the playground ---------------------------------------------------------
    ("nn.draw_network(model).save(folder + '/net.png')", ValueError, "writes SVG", ".svg"),
    ("from nn.playground import Session; Session().update(dataset='own')", ValueError,
     "needs your data first", "use_data(X, y)"),
    ("from nn.playground import Session; Session().update(dataset='spirals', classes=3, "
     "task='binary')", ValueError, "labels 0 and 1", "3 classes", "task='classes'"),
    ("from nn.playground import Session, Settings; Session(Settings(hidden=[4, 4], "
     "activations=['tanh']))", ValueError, "one name per hidden layer", "2"),
]


def _namespace(folder):
    """The names a mistake's code can use (see the module docstring)."""
    model = nn.MLP(2, [3, 1], seed=0)
    X, y = nn.data.make_moons(20)
    return {"x": Value(0.5, "x"), "model": model, "X": X, "y": y, "folder": str(folder),
            "optimizer": nn.SGD(model.parameters(), lr=0.1), "math": math, "nn": nn,
            "autograd": autograd, "Value": Value, "draw_graph": draw_graph}


@pytest.mark.parametrize("code, kind, words", [(row[0], row[1], row[2:]) for row in MISTAKES],
                         ids=[row[0] for row in MISTAKES])
def test_mistake_gets_a_message_that_names_it_and_the_fix(code, kind, words, tmp_path):
    namespace = _namespace(tmp_path)
    if issubclass(kind, Warning):
        with pytest.warns(kind) as caught:
            exec(code, namespace)
        message = str(caught[0].message)
    else:
        with pytest.raises(kind) as caught:
            exec(code, namespace)
        message = str(caught.value)
    missing = [word for word in words if word not in message]
    assert not missing, f"{code!r}: the message lacks {missing}: {message}"
