"""``python -m bench``: run the whole benchmark, print its tables (see ``bench/__init__.py``)."""

import argparse
import gc
import sys
import time
from importlib.metadata import version

from . import chain, docs, report, steps
from .workload import initial_weights, two_moons

# Defaults for a full run and for --quick; a flag given explicitly wins over both.
FULL = dict(steps=40, slow_steps=15, warmup=2, compile_repeats=5, chain_ops=1_000_000,
            chain_repeats=3, memory_ops=100_000)
QUICK = dict(steps=6, slow_steps=2, warmup=1, compile_repeats=1, chain_ops=100_000,
             chain_repeats=1, memory_ops=20_000)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="The side-by-side benchmark: this engine (dynamic and compiled), micrograd, "
                    "PyTorch, plain floats.",
    )

    def count(flag, text):
        default = f"default {FULL[flag[2:].replace('-', '_')]:,}"
        parser.add_argument(flag, type=int, help=f"{text} ({default})")

    count("--steps", "timed training steps for this engine and the floor")
    count("--slow-steps", "timed training steps for micrograd and PyTorch")
    count("--warmup", "untimed steps for each implementation before timing")
    count("--compile-repeats", "fresh compiles timed for each compiled form, the median reported")
    count("--chain-ops", "depth of the timed chains")
    count("--chain-repeats", "runs of each of this engine's chains, the median reported "
                             "(micrograd's run once)")
    count("--memory-ops", "depth of the chains measured with tracemalloc")
    quick = ", ".join(f"{name}={value:,}" for name, value in QUICK.items())
    parser.add_argument("--quick", action="store_true", help=f"a fast smoke run: {quick}")
    parser.add_argument("--markdown", metavar="PATH",
                        help="also write the tables as Markdown to PATH")
    parser.add_argument("--update-docs", action="store_true",
                        help=f"write the tables into {docs.FULL.path} and the summary into "
                             f"{docs.SUMMARY.path}, between their markers")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if min(getattr(args, name) for name in FULL if name != "warmup") < 1 or args.warmup < 0:
        parser.error("step counts, chain depths and repeats must be positive")
    return args


def load_implementations():
    """The implementation classes, floor first, and the Value classes whose chains are timed.

    Exits with a clear message if a library is missing.
    """
    try:
        from micrograd.engine import Value as MicrogradValue

        import autograd
        from autograd import Value as OurValue

        from .impl_autograd import AutogradDotPlusBiasMLP, AutogradMLP
        from .impl_compiled import CompiledBatchMLP, CompiledMLP
        from .impl_floats import FloatMLP
        from .impl_micrograd import MicrogradMLP
        from .impl_torch import TorchMLP
    except ImportError as error:
        sys.exit(f"bench: {error}. The benchmark needs micrograd 0.1.0 and PyTorch: "
                 "`make bench` installs them (the project's [bench] extra).")
    classes = [FloatMLP, AutogradMLP, AutogradDotPlusBiasMLP, CompiledMLP, CompiledBatchMLP,
               TorchMLP, MicrogradMLP]
    if not hasattr(autograd, "compile"):  # a tree without the static mode (issue 10)
        progress("autograd.compile() is missing here: the compiled steps are left out")
        classes = [cls for cls in classes if cls not in (CompiledMLP, CompiledBatchMLP)]
    values = {report.ENGINE: OurValue, MicrogradMLP.name: MicrogradValue}
    return classes, values


_START = time.perf_counter()


def main(argv=None):
    args = parse_args(argv)
    classes, values = load_implementations()
    data, weights = two_moons(), initial_weights()
    implementations = [cls(weights, data) for cls in classes]
    # What is alive now (PyTorch's modules above all) is moved out of the garbage
    # collector's sight, as if each library ran in a small script of its own: a full
    # collection then costs microseconds, not the ~100 ms of walking PyTorch's objects.
    gc.collect()
    gc.freeze()

    progress(f"parity: {steps.PARITY_STEPS} SGD steps on each implementation")
    try:
        loss, gap = steps.check_parity(implementations)
    except steps.ParityError as error:
        sys.exit(f"bench: FAILED, nothing timed: {error}")

    counts = {i.name: args.slow_steps if i.slow else args.steps for i in implementations}
    progress(f"training steps: {args.warmup} warm-up, then {args.steps} "
             f"({args.slow_steps} for micrograd and PyTorch), interleaved")
    step_timings = steps.time_steps(implementations, counts, args.warmup)
    del implementations

    compiled = [cls for cls in classes if hasattr(cls, "compile_seconds")]
    progress(f"compile: {args.compile_repeats} fresh compile(s) of each compiled form")
    compile_times = {cls.name: cls.compile_seconds(weights, data, args.compile_repeats)
                     for cls in compiled}

    progress(f"chains of {args.chain_ops:,} ops")
    chains = []
    ours, micrograd = list(values)
    repeats = {ours: args.chain_repeats, micrograd: 1}  # micrograd's take ~20 s each
    for op, names in [("add", (ours, micrograd)), ("tanh", (ours,)), ("relu", (ours, micrograd))]:
        for name in names:
            chains += chain.time_chains(name, values[name], op, args.chain_ops, repeats[name],
                                        deep=name == micrograd, progress=progress)
    progress(f"memory: chains of {args.memory_ops:,} ops under tracemalloc")
    memory = [chain.chain_memory(name, values[name], "add", args.memory_ops,
                                 with_backward=name != micrograd) for name in (ours, micrograd)]

    results = report.Results(
        parity_loss=loss, parity_gap=gap, parity_steps=steps.PARITY_STEPS,
        steps=step_timings, compile_times=compile_times, chains=chains, chain_ops=args.chain_ops,
        chain_repeats=args.chain_repeats, memory=memory,
        versions={lib: version(lib) for lib in ("micrograd", "torch")},
    )
    results.seconds = time.perf_counter() - _START
    print(report.render(results), end="")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as file:
            file.write(report.render(results, markdown=True))
        progress(f"Markdown written to {args.markdown}")
    if args.update_docs:
        docs.FULL.write(report.render(results, markdown=True))
        docs.SUMMARY.write(report.summary(results))
        progress(f"tables written into {docs.FULL.path} and {docs.SUMMARY.path}")


def progress(message):
    print(f"[{time.perf_counter() - _START:5.0f} s] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
