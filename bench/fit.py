"""``python -m bench.fit``: ``nn.fit`` with ``compile=False`` and ``compile=True``, side by side.

micrograd's demo through the library's own training loop: ``nn.MLP(2, [16,
16, 1])`` (ReLU, seed 1337) on the benchmark's 100 two-moons points, hinge
loss, full batch (one step per epoch), SGD with lr 0.1 and weight_decay
2e-4 (the gradient of the demo's penalty 1e-4 Σ p²). The two runs are
interleaved, from the same starting weights, and must agree on the history
and the final parameters to 1e-12 before any time is reported. A callback
stamps the time after each epoch, so a fit splits into its first epoch
(which, compiled, includes tracing the model and generating its code) and
the epochs after it (the steady state, reported as the median epoch).
Not part of the tests: timings on a shared machine are no test.
"""

import argparse
import statistics
import time

import nn

from .workload import two_moons


def timed_fit(compile, epochs, data):
    """(history, parameters, seconds of the whole fit, seconds of each epoch)."""
    model = nn.MLP(2, [16, 16, 1], seed=1337)
    optimizer = nn.SGD(model.parameters(), lr=0.1, weight_decay=2e-4)
    stamps = [time.perf_counter()]
    history = nn.fit(model, *data, loss="hinge", optimizer=optimizer, epochs=epochs,
                     callbacks=lambda epoch, record: stamps.append(time.perf_counter()),
                     progress=False, compile=compile)
    epochs_seconds = [b - a for a, b in zip(stamps, stamps[1:])]
    return history, [p.data for p in model.parameters()], stamps[-1] - stamps[0], epochs_seconds


def check_same(dynamic, compiled):
    """Refuse to report times unless both runs give the same numbers (to 1e-12)."""
    (history, params, *_), (history_c, params_c, *_) = dynamic, compiled
    gaps = [abs(a - b) for key in history for a, b in zip(history[key], history_c[key])]
    gaps += [abs(a - b) for a, b in zip(params, params_c)]
    if history.keys() != history_c.keys() or max(gaps) > 1e-12:
        raise SystemExit(f"compile=True differs from compile=False by {max(gaps)!r}")
    return max(gaps)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.fit", description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=20, help="epochs per fit (default 20)")
    parser.add_argument("--repeats", type=int, default=5, help="fits of each kind (default 5)")
    args = parser.parse_args(argv)
    data = two_moons()
    runs = {False: [], True: []}
    for _ in range(args.repeats):
        for compile in (False, True):
            runs[compile].append(timed_fit(compile, args.epochs, data))
    gap = max(check_same(a, b) for a, b in zip(runs[False], runs[True]))

    def medians(compile):
        fits = runs[compile]
        return (statistics.median(run[2] for run in fits),
                statistics.median(run[3][0] for run in fits),
                statistics.median(s for run in fits for s in run[3][1:]))

    (fit_d, first_d, epoch_d), (fit_c, first_c, epoch_c) = medians(False), medians(True)
    print(f"nn.fit, MLP 2-16-16-1 on 100 moons, full batch, {args.epochs} epochs, "
          f"median of {args.repeats} interleaved fits (history and parameters equal to {gap:.1e})")
    print(f"{'':16}{'whole fit':>12}{'first epoch':>14}{'later epoch':>14}")
    for name, numbers in (("compile=False", (fit_d, first_d, epoch_d)),
                          ("compile=True", (fit_c, first_c, epoch_c))):
        print(f"{name:16}" + "".join(f"{s * 1e3:>11.1f} ms"[-width:] for s, width in
                                     zip(numbers, (12, 14, 14))))
    print(f"{'ratio':16}{fit_d / fit_c:>11.1f} ×{first_d / first_c:>13.1f} ×"
          f"{epoch_d / epoch_c:>13.1f} ×")


if __name__ == "__main__":
    main()
