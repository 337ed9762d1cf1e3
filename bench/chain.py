"""The deep-chain benchmark: time and memory per node of a graph a million ops deep.

From one leaf x, ``y = y + 1.0`` (or ``y = y.tanh()``, ``y = y.relu()``) is
applied n times, then ``y.backward()``: a graph one node wide and n deep,
where the engine's per-node cost is all there is to measure. Seconds are
reported per op, forward (building the graph) and backward separately.

Each chain is timed twice: with the garbage collector on, as Python runs by
default, and with it paused (``gc.disable()`` during the chain only). While
a million-node graph grows, CPython's generational collector traverses the
live, tracked objects again and again, even when they hold no cycles; that
is the interpreter's cost, not the engine's, and the paused column shows
what is left without it.

micrograd's ``backward()`` sorts the graph recursively, one Python frame per
node, which raises RecursionError past ~1,000 nodes; its chains therefore run
in a thread with a large stack and a raised recursion limit. This engine's
chains run in the main thread under the default limit.
"""

import gc
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass

DEEP_STACK_BYTES = 1024 * 1024 * 1024  # for micrograd's recursive topological sort


@dataclass
class ChainTiming:
    name: str
    op: str
    gc_enabled: bool
    forward: float = None  # seconds per op
    backward: float = None
    free: float = None  # seconds per op to free the graph once dropped (not in the total)
    error: str = None  # why it could not run, if it could not

    @property
    def total(self):
        return self.forward + self.backward


@dataclass
class ChainMemory:
    name: str
    op: str
    ops: int
    graph: float  # traced bytes per op held by the graph after the forward pass
    peak: float  # traced bytes per op at the peak of forward + backward (None: not measured)


def build_chain(x, op, n):
    """y = op(y) n times from the leaf x; a loop per op so no call is added per step."""
    y = x
    if op == "add":
        for _ in range(n):
            y = y + 1.0
    elif op == "tanh":
        for _ in range(n):
            y = y.tanh()
    elif op == "relu":
        for _ in range(n):
            y = y.relu()
    else:
        raise ValueError(f"unknown chain op {op!r}: expected 'add', 'tanh' or 'relu'")
    return y


def time_chain(name, value_class, op, n, gc_enabled, deep=False):
    """Forward and backward seconds per op of an n-op chain; the error instead if it fails."""
    result = ChainTiming(name, op, gc_enabled)

    def run():
        gc.collect()
        if not gc_enabled:
            gc.disable()
        try:
            start = time.perf_counter()
            y = build_chain(value_class(1.0), op, n)
            built = time.perf_counter()
            y.backward()
            done = time.perf_counter()
        finally:
            gc.enable()
        result.forward, result.backward = (built - start) / n, (done - built) / n
        start = time.perf_counter()
        del y  # this engine's graph is freed here; micrograd's cycles wait for:
        gc.collect()
        result.free = (time.perf_counter() - start) / n

    error = _run(run, deep, n)
    gc.collect()
    if error is not None:
        result.error = error
    return result


def time_chains(name, value_class, op, n, repeats, deep=False, progress=None):
    """The chain timed with gc on and with gc paused: ``[on, paused]``.

    Each is the median (by total) of ``repeats`` runs, the two kinds
    alternating, so that a burst of load on a shared machine does not decide
    the result; a failed run is reported as the result.
    """
    runs = {True: [], False: []}
    for _ in range(repeats):
        for gc_enabled in (True, False):
            if progress:
                progress(f"  {name}: {op} chain, gc {'on' if gc_enabled else 'paused'}")
            runs[gc_enabled].append(time_chain(name, value_class, op, n, gc_enabled, deep))
    return [_median_run(runs[True]), _median_run(runs[False])]


def _median_run(timings):
    failed = [t for t in timings if t.error]
    if failed:
        return failed[0]
    return sorted(timings, key=lambda t: t.total)[(len(timings) - 1) // 2]


def chain_memory(name, value_class, op, n, with_backward=True):
    """Bytes per op traced by tracemalloc: the graph after forward, and the peak with backward.

    ``with_backward=False`` leaves the backward pass (and the peak) out. For
    micrograd it must: tracemalloc counts the frames of the whole Python
    stack on every allocation, and micrograd's recursive backward() is one
    frame per node deep, so tracing it takes time quadratic in the depth.
    """
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        y = build_chain(value_class(1.0), op, n)
        graph = tracemalloc.get_traced_memory()[0] - baseline
        peak = None
        if with_backward:
            y.backward()
            peak = (tracemalloc.get_traced_memory()[1] - baseline) / n
    finally:
        tracemalloc.stop()
    del y
    gc.collect()
    return ChainMemory(name, op, n, graph / n, peak)


def _run(function, deep, n):
    """Run ``function`` here, or in a big-stack thread with room for n nested frames.

    Returns None, or a one-line description of the exception it raised.
    """
    errors = []

    def guarded():
        try:
            function()
        except (RecursionError, MemoryError) as error:
            errors.append(f"{type(error).__name__}: {error}")

    if not deep:
        guarded()
        return errors[0] if errors else None
    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(old_limit, 2 * n + 1000))
    try:
        threading.stack_size(DEEP_STACK_BYTES)
        thread = threading.Thread(target=guarded, name="deep-chain")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    return errors[0] if errors else None
