"""nn.fit(live=True): a picture redrawn in Jupyter, lines of text in a terminal."""

import pytest

import nn
from nn import live


def test_in_a_terminal_live_training_prints_lines_with_a_sparkline(capsys):
    X, y = nn.data.make_moons(40)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
                     epochs=20, live=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("epoch 1/20  loss ") and lines[-1].startswith("epoch 20/20")
    assert len(lines) == 11                       # epoch 1, then every tenth of the run
    assert f"{history['loss'][-1]:.4g}" in lines[-1]
    assert lines[-1][-1] in live.SPARKS


def test_a_run_stopped_early_still_prints_its_last_epoch(capsys):
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [4, 1], seed=0)
    nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=50,
           live=True, callbacks=lambda epoch, record: epoch < 7)
    assert capsys.readouterr().out.splitlines()[-1].startswith("epoch 7/50")


def test_sparkline_spans_the_lowest_to_the_highest_block():
    assert live.sparkline([3.0, 1.0, 2.0]) == "█▁▅"
    assert live.sparkline([float("nan")]) == ""


def test_the_notebook_picture_has_the_loss_and_for_2d_data_the_decision_surface():
    pytest.importorskip("matplotlib")
    X, y = nn.data.make_moons(30)
    model = nn.MLP(2, [3, 1], seed=0)
    view = live.LiveView(model, X, y, epochs=5)
    view.plane = True
    view(1, {"loss": 0.9, "accuracy": 0.5})
    view(2, {"loss": 0.7, "accuracy": 0.6})
    assert view.png()[:8] == b"\x89PNG\r\n\x1a\n"
    surface = live.Surface(model, X, size=5).values()
    assert surface.shape == (5, 5)
    assert surface[0, 0] == pytest.approx(model(live.Surface(model, X, size=5).points[0]).data,
                                          abs=1e-12)
