"""``python -m bench.first_drawing``: a new process's first drawing, with and without the cache.

A fresh kernel's first drawing compiled Graphviz's WebAssembly (1-6 s); the
compiled module is now kept in the user's cache folder (autograd/viz/cache.py).
Each run is a new Python process that imports autograd, draws a small graph
as SVG through the WebAssembly Graphviz and exits; the time printed is from
before ``import autograd`` to the SVG in hand. "no cache" turns the cache off
(GRADSCHOOL_CACHE=off); "first" starts from an empty cache folder (it
compiles and writes the file); "cached" reads it. Not a test: the machine is
shared, so read the median and the spread.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

DRAW = """
import time
start = time.perf_counter()
from autograd import Value, draw_graph
x = Value(0.5, "x")
draw_graph((x * 2).tanh()).svg(backend="wasm")
print(time.perf_counter() - start)
"""


def first_drawing(cache: str) -> float:
    """Seconds from ``import autograd`` to the first SVG, in a new process."""
    result = subprocess.run([sys.executable, "-c", DRAW], capture_output=True, text=True,
                            check=True, env={**os.environ, "GRADSCHOOL_CACHE": cache})
    return float(result.stdout.split()[-1])


def main(repeats: int = 5) -> None:
    """Print the median (and range) of ``repeats`` new processes for each case."""
    cases: dict[str, list[float]] = {"no cache": [], "first (compiles, writes)": [],
                                     "cached": []}
    for _ in range(repeats):
        cases["no cache"].append(first_drawing("off"))
        with tempfile.TemporaryDirectory() as folder:
            cases["first (compiles, writes)"].append(first_drawing(folder))
            cases["cached"].append(first_drawing(folder))
    for name, seconds in cases.items():
        print(f"{name:26} median {statistics.median(seconds):6.3f} s   "
              f"range {min(seconds):.3f}-{max(seconds):.3f} s   ({len(seconds)} processes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
