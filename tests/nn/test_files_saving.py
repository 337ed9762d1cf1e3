"""Saving over a file the user has: it stays whole, keeps what a rename can keep, says the rest.

A save writes a temporary file beside the old one and renames it over it
(``nn/atomic.py``). These tests pin what that keeps (permissions, links),
what it refuses (read-only files, FIFOs), what it documents (hard links are
split), and that a save killed mid-write leaves the old file and, in the
end, no temporary file.
"""

import json
import math
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import nn
from nn import atomic

ROOT = Path(__file__).resolve().parents[2]
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions, links and signals")
OURS = re.compile(r"\.model\.json\.gradschool-save\.(\d+)\.[0-9a-f]{8}\.tmp")


def old_and_new(path):
    """Save a first model at ``path``; return its text and a second, different model."""
    nn.MLP(2, [3, 1], seed=0).save(path)
    return path.read_text(), nn.MLP(2, [3, 1], seed=1)


def same_model(path, model):
    return nn.load(path).state_dict() == model.state_dict()


# --- what the replaced file keeps ------------------------------------------------------------

@posix
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path, mode):
    # a private 0600 file became 0644 after a save
    path = tmp_path / "model.json"
    _, new = old_and_new(path)
    os.chmod(path, mode)
    new.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert same_model(path, new)


@posix
def test_a_new_file_gets_the_permissions_open_would_give_it(tmp_path):
    umask = os.umask(0o027)
    try:
        nn.MLP(2, [3, 1], seed=0).save(tmp_path / "model.json")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "model.json").st_mode) == 0o640


