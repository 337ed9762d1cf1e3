"""One trace of a compiled function, written out and loaded: per call, and summing a batch.

``autograd.compile(f)`` keeps one ``Program`` per structure of the arguments
(``compiler.py``). A Program traces ``f`` (``tracing.py``), has its code
written (``writer.py``), compiles it with Python's own ``compile()`` and
checks, on the first calls, that ``f`` builds the same graph for other numbers.
"""

from __future__ import annotations

import builtins
import linecache
from collections.abc import Callable
from typing import Any

from ..core.value import Value
from .guard import TraceError
from .tracing import Traced, check_same_graph, read_arguments, twin_arguments
from .writer import Writer


class Program:
    """One trace of f, written out: ``source`` and ``run`` per call, ``batched(count)`` summing.

    ``run(*args)`` is the compiled per-call function (compiled at its first
    call: g.sum alone never needs it); ``numbers`` the arguments f was traced
    with; ``positions`` the argnums as indices.
    """

    def __init__(self, compiled: Any, numbers: list, positions: list[int]) -> None:
        """Trace ``compiled.f`` on ``numbers`` (twice, to check), and prepare its code's writer.

        ``compiled`` is the ``Compiled`` this program belongs to: it gives
        ``f``, ``argnums``, ``wrt``, ``__name__``, f's parameter ``names``, the
        numbers of checks, and ``forget(error)`` to call when a check fails.
        """
        self.compiled, self.numbers, self.positions = compiled, numbers, positions
        f = compiled.f
        self.traced = Traced(f, numbers)
        check_same_graph(f, self.traced, twin_arguments(numbers),
                         "traced again with slightly different numbers")
        self.several = not isinstance(self.traced.output, Value)  # f returns a list of Values
        if self.several and (positions or compiled.wrt is not None):
            raise TypeError(f"{compiled.__name__} returns a list of {len(self.traced.outputs)} "
                            f"Values, but a gradient is of one number: return one Value (their "
                            f"sum, a loss), or ask for none (argnums=(), no wrt) to compute them")
        self.checks_left, self.samples_left = compiled.checked_calls, compiled.checked_samples
        names = compiled.names or [f"arg{i}" for i in range(len(numbers))]
        self._writer = Writer(self.traced, names, positions, isinstance(compiled.argnums, int),
                              compiled.__name__, compiled.wrt)
        self._source: str | None = None
        self._batched: dict = {}
        self.run: Callable[..., Any] = self._first_run  # the generated function, once loaded

    @property
    def source(self):
        """The generated Python of the per-call function."""
        if self._source is None:
            self._source = self._writer.function()
        return self._source

    def _first_run(self, *args: Any) -> Any:
        """``run`` at the first call: compile the per-call function, which then replaces it."""
        self.run = self._load(self.source, self._writer.name)
        return self.run(*args)

    def batched(self, count):
        """The summing function for ``count`` shared arguments (generated once)."""
        if self.several:
            raise TypeError(f"g.sum() adds up the values of f, so f must return one Value, but "
                            f"{self.compiled.__name__} returns a list of them: call g per "
                            f"sample for several outputs")
        if count not in self._batched:
            source = self._writer.function(shared=count)
            self._batched[count] = (source, self._load(source, self._writer.name + "_sum"))
        return self._batched[count][1]

    def sum_source(self, count):
        """The generated Python of ``g.sum`` with ``count`` shared arguments."""
        self.batched(count)
        return self._batched[count][0]

    def check(self, args):
        """Trace f on ``args`` and compare graphs (one of the first ``checked_calls`` calls)."""
        self.checks_left -= 1
        self._compare(args, "at a later call")

    def check_samples(self, shared, batch):
        """The same for the first ``checked_samples`` samples of a ``g.sum``."""
        for n, sample in enumerate(batch[:self.samples_left]):
            self._compare([*shared, *sample], f"for sample {n} of g.sum()")
        self.samples_left = 0

    def _compare(self, args, how):
        try:
            check_same_graph(self.compiled.f, self.traced, read_arguments(args)[1], how)
        except TraceError as error:
            self.compiled.forget(error)

    def _load(self, source, name):
        """Compile ``source`` and return its function ``name``; tracebacks show its lines."""
        filename = f"<autograd.compile {name} #{id(source)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = dict(self._writer.namespace)
        exec(builtins.compile(source, filename, "exec"), namespace)
        return namespace[name]
