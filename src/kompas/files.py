"""The one I/O layer: every input the engines parse is read from disk here (the engines only parse text).

Paths may be files, directories (every regular file inside, sorted by name, which sorts the shared snapshots by
date) or glob patterns (``*``, ``?``, ``[...]``, ``**`` for any depth; matches sorted by name), so that every option
taking many files accepts ``--catalog DIR``, ``--catalog 'snapshots/active_*.tle'`` or the flag repeated.
Text is decoded as UTF-8 with undecodable bytes replaced, so that a damaged byte becomes a rejected record rather
than a crash. A file that cannot be read raises :class:`NoSuchPath` (missing) or :class:`Unreadable` (a folder,
no permission, ...), both ``OSError`` whose message names the path.

The readers: :func:`read_text`, :func:`read_head`, :func:`read_yaml`, :func:`files_in`; the data shipped in the
package (``kompas/data``) through :func:`packaged` and :func:`read_packaged`; the shared data (``../shared/data``)
is found by :mod:`kompas.locate` (:func:`shared_data`). The loaders of each engine's files are thin adapters over
these: :mod:`kompas.fimi.load`, :mod:`kompas.observatory.load`, :mod:`kompas.compass.load`, and the space loaders
below.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from importlib.resources import files as _package_files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompas.locate import shared_data, where_looked

if TYPE_CHECKING:
    from kompas.space.catalog import Catalog
    from kompas.space.ingest import IngestReport

__all__ = ["ASSETS", "CONJUNCTION_FIELDS", "NoSuchPath", "Unreadable", "expand", "files_in",
           "is_pattern", "load_assets", "load_catalog", "load_conjunctions", "load_hbr_table", "load_supply",
           "packaged", "read_head", "read_lines", "read_packaged", "read_primaries", "read_text", "read_yaml",
           "shared_data",
           "supply_format", "where_looked"]

_SKIP_SUFFIXES = {".md", ".txt.gz", ".gz", ".zip", ".py"}
_PATTERN_CHARS = frozenset("*?[")


class NoSuchPath(FileNotFoundError):  # noqa: N818 (reads as the message it carries)
    """A path that does not exist, a glob pattern that matches nothing, or a folder without data files; the
    message names it (``str(error)``)."""

    def __init__(self, message: str, path: str | Path) -> None:
        super().__init__(message)
        self.path = str(path)

    def __str__(self) -> str:
        return str(self.args[0])


def is_pattern(text: str | Path) -> bool:
    """True when ``text`` holds a glob character (``*``, ``?`` or ``[``)."""
    return any(c in _PATTERN_CHARS for c in str(text))


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in _SKIP_SUFFIXES)


def expand(paths: Iterable[str | Path], folders: bool = True) -> list[Path]:
    """The files named, matched by glob patterns, or inside the folders named, in the order given (each pattern's
    matches and each folder's files sorted by name; folders are not searched recursively; documentation such as
    ``PROVENANCE.md`` found in a folder or by a pattern is skipped, a file named explicitly never).

    With ``folders=False`` folders are returned as they are (for readers that take a data set's folder whole).
    A path that exists is taken literally even if it holds glob characters. Raises :class:`NoSuchPath` (a
    ``FileNotFoundError``) naming the first path that does not exist, pattern that matches nothing, or folder
    that holds no data file, before anything is read.
    """
    found: list[Path] = []
    for item in paths:
        text = os.path.expanduser(str(item))
        path = Path(text)
        if not path.exists() and is_pattern(text):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            matches = [m for m in matches if m.is_dir() or m.suffix.lower() not in _SKIP_SUFFIXES]
            if not matches:
                raise NoSuchPath(f"{item}: no file matches this pattern", item)
            named = matches
        elif path.exists():
            named = [path]
        else:
            parent = next((p for p in path.parents if p.exists()), None)
            where = f" (no folder {path.parent})" if parent is not None and parent != path.parent else ""
            raise NoSuchPath(f"{item}: no such file or folder{where}", item)
        for match in named:
            if match.is_dir() and folders:
                inside = _data_files(match)
                if not inside and match == path:
                    raise NoSuchPath(f"{item}: the folder holds no data files", item)
                found += inside
            else:
                found.append(match)
    return list(dict.fromkeys(found))  # a ``**`` pattern matches a folder and the files in it: each read once


class Unreadable(OSError):  # noqa: N818 (reads as the message it carries)
    """A path that exists but cannot be read as a file (a folder, no permission, an I/O error); the message names
    it (``str(error)``: ``PATH: reason``)."""

    def __init__(self, message: str, path: str | Path) -> None:
        super().__init__(message)
        self.path = str(path)

    def __str__(self) -> str:
        return str(self.args[0])


def _read_bytes(path: str | Path, size: int = -1) -> bytes:
    """The first ``size`` bytes of the file (all of it when negative); raises :class:`NoSuchPath` or
    :class:`Unreadable` naming ``path``."""
    where = Path(os.path.expanduser(str(path)))
    try:
        with where.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise NoSuchPath(f"{path}: no such file", path) from None
    except IsADirectoryError:
        raise Unreadable(f"{path}: a folder, not a file", path) from None
    except OSError as error:
        raise Unreadable(f"{path}: cannot read it ({error.strerror or error})", path) from None


def read_bytes(path: str | Path) -> bytes:
    """The bytes of the file at ``path``. Raises like :func:`read_text` (both name it)."""
    return _read_bytes(path)


def read_text(path: str | Path) -> str:
    """The text of the file at ``path`` (UTF-8, undecodable bytes replaced by U+FFFD). Raises
    :class:`NoSuchPath` when it does not exist and :class:`Unreadable` when it cannot be read (both name it)."""
    return _read_bytes(path).decode("utf-8", errors="replace")


def read_head(path: str | Path, size: int = 4096) -> str:
    """The first ``size`` bytes (default 4 KiB) of the file as text, to recognise its format without reading it
    whole (a character cut at the end is replaced). Raises like :func:`read_text`."""
    return _read_bytes(path, size).decode("utf-8", errors="replace")


def read_lines(path: str | Path, binary: bool = False) -> Iterator[Any]:
    """The lines of the file at ``path``, streamed (a national AIS day is gigabytes): text (UTF-8, undecodable
    bytes replaced) or, with ``binary``, bytes; a ``.gz`` file is decompressed on the way. Raises like
    :func:`read_text` (naming the path) before the first line when the file cannot be opened."""
    import gzip

    where = Path(os.path.expanduser(str(path)))
    try:
        handle: Any = gzip.open(where, "rb") if where.name.lower().endswith(".gz") else where.open("rb")  # noqa: SIM115
    except FileNotFoundError:
        raise NoSuchPath(f"{path}: no such file", path) from None
    except IsADirectoryError:
        raise Unreadable(f"{path}: a folder, not a file", path) from None
    except OSError as error:
        raise Unreadable(f"{path}: cannot read it ({error.strerror or error})", path) from None

    def stream() -> Iterator[Any]:
        with handle:
            try:
                for line in handle:
                    yield line if binary else line.decode("utf-8", errors="replace")
            except (OSError, EOFError) as error:  # a truncated or corrupt .gz: what was read stands
                raise Unreadable(f"{path}: cannot read it to the end ({error})", path) from None

    return stream()


def read_yaml(path: str | Path) -> Any:  # noqa: ANN401 (whatever the document holds)
    """The YAML document in the file (None when empty), read safely. Raises :class:`NoSuchPath` or
    :class:`Unreadable` when it cannot be read, ``ValueError`` (``PATH: not YAML: reason (line N)``) when it is not
    YAML."""
    from kompas.texts import yaml_document

    return yaml_document(read_text(path), str(path))


def files_in(folder: str | Path, suffix: str) -> list[Path]:
    """The regular files of ``folder`` (not its sub-folders) whose name ends in ``suffix`` (e.g. ``".csv"``, any
    case), sorted by name; [] when there are none. Raises :class:`NoSuchPath` when the folder does not exist."""
    where = Path(os.path.expanduser(str(folder)))
    if not where.is_dir():
        raise NoSuchPath(f"{folder}: no such folder", folder)
    return sorted(p for p in where.iterdir() if p.is_file() and p.name.lower().endswith(suffix.lower()))


PACKAGE_DATA = "data"  #: The folder of the data shipped with Kompas, inside the package.


def packaged(name: str) -> Path:
    """The path of ``kompas/data/<name>`` (a file or folder shipped with Kompas; ``/`` separates folders), found
    through :mod:`importlib.resources` so that it is right wherever Kompas is installed."""
    resource = _package_files("kompas").joinpath(PACKAGE_DATA)
    for part in name.split("/"):
        resource = resource.joinpath(part)
    return Path(str(resource))


def read_packaged(name: str) -> str:
    """The text of ``kompas/data/<name>``. Raises :class:`NoSuchPath` naming it when Kompas ships no such file."""
    path = packaged(name)
    try:
        return read_text(path)
    except NoSuchPath:
        raise NoSuchPath(f"kompas/data/{name}: no such file shipped with Kompas ({path})", path) from None


def load_catalog(paths: Iterable[str | Path], catalog: Catalog | None = None,
                 fmt: str | None = None) -> tuple[Catalog, list[IngestReport]]:
    """Ingest every file into one catalogue; return it and one report per file.

    A file that holds no record at all (empty, or nothing but blank lines) gets one rejection (line 0, "file"), so
    that it is not passed over silently. Raises ``FileNotFoundError`` (:class:`NoSuchPath`) for a path that does
    not exist or a pattern that matches nothing, before reading anything.
    """
    from kompas.rejections import Rejection
    from kompas.space.catalog import Catalog
    from kompas.space.ingest import ingest, parse_text

    catalog = catalog if catalog is not None else Catalog()
    reports = []
    for path in expand(paths):
        report = ingest(catalog, parse_text(read_text(path), str(path), fmt))
        if not (report.accepted or report.repeats or report.revised or report.metadata or report.rejections):
            report.rejections.append(Rejection(str(path), 0, "file", "the file holds no records"))
        reports.append(report)
    return catalog, reports


def __getattr__(name: str) -> Any:  # noqa: ANN401
    """``DEFAULT_HBR_M`` (one definition, in :mod:`kompas.space.cdm`), re-exported without importing the space
    engine until it is asked for."""
    if name == "DEFAULT_HBR_M":
        from kompas.space.cdm import DEFAULT_HBR_M

        return DEFAULT_HBR_M
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_hbr_table(path: str | Path) -> dict[int, float]:
    """NASA CARA's ``HBR_Mass_Estimates_*.csv``: NORAD id -> HBR (m), for rows that give one.

    Raises ``ValueError`` naming the file when it has no ``ObjectID`` and ``HBR`` columns (not such a table)."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    if not {"ObjectID", "HBR"} <= set(reader.fieldnames or []):
        raise ValueError(f"{path}: not a CARA HBR table (needs the columns ObjectID and HBR)")
    table = {}
    for row in reader:
        try:
            table[int(row["ObjectID"])] = float(row["HBR"])
        except (KeyError, TypeError, ValueError):
            continue
    return table


ASSETS = packaged("assets.yaml")  #: Protected assets shipped with Kompas.


def load_assets(path: str | Path = ASSETS) -> dict:
    """Protected assets by NORAD id from a YAML file (``assets: [{norad_id, name, owner, programme}, ...]``).

    Raises ``ValueError`` naming the file, and the entry and field of a malformed record.
    """
    from kompas.space.proximity import Asset

    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("assets", []), list):
        raise ValueError(f"{path}: not a protected-assets YAML (expected assets: [{{norad_id, name}}, ...])")
    out = {}
    for number, item in enumerate(data.get("assets") or [], 1):
        try:
            out[int(item["norad_id"])] = Asset(int(item["norad_id"]), str(item["name"]), str(item.get("owner", "")),
                                               str(item.get("programme", "")))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: asset {number}: {error!r} (needs norad_id and name)") from None
    return out


def read_primaries(spec: str) -> set[int]:
    """NORAD ids from ``--primaries``: comma-separated ids, a file of ids (one per line or comma-separated, ``#``
    comments), or a protected-assets YAML (``.yaml``/``.yml``, :func:`load_assets`).

    Raises ``ValueError`` naming the token that is not a NORAD id, or the malformed YAML entry."""
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        raise ValueError(f"{spec}: a folder, not a file of NORAD ids")
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return set(load_assets(path))
    if not path.is_file() and ("/" in spec or path.suffix.lower() in (".txt", ".csv", ".yaml", ".yml", ".ids")):
        raise ValueError(f"{spec}: no such file (nor comma-separated NORAD ids)")
    text = read_text(path) if path.is_file() else spec
    where = f"{spec}: " if path.is_file() else ""
    ids = set()
    for token in text.replace("\n", ",").split(","):
        token = token.split("#")[0].strip()
        if token:
            if not token.isdigit():
                shown = token if len(token) <= 40 else token[:40] + "..."
                raise ValueError(f"{where}{shown!r} is not a NORAD id")
            ids.add(int(token))
    if not ids:
        raise ValueError(f"{where}no NORAD ids")
    return ids


CONJUNCTION_FIELDS = ("primary_id", "secondary_id", "tca_utc", "miss_km", "v_rel_km_s")  #: Required CSV columns.


def load_conjunctions(path: str | Path) -> tuple[list[dict], list[str]]:
    """The conjunctions CSV of ``kompas space screen`` (or any CSV with at least :data:`CONJUNCTION_FIELDS`;
    an optional ``pc`` column is kept): the good rows as dicts with typed values, and ``PATH:LINE: field: reason``
    for each bad row. Raises ``ValueError`` when a required column is missing from the header."""
    import csv

    import numpy as np

    from kompas.space.elements import format_time_utc, parse_time_utc

    rows, problems = [], []
    import io

    with io.StringIO(read_text(path), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in CONJUNCTION_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: not a conjunctions CSV: no column {', '.join(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            try:
                item = {"primary_name": "", "secondary_name": "", "label": ""} | {k: v for k, v in row.items()
                                                                                 if k is not None and v is not None}
                for name in ("primary_id", "secondary_id"):
                    field = name
                    item[name] = int(row[name])
                for name in ("miss_km", "v_rel_km_s") + (("pc",) if row.get("pc") not in (None, "") else ()):
                    field = name
                    item[name] = float(row[name])
                    if not item[name] >= 0:
                        raise ValueError("negative or not a number")
                field = "tca_utc"
                item["tca_utc"] = str(format_time_utc(np.array([parse_time_utc(row["tca_utc"])]))[0])
            except (TypeError, ValueError) as error:
                problems.append(f"{where}: {field}: {row.get(field)!r}: {error}")
                continue
            rows.append(item)
    return rows, problems


def supply_format(name: str, header: Iterable[str]) -> str | None:
    """Which supply-chain format a CSV is, from its name and header: ``cset`` (one of its five files), ``usgs-mcs``,
    ``usgs-years``, ``own`` (the Kompas supply CSV), or None."""
    from kompas.observatory.sources import CSET_FILES

    columns = set(header)
    if name in CSET_FILES and ({"provider_id", "input_id", "stage_id"} & columns):
        return "cset"
    if "commodity" in columns and any(c.startswith("production_") for c in columns):
        return "usgs-mcs"
    if {"Country", "Year"} <= columns and len(columns) == 3:
        return "usgs-years"
    if {"input_id", "provider", "year"} <= columns:
        return "own"
    return None


def load_supply(paths: Iterable[str | Path], config=None, extra: Iterable[tuple[str, str]] = ()):  # noqa: ANN001,ANN201
    """Read supply-chain data from files and directories (formats: :func:`supply_format`) and from ``extra``
    (``(origin, text)`` pairs in the Kompas supply CSV, e.g. documents contributed through the platform).

    Returns ``(chain, rejections, skipped)``: the merged :class:`kompas.observatory.chain.SupplyChain`, every
    rejected row (source, line, field, reason), and the files that hold no supply data (named, not read).
    Raises ``FileNotFoundError`` for a path that does not exist.
    """
    import csv
    import io
    import re

    from kompas.observatory import sources
    from kompas.observatory.chain import SupplyChain
    from kompas.observatory.load import load_config
    from kompas.rejections import Rejection

    config = config or load_config()
    chain = SupplyChain()
    rejections: list[Rejection] = []
    skipped: list[str] = []
    cset: dict[Path, dict[str, str]] = {}
    for path in expand(paths):
        if not path.exists():
            raise FileNotFoundError(path)
        if path.suffix.lower() != ".csv":
            skipped.append(str(path))
            continue
        text = read_text(path)
        fmt = supply_format(path.name, next(csv.reader(io.StringIO(text)), []))
        if fmt == "cset":
            cset.setdefault(path.parent, {})[path.name] = text
            continue
        if fmt == "usgs-mcs":
            part, bad = sources.parse_usgs_mcs(text, config, str(path))
        elif fmt == "usgs-years":
            found = re.search(r"usgs_([a-z]+)_", path.name.lower())
            commodity = found[1] if found else path.stem
            part, bad = sources.parse_usgs_years(text, config, str(path), commodity,
                                                 f"{commodity.capitalize()} (mine production)")
        elif fmt == "own":
            part, bad = sources.parse_own(text, config, str(path))
        else:
            skipped.append(str(path))
            continue
        chain, rejections = chain.merge(part), rejections + bad
    for folder, texts in cset.items():
        missing = [n for n in sources.CSET_FILES if n not in texts]
        if missing:
            rejections.append(Rejection(str(folder / missing[0]), 0, "file", "the CSET dataset needs all of "
                                        + ", ".join(sources.CSET_FILES)))
            continue
        part, bad = sources.parse_cset(texts, config, str(folder))
        chain, rejections = chain.merge(part), rejections + bad
    for origin, text in extra:
        part, bad = sources.parse_own(text, config, origin)
        chain, rejections = chain.merge(part), rejections + bad
    for link in chain.links:
        for end in (link.source_id, link.target_id):
            if end not in chain.inputs:
                rejections.append(Rejection("links", 0, link.relation, "no such input", end))
    return chain, rejections, skipped
