"""What a learner sees: a page opened in headless Chromium, offline, and what is wrong with it.

``page_problems(browser, page_file, folder)`` opens one page with every request
outside ``folder`` blocked, waits for its formulas to be typeset, and lists in
plain words what a learner would see go wrong:

- a request that left the folder (a CDN, the network, a file beside the folder);
- a JavaScript error, or an error the browser printed to its console;
- raw TeX left in the text (``$\\frac{a}{b}$``), or a formula MathJax could not read;
- a solution visible before its fold is clicked, or a fold that shows nothing;
- a picture wider than its cell or drawn out of its shape, or a page that scrolls sideways;
- a drawing shrunk so far to fit that its smallest text is under ``SMALLEST_TEXT`` pixels.

It uses Debian's ``chromium`` driven by Playwright from PyPI (never a browser
that Playwright downloads). ``chromium()`` says why when either is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
CHROMIUM_NAMES = ("chromium", "chromium-browser")
WIDTH, HEIGHT = 1280, 900  # a laptop's window


def chromium() -> tuple[object, str] | str:
    """``(playwright.sync_api, path of Chromium)``, or why a browser test cannot run here."""
    try:
        from playwright import sync_api
    except ImportError:
        return ("Playwright is not installed: pip install -e '.[browser]' "
                "(.ci/run installs it, with Debian's chromium)")
    path = next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)
    if path is None:
        return "no Chromium on this machine: apt-get install chromium (.ci/run does)"
    return sync_api, path


def launch(sync_api, path: str):
    """Start Playwright and a headless Chromium; return ``(playwright, browser)``."""
    playwright = sync_api.sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)


def inside(url: str, folder: Path) -> bool:
    """Whether ``url`` is a file in ``folder`` (or data the page carries itself)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return url.startswith(folder.resolve().as_uri() + "/")


