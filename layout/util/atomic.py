"""Atomic file output: every PDF, page file, preview PNG and converted image is written to a temp file
next to its target and renamed over it, so a reader (the plate-maker's folder, a browser, the next
render) only ever sees whole files.

A temp file is named `.<target name>.<pid>.<random>.tmp` and holds an exclusive `flock` while it is
written. A render killed with SIGTERM or SIGHUP (and Ctrl-C, SIGINT, through KeyboardInterrupt)
removes its temp file before it exits with 128 + the signal's number; one killed with SIGKILL cannot,
so every write first removes the temp files of this naming in its folder that no live process holds
(its pid is gone and its lock is free). Temp files of the older naming, without a pid, are removed
once they are STALE_UNNAMED_SECONDS old.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

from .errors import BroadsheetError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the pid alone tells a live writer
    fcntl = None  # type: ignore[assignment]

# What we write, and so the only temp files a sweep may remove.
EXTENSIONS = ("pdf", "png", "jpg", "json", "yaml")  # yaml: `fit --write` and `new` write specs
_RANDOM = r"[a-z0-9_]{8}"  # tempfile's eight random characters
_EXT = "|".join(EXTENSIONS)
TEMP_WITH_PID = re.compile(rf"\..+\.(?:{_EXT})\.(?P<pid>\d+)\.{_RANDOM}\.tmp", re.DOTALL)
TEMP_WITHOUT_PID = re.compile(rf"\..+\.(?:{_EXT})\.{_RANDOM}\.tmp", re.DOTALL)
STALE_UNNAMED_SECONDS = 600.0  # no render takes this long to write one file
SWEEP_EVERY = 30.0  # s: a folder is swept at most this often by one process (batches, watch)
HANDLED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                        if hasattr(signal, name))
MAX_TEMP_NAME = 120  # bytes of the target's name kept in the temp name (a name is at most 255)
# Tests only: the name of a target whose write stops half-way for PAUSE_SECONDS, so that a test can
# kill the render while its temp file exists (one environment lookup per file written otherwise).
PAUSE_ENV = "BROADSHEET_TEST_PAUSE_IN_WRITE"
PAUSE_SECONDS = 60.0


class OutputError(BroadsheetError):
    """An output path that cannot be written, said as what it is and what to do. Exit 2."""

    exit_code = 2


_live: dict[str, Path] = {}  # temp file → target, of the writes under way in this process
_swept: dict[str, float] = {}  # folder → when this process last swept it
_lock = threading.Lock()


def write_atomically(data: bytes, target: Path, *, mode: int | None = None) -> None:
    """Write `data` to `target` through a locked temp file in the same folder, then rename it over
    the target: a failed or interrupted write never leaves a half-written file or a temp file.
    `mode`: the new file's permission bits (a rewritten spec keeps its own); by default 0o666 less
    the umask, as a newly created file."""
    target = Path(target)
    folder = target.parent
    ensure_folder(folder)
    sweep_stale(folder)
    fd, tmp = _open_temp(target)
    try:
        with _removed_on_signals(tmp, target), os.fdopen(fd, "wb") as f:
            _lock_file(f.fileno())
            try:
                _write(f, data, target)
                # mkstemp makes the file private; a PDF is not
                os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
                os.replace(tmp, target)
            except OSError as e:  # name the file asked for, not our temp file
                raise _write_error(target, e) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write(f, data: bytes, target: Path) -> None:
    if os.environ.get(PAUSE_ENV) == target.name:  # a test kills us here, half the file written
        f.write(data[:len(data) // 2])
        f.flush()
        time.sleep(PAUSE_SECONDS)
        f.write(data[len(data) // 2:])
    else:
        f.write(data)
    f.flush()
    os.fsync(f.fileno())


def _open_temp(target: Path) -> tuple[int, str]:
    name = target.name.encode("utf-8", "surrogateescape")[:MAX_TEMP_NAME].decode("utf-8", "ignore")
    try:
        return tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as e:  # name the file asked for, not our temp file
        raise _write_error(target, e) from None


def _write_error(target: Path, e: OSError) -> Exception:
    folder = target.parent
    if e.errno == errno.EROFS:
        return OutputError(f"cannot write output: {target}: {folder} is on a read-only file system",
                           "render into a writable folder (-o)")
    if e.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write output: {target}: no permission to write in {folder}",
                           "render into a folder you may write in (-o)")
    return OSError(e.errno, e.strerror, str(target))


# --------------------------------------------------------------------------------------------------
# The folder


def ensure_folder(folder: Path) -> None:
    """Create `folder` (and its parents) if needed. A path on the way that is not a folder is an
    OutputError that says what it is: a broken link, a file, a device."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _folder_error(folder, e) from None


