"""Files and folders private to the user running Kompas: files ``0600`` (rw-------), folders ``0700`` (rwx------).

Everything Kompas creates that may hold marked or secret content goes through here: the data folder, the SQLite
database, the audit and signing keys, and what commands export (reports, CDMs, CSV and JSON files). The mode is set
explicitly (``os.open`` with the mode, then ``fchmod``/``chmod``), never left to the umask; an existing regular
file that is rewritten is replaced by a new ``0600`` file (a reader who opened the old one does not see the new
content) and nothing is written through a symbolic link. Special files (``/dev/stdout``, a FIFO) are written to
but never chmodded.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

FILE_MODE = 0o600  #: rw------- for files
DIR_MODE = 0o700  #: rwx------ for folders


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` and any missing parents as ``0700`` folders; returns it. Folders that already exist are
    left as they are (a user's own choice, e.g. a shared output folder). Raises :class:`OSError` as ``mkdir``."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, DIR_MODE)
    return path


def tighten(path: str | os.PathLike[str]) -> None:
    """Make an existing regular file ``0600`` (when it is not already); nothing for a missing or special file or
    one this user may not change."""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass


def _fresh_fd(path: Path) -> int:
    """A descriptor for writing ``path`` from its start: a special file (``/dev/stdout``, a FIFO) as it is; else a
    new ``0600`` file, replacing an existing regular file rather than truncating it, so that whoever opened the old
    one while it was readable does not read the new content, and never written through a symbolic link."""
    try:
        target = os.stat(path)
    except FileNotFoundError:
        target = None
    if target is not None and not stat.S_ISREG(target.st_mode):
        return os.open(path, os.O_WRONLY)  # a special file: written to, never chmodded or replaced
    if target is not None:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise OSError(f"{path}: refusing to write a private file through a symbolic link")
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def _open_fd(path: Path, flags: int) -> int:
    if flags & os.O_TRUNC:
        return _fresh_fd(path)
    fd = os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


@overload
def open_private(path: str | os.PathLike[str], mode: Literal["w", "a"] = "w", **kwargs: Any) -> TextIO: ...


@overload
def open_private(path: str | os.PathLike[str], mode: Literal["wb", "ab"], **kwargs: Any) -> BinaryIO: ...


def open_private(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Open ``path`` for writing (``"w"``, ``"wb"``, ``"a"``, ``"ab"``; ``kwargs`` go to :func:`open`, e.g.
    ``newline=""``), created or tightened to ``0600`` first. Raises :class:`OSError` as :func:`open`."""
    if not mode or mode[0] not in "wa" or "+" in mode:
        raise ValueError(f"open_private writes only ('w' or 'a', text or binary), not {mode!r}")
    flags = os.O_WRONLY | (os.O_TRUNC if mode[0] == "w" else os.O_APPEND)
    fd = _open_fd(Path(path), flags)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    return os.fdopen(fd, mode, **kwargs)


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path``, created or tightened to ``0600``; returns the path."""
    path = Path(path)
    if isinstance(data, bytes):
        with open_private(path, "wb") as handle:
            handle.write(data)
    else:
        with open_private(path, "w") as handle:
            handle.write(data)
    return path


def create_private(path: str | os.PathLike[str]) -> bool:
    """Create ``path`` as an empty ``0600`` file if it does not exist (True when this call created it); an
    existing file is tightened to ``0600``. Raises :class:`OSError` when it cannot be created."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
        return False
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True