def open_page(browser, page_file: Path, folder: Path, width: int = WIDTH):
    """Open ``page_file`` with requests outside ``folder`` blocked; return (page, problems)."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  service_workers="block")
    problems: list[str] = []

    def only_the_folder(route):
        if inside(route.request.url, folder):
            route.continue_()
        else:
            problems.append(f"a request left the folder: {route.request.url[:200]}")
            route.abort()

    context.route("**/*", only_the_folder)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda message: problems.append(f"console error: {message.text[:300]}")
            if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(
        f"a file did not load: {request.url[:200]} ({request.failure})")
        if inside(request.url, folder) else None)
    page.goto(page_file.resolve().as_uri(), wait_until="load")
    # MathJax typesets after the load event; its promise settles when every formula is done.
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                  " ? MathJax.startup.promise.then(() => true) : false")
    return page, problems


def page_problems(browser, page_file: Path, folder: Path, solutions: int | None = None,
                  screenshot: Path | None = None, width: int = WIDTH) -> list[str]:
    """Everything a learner would see wrong on ``page_file``; [] when it is right.

    ``solutions``: how many solution cells the notebook has (each must be folded
    and must show something once opened). ``screenshot``: where to save a
    full-page PNG of the page as a learner first sees it.
    """
    page, problems = open_page(browser, page_file, folder, width)
    try:
        problems += raw_tex(page)
        problems += visible_solutions(page, solutions)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        open_every_fold(page)
        problems += pictures_that_do_not_fit(page)
        problems += text_too_small_to_read(page)
    finally:
        page.context.close()
    return problems


RAW_TEX = r"""() => {
  // Text a learner reads (not code, not typeset math) that still holds TeX.
  const tex = /\$[^$\s][^$]*\$|\$\$|\\\(|\\\[|\\[A-Za-z]{2,}/;
  const skip = 'pre, code, script, style, mjx-container, .jp-InputArea-editor';
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const match = node.textContent.match(tex);
    if (match) found.push('raw TeX in the text: "' +
        node.textContent.slice(Math.max(0, match.index - 30), match.index + 50).trim() + '"');
  }
  for (const error of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
    found.push('MathJax could not typeset: ' +
               (error.getAttribute('data-mjx-error') || error.textContent).slice(0, 120));
  return [...new Set(found)];
}"""


def raw_tex(page) -> list[str]:
    """TeX that a learner sees as source instead of as a formula."""
    return page.evaluate(RAW_TEX)


SOLUTIONS = r"""() => Array.from(document.querySelectorAll('.celltag_solution')).map(cell => ({
  visible: Array.from(cell.querySelectorAll('.jp-InputArea, .jp-OutputArea'))
                .some(part => part.checkVisibility()),
  summary: cell.closest('details') && cell.closest('details').querySelector('summary')
           ? cell.closest('details').querySelector('summary').textContent.trim() : null,
}))"""


def visible_solutions(page, expected: int | None) -> list[str]:
    """A solution a learner sees without asking, a fold that says nothing or reveals nothing."""
    cells = page.evaluate(SOLUTIONS)
    problems = []
    if expected is not None and len(cells) != expected:
        problems.append(f"the page has {len(cells)} solution cells, the notebook {expected}")
    for number, cell in enumerate(cells, 1):
        if cell["visible"]:
            problems.append(f"solution {number} is visible without a click")
        elif not cell["summary"]:
            problems.append(f"solution {number} is hidden under no line saying what it reveals")
    for number, summary in enumerate(page.locator("details.gs-solution > summary").all(), 1):
        summary.click()
        shown = page.evaluate("""(n) => {
            const details = document.querySelectorAll('details.gs-solution')[n];
            return Array.from(details.querySelectorAll('.jp-InputArea'))
                        .some(part => part.checkVisibility());
        }""", number - 1)
        summary.click()
        if not shown:
            problems.append(f"solution {number}'s fold shows no code once clicked")
    return problems


def open_every_fold(page) -> None:
    """Open every <details> so that what is inside can be measured too."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")


PICTURES = r"""() => {
  const found = [];
  const pictures = document.querySelectorAll(
      '.jp-OutputArea-output img, .jp-OutputArea-output svg');
  for (const picture of pictures) {
    if (picture.closest('mjx-container') || picture.parentElement.closest('svg')) continue;
    const box = picture.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;   // not shown: nothing to fit
    const cell = picture.closest('.jp-OutputArea-output');
    const style = getComputedStyle(cell);
    const cellBox = cell.getBoundingClientRect();
    const right = cellBox.right - parseFloat(style.paddingRight)
                  - parseFloat(style.borderRightWidth);
    let natural = null;                                  // width / height as drawn by its maker
    if (picture.tagName.toLowerCase() === 'img' && picture.naturalHeight)
      natural = picture.naturalWidth / picture.naturalHeight;
    else if (picture.viewBox && picture.viewBox.baseVal && picture.viewBox.baseVal.height)
      natural = picture.viewBox.baseVal.width / picture.viewBox.baseVal.height;
    const label = (picture.tagName.toLowerCase() === 'img' ? 'an image' : 'an SVG') +
      ' in output ' + (Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                      .indexOf(cell) + 1);
    found.push({label, width: box.width, overflow: box.right - right,
                aspect: box.width / box.height, natural});
  }
  return {pictures: found, pageWidth: document.documentElement.scrollWidth,
          windowWidth: window.innerWidth};
}"""


def pictures_that_do_not_fit(page) -> list[str]:
    """Pictures wider than their cell or out of their shape; a page that scrolls sideways."""
    measured = page.evaluate(PICTURES)
    problems = []
    for picture in measured["pictures"]:
        if picture["overflow"] > 1:
            problems.append(f"{picture['label']} is {picture['overflow']:.0f} px wider than "
                            f"its cell ({picture['width']:.0f} px wide)")
        natural = picture["natural"]
        if natural and abs(picture["aspect"] / natural - 1) > 0.02:
            problems.append(f"{picture['label']} is drawn out of shape: width/height "
                            f"{picture['aspect']:.2f}, made as {natural:.2f}")
    if measured["pageWidth"] > measured["windowWidth"] + 1:
        problems.append(f"the page scrolls sideways: {measured['pageWidth']} px wide in a "
                        f"{measured['windowWidth']} px window")
    return problems


SMALLEST_TEXT = 9  # pixels: a drawing's smallest text on screen, in a 1,280 px window

TEXT_SIZES = r"""() => {
  // The smallest text of each SVG picture, in pixels on screen: its font size times the
  // scale the picture is drawn at (viewBox, Graphviz's own scale, the shrinking to the cell).
  const smallest = svg => {
    let least = Infinity;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const m = text.getScreenCTM();
      const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
      least = Math.min(least, size);
    }
    return least;
  };
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
  const found = [];
  for (const cell of outputs) {
    const where = 'output ' + (outputs.indexOf(cell) + 1);
    for (const svg of cell.querySelectorAll('svg')) {
      if (svg.closest('mjx-container') || svg.parentElement.closest('svg')) continue;
      if (svg.getBoundingClientRect().width === 0) continue;
      found.push({where: 'an SVG in ' + where, least: smallest(svg)});
    }
    // an SVG shown as an <img> (pictures side by side): drawn again, unseen, at the same width
    for (const img of cell.querySelectorAll('img[src^="data:image/svg+xml"]')) {
      const width = img.getBoundingClientRect().width;
      if (width === 0) continue;
      const data = img.src.slice(img.src.indexOf(',') + 1);
      const text = img.src.slice(0, img.src.indexOf(',')).endsWith(';base64')
          ? new TextDecoder().decode(Uint8Array.from(atob(data), c => c.charCodeAt(0)))
          : decodeURIComponent(data);
      const box = document.createElement('div');
      box.style.cssText = 'position: absolute; left: 0; top: 0; visibility: hidden';
      box.innerHTML = text.slice(text.indexOf('<svg'));
      document.body.appendChild(box);
      const svg = box.querySelector('svg');
      svg.setAttribute('width', width);
      svg.removeAttribute('height');
      found.push({where: 'an SVG image in ' + where, least: smallest(svg)});
      box.remove();
    }
  }
  return found.filter(picture => picture.least !== Infinity);
}"""


def text_too_small_to_read(page, at_least: float = SMALLEST_TEXT) -> list[str]:
    """Drawings shrunk to fit their cell so far that their smallest text is under
    ``at_least`` pixels (a PNG's text cannot be measured: only SVG pictures are)."""
    return [f"{picture['where']} has text {picture['least']:.1f} px high, under {at_least} px: "
            f"shrunk too far to read" for picture in page.evaluate(TEXT_SIZES)
            if picture["least"] < at_least]
