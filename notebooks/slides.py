"""Reveal.js decks of the course notebooks: each slide 1280 × 720, opened with no network.

    python notebooks/slides.py                   # run every notebook, write out/slides/*.html
    python notebooks/slides.py 02b --out DIR     # only the notebooks whose name contains 02b
    python notebooks/slides.py --set-metadata    # give every cell of notebooks/ a slide type

Which cell starts a slide is the cell's own metadata (``slideshow.slide_type``, what
JupyterLab's property inspector and RISE read, so that a deck presented live from
JupyterLab and the exported one agree). ``--set-metadata`` fills it in where a cell has
none, by the rule of ``slide_type``: a heading or an exercise starts a slide, every
other cell is a slide below it (reveal.js's vertical slides), and the answers, the
checks and a first cell of imports are left out.

``write_deck`` uses nbconvert's reveal template, changed by ``slides.html.j2``:

- reveal.js 5 is copied beside the decks into ``reveal/`` from the PyPI package
  sphinx-revealjs (which ships reveal.js's built files and licence), and MathJax 3 into
  ``mathjax/`` from django-static-mathjax, as for the pages: no CDN, no require.js;
- code longer than 12 lines is folded under a line saying how long it is;
- pictures are scaled to fit a slide, and everything on a slide taller than 720 px is
  shrunk (down to half size) until it fits;
- widgets become plain HTML of their last state, as in the pages.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import re
import shutil
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TEMPLATE = "slides.html.j2"
THEME = "white"  # reveal.js's theme whose fonts ship with it (others load Google Fonts)
IMPORTS = re.compile(r"^(import |from \S+ import |%load_ext |#|$)")


def slide_type(cell, first: bool) -> str:
    """Where ``cell`` goes in a deck: "slide", "subslide" or "skip" (reveal.js's words)."""
    tags = cell.metadata.get("tags", [])
    if "solution" in tags or "check" in tags:
        return "skip"                               # answers and checks are not lectured
    if first:
        return "slide"
    source = cell.source.lstrip()
    if cell.cell_type == "markdown":
        return "slide" if source.startswith(("# ", "## ", "### ", "**Exercise")) else "subslide"
    if all(IMPORTS.match(line.strip()) for line in cell.source.splitlines()):
        return "skip"                               # the imports and %load_ext of a notebook
    return "subslide"


def set_slide_metadata(notebook) -> int:
    """Give each cell without one its slide type; return how many cells were given one."""
    given = 0
    for index, cell in enumerate(notebook.cells):
        show = cell.metadata.setdefault("slideshow", {})
        if "slide_type" not in show:
            show["slide_type"] = slide_type(cell, index == 0)
            given += 1
    return given


def write_deck(notebook, html_path: Path) -> Path:
    """Write the executed ``notebook`` as a reveal.js deck at ``html_path``; return the path.

    reveal.js and MathJax are copied beside it the first time.
    """
    from nbconvert import SlidesExporter

    pages = _pages()
    deck = copy.deepcopy(notebook)
    pages.widgets_as_html(deck)
    set_slide_metadata(deck)
    exporter = SlidesExporter(template_name="reveal", extra_template_paths=[str(FOLDER)],
                              template_file=TEMPLATE, reveal_url_prefix="reveal",
                              reveal_theme=THEME)
    body, _ = exporter.from_notebook_node(deck, resources={"fold_lines": 12})
    html_path.parent.mkdir(parents=True, exist_ok=True)
    pages.copy_mathjax(html_path.parent)
    copy_reveal(html_path.parent)
    partial = html_path.with_name(f".{html_path.name}.part")
    partial.write_text(body, encoding="utf-8")
    partial.replace(html_path)
    return html_path


def reveal_folder() -> Path:
    """reveal.js's files (``dist/``, ``plugin/``, ``LICENSE``), as the package ships them."""
    try:
        import sphinx_revealjs
    except ImportError as error:
        raise ImportError("the decks need reveal.js, from the package sphinx-revealjs: "
                          "pip install -e '.[teaching]'") from error
    return Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"


def copy_reveal(out: Path) -> None:
    """Copy reveal.js's built files, its theme, notes plugin and licence into ``out/reveal/``."""
    source, target = reveal_folder(), out / "reveal"
    if (target / "dist" / "reveal.js").exists():
        return
    partial = out / ".reveal.part"
    shutil.rmtree(partial, ignore_errors=True)
    others = [p.name for p in (source / "dist" / "theme").glob("*.css") if p.stem != THEME]
    shutil.copytree(source / "dist", partial / "dist",
                    ignore=shutil.ignore_patterns("*.map", "*.esm.js", *others))
    shutil.copytree(source / "plugin" / "notes", partial / "plugin" / "notes")
    shutil.copyfile(source / "LICENSE", partial / "LICENSE")
    partial.replace(target)


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages():
    return _module("pages")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only notebooks whose name contains these")
    parser.add_argument("--out", type=Path, default=Path("out/slides"))
    parser.add_argument("--set-metadata", action="store_true",
                        help="give every cell of the notebooks in this folder a slide type")
    args = parser.parse_args(argv)
    import nbformat

    execute = _module("execute")
    paths = [p for p in execute.course_notebooks()
             if not args.names or any(name in p.name for name in args.names)]
    if args.set_metadata:
        for path in paths:
            notebook = nbformat.read(path, as_version=4)
            given = set_slide_metadata(notebook)
            if given:
                nbformat.write(notebook, path)
            print(f"{path.name}: {given} cells given a slide type")
        return 0
    for path in paths:
        missing = execute.missing_requirement(path)
        if missing:
            print(f"{path.name:45s} skipped: it needs {missing} (pip install {missing})")
            continue
        notebook, seconds = execute.execute(path)
        deck = write_deck(notebook, args.out / path.with_suffix(".slides.html").name)
        print(f"{deck}  ({seconds:.0f} s to run)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
