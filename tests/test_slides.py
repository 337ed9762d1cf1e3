"""make slides: each notebook as a reveal.js deck that opens offline and fits 1280 × 720.

Every course notebook is run (once per session, shared with the other notebook
tests), written as a deck by ``notebooks/slides.py`` into a fresh folder, and
opened in headless Chromium with every request outside that folder blocked
(``tests/decks.py``). A deck fails on anything that runs off a slide, a request
leaving the folder, a JavaScript error or raw TeX. Two screenshots per deck (its
first slide and its most crowded one) go to ``out/screenshots/slides/``. The
checker is tested first on decks with one planted defect each.

Every cell of every notebook carries its slide type (``slideshow.slide_type``), so
that RISE in JupyterLab presents the same slides.

Skipped, saying what to install, without Playwright, Chromium, nbconvert,
MathJax or reveal.js (the ``browser`` and ``teaching`` extras, Debian's chromium).
"""

import importlib.util
from pathlib import Path

import pytest

from tests import decks

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots" / "slides"


def _module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "notebooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute = _module("execute")
NOTEBOOKS = execute.course_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_cell_has_a_slide_type(path):
    import nbformat

    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        assert kind in {"slide", "subslide", "fragment", "-", "skip", "notes"}, index
        if {"solution", "check"} & set(cell.metadata.get("tags", [])):
            assert kind == "skip", f"cell {index}: an answer or a check is not lectured"


@pytest.fixture(scope="session")
def slides():
    for package, extra in (("nbconvert", "notebooks"), ("mathjax", "teaching"),
                           ("sphinx_revealjs", "teaching")):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"writing the decks needs {package}: pip install -e '.[{extra}]'")
    return _module("slides")


# --- the checker, on a small deck with one planted defect each --------------------------------


def small_notebook():
    import nbformat

    v4 = nbformat.v4
    notebook = v4.new_notebook()
    picture = v4.new_code_cell("display(picture)", execution_count=1)
    picture.outputs = [v4.new_output("display_data", data={
        "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" '
                         'viewBox="0 0 400 300"><rect width="400" height="300" fill="#dbeafe"/>'
                         '</svg>', "text/plain": "<picture>"})]
    notebook.cells = [v4.new_markdown_cell("# A deck\n\nThe chain rule: $(g \\circ f)' = "
                                           "(g' \\circ f)\\, f'$."),
                      v4.new_markdown_cell("## A picture"), picture,
                      v4.new_code_cell("\n".join(f"line_{i} = {i}" for i in range(30)))]
    return notebook


@pytest.fixture(scope="session")
def planted(slides, tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted_decks")
    clean = slides.write_deck(small_notebook(), folder / "clean.html").read_text("utf-8")

    def plant(name, change):
        changed = change(clean)
        assert changed != clean, f"the defect {name!r} was not planted"
        path = folder / f"{name}.html"
        path.write_text(changed, encoding="utf-8")
        return path

    return plant


def test_the_checker_passes_the_small_deck_and_folds_its_long_code(browser, planted):
    path = planted("as_written", lambda html: html + "\n")
    problems, found = decks.deck_problems(browser, path, path.parent)
    assert problems == [] and len(found) == 4   # title; heading, picture, code below it
    assert "the code (30 lines): click to show" in path.read_text("utf-8")


PLANTED = {
    "a picture taller than a slide": (
        lambda html: html.replace("</head>", "<style>.reveal .jp-OutputArea-output img "
                                  "{ max-height: none !important; height: 1500px !important; }"
                                  "</style></head>", 1), "out of the slide"),
    "text that runs off the bottom": (
        lambda html: html.replace("<h2", "<p>" + "A long line of text. " * 600 + "</p><h2", 1),
        "off the bottom of its slide"),
    "reveal.js from a CDN": (
        lambda html: html.replace('src="reveal/dist/reveal.js"',
                                  'src="https://cdn.example.org/reveal.js"'),
        "a request left the folder: https://cdn.example.org/reveal.js"),
    "raw TeX, MathJax missing": (
        lambda html: html.replace('<script defer="" src="mathjax/tex-svg-full.js"></script>', ""),
        "raw TeX"),
}


@pytest.mark.parametrize("defect", PLANTED, ids=lambda defect: defect.replace(" ", "_"))
def test_the_checker_finds_a_planted_defect(defect, browser, planted):
    change, words = PLANTED[defect]
    path = planted(defect.replace(" ", "_").replace(",", ""), change)
    problems, _ = decks.deck_problems(browser, path, path.parent)
    assert any(words in problem for problem in problems), problems


# --- every deck of the course ---------------------------------------------------------------


@pytest.fixture(scope="session")
def course_decks(tmp_path_factory):
    return tmp_path_factory.mktemp("decks")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_deck_fits_its_slides_offline(path, run_notebook, slides, browser, course_decks):
    if path.name in execute.REQUIRES:
        pytest.importorskip(execute.REQUIRES[path.name])
    notebook, _ = run_notebook(path)
    deck = slides.write_deck(notebook, course_decks / path.with_suffix(".slides.html").name)
    problems, found = decks.deck_problems(browser, deck, course_decks, screenshots=SCREENSHOTS)
    assert problems == []
    lectured = sum(cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
                   for cell in notebook.cells)
    assert len(found) == lectured
