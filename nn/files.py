"""Model files: JSON written atomically, read back strictly.

A file holds ``{"format": "gradschool-model", "version": 1, "architecture":
..., "parameters": {name: number}}`` and, when the model has one, its
``threshold``. Only finite numbers: JSON has no nan, and a model with a nan
parameter predicts nothing. Errors name the path the learner gave, never
the temporary file a save writes first.
"""

import errno
import json
import math
import os
from collections.abc import Mapping
from numbers import Real

FORMAT = "gradschool-model"
VERSION = 1


def write(path, architecture, state, threshold=None):
    """Write a model file atomically: a temporary file beside ``path``, renamed over it.

    A parameter that is nan or inf is refused (ValueError naming it) before
    anything is written.
    """
    check_finite(state, "cannot save the model")
    document = {"format": FORMAT, "version": VERSION, "architecture": architecture,
                "parameters": state}
    if threshold is not None:
        document["threshold"] = threshold
    _write_atomically(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


def check_state(state, names):
    """Raise ValueError naming the first difference between ``state`` and the expected names."""
    if not isinstance(state, Mapping):
        raise ValueError(f"parameters must be a dict of name -> number, got {type(state).__name__}")
    counts = f"(it has {len(state)} entries, the model has {len(names)} parameters)"
    for name in names:
        if name not in state:
            raise ValueError(f"missing parameter {name!r} {counts}")
    expected = set(names)
    for key in state:
        if key not in expected:
            raise ValueError(
                f"unexpected key {key!r:.80}: the model has no such parameter {counts}")
    for name in names:
        value = state[name]
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"parameter {name!r} must be a number, "
                             f"got {type(value).__name__} {value!r:.40}")
    check_finite(state, "cannot load the parameters")


def check_finite(state, what):
    """A ValueError naming the first parameter of ``state`` that is nan or inf."""
    for name, value in state.items():
        if not math.isfinite(value):
            raise ValueError(
                f"{what}: parameter {name!r} is {value!r}, and a model's parameters must be "
                "finite numbers. A nan or inf usually means training diverged: retrain with a "
                "smaller learning rate, after checking the data for NaN.")


def read(path):
    """The document in a model file, its format, version, entries and threshold checked."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    where = repr(os.fspath(path))
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{where} is not a model file: not valid JSON ({error}); it may be truncated or corrupt"
        ) from None
    except _NotJSON as error:
        raise ValueError(f"{where} is not a model file: it holds {error}, which is not valid "
                         "JSON (a model file holds finite numbers only)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{where} is not a model file: no \"format\": \"{FORMAT}\" entry")
    if document.get("version") != VERSION:
        raise ValueError(
            f"{where} has format version {document.get('version')!r}, expected {VERSION}")
    for key in ("architecture", "parameters"):
        if key not in document:
            raise ValueError(f"{where} is not a complete model file: no {key!r} entry")
    threshold = document.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, Real)):
        raise ValueError(f"{where} is not a model file: its threshold must be a number, got "
                         f"{type(threshold).__name__} {threshold!r:.40}")
    return document


class _NotJSON(ValueError):
    """NaN, Infinity or -Infinity in a model file: Python's json reads them, JSON has none."""


def _refuse_constant(name):
    raise _NotJSON(name)


def _write_atomically(path, text):
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``.

    Errors name ``path`` as the user gave it, never the temporary file.
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    _check_writable(path, folder)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        # os.open with mode 0o666 lets the umask set the permissions, as open() would
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
    except OSError as error:  # the same kind of error, about the user's path
        raise type(error)(error.errno, f"cannot save the model to {path!r}: "
                          f"{error.strerror or error}") from None


def _check_writable(path, folder):
    """An error naming ``path`` when it is a folder, or its folder does not exist."""
    if os.path.isdir(path):
        example = os.path.join(path, "model.json")
        raise IsADirectoryError(errno.EISDIR, f"cannot save the model to {path!r}: it is a "
                                f"folder; give a file name, such as {example!r}")
    if not os.path.isdir(folder):
        shown = os.path.dirname(path)  # as the user wrote it
        raise FileNotFoundError(errno.ENOENT, f"cannot save the model to {path!r}: the folder "
                                f"{shown!r} does not exist; create it first "
                                f"(os.makedirs({shown!r}, exist_ok=True)) or save somewhere else")
