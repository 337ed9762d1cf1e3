"""Student versions of the course notebooks, and grading of what the students hand in (nbgrader).

    python notebooks/labs.py student [NN ...] [--out out/student]
    python notebooks/labs.py grade SUBMISSIONS [NN ...] [--out out/grades]

The notebooks in this folder are the teacher's version. Each exercise there is
an answer cell (``%%solution``, its answer between ``### BEGIN SOLUTION`` and
``### END SOLUTION``) followed by a check cell (``%%check``: visible checks,
then hidden ones between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN
TESTS``), both with nbgrader's cell metadata. ``student`` writes the notebooks
a learner gets: each answer replaced by a stub, the hidden tests removed, the
visible checks kept. ``grade`` runs nbgrader's autograder on a folder holding
one folder per student (``SUBMISSIONS/<student>/<notebook>.ipynb``), with the
hidden tests put back, and writes:

- ``scores.csv``: one row per student, notebook and question (its grade_id), points and
  maximum;
- ``feedback/<student>/<notebook>.html``: the graded notebook, each check's points and what
  it said.

Both work in a fresh nbgrader course folder (a temporary one, or ``--course``): nbgrader's
``source/<assignment>/`` gets the teacher's notebooks with the ``%%solution`` lines taken
out, each notebook being its own assignment, named after the notebook.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
STUB = ("# Your answer here: replace the next line, run this cell, then the check below.\n"
        "raise NotImplementedError()")


def lab_notebooks(names=(), folder=FOLDER):
    """The course notebooks that have graded exercises, those matching ``names`` if given."""
    import nbformat

    found = []
    for path in sorted(folder.glob("[0-9][0-9]*_*.ipynb")):
        if names and not any(name in path.name for name in names):
            continue
        notebook = nbformat.read(path, as_version=4)
        if any(cell.metadata.get("nbgrader", {}).get("grade") for cell in notebook.cells):
            found.append(path)
    return found


# What the teacher's notebooks say about their answers, and what the student's version says.
ABOUT_ANSWERS = {
    "# The exercises' solutions, at the end, run only when you ask (a button).":
        "# %%check (in each exercise's check cell) comes from here: it says what is wrong.",
    "# Each step's worked answer runs only when you ask (a button); the checks run every time.":
        "# %%check (in each check cell) comes from here: it says what is wrong, in numbers.",
}


def as_source(notebook):
    """The teacher's notebook as nbgrader's source: answers run as plain cells, shown."""
    for cell in notebook.cells:
        for teacher, learner in ABOUT_ANSWERS.items():
            cell.source = cell.source.replace(teacher, learner)
        if "solution" in cell.metadata.get("tags", []):
            cell.source = re.sub(r"\A%%solution[^\n]*\n", "", cell.source)
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "solution"]
            cell.metadata.pop("jupyter", None)
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
    return notebook


def make_course(paths, course: Path) -> list[str]:
    """Lay out an nbgrader course in ``course`` and generate the student version of ``paths``.

    Returns the assignment names (one per notebook: its file name without ``.ipynb``).
    """
    import nbformat

    assignments = []
    for path in paths:
        target = course / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(as_source(nbformat.read(path, as_version=4)), target)
        assignments.append(path.stem)
    api = nbgrader_api(course)
    for name in assignments:
        result = api.generate_assignment(name, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not make the student version of {name}:\n"
                               f"{result['error']}\n{result['log']}")
    return assignments


def nbgrader_api(course: Path):
    """nbgrader's API on the course folder ``course``, with this course's settings."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader runs alembic (its database's migrations) as a program: the one installed beside
    # this Python, also when the virtualenv is not activated (make runs .venv/bin/python).
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    config.ClearSolutions.code_stub = {"python": STUB}
    config.Execute.timeout = 300           # notebook 07 trains a network in one cell
    config.Execute.allow_errors = True     # a failing check costs its points, not the rest
    config.merge(_module("execute").kernel_config())   # no "TCP without encryption" per run
    # A %%solution cell left in a submission runs at once instead of waiting for a click: a
    # check after an answer that waits only says so, which must never earn its points.
    os.environ["GRADSCHOOL_SOLUTIONS"] = "run"
    return NbGraderAPI(config=config)


