"""The playground widget's Python side, driven by the messages its browser code sends."""

import pytest

pytest.importorskip("anywidget")
pytest.importorskip("numpy")

from nn.playground import Playground  # noqa: E402 - needs anywidget


def message(playground, **content):
    playground._on_message(playground, content, [])


def test_each_button_sends_an_action_that_changes_what_is_shown():
    playground = Playground()
    frame = playground.frame
    message(playground, action="epoch")
    assert playground.epochs == 1 and playground.frame > frame
    message(playground, action="step")
    assert playground.steps == 16 + 1
    message(playground, action="set", changes={"lr": 0.3})
    assert playground.settings["lr"] == 0.3 and playground.epochs == 1
    message(playground, action="add_point", x=0.1, y=0.2, label=1)
    assert [0.1, 0.2, 1, 0] in playground.points  # a training point (0: not a test point)
    message(playground, action="reset")
    assert playground.epochs == 0 and playground.history == {}


def test_play_trains_one_update_per_tick_and_pause_stops_it():
    playground = Playground()
    message(playground, action="tick")
    assert playground.epochs == 0                  # not playing: a stray tick does nothing
    message(playground, action="play")
    message(playground, action="tick")
    message(playground, action="tick")
    assert playground.epochs == 2
    message(playground, action="pause")
    message(playground, action="tick")
    assert playground.epochs == 2 and not playground.playing


def test_clicking_a_neuron_opens_its_chain_and_the_slider_steps_it():
    playground = Playground()
    message(playground, action="epoch")
    message(playground, action="chain", layer=2, index=1, sample=4)
    panel = playground.chain
    assert panel["open"] and panel["step"] == panel["total"] - 1
    assert panel["svg"].lstrip().startswith("<?xml") or "<svg" in panel["svg"]
    message(playground, action="chain_step", step=0)
    assert playground.chain["caption"].startswith("backward step 1 of")
    assert all(row["grad"] == 0.0 for row in playground.chain["rows"])  # nothing handed yet
    message(playground, action="chain_close")
    assert playground.chain == {}


def test_a_preset_loads_its_settings_and_says_what_to_watch():
    playground = Playground()
    message(playground, action="preset", name="dead_relus")
    assert playground.settings["activations"] == ["relu", "relu"]
    assert "ReLU" in playground.message


def test_export_hands_the_browser_a_file_to_save():
    playground = Playground()
    message(playground, action="export", kind="code")
    assert playground.export["name"] == "playground.py" and "nn.fit(" in playground.export["text"]


def test_a_mistake_in_a_message_is_shown_to_the_learner_and_the_kernel_goes_on():
    playground = Playground()
    message(playground, action="set", changes={"hidden": [0]})
    assert "hidden is a list of layer widths" in playground.status
    message(playground, action="fly")
    assert "unknown action 'fly'" in playground.status


def test_in_a_terminal_the_playground_says_where_it_shows_and_what_works_here():
    text = repr(Playground())
    assert "Jupyter widget" in text and "playground.train(epochs=10)" in text


def test_displayed_it_shows_the_widget_and_a_picture_updated_when_training_stops(monkeypatch):
    shown = []

    class Handle:
        def update(self, picture):
            shown.append(("update", picture))

    def display(item, raw=False, display_id=None):
        shown.append(("display", item))
        return Handle() if display_id else None

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", display)
    playground = Playground()
    playground._ipython_display_()
    (_, bundle), (_, picture) = shown
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "last state" in bundle["text/plain"]
    assert "epoch 0" in picture.title
    playground.train(2)
    assert shown[-1][0] == "update" and "epoch 2" in shown[-1][1].title