@posix
def test_save_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path, monkeypatch):
    # the link became a regular file, and the file it pointed to was left unchanged
    (tmp_path / "runs").mkdir()
    target, link = tmp_path / "runs" / "model.json", tmp_path / "model.json"
    _, new = old_and_new(target)
    os.chmod(target, 0o600)
    link.symlink_to(os.path.join("runs", "model.json"))
    renames = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda *paths: (renames.append(paths), replace(*paths)))
    new.save(link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("runs", "model.json")
    assert same_model(target, new) and stat.S_IMODE(os.stat(target).st_mode) == 0o600
    [(temporary, renamed)] = renames
    assert os.path.dirname(temporary) == str(target.parent) and renamed == str(target)
    assert sorted(os.listdir(tmp_path)) == ["model.json", "runs"]
    assert os.listdir(tmp_path / "runs") == ["model.json"]


@posix
def test_save_through_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(link)
    assert link.is_symlink() and same_model(tmp_path / "elsewhere.json", model)


@posix
def test_save_through_a_symlink_loop_names_the_path(tmp_path):
    loop = tmp_path / "model.json"
    loop.symlink_to(loop)
    with pytest.raises(OSError) as error:
        nn.MLP(2, [3, 1], seed=0).save(loop)
    assert f"cannot save the model to {str(loop)!r}" in str(error.value)
    assert loop.is_symlink() and os.listdir(tmp_path) == ["model.json"]


def test_save_refuses_a_read_only_file_and_leaves_it_as_it_was(tmp_path):
    # a 0444 file was overwritten: the rename needs only the folder to be writable
    path = tmp_path / "model.json"
    old, new = old_and_new(path)
    os.chmod(path, 0o444)
    try:
        with pytest.raises(PermissionError) as error:
            new.save(path)
        assert path.read_text() == old and os.listdir(tmp_path) == ["model.json"]
    finally:
        os.chmod(path, 0o644)
    message = str(error.value)
    assert f"cannot save the model to {str(path)!r}: the file is read-only" in message
    assert "save under another name" in message and "os.chmod" in message
    new.save(path)  # once it is writable again, it is replaced
    assert same_model(path, new)


@posix
def test_save_splits_a_hard_link_as_its_docstring_says(tmp_path):
    # the documented limit of an atomic replace: the other name keeps the old contents
    path, other = tmp_path / "model.json", tmp_path / "backup.json"
    old, new = old_and_new(path)
    os.link(path, other)
    new.save(path)
    assert other.read_text() == old and same_model(path, new)
    assert os.stat(path).st_nlink == 1 and os.stat(other).st_nlink == 1
    assert "hard links are split" in atomic.__doc__ and "hard link" in nn.Module.save.__doc__


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_save_refuses_a_fifo_instead_of_replacing_it_by_a_file(tmp_path):
    # /dev/null (as root) or a FIFO was replaced by a regular file
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="it is not a regular file"):
        nn.MLP(2, [3, 1], seed=0).save(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["model.json"]


def test_a_long_file_name_still_saves(tmp_path):
    # the temporary file's name is longer than the file's: it must still fit in 255 bytes
    path = tmp_path / ("m" * 245 + ".json")
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    assert same_model(path, model) and os.listdir(tmp_path) == [path.name]


def test_saving_a_nan_threshold_names_the_threshold_not_json(tmp_path):
    # it failed with JSON's own words: "Out of range float values are not JSON compliant"
    path = tmp_path / "model.json"
    old, model = old_and_new(path)
    for threshold, words in [(math.nan, "model.threshold is nan"), (math.inf, "is inf"),
                             ("half", "model.threshold must be a number, got str 'half'"),
                             (True, "got bool True")]:
        model.threshold = threshold
        with pytest.raises(ValueError) as error:
            model.save(path)
        message = str(error.value)
        assert message.startswith("cannot save the model: model.threshold ") and words in message
        assert "JSON" not in message
        assert path.read_text() == old and os.listdir(tmp_path) == ["model.json"]
    model.threshold = 0  # an int is written as the float it means
    model.save(path)
    assert json.loads(path.read_text())["threshold"] == 0.0 and nn.load(path).threshold == 0.0


def test_a_config_json_cannot_hold_is_refused_naming_the_architecture(tmp_path, monkeypatch):
    class Odd(nn.Module):
        def __init__(self):
            self.w = nn.Neuron(1, "linear").b

        def config(self):
            return {"sizes": {1, 2}}  # a set: JSON has none

    monkeypatch.setitem(nn.module._ARCHITECTURES, "Odd", Odd)  # removed after the test
    nn.register(Odd)
    with pytest.raises(ValueError) as error:
        Odd().save(tmp_path / "m.json")
    message = str(error.value)
    assert "cannot save the model: its architecture {'type': 'Odd'" in message
    assert "not plain JSON data" in message and "config()" in message
    assert os.listdir(tmp_path) == []


# --- a save killed mid-write --------------------------------------------------------------

KILLED = """
import os, signal, sys
import nn

def die(*args):  # as kill -9 would: no except, no finally, nothing cleaned up
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(9)

write = os.write
def write_half_then_die(descriptor, data):
    write(descriptor, bytes(data[: len(data) // 2]))
    die()

if sys.argv[2] == "mid-write":
    os.write = write_half_then_die
else:  # all written, killed while flushing it to the disk, before the rename
    os.fsync = die
nn.MLP(2, [16, 16, 1], seed=1).save(sys.argv[1])
"""


@pytest.mark.parametrize("when", ["mid-write", "before-rename"])
def test_a_save_killed_mid_write_leaves_the_old_file_and_no_temporary_forever(tmp_path, when):
    # each killed save left a hidden 50-90 MB temporary file that nothing ever removed
    path = tmp_path / "model.json"
    old, new = old_and_new(path)
    process = subprocess.Popen([sys.executable, "-c", KILLED, str(path), when], cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    _, errors = process.communicate(timeout=300)  # the timeout only ends a hang
    assert process.returncode != 0, errors
    assert path.read_text() == old  # the old file is whole
    [left] = [name for name in os.listdir(tmp_path) if name != "model.json"]
    assert OURS.fullmatch(left) and int(OURS.fullmatch(left)[1]) == process.pid
    assert 0 < os.path.getsize(tmp_path / left)

    new.save(path)  # a fresh leftover is kept: its save might still be running elsewhere
    assert same_model(path, new) and left in os.listdir(tmp_path)
    ten_minutes_ago = time.time() - atomic.ABANDONED_AFTER - 1
    os.utime(tmp_path / left, (ten_minutes_ago, ten_minutes_ago))
    nn.MLP(2, [3, 1], seed=2).save(path)  # the next save removes the abandoned one
    assert os.listdir(tmp_path) == ["model.json"]
    assert same_model(path, nn.MLP(2, [3, 1], seed=2))


def leftover(folder, name, pid, age, kind="file"):
    """A file (or folder, or link) named ``name`` in ``folder``, last changed ``age`` s ago."""
    path = folder / name.format(pid=pid)
    if kind == "folder":
        path.mkdir()
    elif kind == "link":
        path.symlink_to(folder / "model.json")
    else:
        path.write_text("{")
    then = time.time() - age
    os.utime(path, (then, then), follow_symlinks=False)
    return path.name


HOUR, DAY = 60 * 60, 24 * 60 * 60
GONE = 999_999_999  # above any pid_max: no such process
TEMPORARY = ".model.json.gradschool-save.{pid}.0123abcd.tmp"


@posix
@pytest.mark.parametrize("name, pid, age, kind, removed", [
    (TEMPORARY, GONE, HOUR, "file", True),  # its process ended: abandoned
    (TEMPORARY, GONE, 60, "file", False),  # too fresh to be sure
    (TEMPORARY, 10**30, HOUR, "file", True),  # a number no process ID can be: none runs
    (TEMPORARY, os.getpid(), HOUR, "file", False),  # its process runs: maybe still saving
    (TEMPORARY, os.getpid(), 2 * DAY, "file", True),  # untouched for a day: abandoned anyway
    (TEMPORARY, GONE, HOUR, "folder", False),  # named like ours, but not a file we write
    (TEMPORARY, GONE, HOUR, "link", False),
    (".other.json.gradschool-save.{pid}.0123abcd.tmp", GONE, HOUR, "file", False),  # not ours
    (".model.json.{pid}.0123abcd.tmp", GONE, HOUR, "file", False),  # not our mark
    (".model.json.gradschool-save.{pid}.0123abcd.tmp.bak", GONE, HOUR, "file", False),
    ("model.json.gradschool-save.{pid}.0123abcd.tmp", GONE, HOUR, "file", False),
])
def test_a_save_removes_only_its_own_abandoned_temporary_files(tmp_path, name, pid, age, kind,
                                                               removed):
    path = tmp_path / "model.json"
    _, new = old_and_new(path)
    name = leftover(tmp_path, name, pid, age, kind)
    new.save(path)
    assert (name not in os.listdir(tmp_path)) == removed
    assert same_model(path, new)


def test_where_processes_cannot_be_asked_only_the_age_counts(tmp_path, monkeypatch):
    # on Windows os.kill(pid, 0) would end the process instead of asking about it
    for age in (HOUR, 2 * DAY):
        leftover(tmp_path, TEMPORARY, GONE if age == HOUR else GONE - 1, age)

    def never(*args):
        raise AssertionError("os.kill was called")

    with monkeypatch.context() as patched:
        patched.setattr(os, "name", "nt")
        patched.setattr(os, "kill", never)
        removed = atomic.remove_abandoned(str(tmp_path), "model.json")
    assert [os.path.basename(path) for path in removed] == [TEMPORARY.format(pid=GONE - 1)]
    assert os.listdir(tmp_path) == [TEMPORARY.format(pid=GONE)]
