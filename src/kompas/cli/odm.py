"""``kompas space odm ...``: check and convert CCSDS Orbit Data Messages (OEM, OPM, OCM; KVN and XML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompas.cli.common import console, err_console, input_files, output_file, text_file
from kompas.private import write_private
from kompas.rejections import Rejection
from kompas.space import odm

app = typer.Typer(help="CCSDS Orbit Data Messages 3.0 (OEM, OPM, OCM) in KVN and XML: check and convert.",
                  no_args_is_help=True)


def _read(path: Path) -> tuple[odm.Message | None, list[Rejection]]:
    """The message in a file, or the rejections saying why not (never an exception)."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Rejection(source, 0, "FILE", f"not UTF-8 text (byte {err.start})")]
    except OSError as err:
        return None, [Rejection(source, 0, "FILE", f"cannot read it ({err.strerror or err})")]
    try:
        return odm.read(text, source), []
    except odm.OdmError as err:
        return None, err.rejections


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="OEM, OPM or OCM files (KVN or XML), folders of them, or glob "
                                                     "patterns ('ephemerides/*.oem').", callback=input_files)],
) -> None:
    """Read each message and print a one-line summary (type, version, segments or blocks, states, covariances,
    manoeuvres, time span), warnings (e.g. a covariance that is not positive semi-definite), or every rejection
    as PATH:LINE: KEYWORD: reason.

    Exit status 0 when every file was read, 1 when any was rejected.
    """
    rejected = 0
    for path in paths:
        message, rejections = _read(path)
        if message is None:
            rejected += 1
            console.print(f"{path}: rejected ({len(rejections)} problem(s))", highlight=False)
            for rejection in rejections:
                console.print(f"  {rejection}", highlight=False, markup=False)
            continue
        console.print(f"{path}: {odm.summary(message)}", highlight=False, markup=False)
        for warning in odm.warnings(message):
            console.print(f"  warning: {warning}", highlight=False, markup=False)
    console.print(f"{len(paths) - rejected} read, {rejected} rejected", highlight=False)
    raise typer.Exit(1 if rejected else 0)


@app.command()
def convert(
    path: Annotated[Path, typer.Argument(help="One OEM, OPM or OCM file (KVN or XML).", callback=text_file)],
    to: Annotated[str, typer.Option("--to", help="Encoding to write: kvn or xml.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="File to write (created with owner-only permissions).",
                                      callback=output_file)],
) -> None:
    """Rewrite a message in KVN or XML; every keyword, comment and number is kept (numbers written so that they
    read back bit-identical, epochs to the nanosecond), so converting back gives the same message.

    A rejected message is not converted: its rejections are printed as PATH:LINE: KEYWORD: reason (exit 1).
    """
    encoding = to.strip().lower()
    if encoding not in ("kvn", "xml"):
        raise typer.BadParameter("expected kvn or xml", param_hint="--to")
    message, rejections = _read(path)
    if message is None:
        for rejection in rejections:
            err_console.print(str(rejection), highlight=False, markup=False)
        raise typer.Exit(1)
    write_private(out, odm.write(message, "xml" if encoding == "xml" else "kvn"))
    console.print(f"written: {out} ({odm.summary(message)})", highlight=False, markup=False)
