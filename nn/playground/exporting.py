"""What leaves the playground: the code that reproduces it, its state as JSON, downloads.

``code(session)`` writes the ``nn.data``, ``nn.MLP`` (or ``nn.Sequential``)
and ``nn.fit`` lines that rebuild the data and the model and train them as
the playground did; run, they give the same weights (the tests check it to
1e-12). When the run cannot be written as one ``fit`` call (a learning rate
changed half-way, a point added after training began, a half-finished
epoch), the code says so in a comment.

``state(session)`` is the playground as JSON: settings, your data and added
points, the parameters, the optimizer's running averages, the shuffling
stream and the batches already drawn from it, the history. ``save_state``
writes it atomically; ``load_state`` reads it back, checked, into a new
``Session``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from nn.atomic import write_atomically

from .session import Session
from .settings import MOMENTUM, Settings, blob_centers, loss_name

FORMAT = "gradschool-playground"
OPTIMIZER_STATE = ("velocity", "m", "v", "t")


def code(session: Session) -> str:
    """Python that rebuilds the data and the model and trains them as the playground did."""
    s = session.settings
    lines = ["import nn", ""]
    if len(set(s.activations)) > 1:
        lines = ["import random", "", *lines]
    lines += _data_lines(session)
    lines += _model_lines(session)
    lines.append(_optimizer_line(s))
    fit = (f"history = nn.fit(model, X_train, y_train, loss={loss_name(s)!r}, "
           f"optimizer=optimizer,\n                 epochs={session.epochs}, "
           f"batch_size={s.batch_size!r}, seed={s.seed}")
    if session.X_test:
        fit += ", validation_data=(X_test, y_test)"
    lines.append(fit + ")")
    in_epoch = session.steps - _steps_in(session.epochs, session)
    notes = list(session.edits)
    if in_epoch > 0:
        notes.append(f"the playground also took {in_epoch} step(s) of epoch "
                     f"{session.epochs + 1}, which nn.fit takes only as a whole epoch")
    if notes:
        lines += ["", "# Not reproduced exactly: " + "; ".join(notes) + "."]
    return "\n".join(lines) + "\n"


def _steps_in(epochs: int, session: Session) -> int:
    n, size = len(session.X_train), session.settings.batch_size or len(session.X_train)
    return epochs * -(-n // size)


def _data_lines(session: Session) -> list[str]:
    s = session.settings
    calls = {
        "moons": f"nn.data.make_moons({s.samples}, noise={s.noise!r}, seed={s.data_seed})",
        "circles": f"nn.data.make_circles({s.samples}, noise={s.noise!r}, seed={s.data_seed})",
        "spirals": f"nn.data.make_spirals({s.samples}, classes={s.classes}, noise={s.noise!r}, "
                   f"seed={s.data_seed})",
        "xor": f"nn.data.make_xor({s.samples}, noise={s.noise!r}, seed={s.data_seed})",
        "blobs": f"nn.data.make_blobs({s.samples}, centers={blob_centers(s.classes)!r}, "
                 f"std={s.noise!r}, seed={s.data_seed})",
        "own": "your_X, your_y  # the data you gave the playground",
    }
    lines = [f"X, y = {calls[s.dataset]}"]
    if session.X_test:
        lines.append(f"X_train, X_test, y_train, y_test = nn.data.train_test_split(\n"
                     f"    X, y, test_size={s.test_fraction!r}, seed={s.data_seed})")
    else:
        lines.append("X_train, y_train = X, y")
    if session.added:
        lines.append(f"X_train += {[x for x, _ in session.added]!r}  # the points you added")
        lines.append(f"y_train += {[label for _, label in session.added]!r}")
    return lines


def _model_lines(session: Session) -> list[str]:
    s, model = session.settings, session.model
    nin, nout = model.layers[0].nin, model.layers[-1].nout
    if len(set(s.activations)) <= 1:
        activation = s.activations[0] if s.activations else "relu"
        return [f"model = nn.MLP({nin}, {[*s.hidden, nout]}, activation={activation!r}, "
                f"seed={s.seed})"]
    sizes = [nin, *s.hidden, nout]
    layers = [f"    nn.Layer({sizes[i]}, {sizes[i + 1]}, activation={name!r}, seed=rng),"
              for i, name in enumerate([*s.activations, "linear"])]
    return [f"rng = random.Random({s.seed})  # one stream for every layer, as nn.MLP draws",
            "model = nn.Sequential(", *layers, ")"]


def _optimizer_line(s: Settings) -> str:
    decay = f", weight_decay={s.l2!r}" if s.l2 else ""
    if s.optimizer == "adam":
        return f"optimizer = nn.Adam(model.parameters(), lr={s.lr!r}{decay})"
    momentum = f", momentum={MOMENTUM}" if s.optimizer == "momentum" else ""
    return f"optimizer = nn.SGD(model.parameters(), lr={s.lr!r}{momentum}{decay})"


# --- the playground's state as JSON ---------------------------------------------------------

def state(session: Session) -> dict[str, Any]:
    """Everything needed to reopen the playground where it stands, as JSON-able data."""
    optimizer = {name: getattr(session.optimizer, name) for name in OPTIMIZER_STATE
                 if hasattr(session.optimizer, name)}
    version, internal, gauss = session.shuffles.getstate()
    return {"format": FORMAT, "version": 1, "settings": session.settings.to_json(),
            "own": list(session.own) if session.own is not None else None,
            "features": list(session.features), "added": [[x, y] for x, y in session.added],
            "parameters": session.model.state_dict(), "optimizer": optimizer,
            "shuffle": [version, list(internal), gauss], "position": session.training.position(),
            "history": session.history,
            "epochs": session.epochs, "steps": session.steps, "edits": session.edits}


def save_state(session: Session, path: str | Path) -> Path:
    """Write ``state(session)`` to ``path`` as JSON, atomically (a failed write loses nothing)."""
    text = json.dumps(state(session), allow_nan=False)
    write_atomically(path, text.encode("utf-8"), "the playground")
    return Path(path)


def load_state(path: str | Path) -> Session:
    """A ``Session`` in the state a file of ``save_state`` holds; a ValueError if it is not one."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != 1:
        raise ValueError(f"{path} is not a playground state (format {FORMAT!r}, version 1): "
                         "write one with playground.save(path)")
    X, y = data["own"] or (None, None)
    first, second = data["features"]
    session = Session(Settings.from_json(data["settings"]), X=X, y=y, features=(first, second))
    for x, label in data["added"]:
        session.added.append((x, label))
        session.X_train.append(x)
        session.y_train.append(label)
    session.model.load_state_dict(data["parameters"])
    for name, value in data["optimizer"].items():
        if name in OPTIMIZER_STATE and hasattr(session.optimizer, name):
            setattr(session.optimizer, name, value)
    version, internal, gauss = data["shuffle"]
    session.shuffles.setstate((version, tuple(internal), gauss))
    session.training.resume(data["position"])
    session.history = data["history"]
    session.epochs, session.steps, session.edits = data["epochs"], data["steps"], data["edits"]
    return session


def download(session: Session, kind: str, count: int) -> dict[str, Any]:
    """What the browser saves for ``kind`` ("code", "model", "state"): file name and text."""
    if kind == "code":
        return {"kind": kind, "name": "playground.py", "text": code(session), "n": count + 1}
    if kind == "model":
        with tempfile.TemporaryDirectory() as folder:  # the model file exactly as save() writes it
            path = Path(folder) / "model.json"
            session.model.save(path)
            text = path.read_text(encoding="utf-8")
        return {"kind": kind, "name": "playground_model.json", "text": text, "n": count + 1}
    if kind == "state":
        return {"kind": kind, "name": "playground_state.json",
                "text": json.dumps(state(session)), "n": count + 1}
    raise ValueError(f"export is one of 'code', 'model', 'state'; got {kind!r}")
