"""The static mode: trace a function once, generate straight-line Python over floats, replay it.

    >>> import autograd
    >>> def f(x, y):
    ...     return (x * y + x.tanh()).relu()
    >>> g = autograd.compile(f, argnums=(0, 1))
    >>> value, (df_dx, df_dy) = g(2.0, 3.0)        # the same numbers as value_and_grad(f, (0, 1))
    >>> print(g.source)                             # doctest: +SKIP

For a training loop, write the loss of one sample with the parameters first
and let the generated code sum over the samples (the fast form):

    >>> def loss(w, x, y):                            # one sample's squared error
    ...     return (w[0] * x + w[1] - y) ** 2
    >>> g = autograd.compile(loss)                    # the gradient for argument 0, w
    >>> g.sum([2.0, 1.0], batch=zip([1.0, 2.0], [3.0, 4.0]))   # Σ loss, Σ ∂loss/∂w
    (1.0, [4.0, 2.0])

Tracing. The first call of ``g`` for a given structure of the arguments
(numbers, list lengths, nesting, list or tuple) calls ``f`` once on Values
(the *trace*, see ``tracing.py``), walks the graph it built and writes a
Python function over plain floats: the forward pass, one line per node, then
the backward pass, one line per edge, in the order of the engine's
``backward()``. That function is compiled and cached; later calls with
arguments of the same structure run it directly, with no Value and no graph,
as ``jax.jit`` and TensorFlow's ``tf.function`` do; arguments of another
structure trace again (``g.traces`` lists them). ``g.source`` is the code:
the backward pass, written out. Trace the loss of one sample, not of a whole
batch: the code has a line per edge of the graph (a wide dot or sum, one
line per side), and Python compiles about a hundred lines per millisecond.

What a trace records, and what it cannot:

* every op ``f`` applies to Values, with the plain numbers folded into them
  (``x * 2``: the 2 is a literal of the code). Python numbers ``f`` reads
  from elsewhere (a global) are constants of the trace, as in jax.jit: pass
  them as arguments if they change. Values ``f`` uses without receiving them
  (a model's parameters) are read at every call: their current ``data``; their
  gradients are returned when ``wrt`` lists them (below).
* not Python's decisions about numbers: ``if x > 0``, ``max(x, 0)``,
  ``float(x)``, ``x == 1``, ``items[x]`` and ``x.item()`` raise ``TraceError``
  while tracing, naming the line. Reading ``x.data`` cannot be intercepted, so
  ``f`` is traced a second time with slightly different numbers (an
  ``x * x.data`` shows as a different constant), and the next ``CHECKED_CALLS``
  calls, and the first ``CHECKED_SAMPLES`` samples of the first ``g.sum``, run
  ``f`` again on their numbers and compare graphs; after a difference, ``g``
  refuses every call. A branch on ``x.data`` that none of these crosses stays
  unseen: that is the limit of the check.

A model's parameters. In ``f = lambda x, y: loss(model(x), y)`` the
parameters are Values the model holds, not arguments.
``compile(f, argnums=(), wrt=model.parameters())`` differentiates with respect
to them, as ``loss.backward()`` would: g returns ``(value, ((), grads))``,
the gradient for argnums (here none), then ``grads``, one per Value of
``wrt``; ``g.sum`` the same, summed. ``nn.fit(..., compile=True)`` works so.

Several outputs. Computing no gradient (``argnums=()``, no ``wrt``), ``f`` may
return a list (or tuple, nested) of Values: g returns their numbers in the
same structure, ``(outputs, ())``, a compiled forward pass of a model with
several outputs. A gradient needs one Value, so that is all ``f`` may return
when one is asked for, and all ``g.sum`` adds up.

Numbers. Arguments are floats; other real numbers (ints) are converted on
the slow path, which a number argument that is not a float takes. Inside
lists, numbers are used as they come (checking each would cost as much as a
small network's forward pass), which only matters where two ints meet: an
int product is exact where the float one would round.

Results are those of ``autograd.value_and_grad(f, argnums)``, bit for bit:
each op's value and local derivatives come from the op table's own rules
(inlined for the common ops, called for the others, including ops registered
at run time), ``0.0 * g`` terms stay where the engine has them so inf and
nan spread the same way, and gradients are summed in the engine's order.
(``backward()`` starts every sum at 0.0, so its zero gradients are all +0.0
where these may be -0.0: equal numbers, another sign bit.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import tree
from ..core.value import Value
from .inline import MISS
from .program import Program
from .tracing import read_arguments

CHECKED_CALLS = 3      # calls after the trace that run f again to compare graphs
CHECKED_SAMPLES = 8    # samples of the first g.sum() that do the same


def compile(f: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *,  # noqa: A001
            wrt: Sequence[Value] | None = None) -> Compiled:  # autograd.compile, like torch.compile
    """``f`` traced and compiled: ``g(*args)`` is ``(f(*args), ∂f/∂args[argnums])`` over floats.

    ``f`` takes numbers (floats, or lists or tuples of floats, nested) and
    returns a Value built with the engine's ops. ``g`` takes the same
    arguments and returns ``(f(args), ∂f/∂args[argnums])``: the value as a
    float and the gradient with the structure of the argument(s) named by
    ``argnums`` (an int: one structure; a tuple: a tuple of them), as
    ``autograd.value_and_grad``. Every argument is traced as Values, so the code
    reads it as a variable; only the gradients of ``argnums`` are returned.

    ``wrt``: a list of leaf Values that ``f`` uses without receiving them (a
    model's parameters); g's gradient is then the pair ``(∂f/∂args[argnums],
    [∂f/∂w for w in wrt])``. ``f`` may return a list of Values when no
    gradient is asked for (``argnums=()`` and no ``wrt``): a forward pass.

    ``g.sum(*shared, batch=samples)`` sums the values and the gradients of
    ``f(*shared, *sample)`` over the samples, in one generated loop. See the
    module's docstring for what tracing can and cannot record.
    """
    return Compiled(f, argnums, wrt)


class Compiled:
    """What ``compile(f)`` returns: call it like ``f``; also ``.sum``, ``.source``, ``.trace``.

    ``traces`` maps each argument structure traced so far to its ``Program``.
    ``checked_calls`` and ``checked_samples``: how many calls after a trace,
    and samples of the first ``g.sum``, run ``f`` again to check that its
    graph does not depend on the numbers (``CHECKED_CALLS``, ``CHECKED_SAMPLES``).
    ``names``: f's positional parameter names, which the generated code uses
    (None when f's signature is not that simple).
    """

    checked_calls = CHECKED_CALLS
    checked_samples = CHECKED_SAMPLES

    def __init__(self, f: Callable[..., Any], argnums: int | tuple[int, ...] = 0,
                 wrt: Sequence[Value] | None = None) -> None:
        """Compile ``f`` lazily: nothing is traced before the first call."""
        self.f, self.argnums, self.wrt = f, argnums, _leaf_values(wrt)
        self.traces: dict = {}
        self._recent: list[Program] = []  # the last one used first: the fast path tries these
        self._summing: list[tuple] = []  # (program, number of shared arguments, batched function)
        self._broken: Exception | None = None  # the TraceError once f was seen to read numbers
        self.__name__ = getattr(f, "__name__", "f")
        self.__doc__ = getattr(f, "__doc__", None)
        self.__wrapped__ = f  # inspect.signature(g) is f's signature
        self._signature, self.names = _parameters(f)
        self._arity = len(self.names) if self.names else None

    def __repr__(self) -> str:
        return f"<autograd.compile({self.__name__}), {len(self.traces)} trace(s)>"

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        """``(f(*args), gradient)``: the generated code for these arguments' structure."""
        if kwargs or len(args) != self._arity:
            args = self._bind(args, kwargs)
        for program in self._recent:
            try:
                result = program.run(*args)
            except (TypeError, ValueError):  # not this structure; or an error the slow path shows
                break
            if result is not MISS:
                if program.checks_left:
                    program.check(args)
                return result
        return self._call_slowly(args)

    def sum(self, *shared: Any, batch: Iterable[Sequence[Any]]) -> tuple[float, Any]:
        """``(Σ f(*shared, *sample), Σ gradient)`` over the samples of ``batch``, in one loop.

        ``shared`` are f's first arguments, the same for every sample (a
        network's parameters); each sample of ``batch`` is a tuple of f's other
        arguments (``batch=zip(points, labels)``; ``zip(points)`` for one).
        ``argnums`` must name shared arguments only. The sums run sample by
        sample from 0.0: equal, bit for bit, to adding up ``g(*shared, *sample)``
        with ``+=`` in the same order.
        """
        batch = batch if type(batch) is list else list(batch)
        for program, count, run in self._summing:
            if count == len(shared):
                try:
                    result = run(*shared, batch)
                except (TypeError, ValueError):
                    break
                if result is not MISS:
                    if program.samples_left:
                        program.check_samples(shared, batch)
                    return result
        return self._sum_slowly(shared, batch)

    def trace(self, *args: Any) -> Program:
        """The ``Program`` for these arguments' structure, tracing ``f`` now if needed."""
        key, numbers = read_arguments(self._bind(args, {}))
        program = self._program(key, numbers)
        self._use(program)
        return program

    @property
    def source(self) -> str:
        """The generated per-call Python for the last structure traced by a call or a ``g.sum``.

        (The summing loop of ``g.sum`` is ``g.trace(*args).sum_source(k)``, k shared arguments.)
        """
        programs = self._recent or [program for program, _, _ in self._summing]
        if not programs:
            raise AttributeError(f"{self.__name__} has not been traced yet: call it once "
                                 f"(or .trace(*args)) to generate its code")
        return programs[0].source

    # --- the slow path: read the arguments, trace if needed -------------------------
    def _call_slowly(self, args):
        key, numbers = read_arguments(args)
        program = self._program(key, numbers)
        self._use(program)
        if program.checks_left and numbers is not program.numbers:
            program.check(numbers)
        return _result(program.run(*numbers))

    def _sum_slowly(self, shared, batch):
        samples = _samples(batch, len(shared))
        key, numbers = read_arguments([*shared, *samples[0]], "g.sum()")
        program = self._program(key, numbers)
        count = len(shared)
        wrt = [i for i in program.positions if i >= count]
        if wrt:
            raise ValueError(
                f"g.sum() sums the gradients over the samples, so argnums must name shared "
                f"arguments (the first {count}), but it names argument {wrt[0]}, which each "
                f"sample gives: call g per sample for that gradient")
        keys = [read_arguments(sample, f"g.sum() sample {n}") for n, sample in enumerate(samples)]
        for n, (sample_key, _) in enumerate(keys):
            if sample_key != key[count:]:
                raise ValueError(f"g.sum() needs every sample to have the structure of the "
                                 f"first (list lengths and nesting): sample {n} differs")
        run = program.batched(count)
        self._summing = [(program, count, run)] + self._summing[:3]
        shared, batch = numbers[:count], [tuple(numbers) for _, numbers in keys]
        if program.samples_left:
            program.check_samples(shared, batch)
        return _result(run(*shared, batch))

    def _use(self, program):
        """Put ``program`` first on the fast path (which keeps the last four used)."""
        self._recent = [program] + [p for p in self._recent if p is not program][:3]

    def _program(self, key, numbers):
        if self._broken:
            raise self._broken
        program = self.traces.get(key)
        if program is None:
            positions = tree.argnum_positions(self.argnums, len(numbers), "compile()")
            program = Program(self, numbers, positions)
            self.traces[key] = program
        return program

    def _bind(self, args, kwargs):
        if self._signature is None:
            if kwargs:
                raise TypeError(f"{self.__name__}: pass the arguments by position")
            return args
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.args

    def forget(self, error: Exception) -> None:
        """f was seen to read its numbers: drop every program, refuse every later call."""
        self._broken = error
        self.traces, self._recent, self._summing = {}, [], []
        raise error


def _result(result):
    """The generated code's result on arguments already made floats: never MISS."""
    if result is MISS:
        raise TypeError("the compiled code of f computed something else than a float from "
                        "float arguments: an op of the table returned another type")
    return result


def _leaf_values(wrt):
    """``wrt`` as a list of leaf Values (None stays None), or an error saying what is wrong."""
    if wrt is None:
        return None
    if isinstance(wrt, Value) or not isinstance(wrt, (list, tuple)):
        raise TypeError(f"compile(wrt=...) takes a list of Values (model.parameters()), got "
                        f"{type(wrt).__name__} {wrt!r:.40}")
    for w in wrt:
        if not isinstance(w, Value):
            raise TypeError(f"compile(wrt=...) takes Values, got {type(w).__name__} {w!r:.40}")
        if w.parents:
            raise ValueError(f"compile(wrt=...) takes leaf Values (parameters, made with "
                             f"Value(...)), but {w!r:.40} was computed by {w.op}: a gradient "
                             f"with respect to it is not a parameter's")
    return list(wrt)


def _samples(batch, count):
    """The samples of a batch as tuples, with a clear error for anything else."""
    if not batch:
        raise ValueError("g.sum() needs at least one sample in batch (to trace f with)")
    samples = []
    for n, sample in enumerate(batch):
        if type(sample) is not tuple and type(sample) is not list:
            raise TypeError(f"g.sum(): each sample of batch is a tuple of f's per-sample "
                            f"arguments (use batch=zip(xs, ys), or zip(xs) for one), but sample "
                            f"{n} is {type(sample).__name__} {sample!r:.40}")
        samples.append(tuple(sample))
    return samples


def _parameters(f):
    """(signature, names of f's positional parameters) or (None, None) if f is not that simple."""
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):
        return None, None
    kinds = {p.kind for p in signature.parameters.values()}
    if not kinds <= {inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD}:
        return signature, None
    return signature, list(signature.parameters)
