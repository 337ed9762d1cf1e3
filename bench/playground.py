"""``python -m bench.playground``: the view updates a second the playground's Python side makes.

The issue's workload: a 2-8-8-1 tanh network on 200 moons points (160 for
training, 40 for testing), SGD with batches of 10, and for every update one
epoch of training (16 steps) and one frame of the views: every neuron's
heatmap on a 40×40 grid, the decision surface, the network's Scene with
each weight's gradient and next step, the loss curves. That is what the
widget computes between two drawings (``Playground._tick``), traitlets
included; the browser's drawing and the websocket are not in it (the
browser test reports the updates a second it saw, in
``out/screenshots/playground_speed.txt``). Also timed, part by part, and
the grid both ways: the fast path (NumPy, a matrix product a layer) and the
model's forward pass compiled by ``autograd.compile`` (1,600 calls).
Not part of the tests: timings on a shared machine are no test.
"""

from __future__ import annotations

import argparse
import statistics
import time


def median_ms(function, repeats):
    """The median of ``repeats`` timed calls of ``function``, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=60, help="updates timed (default 60)")
    args = parser.parse_args(argv)
    from nn.playground import Playground, views

    playground = Playground()              # moons, 2-8-8-1 tanh, SGD lr 0.1, batches of 10
    playground.playing = True
    session, grid = playground.session, playground._grid
    for _ in range(5):                     # tracing, first compiles
        playground._tick()
    start = time.perf_counter()
    for _ in range(args.updates):
        playground._tick()
    seconds = (time.perf_counter() - start) / args.updates
    assert session.epochs == 5 + args.updates
    rows = [
        ("one update (epoch + frame + traitlets)", 1000 * seconds),
        ("  one epoch of training (16 steps, compiled)", median_ms(lambda: session.train(1), 20)),
        ("  the frame (views.frame)", median_ms(lambda: views.frame(session, grid), 20)),
        ("    grid, fast path (NumPy)", median_ms(lambda: views.grid_activations(session, grid),
                                                  20)),
        ("    grid, autograd.compile, 1,600 calls",
         median_ms(lambda: [session.activations(p) for p in grid.points], 5)),
        ("    next steps (Session.preview)", median_ms(session.preview, 20)),
    ]
    print(f"playground: 2-8-8-1 tanh, 200 moons points, 40×40 grid, 17 heatmaps, "
          f"{args.updates} updates")
    for name, ms in rows:
        print(f"  {name:48s} {ms:7.1f} ms")
    print(f"  {'updates per second (Python side)':48s} {1 / seconds:7.1f}   (target: 10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
