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
    chain, rejections, skipped = SupplyChain(), [], []
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


def shared_data(sub: str) -> Path | None:
    """``../shared/data/<sub>`` beside the working directory or beside the checkout, or None when absent (a clone
    without the shared data). Data under share-alike or non-commercial terms is only ever read from there."""
    repo = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), repo):
        candidate = base.parent / "shared" / "data" / sub
        if candidate.exists():
            return candidate
    return None
