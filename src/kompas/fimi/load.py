"""Loaders of the FIMI engine's files: thin adapters that read through :mod:`kompas.files` (the one I/O layer) and
hand the text to the engine's parse functions. The engine modules themselves only parse text.

- the rule tables shipped in ``kompas/data``: outlet attribution (:data:`OUTLETS`), technique inference
  (:data:`TECHNIQUES`), the FIMI toolbox (:data:`TOOLBOX`), or a user's own file of the same form;
- a DISARM folder (its ``csv_export``): the framework and DISARM's incidents;
- incident sources on disk in any format Kompas reads (:func:`read`, :func:`detect`).

Every error names the file: ``OSError`` (:class:`kompas.files.NoSuchPath`, :class:`kompas.files.Unreadable`) when
it cannot be read, ``ValueError`` when its content is wrong.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kompas.files import files_in, packaged, read_head, read_text
from kompas.fimi import disarm, euvsdisinfo, sources, stix
from kompas.fimi.attribution import Rules
from kompas.fimi.incident import Incident
from kompas.fimi.response import Toolbox, parse_toolbox
from kompas.fimi.techniques import Inference
from kompas.rejections import Rejection

__all__ = ["OUTLETS", "TECHNIQUES", "TOOLBOX", "default_inference", "default_rules", "detect", "disarm_export",
           "is_disarm_folder", "load_attribution", "load_framework", "load_inference", "load_toolbox", "read",
           "read_incidents"]

OUTLETS = packaged("fimi_outlets.yaml")  #: Outlet attribution rules shipped with Kompas.
TECHNIQUES = packaged("fimi_techniques.yaml")  #: Technique inference rules shipped with Kompas.
TOOLBOX = packaged("toolboxes/fimi.yaml")  #: The FIMI toolbox shipped with Kompas (kompas.response.toolbox model).


def load_attribution(path: str | Path = OUTLETS) -> Rules:
    """The outlet attribution rules in ``path`` (default: the shipped ones); ``ValueError`` names a bad rule."""
    return Rules.parse(read_text(path), str(path))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped attribution rules (read once)."""
    return load_attribution()


def load_inference(path: str | Path = TECHNIQUES) -> Inference:
    """The technique inference rules in ``path`` (default: the shipped ones); ``ValueError`` names a bad rule."""
    return Inference.parse(read_text(path), str(path))


@lru_cache(maxsize=1)
def default_inference() -> Inference:
    """The shipped technique inference rules (read once)."""
    return load_inference()


@lru_cache(maxsize=4)
def load_toolbox(path: str | Path = TOOLBOX) -> Toolbox:
    """The FIMI toolbox in ``path`` (default: the shipped ``toolboxes/fimi.yaml``, the FIMI part of the EU response
    toolboxes of :mod:`kompas.response.toolbox`; each file read once)."""
    return parse_toolbox(read_text(path), str(path))


def disarm_export(folder: str | Path) -> Path:
    """The folder holding DISARM's CSV files: ``folder/csv_export`` when there is one, else ``folder`` itself."""
    folder = Path(folder)
    return folder / "csv_export" if (folder / "csv_export").is_dir() else folder


def is_disarm_folder(path: str | Path) -> bool:
    """True for a DISARM folder (or its ``csv_export``) holding DISARM's incidents file."""
    return (disarm_export(path) / disarm.INCIDENT_FILES[-1]).is_file()


def load_framework(folder: str | Path) -> disarm.Framework:
    """The DISARM framework from a DISARM folder holding ``csv_export/`` (or from the ``csv_export`` folder
    itself). Raises ``OSError`` naming a file that cannot be read, ``ValueError`` naming one that is malformed."""
    export = disarm_export(folder)
    return disarm.parse_framework({name: read_text(export / name) for name in disarm.FRAMEWORK_FILES}, str(export))


def read_incidents(folder: str | Path) -> tuple[list[Incident], list[Rejection]]:
    """DISARM's incidents in a DISARM folder (:func:`kompas.fimi.disarm.parse_incidents`); raises like
    :func:`load_framework`."""
    export = disarm_export(folder)
    return disarm.parse_incidents({name: read_text(export / name) for name in disarm.INCIDENT_FILES}, str(export))


def detect(path: str | Path) -> str:
    """The format of ``path`` (a file or folder), from its content; raises ``ValueError`` when it is none Kompas
    reads, ``OSError`` (naming it) when it cannot be read."""
    path = Path(path)
    if path.is_dir():
        if is_disarm_folder(path):
            return "disarm"
        if any(euvsdisinfo.is_cases(read_head(p, 200)) for p in files_in(path, ".csv")):
            return "euvsdisinfo"
        raise ValueError(f"{path}: a folder without DISARM csv_export files or an EUvsDisinfo cases file")
    return sources.detect_text(read_head(path, sources.HEAD_CHARS), str(path))


def read(path: str | Path, fmt: str | None = None) -> sources.Read:
    """Read one path of format ``fmt`` (default: :func:`detect`). EUvsDisinfo: the cases file, or a folder with the
    cases file and optionally the publication links file (their evidence is joined to the cases). Raises
    ``ValueError`` for a path of no known format, ``OSError`` naming a file that cannot be read."""
    path = Path(path)
    fmt = fmt or detect(path)
    if fmt not in sources.FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(sources.FORMATS)}")
    out = sources.Read(str(path), fmt)
    if fmt == "euvsdisinfo":
        files = files_in(path, ".csv") if path.is_dir() else [path]
        out.incidents, out.rejections = sources.parse_euvsdisinfo({str(p): read_text(p) for p in files}, str(path))
    elif fmt == "disarm":
        out.incidents, out.rejections = read_incidents(path)
    elif fmt == "stix":
        out.incidents, out.rejections = stix.import_bundle(read_text(path), str(path))
    else:
        out.incidents, out.rejections = sources.read_json(read_text(path), str(path))
    return out
