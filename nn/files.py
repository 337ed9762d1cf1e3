"""Model files: JSON written atomically, read back strictly.

A file holds ``{"format": "gradschool-model", "version": 1, "architecture":
..., "parameters": {name: number}}`` and, when the model has one, its
``threshold``. Only finite numbers: JSON has no nan, and a model with a nan
parameter predicts nothing. Errors name the path the learner gave, never
the temporary file a save writes first.

Reading trusts nothing in the file: it must be a regular file of UTF-8 text
(a UTF-8 byte order mark is allowed, as RFC 8259 lets readers do), nested at
most ``MAX_NESTING`` levels deep, with no integer longer than any float
(``MAX_DIGITS`` digits). Anything else is a ValueError saying that the path
is not a model file and why, before any model is touched. How a save
replaces the old file (mode, links, leftovers of killed saves) is ``atomic.py``.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
from collections.abc import Collection, Mapping
from itertools import accumulate
from numbers import Real
from typing import Any

from .atomic import write_atomically

FORMAT = "gradschool-model"
VERSION = 1
MAX_NESTING = 100  # a model file nests about 3 levels per nn.Sequential: ~33 Sequentials deep
MAX_DIGITS = 309  # an integer of 310 digits is above the largest float, 1.8e308

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # a JSON string, escapes included
_BRACKET = re.compile(r"[\[\]{}]")


def write(path: str | os.PathLike[str], architecture: Any, state: Mapping[str, float],
          threshold: float | None = None) -> None:
    """Write a model file atomically: a temporary file beside ``path``, renamed over it.

    A parameter or threshold that is nan or inf, or not a number, is refused
    (ValueError naming it) before anything is written; so is an architecture
    that JSON cannot hold.
    """
    check_finite(state, "cannot save the model")
    document = {"format": FORMAT, "version": VERSION, "architecture": architecture,
                "parameters": state}
    if threshold is not None:
        _check_threshold(threshold, "cannot save the model: model.threshold")
        document["threshold"] = float(threshold)
    try:
        text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    except (TypeError, ValueError) as error:  # numbers are checked: the architecture is at fault
        raise ValueError(
            f"cannot save the model: its architecture {architecture!r:.100} is not plain JSON "
            f"data ({error}); a Module's config() must return dicts, lists, strings, finite "
            "numbers, True, False and None") from None
    write_atomically(path, text.encode("utf-8"))


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The document in a model file, its format, version, entries and threshold checked.

    ``ValueError("'m.json' is not a model file: ...")`` for anything that is
    not one (see the module docstring); OSError if the file cannot be read.
    """
    where = repr(os.fspath(path))
    text = _read_text(path, where)
    depth = max(accumulate(1 if bracket in "[{" else -1
                           for bracket in _BRACKET.findall(_STRING.sub("", text))), default=0)
    if depth > MAX_NESTING:  # checked first: Python's json reader recurses once per level
        raise ValueError(f"{where} is not a model file: its JSON nests lists or objects {depth} "
                         f"levels deep, and a model file nests at most {MAX_NESTING}")
    try:
        document = json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{where} is not a model file: not valid JSON ({error}); it may be truncated or corrupt"
        ) from None
    except _NotJSON as error:
        raise ValueError(f"{where} is not a model file: it holds {error}") from None
    _check_document(document, where)
    return document


def check_state(state: Any, names: Collection[str]) -> None:
    """Raise ValueError naming the first difference between ``state`` and the expected names.

    Every name must be a key and every key a name (``check_names``), and
    every value a finite number; nothing is changed.
    """
    check_names(state, names)
    for name in names:
        value = state[name]
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"parameter {name!r} must be a number, "
                             f"got {type(value).__name__} {value!r:.40}")
    check_finite(state, "cannot load the parameters")


def check_names(state: Any, names: Collection[str]) -> None:
    """Raise ValueError unless ``state`` is a dict whose keys are exactly ``names``.

    ``names`` may be made as it is read (``nn.sizes``): it is walked in
    order, and a second time only to find a key that is not a parameter.
    """
    if not isinstance(state, Mapping):
        raise ValueError(f"parameters must be a dict of name -> number, got {type(state).__name__}")
    counts = f"(it has {len(state)} entries, the model has {len(names)} parameters)"
    for name in names:
        if name not in state:
            raise ValueError(f"missing parameter {name!r} {counts}")
    if len(state) != len(names):  # every name is there: some key is not one of them
        expected = set(names)
        extra = next(key for key in state if key not in expected)
        raise ValueError(
            f"unexpected key {extra!r:.80}: the model has no such parameter {counts}")


