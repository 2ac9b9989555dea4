"""Reading input files for the engines (the only place the space engine's inputs touch the disk).

Paths may be files, directories (every regular file inside, sorted by name, which sorts the shared snapshots by
date) or glob patterns (``*``, ``?``, ``[...]``, ``**`` for any depth; matches sorted by name), so that every option
taking many files accepts ``--catalog DIR``, ``--catalog 'snapshots/active_*.tle'`` or the flag repeated.
Text is decoded as UTF-8 with undecodable bytes replaced, so that a damaged byte becomes a rejected record rather
than a crash.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from kompas.locate import shared_data, where_looked
from kompas.space.catalog import Catalog
from kompas.space.ingest import IngestReport, ingest, parse_text

__all__ = ["ASSETS", "CONJUNCTION_FIELDS", "DEFAULT_HBR_M", "NoSuchPath", "expand", "is_pattern", "load_assets",
           "load_catalog", "load_conjunctions", "load_hbr_table", "load_supply", "read_primaries", "read_text",
           "shared_data", "supply_format", "where_looked"]

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
    return found


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def load_catalog(paths: Iterable[str | Path], catalog: Catalog | None = None,
                 fmt: str | None = None) -> tuple[Catalog, list[IngestReport]]:
    """Ingest every file into one catalogue; return it and one report per file.

    A file that holds no record at all (empty, or nothing but blank lines) gets one rejection (line 0, "file"), so
    that it is not passed over silently. Raises ``FileNotFoundError`` (:class:`NoSuchPath`) for a path that does
    not exist or a pattern that matches nothing, before reading anything.
    """
    from kompas.rejections import Rejection

    catalog = catalog if catalog is not None else Catalog()
    reports = []
    for path in expand(paths):
        report = ingest(catalog, parse_text(read_text(path), str(path), fmt))
        if not (report.accepted or report.repeats or report.revised or report.metadata or report.rejections):
            report.rejections.append(Rejection(str(path), 0, "file", "the file holds no records"))
        reports.append(report)
    return catalog, reports


from kompas.space.cdm import DEFAULT_HBR_M  # noqa: E402 (one definition, re-exported)


def load_hbr_table(path: str | Path) -> dict[int, float]:
    """NASA CARA's ``HBR_Mass_Estimates_*.csv``: NORAD id -> HBR (m), for rows that give one.

    Raises ``ValueError`` naming the file when it has no ``ObjectID`` and ``HBR`` columns (not such a table)."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(read_text(Path(path)), newline=""))
    if not {"ObjectID", "HBR"} <= set(reader.fieldnames or []):
        raise ValueError(f"{path}: not a CARA HBR table (needs the columns ObjectID and HBR)")
    table = {}
    for row in reader:
        try:
            table[int(row["ObjectID"])] = float(row["HBR"])
        except (KeyError, TypeError, ValueError):
            continue
    return table


ASSETS = Path(__file__).resolve().parent / "data" / "assets.yaml"  #: Protected assets shipped with Kompas.


def load_assets(path: str | Path = ASSETS) -> dict:
    """Protected assets by NORAD id from a YAML file (``assets: [{norad_id, name, owner, programme}, ...]``).

    Raises ``ValueError`` naming the file, and the entry and field of a malformed record.
    """
    import yaml

    from kompas.space.proximity import Asset

    try:
        data = yaml.safe_load(read_text(Path(path))) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not YAML: {str(error).splitlines()[0]}") from None
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
    with Path(path).open(newline="", encoding="utf-8", errors="replace") as handle:
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

    from kompas.observatory import config as observatory_config
    from kompas.observatory import sources
    from kompas.observatory.chain import SupplyChain
    from kompas.space.elements import Rejection

    config = config or observatory_config.load()
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
