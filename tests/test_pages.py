"""The standalone pages, opened in headless Chromium with no network, as a learner opens them.

Each course notebook is run (once per session, shared with test_notebooks.py),
written as a page by ``notebooks/pages.py`` into a fresh folder, and opened
with every request outside that folder blocked. The page fails on a request
leaving the folder, a JavaScript error, raw TeX, a solution shown before a
click, a picture wider than its cell, or a drawing shrunk so far that its text
is under 9 px (``tests/browser.py`` says how each is seen). A full-page
screenshot of each goes to ``out/screenshots/`` for a person to look at. The
checker itself is tested first, on small pages with one planted defect each:
every check must be able to fail.

Skipped, saying what to install, where Playwright, Chromium, nbconvert or
MathJax (the ``browser`` extra and Debian's ``chromium``) are missing.
"""

import base64
import importlib.util
import re
from pathlib import Path

import pytest

from tests import browser as checker

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots"


def _module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "notebooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute = _module("execute")
NOTEBOOKS = execute.course_notebooks()


@pytest.fixture(scope="session")
def pages():
    for package, extra in (("nbconvert", "notebooks"), ("mathjax", "browser")):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"writing the pages needs {package}: pip install -e '.[{extra}]'")
    return _module("pages")


# --- the checker, on pages with one planted defect each ------------------------------------

WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="3000pt" height="300pt" '
            'viewBox="0 0 3000 300"><rect width="3000" height="300" fill="#dbeafe"/>'
            '<text x="20" y="150" font-size="60">a drawing four times wider than a page</text>'
            '</svg>')


def wide_svg(font_size):
    """WIDE_SVG with its text this many points high."""
    return WIDE_SVG.replace('font-size="60"', f'font-size="{font_size}"')


def svg_base64(font_size):
    """WIDE_SVG as a page carries a drawing: the base64 of an <img>'s data: address."""
    return base64.b64encode(wide_svg(font_size).encode()).decode()


def inline_svg(font_size):
    """An output holding WIDE_SVG itself, as a widget's saved HTML does (notebook 02's slider)."""
    return f'<div class="jp-OutputArea-output">{wide_svg(font_size)}</div>'


def small_notebook():
    """A notebook as the course writes them: math, a wide drawing, a progress bar, a solution."""
    import nbformat

    v4 = nbformat.v4
    drawing = v4.new_code_cell("display(drawing)", execution_count=1)
    drawing.outputs = [v4.new_output("display_data", data={
        "image/svg+xml": WIDE_SVG, "text/plain": "<Drawing of 3 values>"})]
    solution = v4.new_code_cell("%%solution\nprint(2 + 2)\nassert 2 + 2 == 4",
                                execution_count=2, metadata={"tags": ["solution"]})
    solution.outputs = [v4.new_output("stream", name="stdout", text="4\n")]
    notebook = v4.new_notebook()
    notebook.cells = [
        v4.new_markdown_cell("# A page\n\nThe chain rule: $\\frac{d}{dx} f(g(x)) = f'(g(x))\\,"
                             "g'(x)$, and\n$$e^{i\\pi} + 1 = 0.$$\n\n| name | formula |\n"
                             "|:--|:--|\n| tanh | $\\dfrac{2}{1 + e^{-2x}} - 1$ |"),
        drawing,
        v4.new_markdown_cell("**Exercise 1: two and two.** Add them."),
        solution,
    ]
    return notebook


@pytest.fixture(scope="session")
def planted(pages, tmp_path_factory):
    """``plant(name, change) -> path``: the small page, changed by ``change(html) -> html``."""
    folder = tmp_path_factory.mktemp("planted")
    clean = pages.write_page(small_notebook(), folder / "clean.html").read_text("utf-8")

    def plant(name, change):
        changed = change(clean)
        assert changed != clean, f"the defect {name!r} was not planted"
        path = folder / f"{name}.html"
        path.write_text(changed, encoding="utf-8")
        return path

    return plant


def problems_of(browser, path, solutions=1):
    return checker.page_problems(browser, path, path.parent, solutions=solutions)


