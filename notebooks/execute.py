"""Run the course notebooks top to bottom and report what a learner would see go wrong.

    python notebooks/execute.py                      # run all, report problems and times
    python notebooks/execute.py 03                   # only the notebooks whose name contains 03
    python notebooks/execute.py --out out/notebooks  # also keep each executed notebook and
                                                     # a standalone HTML page (pictures embedded)

A notebook passes when every cell runs without an error and no cell writes to
stderr (where warnings go). The notebooks in ``notebooks/`` are never changed:
they are stored without outputs, and the executed copies go to ``--out``. Each
runs in a fresh kernel whose working folder is a temporary one, so whatever a
notebook saves does not land in the repository. The kernel runs every exercise's
solution (``GRADSCHOOL_SOLUTIONS=run``, see ``nn/solutions.py``), so that its
asserts are checked too. The executed notebooks are signed, so that Jupyter
trusts them and shows their pictures; the pages (``pages.py``) need no network.
The test suite (``tests/test_notebooks.py``) uses the same functions.
"""

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def course_notebooks(folder=FOLDER):
    """The course's notebooks, ``01_….ipynb`` onwards, in teaching order.

    A notebook added between two others takes a letter (``02b_…``): it sorts after
    ``02_…`` and before ``03_…``, and no notebook after it is renumbered.
    """
    return sorted(p for p in folder.glob("[0-9][0-9]*_*.ipynb"))


# Notebooks that need an optional package (not in the notebooks extra): skipped without it.
REQUIRES = {"08_from_scalars_to_tensors.ipynb": "torch"}


def missing_requirement(path):
    """The optional package the notebook at ``path`` needs and that is not installed, or None."""
    package = REQUIRES.get(Path(path).name)
    return package if package and importlib.util.find_spec(package) is None else None


def stored_output_problems(path):
    """What makes a stored notebook unfit to commit: outputs, execution counts, widget state."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} is stored with outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} is stored with an execution count")
    if "widgets" in notebook.metadata:
        problems.append("the notebook is stored with widget state in its metadata")
    return problems


def execute(path, timeout=300):
    """Run the notebook at ``path`` in a fresh kernel; return ``(executed notebook, seconds)``.

    Raises ``nbclient.exceptions.CellExecutionError`` at the first failing cell.
    """
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as workdir:
        client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                         config=kernel_config(),
                                         resources={"metadata": {"path": workdir}})
        start = time.perf_counter()
        client.execute(env={**os.environ, "GRADSCHOOL_SOLUTIONS": "run"})
        seconds = time.perf_counter() - start
    return notebook, seconds


def kernel_config():
    """Configuration asking for a kernel whose messages are encrypted (CurveZMQ) where it can be.

    A kernel on plain TCP prints "Kernel is running over TCP without encryption" to the
    terminal once per notebook; with keys provisioned by its manager it has no reason to.
    An older jupyter_client, or a pyzmq built without CurveZMQ, gets a plain kernel.
    """
    import zmq
    from jupyter_client.manager import KernelManager
    from traitlets.config import Config

    if zmq.has("curve") and "transport_encryption" in KernelManager.class_traits():
        return Config({"KernelManager": {"transport_encryption": "required"}})
    return Config()


def output_problems(notebook):
    """Every output a clean run must not have: text on stderr (warnings) and errors."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {output.get('text', '')[:300]!r}")
            elif output.get("output_type") == "error":
                problems.append(f"cell {index} raised {output.get('ename')}: "
                                f"{output.get('evalue', '')[:300]}")
    return problems


def save_outputs(notebook, path, out):
    """Write the executed notebook, signed, and its standalone HTML page into the folder ``out``.

    Signing records the notebook in this user's Jupyter trust database, so that
    JupyterLab renders its SVG drawings instead of their text fallbacks.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    out.mkdir(parents=True, exist_ok=True)
    NotebookNotary().sign(notebook)
    nbformat.write(notebook, out / path.name)
    pages().write_page(notebook, out / path.with_suffix(".html").name)


def pages():
    """The module ``pages.py`` beside this file (this folder is no package)."""
    spec = importlib.util.spec_from_file_location("pages", FOLDER / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only notebooks whose name contains these")
    parser.add_argument("--out", type=Path, help="folder for executed notebooks and HTML pages")
    args = parser.parse_args(argv)
    paths = [p for p in course_notebooks()
             if not args.names or any(name in p.name for name in args.names)]
    if not paths:
        print("no notebook matches", args.names, file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        missing = missing_requirement(path)
        if missing:
            print(f"{path.name:45s} skipped: it needs {missing} (pip install {missing})")
            continue
        problems = stored_output_problems(path)
        try:
            notebook, seconds = execute(path)
            problems += output_problems(notebook)
            if args.out:
                save_outputs(notebook, path, args.out)
        except Exception as error:  # noqa: BLE001 - reported, then the next notebook runs
            seconds, problems = float("nan"), [*problems, f"{type(error).__name__}: {error}"]
        status = "ok" if not problems else "FAILED"
        print(f"{path.name:45s} {seconds:6.1f} s  {status}", flush=True)
        for problem in problems:
            print("    " + problem.replace("\n", "\n    "), flush=True)
        failed += bool(problems)
    if args.out:
        print(f"executed notebooks and HTML pages are in {args.out}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
