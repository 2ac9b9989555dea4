"""Shared pieces of the command line: consoles, the progress bar, the marking options."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
                                                                                     "(repeatable).")]
COMMUNITY_OPTION = Annotated[list[str] | None, typer.Option("--community", help="Need-to-know community "
                                                                                "(repeatable).")]

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error (drawn only on a terminal); yields ``advance_to(done)``."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)