def test_the_checker_passes_the_small_page_as_written(browser, planted):
    assert problems_of(browser, planted("as_written", lambda html: html + "\n")) == []


def test_the_checker_passes_an_inline_svg_whose_text_is_big_enough(browser, planted):
    # the page's drawing again, inline: its 60-point text shrunk to 23 px is readable
    path = planted("big_inline", lambda html: html.replace("</body>", inline_svg(60) + "</body>"))
    assert problems_of(browser, path) == []


PLANTED = {  # defect: (how it is planted, words the checker must say)
    "a picture wider than its cell": (
        lambda html: html.replace("</head>", "<style>.jp-OutputArea-output img { max-width: none "
                                  "!important; }</style></head>", 1),
        "wider than its cell"),
    "a picture out of its shape": (
        lambda html: html.replace("</head>", "<style>.jp-OutputArea-output img { width: 600px "
                                  "!important; height: 300px !important; }</style></head>", 1),
        "out of shape"),
    "raw TeX, MathJax missing": (
        lambda html: html.replace('<script defer="" src="mathjax/tex-svg-full.js"></script>', ""),
        "raw TeX"),
    "TeX that MathJax cannot read": (
        lambda html: html.replace("e^{i\\pi} + 1 = 0.", "e^{i\\pi} + \\one = 0.", 1),
        "MathJax could not typeset"),
    "a solution visible without a click": (
        lambda html: html.replace('<details class="gs-solution">', '<details open>'),
        "solution 1 is visible without a click"),
    "a solution left out of its fold": (
        lambda html: re.sub(r"<details class=\"gs-solution\">\s*<summary>.*?</summary>", "",
                            html, flags=re.DOTALL).replace("</details>", "", 1),
        "solution 1 is visible without a click"),
    "a drawing shrunk too far to read": (
        lambda html: html.replace(svg_base64(60), svg_base64(12), 1),
        "an SVG image in output 1 has text 4.7 px high, under 9 px: shrunk too far to read"),
    "an inline SVG shrunk too far to read": (
        lambda html: html.replace("</body>", inline_svg(12) + "</body>", 1),
        "an SVG in output 3 has text"),
    "a request to a CDN": (
        lambda html: html.replace("</head>", '<script src="https://cdnjs.example.org/require.js">'
                                  "</script></head>", 1),
        "a request left the folder: https://cdnjs.example.org/require.js"),
    "a file beside the folder": (
        lambda html: html.replace("</head>", '<link rel="stylesheet" href="../shared.css">'
                                  "</head>", 1),
        "a request left the folder: file://"),
    "a JavaScript error": (
        lambda html: html.replace("</body>", "<script>widgetManager.render()</script></body>", 1),
        "JavaScript error: widgetManager is not defined"),
}


@pytest.mark.parametrize("defect", PLANTED, ids=lambda defect: defect.replace(" ", "_"))
def test_the_checker_finds_a_planted_defect(defect, browser, planted):
    change, words = PLANTED[defect]
    problems = problems_of(browser, planted(defect.replace(" ", "_"), change))
    assert any(words in problem for problem in problems), problems


def test_the_checker_counts_the_solutions_a_notebook_has(browser, planted):
    problems = problems_of(browser, planted("counted", lambda html: html + "\n"), solutions=3)
    assert problems == ["the page has 1 solution cells, the notebook 3"]


# --- every page of the course --------------------------------------------------------------


@pytest.fixture(scope="session")
def course_pages(tmp_path_factory):
    return tmp_path_factory.mktemp("pages")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_page_a_learner_opens_offline(path, run_notebook, pages, browser, course_pages):
    if path.name in execute.REQUIRES:
        pytest.importorskip(execute.REQUIRES[path.name])
    notebook, _ = run_notebook(path)
    solutions = sum("solution" in cell.metadata.get("tags", []) for cell in notebook.cells)
    page = pages.write_page(notebook, course_pages / path.with_suffix(".html").name)
    problems = checker.page_problems(browser, page, course_pages, solutions=solutions,
                                     screenshot=SCREENSHOTS / f"{path.stem}.png")
    assert problems == []
    assert (SCREENSHOTS / f"{path.stem}.png").stat().st_size > 0
