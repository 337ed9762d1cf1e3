"""The training-step benchmark: check that all implementations agree, then time them.

Timing is interleaved: in every round each implementation runs one step, in
a rotating order, so that a noisy neighbour on a shared machine slows all of
them alike. Slow implementations run fewer steps, spread evenly over the
rounds. The reported number is the median over the timed steps.

The garbage collector stays on, as in any training script. One step is
timed from the call until its graph is freed: the graphs of this engine, of
PyTorch and of the floor are freed by reference counting as ``step()``
returns; micrograd's graph is a web of reference cycles (each node's
``_backward`` closure refers back to the node) that only the cyclic
collector can free, so after every step a ``gc.collect()`` is run and its
time added to that step, for every implementation alike. (Without it, the
cost of collecting micrograd's garbage would land in whichever
implementation happened to run next.) This is a lower bound on micrograd's
garbage-collection cost: a training loop would collect the same garbage
later, in larger collections. (``__main__`` first moves the objects alive
before the benchmark, PyTorch's above all, out of the collector's sight
with ``gc.freeze()``, so that a collection costs what it would in a small
script of each library's own.)
"""

import gc
import math
import statistics
import time
from dataclasses import dataclass

PARITY_STEPS = 3
TOLERANCE = 1e-9


class ParityError(AssertionError):
    """The implementations disagree: they are not doing the same work."""


@dataclass
class StepTiming:
    name: str
    times: list  # seconds per step

    @property
    def median(self):
        return statistics.median(self.times)


def check_parity(implementations, steps=PARITY_STEPS, tolerance=TOLERANCE):
    """Run ``steps`` SGD steps on each implementation and insist that they agree.

    Compares, to ``tolerance`` (absolute), the losses of the ``steps`` steps,
    the loss after them (the next step's) and every parameter after them, each
    against the first implementation's. Returns the loss after ``steps`` steps
    and the largest difference seen; raises ``ParityError`` listing the numbers
    if any difference is larger (or nan).
    """
    losses = {impl.name: [impl.step() for _ in range(steps + 1)] for impl in implementations}
    params = {impl.name: impl.parameters() for impl in implementations}
    reference = implementations[0].name
    worst = 0.0
    problems = []
    for name in losses:
        if len(params[name]) != len(params[reference]):
            problems.append(f"{name} has {len(params[name])} parameters, "
                            f"{reference} {len(params[reference])}")
        loss_gap = _largest_gap(losses[name], losses[reference])
        param_gap = _largest_gap(params[name], params[reference])
        worst = max(worst, loss_gap, param_gap)
        if loss_gap > tolerance or param_gap > tolerance:
            problems.append(
                f"{name}: losses {losses[name]}, parameters differ by up to {param_gap:.3g}"
            )
    if problems:
        raise ParityError(
            f"the implementations disagree after {steps} SGD steps (tolerance {tolerance:g}); "
            f"{reference} (the reference): losses {losses[reference]}\n  " + "\n  ".join(problems)
        )
    return losses[reference][steps], worst


def _largest_gap(xs, ys):
    """The largest |x − y|; inf if any of them is nan, so that a nan never passes."""
    gaps = [abs(x - y) for x, y in zip(xs, ys)]
    return math.inf if any(gap != gap for gap in gaps) else max(gaps, default=0.0)


def time_steps(implementations, counts, warmup):
    """Median seconds per step of each implementation, timed interleaved.

    ``counts[name]`` is how many steps to time for that implementation; each
    first runs ``warmup`` untimed steps (interleaved as well).
    """
    for _ in range(warmup):
        for impl in implementations:
            _timed_step(impl)
    rounds = max(counts.values())
    schedule = {
        impl.name: {k * rounds // counts[impl.name] for k in range(counts[impl.name])}
        for impl in implementations
    }
    times = {impl.name: [] for impl in implementations}
    for r in range(rounds):
        shift = r % len(implementations)
        for impl in implementations[shift:] + implementations[:shift]:
            if r in schedule[impl.name]:
                times[impl.name].append(_timed_step(impl))
    return [StepTiming(impl.name, times[impl.name]) for impl in implementations]


def _timed_step(impl):
    start = time.perf_counter()
    impl.step()
    gc.collect()  # free cyclic garbage (micrograd's) now, charged to the step that made it
    return time.perf_counter() - start