def check_finite(state: Mapping[str, float], what: str) -> None:
    """A ValueError naming the first parameter of ``state`` that is nan, inf or beyond a float."""
    for name, value in state.items():
        if not _finite(value):
            raise ValueError(
                f"{what}: parameter {name!r} is {_shown(value)}, and a model's parameters must "
                "be finite numbers. A nan or inf usually means training diverged: retrain with "
                "a smaller learning rate, after checking the data for NaN.")


# --- helpers -------------------------------------------------------------------------

def _read_text(path, where):
    """The text of the regular file ``path``, which must be UTF-8."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # before open(): opening a FIFO waits forever
        if os.path.isdir(path):
            raise IsADirectoryError(f"{where} is a folder, not a model file: give the path of "
                                    f"the file inside it, such as {os.path.join(path, 'm.json')!r}")
        raise ValueError(f"{where} is not a model file: it is not a regular file but a device, "
                         "a FIFO or a socket")
    with open(path, "rb") as file:
        data = file.read()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]  # Notepad writes one; RFC 8259 lets a reader skip it
    utf16 = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in data
    hint = ("; it looks like UTF-16 (it has zero bytes): save it again as UTF-8" if utf16
            else "; a model file is UTF-8 text, as model.save() writes it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{where} is not a model file: it is not UTF-8 text (byte "
                         f"0x{data[error.start]:02x} at position {error.start}){hint}") from None
    if "\x00" in text:  # valid UTF-8, but never in JSON text
        raise ValueError(f"{where} is not a model file: it holds zero bytes, as UTF-16 text or a "
                         "binary file does and JSON text never does; save it as UTF-8 text")
    return text


def _check_document(document, where):
    """Raise ValueError unless ``document`` has the entries of a model file of this version."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{where} is not a model file: no \"format\": \"{FORMAT}\" entry")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f"{where} is not a model file: its format version must be a whole "
                         f"number such as {VERSION}, got {type(version).__name__} {version!r:.40}")
    if version != VERSION:
        newer = "; a newer version of this library wrote it" if version > VERSION else ""
        raise ValueError(f"{where} has format version {str(version):.40}, expected {VERSION}"
                         f"{newer}")
    for key in ("architecture", "parameters"):
        if key not in document:
            raise ValueError(f"{where} is not a complete model file: no {key!r} entry")
    if document.get("threshold") is not None:
        _check_threshold(document["threshold"], f"{where} is not a model file: its threshold")


def _check_threshold(threshold, what):
    """Raise ValueError unless ``threshold`` is a finite number; ``what`` names it."""
    if isinstance(threshold, bool) or not isinstance(threshold, Real):
        raise ValueError(f"{what} must be a number, got {type(threshold).__name__} "
                         f"{threshold!r:.40}")
    if not _finite(threshold):
        raise ValueError(f"{what} is {_shown(threshold)}, but a threshold must be a finite number "
                         "(fit sets 0.5 for mse on labels 0/1, else 0); a number too large for "
                         "a float, such as 1e400, reads as inf")


def _finite(number):
    try:
        return math.isfinite(number)
    except OverflowError:  # an int beyond the largest float
        return False


def _shown(number):
    """``number`` for a message: a float as it is, an int too long to print shortened."""
    text = repr(number)
    return text if len(text) <= 40 else f"{text[:20]}... (an integer of {len(text)} digits)"


class _NotJSON(ValueError):
    """What a model file cannot hold, although Python's json would read it."""


def _refuse_constant(name):
    raise _NotJSON(f"{name}, which is not valid JSON (a model file holds finite numbers only)")


def _parse_int(digits):
    """``int(digits)``, refused beyond ``MAX_DIGITS`` digits, before Python spends time on it."""
    length = len(digits.lstrip("-"))
    if length > MAX_DIGITS:
        raise _NotJSON(f"an integer of {length} digits, {digits[:12]}..., larger than any "
                       f"number a model holds (a float has at most {MAX_DIGITS} digits)")
    return int(digits)