def _folder_error(folder: Path, e: OSError) -> Exception:
    for path in (folder, *folder.parents):
        if path.is_symlink() and not path.exists():
            return OutputError(f"cannot write output: {path} is a broken link "
                               f"(to {os.readlink(path)})",
                               "create the folder it points to, or remove the link")
        if path.exists():
            if path.is_dir():
                break
            return OutputError(f"cannot write output: {path} is {_kind(path)}, not a folder",
                               "give a folder to render into (-o)")
    if e.errno == errno.EROFS:
        return OutputError(f"cannot write output: cannot create {folder}: "
                           "it is on a read-only file system", "render into a writable folder (-o)")
    if e.errno in (errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write output: cannot create {folder}: permission denied",
                           "render into a folder you may write in (-o)")
    return OSError(e.errno, e.strerror, str(folder))


def _kind(path: Path) -> str:
    mode = path.stat().st_mode
    for test, kind in ((stat.S_ISREG, "a file"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a folder"  # pragma: no cover


# --------------------------------------------------------------------------------------------------
# Stale temp files


def sweep_stale(folder: Path, *, force: bool = False) -> list[Path]:
    """Remove the temp files of our naming in `folder` that no live process is writing. At most
    once per SWEEP_EVERY seconds per folder and process, unless `force`. Returns those removed."""
    key = os.path.abspath(folder)
    now = time.monotonic()
    with _lock:
        if not force and now - _swept.get(key, -SWEEP_EVERY) < SWEEP_EVERY:
            return []
        _swept[key] = now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        if _is_stale(entry) and _remove_if_unlocked(entry.path):
            removed.append(Path(entry.path))
    return removed


def _is_stale(entry: os.DirEntry) -> bool:
    named = TEMP_WITH_PID.fullmatch(entry.name)
    if named:
        return not _pid_alive(int(named["pid"]))
    if TEMP_WITHOUT_PID.fullmatch(entry.name):
        try:
            return time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_UNNAMED_SECONDS
        except OSError:
            return False
    return False


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or an odd number: leave its file alone
    return True


def _remove_if_unlocked(path: str) -> bool:
    """Unlink `path` unless a process holds its lock (a writer in another pid namespace, whose pid
    we cannot see). Only regular files: a link or a folder of that name is not ours."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # held: being written
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _lock_file(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a file system without locks: the pid still tells
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


# --------------------------------------------------------------------------------------------------
# Signals


@contextlib.contextmanager
def _removed_on_signals(tmp: str, target: Path) -> Iterator[None]:
    """While `tmp` exists, SIGTERM and SIGHUP remove it and end the process with 128 + the signal
    (only in the main thread, and only where the signal still has its default action: a caller's
    own handler is left alone). SIGINT raises KeyboardInterrupt, which the writer's cleanup sees."""
    with _lock:
        _live[tmp] = target
    installed: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in HANDLED_SIGNALS:
            if signal.getsignal(signum) == signal.SIG_DFL:
                installed[signum] = signal.signal(signum, _terminate)
    try:
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)
        with _lock:
            _live.pop(tmp, None)


def _terminate(signum: int, frame) -> None:
    name = signal.Signals(signum).name
    for tmp, target in list(_live.items()):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"{target}: not written, terminated by {name}; "
                             "the previous file, if any, is unchanged\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(128 + signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
