"""The compiled WebAssembly Graphviz, kept in a per-user cache folder between processes.

Compiling Graphviz's 0.9 MB of WebAssembly to machine code takes 1-6 s, and
a fresh kernel did it before its first drawing. The compiled code is written
once to ``<user cache>/gradschool/`` and read back in milliseconds.

A cache file is named after everything that decides its contents: a digest
of the WebAssembly, the engine's settings and wasmtime's version. It starts
with a header (a magic line, that name, the SHA-256 of the rest), is written
to a temporary file and renamed into place (a reader never sees half a
file), and is checked before use: a file that is short, altered, or from
another version is ignored and replaced. Any failure to read or write it
(a read-only home, a full disk, no home at all) only costs the compile:
drawing never fails because of the cache. ``GRADSCHOOL_CACHE`` names another
folder, or turns the cache off with ``off``.

Like any cache of machine code (pip's wheels, Python's .pyc files), it is
trusted as the user's own files are: the folder is made private to the user,
and the checksum catches corruption, not tampering by someone who can write
there.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAGIC = b"gradschool compiled graphviz 1\n"


def compiled(wasm: bytes, key: str, *, compile: Callable[[], Any],
             save: Callable[[Any], bytes], load: Callable[[bytes], Any]) -> Any:
    """The module compiled from ``wasm``: loaded from the cache, else compiled and cached.

    ``key`` names what else decides the compiled code (engine settings,
    runtime version); ``compile()`` makes the module, ``save(module)`` turns
    it into bytes and ``load(bytes)`` back into a module.
    """
    name = f"graphviz-{hashlib.sha256(wasm).hexdigest()[:16]}-{key}"
    path = _path(name)
    if path is not None:
        module = _read(path, name, load)
        if module is not None:
            return module
    module = compile()
    if path is not None:
        try:
            _write(path, name, save(module))
        except Exception:  # noqa: BLE001 - an unwritable cache only costs the next compile
            pass
    return module


def folder() -> Path | None:
    """Where the cache lives: ``$GRADSCHOOL_CACHE``, else the user's cache folder; None: off."""
    chosen = os.environ.get("GRADSCHOOL_CACHE")
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "gradschool", "cache") if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "gradschool"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "gradschool")


def _path(name: str) -> Path | None:
    try:
        place = folder()
    except (OSError, RuntimeError):  # no home folder to be found
        return None
    return None if place is None else place / (_safe(name) + ".bin")


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in name)


def _read(path: Path, name: str, load: Callable[[bytes], Any]) -> Any:
    """The module in ``path`` if the file is whole and for ``name``, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = MAGIC + name.encode() + b"\n"
    digest_end = len(header) + 64
    if not data.startswith(header) or len(data) < digest_end + 1:
        return None
    digest, payload = data[len(header):digest_end], data[digest_end + 1:]
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        return load(payload)
    except Exception:  # noqa: BLE001 - wasmtime refuses code from another build: compile anew
        return None


def _write(path: Path, name: str, payload: bytes) -> None:
    """Write the cache file atomically: a temporary file in the folder, then a rename."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_stale_temporaries(path.parent)
    header = MAGIC + name.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".graphviz-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(header + payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(place: Path, age: float = 3600.0) -> None:
    """Remove the temporaries of writes killed half-way (over an hour old: not in progress)."""
    for temporary in place.glob(".graphviz-*.tmp"):
        try:
            if time.time() - temporary.stat().st_mtime > age:
                temporary.unlink()
        except OSError:
            pass
