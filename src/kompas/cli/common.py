"""Shared pieces of the command line: consoles, the progress bar, the marking options, and the checks that turn
bad paths, times and databases into a one-line error and exit status 2 (never a traceback).

Path options take their check as a Typer ``callback`` (it runs while the command line is parsed, before any work):
:func:`input_files` (files, folders or glob patterns, expanded to files), :func:`input_sets` (the same, folders
kept whole), :func:`text_file` (one existing, non-empty text file), :func:`output_file` and :func:`output_folder`
(writable; missing folders are created), :func:`utc_time` (ISO 8601 UTC).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

CLASSIFICATION_OPTION = Annotated[str, typer.Option("--classification", help="Classification of what is stored.")]
TLP_OPTION = Annotated[str, typer.Option("--tlp", help="TLP for sharing outside the platform.")]
RELEASABLE_OPTION = Annotated[list[str] | None, typer.Option("--releasable-to", help="Organisation or country code "
                                                                                     "it may be released to "
                                                                                     "(repeatable; default: no "
                                                                                     "restriction).")]
COMMUNITY_OPTION = Annotated[list[str] | None, typer.Option("--community", help="Need-to-know community "
                                                                                "(repeatable; default: none, "
                                                                                "clearance alone decides).")]

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[float], None]]:
    """A progress bar on standard error (drawn only on a terminal); yields ``advance_to(done)``."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True,
                  disable=not err_console.is_terminal) as progress:  # no blank lines in logs and pipes
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)


@contextmanager
def report_errors() -> Iterator[None]:
    """Around a report command's rendering: a ``--banner`` below the combined marking of what the report read
    (:class:`kompas.services.reports.BannerError`) or no PDF renderer on this machine ends the command with one
    line and exit 2; the command's own exits pass through (``typer.Exit`` is a RuntimeError too)."""
    from kompas.services.reports import BannerError

    try:
        yield
    except typer.Exit:
        raise
    except BannerError as error:
        err_console.print(f"error: --banner: {error}", highlight=False)
        raise typer.Exit(2) from None
    except RuntimeError as error:
        err_console.print(f"error: {error}", highlight=False)
        raise typer.Exit(2) from None


# -- checks attached to options (Typer callbacks) --------------------------------------------------------------

_SNIFF_BYTES = 65536  #: How much of a file :func:`text_file` reads to tell text from binary data.


def input_files(value: list[Path] | None) -> list[Path] | None:
    """Files, folders (their data files) or glob patterns (``'snapshots/active_*.tle'``, quoted so that the shell
    leaves them), expanded to the files to read, in order; a missing path or a pattern matching nothing is a usage
    error naming it (exit 2)."""
    from kompas.files import expand

    if value is None:
        return None
    try:
        return expand(value)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from None


def input_sets(value: list[Path] | None) -> list[Path] | None:
    """As :func:`input_files`, but folders are kept whole (readers that take a data set's folder, such as the
    EUvsDisinfo or DISARM folders and the CSET chipexplorer folder)."""
    from kompas.files import expand

    if value is None:
        return None
    try:
        return expand(value, folders=False)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from None


