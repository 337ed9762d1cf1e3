"""The playground in a real JupyterLab, in headless Chromium, used as a learner uses it.

A notebook that shows ``Playground()`` is run in JupyterLab (started on
127.0.0.1 by ``tests/test_lab.py``'s helpers). Then, in the browser: press
play, wait, pause; the loss shown must have gone down, every neuron's heatmap
and the decision surface must have coloured pixels, hovering a weight must
show its value, gradient and next step, clicking a neuron must open its
chain-rule graph with a slider that steps the backward pass, and no request
may have left the local server. Screenshots go to ``out/screenshots/``.
"""

import json
import re
import time
from pathlib import Path

import pytest

from tests.test_lab import CELLS, OPEN_AND_RUN, browse, serve, wait_until_settled

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots"
NAME = "playground.ipynb"
CODE = "from nn.playground import Playground\n\nplayground = Playground()\nplayground"


def write_notebook(folder):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CODE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / NAME)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    pytest.importorskip("anywidget", reason="the playground needs anywidget: pip install -e "
                                            "'.[browser]'")
    yield from serve(tmp_path_factory, write_notebook)


@pytest.fixture(scope="module")
def page(lab):
    yield from browse(lab, NAME, viewport=(1280, 1600))


@pytest.fixture(scope="module")
def shown(page):
    """The notebook run; the playground drawn; a first screenshot."""
    assert page.evaluate(OPEN_AND_RUN, NAME) is True
    wait_until_settled(page)
    page.wait_for_selector(".gs-pg image.gs-pg-heatmap", timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".gs-pg").screenshot(path=str(SHOTS / "playground_1_start.png"))
    return page


def epoch_shown(page):
    return int(re.search(r"epoch (\d+)", page.inner_text(".gs-pg-counter")).group(1))


def loss_shown(page):
    return float(page.locator(".gs-pg-counter").get_attribute("data-loss") or "nan")


def test_play_trains_and_the_loss_shown_goes_down(shown):
    page = shown
    page.click(".gs-pg-play")
    page.wait_for_function("() => /epoch ([3-9]|\\d\\d)/.test("
                           "document.querySelector('.gs-pg-counter').textContent)", timeout=60_000)
    early = loss_shown(page)
    page.wait_for_function("() => /epoch ([4-9]\\d|\\d\\d\\d)/.test("
                           "document.querySelector('.gs-pg-counter').textContent)", timeout=90_000)
    speed = page.inner_text(".gs-pg-speed")
    page.click(".gs-pg-play")  # pause
    time.sleep(1.0)
    paused_at = epoch_shown(page)
    time.sleep(1.0)
    assert epoch_shown(page) == paused_at, "pause stops training"
    late = loss_shown(page)
    assert late < early, (early, late)
    assert "epochs/s" in speed and "updates/s" in speed
    (SHOTS / "playground_speed.txt").write_text(speed + "\n", encoding="utf-8")
    page.locator(".gs-pg").screenshot(path=str(SHOTS / "playground_2_trained.png"))


COLOURED = """async () => {
  // every neuron's heatmap and the decision surface: pixels that are not white
  const counts = [];
  for (const image of document.querySelectorAll('.gs-pg image.gs-pg-heatmap')) {
    const picture = new Image();
    picture.src = image.getAttribute('href');
    await picture.decode();
    const canvas = document.createElement('canvas');
    canvas.width = picture.width; canvas.height = picture.height;
    const context = canvas.getContext('2d');
    context.drawImage(picture, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) coloured++;
    counts.push(coloured);
  }
  const surface = document.querySelector('.gs-pg-surface');
  const data = surface.getContext('2d').getImageData(0, 0, surface.width, surface.height).data;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 235 || data[i + 2] < 235) coloured++;
  return {neurons: counts, surface: coloured, pixels: surface.width * surface.height};
}"""


def test_every_heatmap_and_the_surface_have_coloured_pixels(shown):
    counts = shown.evaluate(COLOURED)
    assert len(counts["neurons"]) == 8 + 8 + 1
    assert all(count > 0 for count in counts["neurons"]), counts["neurons"]
    assert counts["surface"] > counts["pixels"] // 2


def test_hovering_a_weight_shows_its_value_gradient_and_next_step(shown):
    page = shown
    hit = page.locator(".gs-pg-hit").nth(20)
    hit.hover(force=True)
    tip = page.inner_text(".gs-pg-tooltip")
    assert re.search(r"layers\.\d\.neurons\.\d\.w\.\d", tip)
    assert "w = " in tip and "∂L/∂w = " in tip and "next step Δw = " in tip
    page.mouse.move(5, 5)


def test_clicking_a_neuron_opens_its_chain_rule_graph_with_a_slider(shown):
    page = shown
    page.locator('.gs-pg-neuron[data-layer="2"][data-index="2"]').click()
    page.wait_for_selector(".gs-pg-chain .gs-pg-graph svg", timeout=120_000)
    caption = page.inner_text(".gs-pg-caption")
    total = int(re.search(r"of (\d+)", caption).group(1))
    assert caption.startswith(f"backward step {total} of {total}")
    assert "neuron 3 of layer 2" in page.inner_text(".gs-pg-chain-head")
    assert page.locator(".gs-pg-graph svg g.node").count() > 10
    slider = page.locator(".gs-pg-chain-slider")
    slider.fill("0")
    page.wait_for_function("() => document.querySelector('.gs-pg-caption').textContent"
                           ".startsWith('backward step 1 of')", timeout=30_000)
    page.locator(".gs-pg").screenshot(path=str(SHOTS / "playground_3_chain_rule.png"))


def test_the_picture_for_pages_is_hidden_while_the_widget_is_live(shown):
    page = shown
    cells = page.evaluate(CELLS)
    mimes = [m for cell in cells for m in cell["mimes"]]
    assert ["application/vnd.jupyter.widget-view+json", "text/plain"] in \
        [sorted(m) for m in mimes]
    assert ["image/svg+xml", "text/plain"] in [sorted(m) for m in mimes]
    hidden = page.evaluate("""() => {
        const live = document.querySelector('.gs-pg-live').closest('.jp-OutputArea-child');
        return getComputedStyle(live.nextElementSibling).display;
    }""")
    assert hidden == "none"


def test_no_request_left_the_local_server_and_no_script_failed(shown):
    assert shown.left == []
    assert shown.errors == []
    (SHOTS / "playground_requests.json").write_text(json.dumps(shown.left), encoding="utf-8")
