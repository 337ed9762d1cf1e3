"""What an audience sees: a reveal.js deck opened in headless Chromium, offline, slide by slide.

``deck_problems(browser, deck, folder)`` opens a deck written by
``notebooks/slides.py`` in a 1280 × 720 window with every request outside
``folder`` blocked (``browser.open_page``), waits until reveal.js and MathJax are
ready and every slide has been fitted, then visits each slide and lists:

- a slide whose content is taller or wider than its 1280 × 720 box (it runs off);
- a picture, table or block of code that sticks out of its slide;
- a request that left the folder, a JavaScript error, raw TeX.

It also returns, per slide, how far its text had to be shrunk, so that a test can
screenshot the most crowded slide.
"""

from __future__ import annotations

from pathlib import Path

from tests import browser as checker

WIDTH, HEIGHT = 1280, 720

SLIDES = r"""() => {
  const found = [];
  const sections = Array.from(document.querySelectorAll('.reveal .slides section'))
                        .filter(s => !s.querySelector('section'));
  sections.forEach((section, n) => {
    const at = Reveal.getIndices(section);
    Reveal.slide(at.h, at.v);
    const box = section.getBoundingClientRect();
    const scale = box.height / section.offsetHeight || 1;
    const tall = section.scrollHeight - section.clientHeight;
    const wide = section.scrollWidth - section.clientWidth;
    const out = [];
    for (const part of section.querySelectorAll(
        '.jp-OutputArea-output img, .jp-OutputArea-output svg, table, pre, .jp-InputArea')) {
      if (part.closest('mjx-container') || (part.tagName.toLowerCase() === 'svg'
          && part.parentElement.closest('svg'))) continue;
      const r = part.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !part.checkVisibility()) continue;  // folded
      const below = (r.bottom - box.bottom) / scale, right = (r.right - box.right) / scale;
      if (below > 1 || right > 1)
        out.push(part.tagName.toLowerCase() + ' ' + Math.round(Math.max(below, right)) + ' px');
    }
    found.push({n: n + 1, h: at.h, v: at.v, tall, wide, out,
                fit: section.dataset.gsScale || '100',
                title: (section.querySelector('h1, h2, h3, p') || section).textContent
                       .trim().slice(0, 60)});
  });
  return found;
}"""


def deck_problems(browser, deck: Path, folder: Path,
                  screenshots: Path | None = None) -> tuple[list[str], list[dict]]:
    """(what runs off a slide or goes wrong, one record per slide) for the deck file ``deck``.

    ``screenshots``: a folder where the first slide and the most crowded one are saved.
    """
    page, problems = checker.open_page(browser, deck, folder, width=WIDTH)
    try:
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        ready = page.evaluate("() => window.gsReady ? window.gsReady.then(() => true) : false")
        if not ready:
            problems.append("the deck never said it was ready (reveal.js did not start)")
            return problems, []
        problems += checker.raw_tex(page)
        slides = page.evaluate(SLIDES)
        for slide in slides:
            where = f"slide {slide['n']} ({slide['title']!r})"
            if slide["tall"] > 1:
                problems.append(f"{where} runs {slide['tall']} px off the bottom of its slide")
            if slide["wide"] > 1:
                problems.append(f"{where} is {slide['wide']} px wider than its slide")
            problems += [f"{where}: a {part} out of the slide" for part in slide["out"]]
        if screenshots is not None and slides:
            _screenshot(page, deck, slides, screenshots)
    finally:
        page.context.close()
    return problems, slides


def _screenshot(page, deck: Path, slides: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    crowded = min(slides, key=lambda s: (int(s["fit"]), -s["n"]))
    for name, slide in (("first", slides[0]), ("most_crowded", crowded)):
        page.evaluate(f"() => Reveal.slide({slide['h']}, {slide['v']})")
        page.screenshot(path=str(folder / f"{deck.name.split('.')[0]}_{name}.png"))
