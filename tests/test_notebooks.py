"""The course notebooks are tests of what they teach: each one must run top to bottom.

Every claim in a notebook ends in an ``assert``, so executing it checks the
claims. A notebook fails here when a cell raises, when any cell writes to
stderr (a warning a learner would see), or when it is stored with outputs or
execution counts (diffs must stay readable). Outputs are not compared.
"""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("execute", ROOT / "notebooks" / "execute.py")
execute = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute)

NOTEBOOKS = execute.course_notebooks()
COURSE = [  # teaching order; the file names say what each one teaches
    "01_values_and_the_chain_rule.ipynb",
    "02_computation_graphs_and_backpropagation.ipynb",
    "02b_build_the_engine.ipynb",
    "03_activation_functions.ipynb",
    "04_gradient_descent_and_logistic_regression.ipynb",
    "05_multilayer_perceptron.ipynb",
    "06_universal_approximation.ipynb",
    "07_handwritten_digits.ipynb",
    "08_from_scalars_to_tensors.ipynb",
    "09_higher_derivatives.ipynb",
    "10_static_and_dynamic_graphs.ipynb",
    "11_playground.ipynb",
]


def test_the_course_has_its_notebooks_in_order():
    # Guards the parametrized tests below: a renamed or missing notebook must
    # fail here, not silently drop out of the collection.
    assert [path.name for path in NOTEBOOKS] == COURSE


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_stored_without_outputs(path):
    assert execute.stored_output_problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_opens_with_what_it_teaches_and_ends_with_exercises(path):
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    first = cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "What you will learn" in first.source and "know first" in first.source
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert re.search(r"^## Exercises", markdown, re.MULTILINE)
    solutions = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
    assert len(solutions) >= 2, "two or three exercises, each with a solution cell"
    for cell in solutions:
        assert cell.cell_type == "code"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        # run only on a click in Jupyter (nn/solutions.py), by every test run here
        assert cell.source.startswith("%%solution\n")
    loads = [i for i, c in enumerate(cells) if "%load_ext nn.solutions" in c.source]
    assert loads and loads[0] < cells.index(solutions[0])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_answer_is_followed_by_its_check_and_both_are_graded(path):
    # the student version (make student) keeps the check and turns the answer into a stub;
    # the autograder (make grade) gives the check's points when it passes
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "each graded cell needs its own grade_id"
    for index, cell in enumerate(cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        assert cell.metadata["nbgrader"]["solution"] is True
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        check = cells[index + 1]
        assert check.source.startswith("%%check\n") and "check" in check.metadata["tags"]
        assert check.metadata["nbgrader"]["grade"] is True
        assert check.metadata["nbgrader"]["points"] > 0 and check.metadata["nbgrader"]["locked"]
        visible = check.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "assert" in visible or "expect_" in visible, "a check the learner can run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_solution_ran_in_the_test_run_and_showed_no_button(path, run_notebook):
    # the kernel of the tests has GRADSCHOOL_SOLUTIONS=run: a solution that showed its button
    # instead would leave its asserts unchecked
    if path.name in execute.REQUIRES:
        pytest.importorskip(execute.REQUIRES[path.name])
    notebook, _ = run_notebook(path)
    for cell in notebook.cells:
        if "solution" in cell.metadata.get("tags", []):
            mimes = {mime for output in cell.outputs for mime in output.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" not in mimes
            assert cell.execution_count is not None


def test_solution_cells_pass_ruff_too():
    # ruff skips a cell that starts with a cell magic: check the solutions and the checks with
    # it commented out
    import json
    import subprocess
    import sys

    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed (it is in the test extra)")
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["source"] and cell["source"][0] in ("%%solution\n", "%%check\n"):
                cell["source"][0] = "# " + cell["source"][0]
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                                 "--stdin-filename",
                                 str(path.relative_to(ROOT)), "-"], cwd=ROOT,
                                input=json.dumps(notebook), capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_without_errors_or_warnings(path, run_notebook):
    if path.name in execute.REQUIRES:  # 08 needs PyTorch, which is optional (CI installs it)
        pytest.importorskip(execute.REQUIRES[path.name])
    notebook, _ = run_notebook(path)
    assert execute.output_problems(notebook) == []


def test_a_notebook_needing_a_missing_package_is_named(monkeypatch):
    monkeypatch.setattr(execute.importlib.util, "find_spec", lambda name: None)
    assert execute.missing_requirement(ROOT / "notebooks" / "08_from_scalars_to_tensors.ipynb") \
        == "torch"
    assert execute.missing_requirement(ROOT / "notebooks" / COURSE[0]) is None


def test_output_problems_finds_errors_and_stderr():
    # The check above must be able to fail: feed it what a broken run produces.
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n"),
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                               traceback=[]),
    ]
    notebook.cells = [cell]
    problems = execute.output_problems(notebook)
    assert len(problems) == 2
    assert "stderr" in problems[0] and "ZeroDivisionError" in problems[1]


def test_stored_output_problems_finds_outputs_and_counts(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    notebook.cells = [cell]
    notebook.metadata["widgets"] = {"state": {}}
    path = tmp_path / "01_x.ipynb"
    nbformat.write(notebook, path)
    assert len(execute.stored_output_problems(path)) == 3
