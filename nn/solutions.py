"""Answers only when asked: the ``%%solution`` cell magic of the course notebooks.

    %load_ext nn.solutions         # once, in a notebook's first code cell

    %%solution
    # the worked answer of an exercise: plain Python, its asserts included
    ...

Running every cell of a notebook must not print the answers before a learner
has tried the exercises. A cell that starts with ``%%solution`` is therefore
not run when the notebook is: it shows a button, and a click runs the cell's
code and shows its output under the button. Where ipywidgets is missing, it
says to write ``%%solution run`` instead, which runs the cell straight away.

The tests and ``make notebooks`` start the kernel with the environment variable
``GRADSCHOOL_SOLUTIONS=run``: every solution then runs as a plain cell, so
every answer is still checked by its asserts.

Each answer is followed by a check cell, which starts with ``%%check``::

    %%check
    expect_close("dl/dw", dl_dw, -0.75)     # nn.feedback: says what is wrong, and by how much
    assert count(3, [5, 4, 2]) == 73        # a plain assert that fails quotes itself and its names

It runs its checks and prints "✓" when they pass. A failing check raises (so
the autograder, ``make grade``, gives the cell no points) with a message in a
learner's words: an ``assert`` without a message quotes its own line and the
values of the names in it, and an answer cell still holding its stub
(``raise NotImplementedError()``) is named as not answered yet. While a
solution above waits for its button (the teacher's notebooks in Jupyter), a
check that fails only says to run that solution first: Run All stops at no error.
"""

from __future__ import annotations

import ast
import os
from typing import Any

ENVIRONMENT = "GRADSCHOOL_SOLUTIONS"
BUTTON = "Run the solution (shows the answer)"
PASSED = "✓ every check passed"
WAITING = ("This check waits for the answer above: click its button (or write your own answer "
           "in its place and run it), then run this cell again.")

# The buttons shown and not clicked yet, in this kernel: while one waits, a failing check only
# says so (a check after an answer that has not run cannot pass, and Run All must not stop).
_waiting: set[int] = set()


def load_ipython_extension(shell: Any) -> None:
    """Register ``%%solution`` in an IPython shell (what ``%load_ext nn.solutions`` calls)."""
    shell.register_magic_function(_magic, magic_kind="cell", magic_name="solution")
    shell.register_magic_function(_check_magic, magic_kind="cell", magic_name="check")


def solution(line: str, cell: str, shell: Any) -> Any:
    """Run the solution ``cell`` now, or offer a button that runs it.

    It runs now when ``line`` is ``run`` or the environment has
    ``GRADSCHOOL_SOLUTIONS=run``: the value of its last expression is returned,
    so the cell shows it as ``Out[n]``, like a plain cell. Otherwise nothing of
    the cell runs until the learner clicks the button.
    """
    words = line.split()
    if words and words != ["run"]:
        raise ValueError(f"%%solution takes no words or the word 'run', got {line!r}: write "
                         "'%%solution' to run it on a click, '%%solution run' to run it now")
    if words == ["run"] or os.environ.get(ENVIRONMENT) == "run":
        return run_cell_code(cell, shell)
    _offer(cell, shell)
    return None


def run_cell_code(cell: str, shell: Any) -> Any:
    """Execute ``cell`` in the notebook's namespace; return its last expression's value or None.

    An exception goes up unchanged, so a failing assert fails the cell as in a plain cell.
    """
    code = shell.transform_cell(cell)               # IPython syntax (display, !cmd) still works
    filename = shell.compile.cache(code)            # so that a traceback shows the lines
    tree = ast.parse(code, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), shell.user_ns)  # the learner's own cell
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), filename, "eval"), shell.user_ns)


def check(line: str, cell: str, shell: Any) -> None:
    """Run the check ``cell``; print ``PASSED``, or raise an AssertionError in a learner's words.

    Its statements run one by one, so that a failing ``assert`` is named with its
    own line. While a solution above waits for its button, a failure only prints
    ``WAITING``.
    """
    if line.strip():
        raise ValueError(f"%%check takes no words, got {line!r}: write '%%check' alone")
    from .feedback import failed_check

    code = shell.transform_cell(cell)
    filename = shell.compile.cache(code)
    try:
        for statement in ast.parse(code, filename).body:
            module = ast.Module(body=[statement], type_ignores=[])
            try:
                exec(compile(module, filename, "exec"), shell.user_ns)  # the notebook's check
            except Exception as error:  # noqa: BLE001 - reworded below, then raised
                failure = failed_check(error, statement, code, shell.user_ns)
                # the learner reads the message, not the frames of this magic
                raise failure.with_traceback(None) from failure.__cause__
    except AssertionError:
        if _waiting and os.environ.get(ENVIRONMENT) != "run":  # never when grading or testing
            print(WAITING)
            return
        raise
    print(PASSED)


def _check_magic(line: str, cell: str) -> None:
    from IPython import get_ipython

    check(line, cell, get_ipython())


def _magic(line: str, cell: str) -> Any:
    from IPython import get_ipython

    return solution(line, cell, get_ipython())


def _offer(cell: str, shell: Any) -> None:
    """Show the button that runs ``cell``; its output goes in an Output widget under it."""
    from IPython.display import display

    try:
        from ipywidgets import Button, Layout, Output, VBox
    except ImportError:
        print("The solution was not run, so that you can try the exercise first. To see it, "
              "click the cell's hidden source, then change its first line to '%%solution run' "
              "and run the cell again.")
        return
    button = Button(description=BUTTON, icon="eye", layout=Layout(width="auto"))
    output = Output()
    _waiting.add(id(button))

    def run_on_click(_button: Any) -> None:
        button.disabled = True
        _waiting.discard(id(button))
        with output:                                 # shows the traceback there if it fails
            result = run_cell_code(cell, shell)
            if result is not None:
                display(result)

    button.on_click(run_on_click)
    display(VBox([button, output]))
