"""make student and make grade, end to end: nbgrader on the course notebooks.

The student versions (``notebooks/labs.py student``) must hold no line of any
answer and no hidden test, and keep a stub and the visible checks of every
exercise. Grading (``notebooks/labs.py grade``) runs on two submissions of
notebook 02b: the teacher's answers, which must get every point, and the same
answers with one planted bug (tanh's local derivative written 1 − t instead of
1 − t²), which must lose exactly the points of the checks that use tanh.

Skipped, saying what to install, without nbgrader (the ``teaching`` extra).
"""

import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAB = "02b_build_the_engine"


def _labs():
    spec = importlib.util.spec_from_file_location("labs", ROOT / "notebooks" / "labs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


labs = _labs()


def run_labs(*args):
    result = subprocess.run([sys.executable, str(ROOT / "notebooks" / "labs.py"), *map(str, args)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


@pytest.fixture(scope="module")
def nbgrader():
    if importlib.util.find_spec("nbgrader") is None:
        pytest.skip("make student and make grade need nbgrader: pip install -e '.[teaching]'")


@pytest.fixture(scope="module")
def student_versions(nbgrader, tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    run_labs("student", "--out", out)
    return out


def solution_regions(source):
    return re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.DOTALL)


def test_every_course_notebook_is_a_graded_lab():
    names = [path.name for path in labs.lab_notebooks()]
    assert f"{LAB}.ipynb" in names and len(names) == 12  # 01 to 11, and 02b


def test_student_versions_hold_no_answer_and_no_hidden_test(student_versions):
    import nbformat

    for path in labs.lab_notebooks():
        teacher = nbformat.read(path, as_version=4).cells
        outside = "\n".join(re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", cell.source,
                                   flags=re.DOTALL) for cell in teacher)
        # a line of an answer that the notebook also says elsewhere (l.backward()) gives nothing
        # away; every other line must be gone
        secret = {line.strip() for cell in teacher for region in solution_regions(cell.source)
                  for line in region.splitlines()
                  if len(line.strip()) > 12 and line.strip() not in outside}
        student = (student_versions / path.name).read_text(encoding="utf-8")
        shown = {line for line in secret if line in student}
        assert not shown, f"{path.name} gives answers away: {sorted(shown)[:5]}"
        for words in ("%%solution", "BEGIN SOLUTION", "HIDDEN TESTS", "(a button)"):
            assert words not in student, f"{path.name} still has {words!r}"
        assert len(secret) > 3
        cells = nbformat.reads(student, as_version=4).cells
        assert not any("solution" in cell.metadata.get("tags", []) for cell in cells)


def test_student_versions_keep_a_stub_and_the_visible_checks(student_versions):
    import nbformat

    for path in labs.lab_notebooks():
        teacher = nbformat.read(path, as_version=4).cells
        student = nbformat.read(student_versions / path.name, as_version=4).cells
        assert len(student) == len(teacher)
        for mine, theirs in zip(teacher, student):
            graded = mine.metadata.get("nbgrader", {})
            if graded.get("solution"):
                assert "raise NotImplementedError()" in theirs.source
                assert "Your answer here" in theirs.source
            if graded.get("grade"):
                visible = mine.source.split("### BEGIN HIDDEN TESTS")[0].rstrip()
                assert theirs.source.rstrip() == visible


def submission(tmp_path, who, change=None):
    import nbformat

    notebook = labs.as_source(nbformat.read(ROOT / "notebooks" / f"{LAB}.ipynb", as_version=4))
    if change:
        changed = [cell for cell in notebook.cells if change[0] in cell.source]
        assert len(changed) == 1, "the bug was not planted"
        changed[0].source = changed[0].source.replace(*change)
    folder = tmp_path / "submitted" / who
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{LAB}.ipynb")


def test_grading_gives_the_teacher_every_point_and_a_planted_bug_what_it_deserves(
        nbgrader, tmp_path):
    submission(tmp_path, "teacher")
    submission(tmp_path, "tanh_bug", ("1 - t * t", "1 - t"))
    printed = run_labs("grade", tmp_path / "submitted", "02b", "--out", tmp_path / "grades")
    with open(tmp_path / "grades" / "scores.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    score = {(row["student"], row["question"]): float(row["score"]) for row in rows}
    maximum = {row["question"]: float(row["max_score"]) for row in rows}
    assert set(maximum) == {"nb02b-step1-check", "nb02b-step2-check", "nb02b-step3-check",
                            "nb02b-step4-check", "nb02b-engine-check",
                            "nb02b-exercise1-check", "nb02b-exercise2-check"}
    for question, points in maximum.items():
        assert score["teacher", question] == points
        # the bug in tanh costs step 2 (tanh's own check) and the whole engine on a neuron;
        # backward() is checked on graphs made with correct derivatives, so it keeps its points
        lost = question in ("nb02b-step2-check", "nb02b-engine-check")
        assert score["tanh_bug", question] == (0.0 if lost else points), question
    assert re.search(r"teacher\s+02b_build_the_engine\s+12 / 12", printed)
    assert re.search(r"tanh_bug\s+02b_build_the_engine\s+9 / 12", printed)
    feedback = (tmp_path / "grades" / "feedback" / "tanh_bug" / f"{LAB}.html").read_text("utf-8")
    assert not re.search(r'(src|href)="https?://', feedback)  # MathJax from beside the page
    assert (tmp_path / "grades" / "feedback" / "mathjax" / "tex-svg-full.js").exists()
    assert "the derivative of the op &#39;your_tanh&#39; is wrong" in feedback \
        or "the derivative of the op 'your_tanh' is wrong" in feedback


def test_grading_an_empty_folder_says_what_it_expected(nbgrader, tmp_path):
    (tmp_path / "nobody").mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "notebooks" / "labs.py"), "grade",
                             str(tmp_path), "02b"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "expected one folder per student" in result.stderr + result.stdout


def test_a_solution_cell_left_in_a_submission_does_not_excuse_its_checks(nbgrader, tmp_path):
    # A %%solution cell offers a button instead of running, and while one waits a failing
    # check only says so: the autograder runs every %%solution at once, so a wrong answer
    # handed in under %%solution still loses its points.
    import nbformat

    notebook = nbformat.read(ROOT / "notebooks" / f"{LAB}.ipynb", as_version=4)
    [cell] = [cell for cell in notebook.cells if "1 - t * t" in cell.source]
    cell.source = cell.source.replace("1 - t * t", "1 - t")
    assert cell.source.startswith("%%solution")
    folder = tmp_path / "submitted" / "kept_the_magic"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{LAB}.ipynb")
    printed = run_labs("grade", tmp_path / "submitted", "02b", "--out", tmp_path / "grades")
    assert re.search(r"kept_the_magic\s+02b_build_the_engine\s+9 / 12", printed), printed
