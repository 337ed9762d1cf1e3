"""Saving a file safely: a temporary file beside it, flushed to disk, renamed over it.

Whoever reads the file sees the old contents or the new, never half of either,
even if the process is killed or the disk fills up mid-write: the rename is
the one step that changes the file, and the operating system does it whole.
What this keeps of the old file, and what no rename can keep (the same
promises well-kept atomic-write libraries make, and the same limits):

* its permission bits: a private 0600 file stays 0600 (a new file gets
  0666 less the umask, as ``open(path, "w")`` would give it);
* a symbolic link stays a link: the file it points to is replaced, and the
  temporary file is written beside that file (a rename cannot cross file
  systems); a link to a file that does not exist yet creates that file;
* a file no one may write (``chmod a-w``, mode 0444) is refused, even when
  running as root, who could replace it: someone made it read-only on
  purpose. So is anything but a regular file (a folder, a FIFO, a device
  such as /dev/null, which a rename would replace by a plain file);
* hard links are split: the rename gives the path a new file, and the other
  names of the old file keep the old contents. Writing in place would keep
  them, but a crash could then leave half a file; this module keeps the file
  whole instead. The new file also belongs to whoever saves it;
* a save killed before its rename (``kill -9``, a crashed kernel, a power cut)
  leaves its temporary file, named ``.NAME.gradschool-save.PID.XXXXXXXX.tmp``
  so that it is recognisably ours. The next save of the same file removes
  such leftovers once they are abandoned: their process has ended and they
  have not changed for 10 minutes, or they have not changed for a day.
  Nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time

ABANDONED_AFTER = 10 * 60  # seconds untouched, once the process that wrote it has ended
ABANDONED_ANYWAY_AFTER = 24 * 60 * 60  # seconds untouched, whatever its process ID says
_MARK = "gradschool-save"
_NAME_KEPT = 100  # characters of the file's name kept in a temporary's name (NAME_MAX is 255)


def write_atomically(path: str | os.PathLike[str], data: bytes, what: str = "the model") -> None:
    """Replace the file at ``path`` by ``data``, all at once (see the module docstring).

    Errors name ``path`` as the user gave it (``cannot save the model to
    'm.json': ...``), never the temporary file.
    """
    given = os.fspath(path)
    target = os.path.realpath(given)  # through symbolic links, to the file they point to
    prefix = f"cannot save {what} to {given!r}"
    if os.path.islink(given):
        prefix += f" (a link to {target!r})"
    mode = _check_target(given, target, prefix)
    folder, name = os.path.split(target)
    remove_abandoned(folder, name)
    temporary = os.path.join(folder, f".{name[:_NAME_KEPT]}.{_MARK}.{os.getpid()}."
                                     f"{os.urandom(4).hex()}.tmp")
    descriptor = _create(temporary, prefix, folder)
    try:
        try:
            _write(descriptor, temporary, data, mode)
            os.replace(temporary, target)
        except BaseException:  # an error or Ctrl-C: no temporary file left behind
            with contextlib.suppress(OSError):
                os.remove(temporary)
            raise
    except OSError as error:  # the same kind of error, about the user's path
        raise type(error)(error.errno, f"{prefix}: {error.strerror or error}") from None
    _flush_folder(folder)


def remove_abandoned(folder: str, name: str) -> list[str]:
    """Remove this module's abandoned temporary files for the file ``name`` in ``folder``.

    Only files named as ``write_atomically`` names them, for this ``name``,
    and abandoned (see the module docstring); returns the paths removed.
    """
    pattern = re.compile(re.escape(f".{name[:_NAME_KEPT]}.{_MARK}.") + r"(\d+)\.[0-9a-f]{8}\.tmp")
    removed: list[str] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:  # cleaning up must never be what makes a save fail
        return removed
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found and _abandoned(entry, int(found[1]), now):
            with contextlib.suppress(OSError):  # another save may have removed it first
                os.remove(entry.path)
                removed.append(entry.path)
    return removed


# --- helpers ---------------------------------------------------------------------------

def _check_target(given, target, prefix):
    """The mode bits the new file keeps (None for a new file); raise if it must not be written."""
    folder = os.path.dirname(target)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not os.path.isdir(folder):
            shown = folder if os.path.islink(given) else os.path.dirname(given)  # as written
            raise FileNotFoundError(errno.ENOENT, f"{prefix}: the folder {shown!r} does not "
                                    f"exist; create it first (os.makedirs({shown!r}, "
                                    "exist_ok=True)) or save somewhere else") from None
        return None
    except OSError as error:  # a link that points to itself, a path through a file, ...
        raise type(error)(error.errno, f"{prefix}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        example = os.path.join(given, "model.json")
        raise IsADirectoryError(errno.EISDIR, f"{prefix}: it is a folder; give a file name, "
                                f"such as {example!r}")
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, f"{prefix}: it is not a regular file (a device, a FIFO or a "
                      "socket), and saving would replace it by one; save to a file instead")
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        whose = "" if not mode & 0o222 else ", for you: another user owns it"
        raise PermissionError(errno.EACCES, f"{prefix}: the file is read-only (mode {mode:04o}"
                              f"{whose}); save under another name, or make it writable first "
                              "(os.chmod(path, 0o644)) to replace it")
    return mode


def _create(temporary, prefix, folder):
    """A descriptor of the new file ``temporary``, which must not exist yet."""
    try:
        # mode 0o666 lets the umask decide, as open() would; _write copies an existing file's
        return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                       | getattr(os, "O_BINARY", 0), 0o666)
    except PermissionError as error:
        raise PermissionError(error.errno, f"{prefix}: cannot create a file in the folder "
                              f"{folder!r} ({error.strerror}); a safe save writes the new file "
                              "beside the old one, then renames it: save somewhere else") from None
    except OSError as error:
        raise type(error)(error.errno, f"{prefix}: {error.strerror or error}") from None


def _write(descriptor, temporary, data, mode):
    """Write ``data`` through ``descriptor``, flush it to the disk, close it."""
    try:
        if mode is not None:
            os.chmod(temporary, mode)
        view = memoryview(data)
        while view:  # os.write may write less than it was given
            view = view[os.write(descriptor, view):]
        os.fsync(descriptor)  # on the disk before the rename, so a power cut cannot empty it
    finally:
        os.close(descriptor)


def _flush_folder(folder):
    """Make the rename itself survive a power cut (POSIX; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):  # some file systems refuse; the file is in place anyway
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _abandoned(entry, pid, now):
    """True when a temporary file of ours was left by a save that will never finish."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):  # named like ours, but a link or a folder: not ours
        return False
    untouched = now - info.st_mtime
    return untouched > ABANDONED_ANYWAY_AFTER or (
        untouched > ABANDONED_AFTER and not _running(pid))


def _running(pid):
    """Whether process ``pid`` exists on this machine (assumed so where that cannot be asked)."""
    if os.name != "posix":
        return True  # on Windows os.kill would end the process: rely on the age alone
    try:
        os.kill(pid, 0)  # signal 0 checks that the process exists, and sends nothing
    except (ProcessLookupError, OverflowError):  # none, or a number no process ID can be
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True