def _module(name: str):
    """A module beside this file (this folder is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def student(paths, out: Path, course: Path) -> list[Path]:
    """Write the student version of each notebook in ``paths`` into ``out``; return the files."""
    written = []
    for name in make_course(paths, course):
        for notebook in sorted((course / "release" / name).glob("*.ipynb")):
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, out / notebook.name)
            written.append(out / notebook.name)
    return written


def grade(submissions: Path, paths, out: Path, course: Path) -> list[dict]:
    """Grade every ``submissions/<student>/<notebook>.ipynb``; write scores and feedback in ``out``.

    Returns the rows of ``scores.csv`` (student, notebook, question, score, max_score).
    """
    names = {path.name: path.stem for path in paths}
    handed_in = [(folder.name, notebook) for folder in sorted(submissions.iterdir())
                 if folder.is_dir() for notebook in sorted(folder.glob("*.ipynb"))
                 if notebook.name in names]
    if not handed_in:
        raise SystemExit(f"nothing to grade in {submissions}/: expected one folder per student "
                         f"holding notebooks named like {', '.join(sorted(names)) or '…'}")
    assignments = make_course([p for p in paths
                               if any(n.name == p.name for _, n in handed_in)], course)
    api = nbgrader_api(course)
    for student_id, notebook in handed_in:
        target = course / "submitted" / student_id / names[notebook.name] / notebook.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)
    graded = sorted({(student_id, names[notebook.name]) for student_id, notebook in handed_in})
    for student_id, assignment in graded:
        for step in (api.autograde, api.generate_feedback):
            result = step(assignment, student_id, force=True, create=True) \
                if step == api.autograde else step(assignment, student_id, force=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader failed on {student_id}'s {assignment}:\n"
                                   f"{result['error']}\n{result['log']}")
    rows = scores(course, graded, assignments)
    write_results(rows, course, graded, out)
    return rows


def scores(course: Path, graded, assignments) -> list[dict]:
    """One row per student, notebook and graded cell, read from nbgrader's gradebook."""
    import nbformat
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student_id, assignment in graded:
            source = course / "source" / assignment / f"{assignment}.ipynb"
            order = [cell.metadata["nbgrader"]["grade_id"]  # questions in the notebook's order
                     for cell in nbformat.read(source, as_version=4).cells
                     if cell.metadata.get("nbgrader", {}).get("grade")]
            submission = gradebook.find_submission_notebook(assignment, assignment, student_id)
            for item in sorted(submission.grades, key=lambda g: order.index(g.name)):
                if item.max_score:
                    rows.append({"student": student_id, "notebook": assignment,
                                 "question": item.name, "score": item.score,
                                 "max_score": item.max_score})
    return rows


def write_results(rows, course: Path, graded, out: Path) -> None:
    """``scores.csv`` and one feedback page per student and notebook, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "scores.csv.part"  # a half-written table never replaces a whole one
    with open(partial, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=["student", "notebook", "question", "score",
                                                  "max_score"])
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(out / "scores.csv")
    pages = _module("pages")
    for student_id, assignment in graded:
        for page in (course / "feedback" / student_id / assignment).glob("*.html"):
            target = out / "feedback" / student_id / page.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(offline_mathjax(page.read_text("utf-8")), encoding="utf-8")
            pages.copy_mathjax(out / "feedback")


# nbgrader's feedback page loads MathJax 2 from a CDN; the course's pages use MathJax 3 from
# files beside them (pages.py), so that formulas are typeset with no network here too.
MATHJAX_2 = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
                       re.DOTALL)
MATHJAX_3 = """<script>
window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true,
                        processEnvironments: true}, svg: {fontCache: 'global'}};
</script>
<script defer src="../mathjax/tex-svg-full.js"></script>"""


def offline_mathjax(page: str) -> str:
    """A feedback page whose formulas are typeset by the MathJax copied beside it."""
    return MATHJAX_2.sub(lambda _match: MATHJAX_3, page, count=1)


def totals(rows) -> dict[tuple[str, str], tuple[float, float]]:
    """(student, notebook) -> (points, maximum)."""
    summed: dict[tuple[str, str], tuple[float, float]] = {}
    for row in rows:
        key = (row["student"], row["notebook"])
        points, maximum = summed.get(key, (0.0, 0.0))
        summed[key] = (points + float(row["score"]), maximum + float(row["max_score"]))
    return summed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("student", help="write the student notebooks")
    make.add_argument("names", nargs="*", help="only notebooks whose name contains these")
    make.add_argument("--out", type=Path, default=Path("out/student"))
    marks = commands.add_parser("grade", help="grade a folder of submitted notebooks")
    marks.add_argument("submissions", type=Path, help="holds one folder per student")
    marks.add_argument("names", nargs="*", help="only notebooks whose name contains these")
    marks.add_argument("--out", type=Path, default=Path("out/grades"))
    for command in (make, marks):
        command.add_argument("--course", type=Path, help="keep nbgrader's course folder here")
    args = parser.parse_args(argv)
    # nbgrader's own use of its database makes SQLAlchemy warn about sessions on every run;
    # nothing a teacher can act on.
    warnings.filterwarnings("ignore", message="Object of type <Submitted")
    paths = lab_notebooks(args.names)
    if not paths:
        print("no graded notebook matches", args.names, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temporary:
        course = args.course or Path(temporary) / "course"
        if args.command == "student":
            for path in student(paths, args.out, course):
                print(f"student version: {path}")
            return 0
        rows = grade(args.submissions, paths, args.out, course)
    for (student_id, notebook), (points, maximum) in sorted(totals(rows).items()):
        print(f"{student_id:20s} {notebook:45s} {points:g} / {maximum:g}")
    print(f"scores per question: {args.out / 'scores.csv'}; feedback: {args.out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
