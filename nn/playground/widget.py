"""``Playground``: the live widget (anywidget), its browser code in ``widget.js`` beside it.

The browser draws; Python computes. Each button sends a message here; each
update sends back one frame (``views.frame``): the heatmaps and the decision
surface as bytes, the network's Scene with every weight's gradient and next
step, the loss curves. While playing, the browser asks for the next update
when it has drawn the last one, so the kernel is never flooded and a pause is
immediate. Outside a live kernel the widget cannot draw: displaying it also
shows a picture of its last state (``picture.py``), updated whenever training
stops, which the browser code hides while the widget is live.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

try:
    import anywidget
    import traitlets
except ImportError as error:  # pragma: no cover - the message is the point
    raise ImportError("the playground's widget needs anywidget and ipywidgets (the notebooks "
                      "extra): pip install -e '.[notebooks]'. nn.playground.Session works "
                      "without them.") from error

from . import exporting, presets, views
from .chain import chain as make_chain
from .chain import panel
from .picture import Picture
from .session import Session
from .settings import ACTIVATIONS, DATASETS, OPTIMIZERS, TASKS, Settings

HERE = Path(__file__).parent
TERMINAL = ("The playground is a Jupyter widget: run it in JupyterLab 4 (make lab), Notebook 7 "
            "or VS Code to see it live. Here you can drive it from Python: "
            "playground.train(epochs=10), playground.session.history, playground.code().")


class Playground(anywidget.AnyWidget):
    """Watch a network learn, live: data, model, controls, views, down to the chain rule.

    ``Playground()`` starts from moons and a 2-8-8-1 tanh network;
    ``Playground(preset="spirals_depth")``, ``Playground(settings=Settings(...))``
    or ``Playground(X=X, y=y)`` (your data) start elsewhere. The same
    playground is ``playground.session`` (a ``Session``) for code and tests.
    """

    _esm = HERE / "widget.js"
    _css = HERE / "widget.css"

    settings = traitlets.Dict().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    grid = traitlets.Dict().tag(sync=True)
    points: Any = traitlets.List().tag(sync=True)
    heatmaps = traitlets.Bytes().tag(sync=True)
    surface = traitlets.Bytes().tag(sync=True)
    scales: Any = traitlets.List().tag(sync=True)
    scene = traitlets.Dict().tag(sync=True)
    history = traitlets.Dict().tag(sync=True)
    epochs = traitlets.Int(0).tag(sync=True)
    steps = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    epochs_per_update = traitlets.Int(1).tag(sync=True)
    python_ms = traitlets.Float(0.0).tag(sync=True)
    chain = traitlets.Dict().tag(sync=True)
    sweep: Any = traitlets.List().tag(sync=True)
    export = traitlets.Dict().tag(sync=True)

    def __init__(self, settings: Settings | None = None, *, preset: str | None = None,
                 X: Any = None, y: Any = None, features: tuple[int, int] = (0, 1),
                 compile: bool = True) -> None:
        """Build the session (settings, or a preset, or your data) and draw its first frame."""
        super().__init__()
        self.session = Session(settings, X, y, features, compile)
        self.options = {"datasets": list(DATASETS), "activations": list(ACTIVATIONS),
                        "tasks": list(TASKS), "optimizers": list(OPTIMIZERS),
                        "presets": [{"name": name, "title": p.title}
                                    for name, p in presets.PRESETS.items()],
                        "palette": views.palette(), "classes": views.CLASS_COLOURS}
        self._chain: Any = None
        self._pictures: list[Any] = []
        self._picture_at = 0.0
        self.on_msg(self._on_message)
        if preset is not None:
            self.message = presets.apply(self.session, preset)
        self._new_data()

    # --- the Python side, for code and tests ------------------------------------------------

    def train(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs (or until it diverges), then draw."""
        self.session.train(epochs)
        self._draw(picture=True)

    def step(self) -> None:
        """One step on the next batch, then draw."""
        self.session.step()
        self._draw(picture=True)

    def reset(self) -> None:
        """Back to epoch 0 (the model rebuilt from its seed), then draw."""
        self.session.reset()
        self._draw(picture=True)

    def set(self, **changes: Any) -> str:
        """Change settings (``lr=0.03``, ``hidden=[4, 4]``, …); see ``Session.update``."""
        what = self.session.update(**changes)
        self._new_data() if what == "data" else self._draw(picture=True)
        return what

    def preset(self, name: str) -> str:
        """Load one of ``presets.PRESETS``; runs the width sweep for "width"; returns its text."""
        self.playing = False
        self.message = presets.apply(self.session, name)
        self.sweep = []
        if presets.PRESETS[name].widths:
            self.sweep = presets.width_sweep(self.session, presets.PRESETS[name].widths)
        self._new_data()
        return self.message

    def add_point(self, point: Any, label: Any) -> None:
        """Add a training point (its two drawn features) of class ``label``."""
        self.session.add_point(point, label)
        self.points = views.point_list(self.session)
        self._draw(picture=True)

    def open_chain(self, layer: int, index: int, sample: int = 0, weight: int | None = None,
                   step: int | None = None) -> None:
        """Open the chain-rule panel of a neuron (``weight``: an edge into it) for ``sample``."""
        self._chain = make_chain(self.session, layer, index, sample)
        self._chain_steps = self._chain.steps()
        self._chain_svgs: dict[int, str] = {}
        self._chain_weight = weight
        self._show_chain_step(len(self._chain_steps) - 1 if step is None else step)

    def code(self) -> str:
        """The ``nn.MLP(...)`` and ``nn.fit(...)`` lines that reproduce this model."""
        return exporting.code(self.session)

    def save(self, path: str | Path) -> Path:
        """Write the playground's state as JSON (``Playground.load(path)`` reopens it)."""
        return exporting.save_state(self.session, path)

    def save_model(self, path: str | Path) -> Path:
        """Write the model as an ``nn`` model file (``nn.load(path)`` reads it)."""
        self.session.model.save(path)
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> Playground:
        """A playground in the state ``save`` wrote."""
        playground = cls()
        playground.session = exporting.load_state(path)
        playground._new_data()
        return playground

    # --- drawing ----------------------------------------------------------------------------

    def _new_data(self) -> None:
        self._grid = views.Grid(self.session)
        self.grid = {"size": self._grid.size, "extent": self._grid.extent}
        self.points = views.point_list(self.session)
        self._chain = None
        self.chain = {}
        self._draw(picture=True)

    def _draw(self, picture: bool = False) -> None:
        start = time.perf_counter()
        frame = views.frame(self.session, self._grid)
        with self.hold_sync():
            for name, value in frame.items():
                setattr(self, name, value)
            self.settings = self.session.settings.to_json()
            self.python_ms = 1000 * (time.perf_counter() - start)
            self.frame += 1
        if self._chain is not None and not self.playing \
                and self._chain.layer <= len(self.session.model.layers):
            self.open_chain(self._chain.layer, self._chain.index, self._chain.sample,
                            self._chain_weight, self.chain.get("step"))
        if picture:
            self._update_pictures()

    def _show_chain_step(self, step: int) -> None:
        c, steps = self._chain, self._chain_steps
        step = max(0, min(step, len(steps) - 1))
        if step not in self._chain_svgs:
            self._chain_svgs[step] = steps[step].svg()
        self.chain = panel(self.session, c, steps, step, self._chain_svgs[step],
                           self._chain_weight)

    # --- messages from the browser ------------------------------------------------------------

    def _on_message(self, _widget: Any, message: dict, _buffers: Any) -> None:
        action = message.get("action")
        try:
            if action == "tick":
                self._tick()
            elif action in ("play", "pause"):
                self.playing = action == "play"
                if not self.playing:
                    self._update_pictures()
            else:
                self._act(action, message)
        except Exception as error:  # noqa: BLE001 - shown to the learner, the kernel goes on
            self.playing = False
            self.status = f"{type(error).__name__}: {error}"

    def _tick(self) -> None:
        if not self.playing:
            return
        self.session.train(max(1, self.epochs_per_update))
        if self.session.diverged:
            self.playing = False
        self._draw(picture=not self.playing or time.monotonic() - self._picture_at > 10)

    def _act(self, action: str | None, m: dict) -> None:
        if action not in ACTIONS:
            raise ValueError(f"the playground got an unknown action {action!r}")
        ACTIONS[action](self, m)

    def _close_chain(self) -> None:
        self._chain, self.chain = None, {}

    def _export(self, kind: str) -> None:
        self.export = exporting.download(self.session, kind, self.export.get("n", 0))

    # --- outside a live kernel: a picture of the last state -----------------------------------

    def _ipython_display_(self) -> None:
        from IPython.display import display

        made: Any = self._repr_mimebundle_()
        bundle = dict(made[0] if isinstance(made, tuple) else made)
        bundle["text/plain"] = ("Playground: a live widget; with no kernel running, the "
                                "picture below is its last state.")
        display(bundle, raw=True)
        self._pictures.append(display(Picture(self.session, self._grid), display_id=True))

    def _update_pictures(self) -> None:
        if self._pictures:
            picture = Picture(self.session, self._grid)
            for handle in self._pictures:
                handle.update(picture)
        self._picture_at = time.monotonic()

    def _summary(self) -> str:
        loss = self.session.history.get("loss")
        return f"epoch {self.session.epochs}" + (f", loss {loss[-1]:.4g}" if loss else "")

    def __repr__(self) -> str:
        """What the playground is, and how to see it: a notebook, or Python calls here."""
        return f"<Playground: {self._summary()}. {TERMINAL}>"

    def to_json(self) -> str:
        """The playground's state as JSON text (what ``save`` writes)."""
        return json.dumps(exporting.state(self.session))


ACTIONS: dict[str, Any] = {  # what each message from the browser does
    "step": lambda pg, m: pg.step(),
    "epoch": lambda pg, m: pg.train(1),
    "reset": lambda pg, m: pg.reset(),
    "set": lambda pg, m: pg.set(**m["changes"]),
    "preset": lambda pg, m: pg.preset(m["name"]),
    "add_point": lambda pg, m: pg.add_point([m["x"], m["y"]], m["label"]),
    "chain": lambda pg, m: pg.open_chain(m["layer"], m["index"], m.get("sample", 0),
                                         m.get("weight")),
    "chain_step": lambda pg, m: pg._show_chain_step(int(m["step"])),
    "chain_close": lambda pg, m: pg._close_chain(),
    "export": lambda pg, m: pg._export(m["kind"]),
}
