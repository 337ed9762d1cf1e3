"""Modes: whether ops record the graph, and the hook points the layers above install.

The core knows nothing of the tools built on it (``calculus/``, ``static/``,
``viz/``). Where a tool needs to watch the core at work, the core offers a
slot that the tool fills for the length of a ``with`` block, the way JAX's
tracers and HIPS autograd's ``const_graph`` ride on a core that does not
import them:

* **recording**: ``True`` (ops record their parents, the usual case),
  ``False`` inside ``no_grad()`` (results are leaves), or a *node hook*
  installed with ``node_hook(hook)``: ops record, then pass each new node to
  ``hook`` (``detect_anomaly()`` checks it for nan and inf). One variable, so
  that making a node still tests one thing in the usual case.
* **edge check**: ``backward()`` and ``gradients()`` call ``check(node,
  grad)`` before a node hands its grad to its parents, when one is installed
  with ``edge_check(check)`` (``detect_anomaly()`` again).
* **number watcher**: ``Value`` calls ``number_used(what, value, other)``
  wherever Python reads a Value's number to decide something outside the
  graph (a comparison, ``bool()``, ``float()``, an index, ``item()``).
  ``autograd.compile``'s tracer installs a watcher with
  ``watch_numbers(watcher)`` that refuses these uses, because a trace cannot
  see them.

Each slot is a ``contextvars.ContextVar``, so a mode set in one thread or
asyncio task does not leak into another, and each is restored on leaving its
``with`` block, exception or not. When no tool is active the core pays one
variable read per op, per backward pass, or per number read.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

NodeHook = Callable[[Any], None]
EdgeCheck = Callable[[Any, Any], None]
NumberWatcher = Callable[[str, Any, Any], None]

_recording: contextvars.ContextVar[bool | NodeHook] = contextvars.ContextVar(
    "autograd_recording", default=True)
recording = _recording.get  # True, False (no_grad) or a node hook: read by every new node

_edge_check: contextvars.ContextVar[EdgeCheck | None] = contextvars.ContextVar(
    "autograd_edge_check", default=None)
installed_edge_check = _edge_check.get  # None, or the check backward() calls per node

_watcher: contextvars.ContextVar[NumberWatcher | None] = contextvars.ContextVar(
    "autograd_number_watcher", default=None)


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside ``with no_grad():`` ops record no parents: results are leaves.

    Use it for evaluation and for optimizer updates. Safe across threads and
    asyncio tasks (a ``contextvars.ContextVar``); also works as a decorator.
    """
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


class _Mark(tuple):
    """An empty ``local_grads`` that says why a Value is a leaf: it behaves as ``()`` everywhere."""

    __slots__ = ()


# The local_grads of a result made inside no_grad(): backward() recognises it, to say why a loss
# computed under no_grad() gives no gradient, instead of leaving every grad at 0 in silence.
NOT_RECORDED = _Mark()
# The local_grads of a constant the engine makes itself (the seed 1.0 of gradients() with
# create_graph, a masked 0): a leaf that is nobody's input or parameter (see constant()).
CONSTANT = _Mark()


def constant(like: Any, number: float) -> Any:
    """A leaf Value (of ``like``'s class) holding ``number``, marked as the engine's constant."""
    value = type(like)(number)
    value.local_grads = CONSTANT
    return value


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``: whether new ops record their parents."""
    return _recording.get() is not False


@contextmanager
def node_hook(hook: NodeHook) -> Iterator[None]:
    """Inside, every node an op records is passed to ``hook(node)`` once it is made.

    Inside ``no_grad()`` nothing is recorded, so nothing is passed. Hooks
    nest: the outer one is called first (a hook already installed is not
    installed twice).
    """
    current = _recording.get()
    if current is False:
        yield
        return
    if current is not True and current is not hook:
        outer = current

        def both(node: Any) -> None:
            outer(node)
            hook(node)
        hook = both
    token = _recording.set(hook)
    try:
        yield
    finally:
        _recording.reset(token)


@contextmanager
def edge_check(check: EdgeCheck) -> Iterator[None]:
    """Inside, the chain rule calls ``check(node, grad)`` before ``node`` hands ``grad`` on."""
    token = _edge_check.set(check)
    try:
        yield
    finally:
        _edge_check.reset(token)


@contextmanager
def watch_numbers(watcher: NumberWatcher) -> Iterator[None]:
    """Inside, ``number_used`` calls ``watcher(what, value, other)``; it may raise."""
    token = _watcher.set(watcher)
    try:
        yield
    finally:
        _watcher.reset(token)


def number_used(what: str, value: Any, other: Any = None) -> None:
    """Called where Python reads a Value's number outside the graph (``what``: "<", "bool", …).

    Does nothing unless a watcher is installed (see ``watch_numbers``).
    """
    watcher = _watcher.get()
    if watcher is not None:
        watcher(what, value, other)
