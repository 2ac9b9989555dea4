"""Reading input files for the engines (the only place the space engine's inputs touch the disk).

Paths may be files or directories (every regular file inside, sorted by name, which sorts the shared
snapshots by date). Text is decoded as UTF-8 with undecodable bytes replaced, so that a damaged byte
becomes a rejected record rather than a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kompas.space.catalog import Catalog
from kompas.space.ingest import IngestReport, ingest, parse_text

_SKIP_SUFFIXES = {".md", ".txt.gz", ".gz", ".zip", ".py"}


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the files inside directories named (not recursive, documentation skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() not in _SKIP_SUFFIXES)
        else:
            yield path


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def load_catalog(paths: Iterable[str | Path], catalog: Catalog | None = None,
                 fmt: str | None = None) -> tuple[Catalog, list[IngestReport]]:
    """Ingest every file into one catalogue; return it and one report per file.

    Raises ``FileNotFoundError`` for a path that does not exist.
    """
    catalog = catalog if catalog is not None else Catalog()
    reports = []
    for path in expand(paths):
        reports.append(ingest(catalog, parse_text(read_text(path), str(path), fmt)))
    return catalog, reports


DEFAULT_HBR_M = 5.0  #: Hard-body radius (m) of an object absent from the HBR table.


def load_hbr_table(path: str | Path) -> dict[int, float]:
    """NASA CARA's ``HBR_Mass_Estimates_*.csv``: NORAD id -> HBR (m), for rows that give one."""
    import csv

    table = {}
    with Path(path).open(newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                table[int(row["ObjectID"])] = float(row["HBR"])
            except (KeyError, TypeError, ValueError):
                continue
    return table


ASSETS = Path(__file__).resolve().parent / "data" / "assets.yaml"  #: Protected assets shipped with Kompas.


def load_assets(path: str | Path = ASSETS) -> dict:
    """Protected assets by NORAD id from a YAML file (``assets: [{norad_id, name, owner, programme}, ...]``).

    Raises ``ValueError`` naming the entry and field of a malformed record.
    """
    import yaml

    from kompas.space.proximity import Asset

    data = yaml.safe_load(Path(path).read_text()) or {}
    out = {}
    for number, item in enumerate(data.get("assets") or [], 1):
        try:
            out[int(item["norad_id"])] = Asset(int(item["norad_id"]), str(item["name"]), str(item.get("owner", "")),
                                               str(item.get("programme", "")))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: asset {number}: {error!r} (needs norad_id and name)") from None
    return out


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
