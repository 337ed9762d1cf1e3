"""Standalone HTML pages of the executed notebooks: they open in a browser with no network.

``write_page(notebook, html_path)`` writes one page with nbconvert's ``lab``
template, changed by ``page.html.j2`` beside this file:

- formulas are typeset by MathJax 3.2.2, the version JupyterLab 4 uses, copied
  from the ``django-static-mathjax`` package (it ships MathJax as files and
  depends on nothing) into ``mathjax/`` beside the pages. Its SVG output draws
  every glyph as a path from that one script, so no font file is fetched and a
  formula looks the same on every machine;
- widgets become plain HTML of their last state (a progress bar stays a bar
  with its text; a slider shows where it stood, and the picture it showed):
  a live widget would need a kernel, and its JavaScript would come from a CDN;
- a solution cell (tag ``solution``) is folded, code and output, under a
  line saying which exercise it answers;
- no script is loaded from outside the folder (no require.js, no widget
  manager, no mermaid), and every picture is scaled down to its cell's width.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TEMPLATE = "page.html.j2"
MATHJAX = "mathjax/tex-svg-full.js"  # the page's script, relative to the page
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def write_page(notebook, html_path: Path) -> Path:
    """Write ``notebook`` (executed, not changed) as a standalone page; return its path.

    MathJax is copied beside the page the first time (``mathjax/``), with its licence.
    """
    from nbconvert import HTMLExporter

    page = copy.deepcopy(notebook)
    widgets_as_html(page)
    fold_solutions(page)
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(FOLDER)],
                            template_file=TEMPLATE)
    body, _ = exporter.from_notebook_node(page)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    copy_mathjax(html_path.parent)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def mathjax_folder() -> Path:
    """Where the installed MathJax distribution is (``es5/`` holds the ready-made scripts)."""
    try:
        import mathjax  # the django-static-mathjax package: MathJax's files under static/
    except ImportError as error:
        raise ImportError("the pages need MathJax from the package django-static-mathjax: "
                          "pip install -e '.[notebooks]'") from error
    return Path(mathjax.__file__).parent / "static" / "mathjax"


def copy_mathjax(out: Path) -> None:
    """Copy MathJax's one SVG script and its licence into ``out/mathjax/`` unless already there."""
    source = mathjax_folder()
    target = out / MATHJAX
    if target.exists() and target.stat().st_size == (source / "es5" / target.name).stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "LICENSE", target.parent / "LICENSE")
    partial = target.with_suffix(".part")       # a page never sees half a script
    shutil.copyfile(source / "es5" / target.name, partial)
    partial.replace(target)


# --- answers only when asked -------------------------------------------------------------

# "### Exercise 2: a title" or "**Exercise 2: a title.** The task..." at the start of a line
EXERCISE = re.compile(r"^(?:#+[ \t]*(Exercise\b[^\n]*?)[ \t]*$|\*\*(Exercise\b[^*\n]*?)\.?\*\*)",
                      re.MULTILINE)


def fold_solutions(notebook) -> None:
    """Label each solution cell with what it reveals, for the template to fold it under.

    The label names the exercise of the nearest heading above the cell. The
    ``%%solution`` line (a Jupyter matter: run on request) is left out of the page.
    """
    exercise = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = [heading or bold for heading, bold in EXERCISE.findall(cell.source)]
            exercise = found[-1] if found else exercise
        elif "check" in cell.metadata.get("tags", []):
            cell.source = without_grading_marks(cell.source)
        elif "solution" in cell.metadata.get("tags", []):
            cell.source = without_grading_marks(re.sub(r"\A%%solution[^\n]*\n", "", cell.source))
            what = f"the solution of {exercise}" if exercise else "the solution"
            cell.metadata["reveals"] = f"Show {what} (its code and what it prints)"


HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?",
                          re.MULTILINE | re.DOTALL)
SOLUTION_MARKS = re.compile(r"^[ \t]*### (?:BEGIN|END) SOLUTION[^\n]*\n?", re.MULTILINE)


def without_grading_marks(source: str) -> str:
    """``source`` as a reader sees it: no hidden tests, no autograder's solution markers.

    The hidden tests are the autograder's (``make grade``), not the learner's to read.
    """
    return SOLUTION_MARKS.sub("", HIDDEN_TESTS.sub("", source)).rstrip("\n")


# --- widgets as plain HTML ---------------------------------------------------------------


def widgets_as_html(notebook) -> None:
    """Replace every widget output by HTML of the widget's saved state; drop the state."""
    saved = notebook.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).pop(WIDGET_VIEW, None)
            if view is not None:
                fallback = output["data"].get("text/plain", "")
                output["data"] = {"text/html": widget_html(view["model_id"], saved, fallback)}


def widget_html(model_id: str, saved: dict, fallback: str = "") -> str:
    """HTML showing the widget ``model_id`` as it last stood, from the notebook's saved state."""
    model = saved.get(model_id)
    if model is None:  # the state was not saved: say what the widget was
        return f'<pre class="gs-widget">{html.escape(fallback)}</pre>'
    name, state = model["model_name"], model["state"]
    children = [widget_html(ref.removeprefix("IPY_MODEL_"), saved)
                for ref in state.get("children", [])]
    description = html.escape(state.get("description") or "")
    if name in ("HBoxModel", "VBoxModel", "BoxModel"):
        direction = "column" if name == "VBoxModel" else "row"
        return (f'<div class="gs-widget gs-box" style="flex-direction:{direction}">'
                f'{"".join(children)}</div>')
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="gs-widget">{state.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<div class="gs-widget">{html.escape(state.get("value", ""))}</div>'
    if name in ("FloatProgressModel", "IntProgressModel"):
        return (f'<progress class="gs-widget gs-{state.get("bar_style") or "plain"}" '
                f'value="{state["value"] - state["min"]}" max="{state["max"] - state["min"]}">'
                f'</progress>')
    if name in ("IntSliderModel", "FloatSliderModel"):
        return (f'<label class="gs-widget gs-slider">{description} <input type="range" disabled '
                f'min="{state["min"]}" max="{state["max"]}" step="{state["step"]}" '
                f'value="{state["value"]}"> {state["value"]}</label>')
    if name == "ButtonModel":
        return f'<button class="gs-widget" disabled>{description}</button>'
    if name == "OutputModel":
        return "".join(_output_html(output) for output in state.get("outputs", []))
    return f'<pre class="gs-widget">{html.escape(fallback or name)}</pre>'


def _output_html(output: dict) -> str:
    """An output captured by an Output widget, in the richest form a page shows without help."""
    data = output.get("data", {})
    if "text/html" in data:
        return f'<div class="gs-widget">{data["text/html"]}</div>'
    if "image/svg+xml" in data:
        return f'<div class="gs-widget">{data["image/svg+xml"]}</div>'
    if "image/png" in data:
        return f'<img class="gs-widget" src="data:image/png;base64,{data["image/png"]}">'
    text = output.get("text", data.get("text/plain", ""))
    return f'<pre class="gs-widget">{html.escape(text)}</pre>'