def text_file(value: Path | None) -> Path | None:
    """One existing, readable, non-empty file that holds text (not binary data); else a usage error naming it."""
    if value is None:
        return None
    path = Path(os.path.expanduser(value))
    if not path.exists():
        raise typer.BadParameter(f"{value}: no such file")
    if path.is_dir():
        raise typer.BadParameter(f"{value}: a folder, not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise typer.BadParameter(f"{value}: cannot read it ({error.strerror or error})") from None
    if not head.strip():
        raise typer.BadParameter(f"{value}: the file is empty")
    text = head.decode("utf-8", errors="replace")
    if b"\0" in head or text.count("\ufffd") > len(text) // 10:
        raise typer.BadParameter(f"{value}: binary data, not a text file")
    return path


def output_file(value: Path | None) -> Path | None:
    """A file that can be written: not a folder; its folder is created when missing; an existing file is not
    changed by the check. Else a usage error naming the path and the reason."""
    if value is None:
        return None
    path = Path(os.path.expanduser(value))
    if path.is_dir():
        raise typer.BadParameter(f"{value}: a folder; give a file name")
    _make_folder(path.parent, value)
    try:
        if path.exists():
            with path.open("a"):
                pass
        else:
            with path.open("x"):
                pass
            path.unlink()
    except OSError as error:
        raise typer.BadParameter(f"{value}: cannot write it ({error.strerror or error})") from None
    return path


def output_folder(value: Path | None) -> Path | None:
    """A folder that can be written into, created when missing; else a usage error naming it and the reason."""
    import tempfile

    if value is None:
        return None
    path = Path(os.path.expanduser(value))
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{value}: a file, not a folder")
    _make_folder(path, value)
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise typer.BadParameter(f"{value}: cannot write in it ({error.strerror or error})") from None
    return path


def _make_folder(folder: Path, shown: object) -> None:
    from kompas.private import private_dir  # created folders are 0700 (issue 18 #9)

    try:
        private_dir(folder)
    except OSError as error:
        raise typer.BadParameter(f"{shown}: cannot create the folder {folder} ({error.strerror or error})") from None


def utc_time(value: str | None) -> str | None:
    """An ISO 8601 UTC time such as 2026-05-05T00:00:00Z (returned as given); else a usage error."""
    from kompas.times import parse_time_utc

    if value is None:
        return None
    try:
        parse_time_utc(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    return value


def hbr_table_file(value: Path | None) -> Path | None:
    """A CARA ``HBR_Mass_Estimates`` CSV (:func:`kompas.files.load_hbr_table`); else a usage error naming it."""
    from kompas.files import load_hbr_table

    path = text_file(value)
    if path is not None:
        try:
            load_hbr_table(path)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    return path


def fallback(sub: str, using: str) -> None:
    """Say on standard error that ``../shared/data/<sub>`` was not found, where it was looked for, and what is used
    instead (:func:`kompas.locate.fallback_note`)."""
    from kompas.locate import fallback_note

    err_console.print(f"note: {fallback_note(sub, using)}", highlight=False)


def primaries_spec(value: str | None) -> str | None:
    """``--primaries``: NORAD ids, a file of ids or a protected-assets YAML (:func:`kompas.files.read_primaries`),
    checked and returned as given; else a usage error naming the bad token or file."""
    from kompas.files import read_primaries

    if value is not None:
        try:
            read_primaries(value)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    return value


def run_guarded(app: Callable[[], object]) -> None:
    """Run the ``kompas`` Typer app so that no traceback reaches a user: an exception that no command turned into
    a message is printed as one line on standard error (the file and reason of an ``OSError``, the driver's first
    line of a database error, else the exception and a request to report it) and ends with exit status 1.
    ``KOMPAS_DEBUG=1`` lets the exception and its traceback through."""
    import sys

    try:
        app()
    except Exception as error:  # noqa: BLE001 (the last line of defence; everything else is re-raised below)
        if os.environ.get("KOMPAS_DEBUG"):
            raise
        err_console.print(f"error: {describe(error)}", highlight=False)
        sys.exit(1)


def describe(error: BaseException) -> str:
    """One line saying what went wrong, for :func:`run_guarded`."""
    from sqlalchemy.exc import DBAPIError

    from kompas.core.audit import AuditKeyError

    if isinstance(error, AuditKeyError):  # the audit key is missing or unreadable: the message says where and why
        return str(error)
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    if isinstance(error, UnicodeDecodeError):
        return f"an input is not UTF-8 text ({error.reason} at byte {error.start})"
    if isinstance(error, DBAPIError):
        reason = str(error.orig or error).strip().splitlines()
        return f"database: {reason[0] if reason else type(error).__name__}"
    text = (str(error).strip().splitlines() or [""])[0]
    return (f"unexpected {type(error).__name__}{': ' + text if text else ''} (a Kompas bug: please report it with "
            "the command; KOMPAS_DEBUG=1 shows the traceback)")
