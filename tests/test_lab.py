"""A course notebook run in a real JupyterLab, in headless Chromium, as a learner runs it.

The test starts ``jupyter lab`` on 127.0.0.1 (a free port, a token, no browser,
its own settings, workspaces and data folders, ``expose_app_in_browser`` so
that the page can be driven through ``window.jupyterapp``), opens a copy of
notebook 04 in a fresh browser context, runs every cell with
``notebook:run-all-cells`` and waits until that promise has resolved, the
kernel is idle, no prompt shows ``[*]`` and the page has stopped changing.
Then: the drawings are SVG pictures (not the text of an untrusted output),
the progress bar is a widget, no output is an error or a warning, and every
solution shows only its button, no answer. A click on one button must then
show that solution's answer. JupyterLab's windowing is turned off, since it
does not draw cells that are off-screen.

Skipped, saying what to install, without JupyterLab, Playwright or Chromium.
"""

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import browser as checker

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04_gradient_descent_and_logistic_regression.ipynb"
SCREENSHOT = ROOT / "out" / "screenshots" / "lab_04_gradient_descent.png"
SETTINGS = {  # JupyterLab's user settings: every cell drawn, nothing fetched from the web
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``(url, token, folder)``: a JupyterLab serving a folder with a copy of notebook 04."""
    yield from serve(tmp_path_factory, lambda folder: shutil.copy(NOTEBOOK, folder / NOTEBOOK.name))


def serve(tmp_path_factory, fill):
    """Start JupyterLab on a folder that ``fill(folder)`` puts notebooks in; yield its address.

    Yields ``(url, token, folder)``, and stops the server after. Skips without JupyterLab.
    """
    if importlib.util.find_spec("jupyterlab") is None:
        pytest.skip("JupyterLab is not installed: pip install -e '.[browser]'")
    home = tmp_path_factory.mktemp("lab")
    folder = home / "course"
    folder.mkdir()
    fill(folder)
    for name, values in SETTINGS.items():
        (home / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (home / "settings" / name).write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), os.urandom(16).hex()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython")}
    env.pop("GRADSCHOOL_SOLUTIONS", None)  # a learner's kernel: solutions wait for a click
    log = open(home / "lab.log", "w")  # closed once the server has stopped
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={home / 'settings'}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, token, server, home / "lab.log")
        yield url, token, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_for_server(url, token, server, log, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"jupyter lab did not answer within {seconds} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def page(lab):
    yield from browse(lab, NOTEBOOK.name)


def browse(lab, name, viewport=(checker.WIDTH, checker.HEIGHT)):
    """A page of headless Chromium on JupyterLab at ``lab``, opened on notebook ``name``.

    Every request that would leave the server is refused and listed in ``page.left``;
    JavaScript errors are listed in ``page.errors``. Skips without Chromium or Playwright.
    """
    found = checker.chromium()
    if isinstance(found, str):
        pytest.skip(found)
    url, token, _ = lab
    playwright, chromium = checker.launch(*found)
    context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.errors, page.left = [], []

    def only_the_server(route):
        # Nothing but the local server: JupyterLab must not need the network either.
        if route.request.url.startswith((url, "data:", "blob:")):
            route.continue_()
        else:
            page.left.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{url}/lab/tree/{name}?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started",
                           timeout=90_000)
    try:
        yield page
    finally:
        context.close()
        chromium.close()
        playwright.stop()


OPEN_AND_RUN = """async (path) => {
  const app = window.jupyterapp;
  await app.started;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
  window.panel = panel;
  return await app.commands.execute('notebook:run-all-cells');
}"""

SETTLED = """() => {
  const panel = window.panel;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const prompts = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
                       .map(prompt => prompt.textContent);
  return kernel !== null && kernel.status === 'idle'
         && !prompts.some(text => text.includes('*'));
}"""

CELLS = """() => window.panel.content.widgets.map(cell => ({
  type: cell.model.type,
  tags: cell.model.getMetadata('tags') || [],
  inputHidden: cell.inputHidden,
  mimes: cell.model.type === 'code'
         ? Array.from({length: cell.model.outputs.length},
                      (_, i) => Object.keys(cell.model.outputs.get(i).data))
         : [],
  text: cell.model.type === 'code' && cell.outputArea ? cell.outputArea.node.innerText : '',
  svgPictures: cell.model.type === 'code' && cell.outputArea
      ? cell.outputArea.node.querySelectorAll(
          '.jp-RenderedSVG img[src^="data:image/svg+xml"], .jp-RenderedSVG svg').length : 0,
  pictures: cell.model.type === 'code' && cell.outputArea
      ? cell.outputArea.node.querySelectorAll('img, svg').length : 0,
  progressBars: cell.model.type === 'code' && cell.outputArea
      ? cell.outputArea.node.querySelectorAll('.widget-hprogress .progress-bar').length : 0,
  errors: cell.model.type === 'code' && cell.outputArea
      ? cell.outputArea.node.querySelectorAll(
          '[data-mime-type="application/vnd.jupyter.stderr"]').length : 0,
  buttons: cell.model.type === 'code' && cell.outputArea
      ? Array.from(cell.outputArea.node.querySelectorAll('button'))
             .map(button => button.textContent.trim()) : [],
}))"""


def wait_until_settled(page, seconds=120):
    """Until the kernel is idle, no prompt shows [*], and the notebook's HTML stops changing."""
    deadline = time.monotonic() + seconds
    last, same = None, 0
    while time.monotonic() < deadline:
        if page.evaluate(SETTLED):
            html = page.evaluate("() => window.panel.node.innerHTML.length")
            same = same + 1 if html == last else 0
            last = html
            if same >= 3:
                return
        time.sleep(0.5)
    raise AssertionError(f"the notebook did not settle within {seconds} s")


@pytest.fixture(scope="module")
def cells(page):
    """The notebook's cells as JupyterLab shows them after 'Run All Cells'."""
    ran = page.evaluate(OPEN_AND_RUN, NOTEBOOK.name)
    wait_until_settled(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    return ran, page.evaluate(CELLS)


def test_run_all_cells_completes(cells, page):
    ran, _ = cells
    assert ran is True
    assert page.errors == []


def test_drawings_show_as_svg_pictures(cells):
    _, shown = cells
    drawings = [cell for cell in shown if any("image/svg+xml" in mimes for mimes in cell["mimes"])]
    assert drawings, "notebook 04 draws a graph"
    for cell in drawings:
        assert cell["svgPictures"] >= 1, cell["text"][:300]
        assert "<Drawing of" not in cell["text"] and "untrusted" not in cell["text"]


def test_the_progress_bar_is_a_widget(cells):
    _, shown = cells
    bars = [cell for cell in shown
            if any("application/vnd.jupyter.widget-view+json" in mimes for mimes in cell["mimes"])
            and "solution" not in cell["tags"]]
    assert bars, "notebook 04 trains with nn.fit, which shows a progress bar"
    for cell in bars:
        assert cell["progressBars"] == 1, cell["text"][:300]
        assert "HBox(" not in cell["text"] and "Error displaying widget" not in cell["text"]


def test_no_output_is_an_error_or_a_warning(cells):
    _, shown = cells
    assert [cell["text"][:500] for cell in shown if cell["errors"]] == []


def test_solutions_show_only_their_button(cells):
    _, shown = cells
    solutions = [cell for cell in shown if "solution" in cell["tags"]]
    assert len(solutions) == 3
    for cell in solutions:
        assert cell["inputHidden"] is True
        assert cell["buttons"] == ["Run the solution (shows the answer)"]
        assert cell["text"].strip() == "Run the solution (shows the answer)"
        assert cell["pictures"] == 0


def test_a_click_on_a_solution_button_shows_the_answer(cells, page):
    button = page.locator(".jp-Notebook .jp-OutputArea button",
                          has_text="Run the solution").first
    button.click()
    page.wait_for_function("""() => {
        const cell = window.panel.content.widgets.filter(
            cell => (cell.model.getMetadata('tags') || []).includes('solution'))[0];
        return cell.outputArea.node.innerText.trim().length > 40;
    }""", timeout=60_000)
    wait_until_settled(page)
    answer = page.evaluate(CELLS)
    first = next(cell for cell in answer if "solution" in cell["tags"])
    assert first["errors"] == 0, first["text"][:500]
