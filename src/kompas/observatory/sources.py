"""Readers for the supply-chain data the Observatory uses: text in, a :class:`SupplyChain` and rejections out.

- **CSET / ETO Advanced Semiconductor Supply Chain Dataset** ("chipexplorer": ``inputs.csv``, ``stages.csv``,
  ``sequence.csv``, ``providers.csv``, ``provision.csv``): :func:`parse_cset`.
- **USGS Mineral Commodity Summaries** world production tables (one row per commodity and country, columns
  ``commodity, table, unit, country, production_<year>[e]...``): :func:`parse_usgs_mcs`.
- **USGS lithium mine production** as ``Country,Year,USGS_production`` (Busch et al. 2024): :func:`parse_usgs_years`.
- **Kompas supply CSV**, for a user's own data and for data contributed through the platform (:data:`OWN_COLUMNS`):
  :func:`parse_own`.

Countries become providers whose id is their ISO 3166 alpha-3 code (so sources merge), companies
``company:<name>``. A share is the percentage of the input's world supply. Bad rows are rejected with source, line,
field and reason; the good ones still count.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

from kompas.observatory.chain import KINDS, Input, Link, Provider, Share, SupplyChain
from kompas.observatory.config import UNATTRIBUTED, Config
from kompas.rejections import Rejection

CSET_FILES = ("inputs.csv", "stages.csv", "sequence.csv", "providers.csv", "provision.csv")
CSET_KINDS = {"tool_resource": "tool", "material_resource": "material", "process": "process",
              "design_resource": "design", "ultimate_output": "output"}
#: Columns of the Kompas supply CSV (the first six and ``year`` are required; ``share_pct`` may be blank when the
#: provider is known but its share is not; ``goes_into`` and ``is_type_of`` hold input ids separated by ``;``).
OWN_COLUMNS = ("input_id", "input_name", "input_kind", "provider", "provider_kind", "country", "share_pct", "year",
               "source", "goes_into", "is_type_of")
OWN_REQUIRED = ("input_id", "input_name", "provider", "year")
_PRODUCTION = re.compile(r"^production_(\d{4})e?$")


def _rows(text: str) -> list[tuple[int, dict]]:
    """CSV rows with their 1-based line numbers (the header is line 1; quoted newlines counted)."""
    reader = csv.DictReader(io.StringIO(text))
    out, line = [], 1
    for row in reader:
        line = reader.line_num
        out.append((line, {(k or "").strip(): (v or "").strip() for k, v in row.items()}))
    return out


def _pct(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 100:
        raise ValueError("outside 0-100")
    return value


def country_provider(name: str, config: Config) -> Provider | None:
    """The provider for a country name or code (its id the ISO 3166 alpha-3 code), None when unknown."""
    code = config.code(name)
    if code is None:
        return None
    return Provider(code, "unattributed" if code == UNATTRIBUTED else code, "country", code)


def company_provider(name: str, country: str | None) -> Provider:
    return Provider(f"company:{name}", name, "company", country)


def parse_cset(texts: Mapping[str, str], config: Config, origin: str = "cset") -> tuple[SupplyChain,
                                                                                         list[Rejection]]:
    """The CSET chipexplorer dataset from its five CSV texts (by file name, :data:`CSET_FILES`)."""
    chain, bad = SupplyChain(), []
    where = {name: f"{origin}/{name}" for name in CSET_FILES}
    for _line, row in _rows(texts["stages.csv"]):
        chain.inputs[row["stage_id"]] = Input(row["stage_id"], row["stage_name"], "stage", "CSET")
    for line, row in _rows(texts["inputs.csv"]):
        kind = CSET_KINDS.get(row.get("type", ""))
        if not row.get("input_id") or kind is None:
            bad.append(Rejection(where["inputs.csv"], line, "type" if row.get("input_id") else "input_id",
                                 "unknown input type" if row.get("input_id") else "missing", row.get("type", "")))
            continue
        chain.inputs[row["input_id"]] = Input(row["input_id"], row["input_name"], kind, "CSET")
        if row.get("stage_id") and kind == "process":
            chain.links.append(Link(row["input_id"], row["stage_id"], "goes_into"))
    for line, row in _rows(texts["sequence.csv"]):
        for column, relation in (("goes_into_id", "goes_into"), ("is_type_of_id", "is_type_of")):
            target = row.get(column)
            if not target:
                continue
            missing = next((i for i in (row.get("input_id", ""), target) if i not in chain.inputs), None)
            if missing is not None:
                bad.append(Rejection(where["sequence.csv"], line, column if missing == target else "input_id",
                                     "no such input", missing))
                continue
            chain.links.append(Link(row["input_id"], target, relation))
    cset_ids: dict[str, Provider] = {}
    for line, row in _rows(texts["providers.csv"]):
        if row.get("provider_type") == "country":
            provider = country_provider(row["provider_name"], config)
            if provider is None:
                bad.append(Rejection(where["providers.csv"], line, "provider_name", "unknown country",
                                     row["provider_name"]))
                continue
        else:
            hq = config.code(row["country"]) if row.get("country") else None
            provider = company_provider(row["provider_name"], hq)
        cset_ids[row["provider_id"]] = provider
        chain.providers.setdefault(provider.id, provider)
    for line, row in _rows(texts["provision.csv"]):
        provider = cset_ids.get(row.get("provider_id", ""))
        try:
            if provider is None:
                raise _Bad("provider_id", "no such provider", row.get("provider_id", ""))
            if row.get("provided_id") not in chain.inputs:
                raise _Bad("provided_id", "no such input or stage", row.get("provided_id", ""))
            share = _share_field(row.get("share_provided", ""), "share_provided")
            year = _year(row.get("year", ""))
        except _Bad as error:
            bad.append(Rejection(where["provision.csv"], line, *error.args))
            continue
        chain.shares.append(Share(provider.id, row["provided_id"], share, year, row.get("source", "")))
    return chain, bad


class _Bad(Exception):
    """(field, reason, value) of a rejected row."""


def _share_field(text: str, column: str) -> float | None:
    if not text:
        return None
    try:
        return _pct(text)
    except ValueError as error:
        raise _Bad(column, f"not a percentage ({error})" if "outside" in str(error) else "not a number",
                   text) from None


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise _Bad("year", "not a year", text) from None
    if not 1900 <= year <= 2100:
        raise _Bad("year", "outside 1900-2100", text)
    return year


def _production_shares(rows: list[tuple[str, float | None]], total: float | None, input_id: str, year: int,
                       config: Config, source: str) -> list[Share]:
    """Country shares of one year's production: over the sum of the country rows when every country is given
    (the USGS world totals are rounded: China's gallium is 99.0%, not 100%), over the world total otherwise."""
    known = [v for _, v in rows if v is not None]
    denominator = sum(known) if len(known) == len(rows) else total
    if not denominator:
        return []
    return [Share(config.code(name) or name, input_id, None if v is None else 100.0 * v / denominator, year,
                  source) for name, v in rows]


def parse_usgs_mcs(text: str, config: Config, origin: str) -> tuple[SupplyChain, list[Rejection]]:
    """USGS Mineral Commodity Summaries world production rows: one raw-material input per commodity (id its name,
    e.g. ``gallium``), country shares for every ``production_<year>`` column."""
    chain, bad = SupplyChain(), []
    by_commodity: dict[str, list[tuple[int, dict]]] = {}
    for line, row in _rows(text):
        if not row.get("commodity"):
            bad.append(Rejection(origin, line, "commodity", "missing"))
            continue
        by_commodity.setdefault(row["commodity"], []).append((line, row))
    for commodity, rows in by_commodity.items():
        header = rows[0][1]
        years = {int(m[1]): column for column in header if (m := _PRODUCTION.match(column))}
        name = _commodity_name(commodity, header.get("table", ""))
        edition = f"USGS {header.get('mcs_edition', '')}".strip()
        chain.inputs[commodity] = Input(commodity, name, "raw_material", edition)
        countries, totals = [], {}
        for line, row in rows:
            if row["country"].lower().startswith("world total"):
                totals = {y: _number(row[c]) for y, c in years.items()}
                continue
            provider = country_provider(row["country"], config)
            if provider is None:
                bad.append(Rejection(origin, line, "country", "unknown country", row["country"]))
                continue
            chain.providers.setdefault(provider.id, provider)
            countries.append((line, row))
        for year, column in years.items():
            values = []
            for line, row in countries:
                try:
                    values.append((row["country"], _number(row[column], strict=True)))
                except ValueError:
                    bad.append(Rejection(origin, line, column, "not a number", row[column]))
            chain.shares += _production_shares(values, totals.get(year), commodity, year, config,
                                               f"USGS {header.get('mcs_edition', 'MCS')}, {header.get('unit', '')}")
    return chain, bad


def _commodity_name(commodity: str, table: str) -> str:
    """A short name: the commodity, with what the table measures when it is not mine production ("Gallium
    (low-purity)", "Titanium (sponge)")."""
    name = commodity.replace("-", " ").capitalize()
    qualifier = next((q for q in ("low-purity", "refinery", "smelter", "sponge") if q in table.lower()), None)
    return f"{name} ({qualifier})" if qualifier else name


def _number(text: str, strict: bool = False) -> float | None:
    """A production figure: blank (withheld, not available) is None; ``strict`` raises on anything else."""
    if text == "":
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        if strict:
            raise
        return None


def parse_usgs_years(text: str, config: Config, origin: str, input_id: str, name: str) -> tuple[
        SupplyChain, list[Rejection]]:
    """``Country,Year,<production>`` rows (USGS mine production by year): country shares of ``input_id`` per year
    over the countries given."""
    chain, bad = SupplyChain(), []
    chain.inputs[input_id] = Input(input_id, name, "raw_material", "USGS")
    per_year: dict[int, list[tuple[str, float | None]]] = {}
    for line, row in _rows(text):
        value_column = next((c for c in row if c not in ("Country", "Year")), "")
        try:
            year = _year(row.get("Year", ""))
            value = float(row.get(value_column, ""))
        except _Bad as error:
            bad.append(Rejection(origin, line, *error.args))
            continue
        except ValueError:
            bad.append(Rejection(origin, line, value_column, "not a number", row.get(value_column, "")))
            continue
        provider = country_provider(row.get("Country", ""), config)
        if provider is None:
            bad.append(Rejection(origin, line, "Country", "unknown country", row.get("Country", "")))
            continue
        chain.providers.setdefault(provider.id, provider)
        per_year.setdefault(year, []).append((row["Country"], value))
    for year, values in per_year.items():
        chain.shares += _production_shares(values, None, input_id, year, config, f"{origin} (countries given)")
    return chain, bad


def parse_own(text: str, config: Config, origin: str) -> tuple[SupplyChain, list[Rejection]]:
    """The Kompas supply CSV (:data:`OWN_COLUMNS`): one row per input, provider and year."""
    chain, bad = SupplyChain(), []
    rows = _rows(text)
    header = set(rows[0][1]) if rows else set(csv.DictReader(io.StringIO(text)).fieldnames or [])
    missing = [c for c in OWN_REQUIRED if c not in header]
    if missing:
        return chain, [Rejection(origin, 1, missing[0], "missing column")]
    for line, row in rows:
        try:
            for column in OWN_REQUIRED:
                if not row.get(column):
                    raise _Bad(column, "missing", "")
            kind = row.get("input_kind") or "material"
            if kind not in KINDS:
                raise _Bad("input_kind", f"not one of {', '.join(sorted(KINDS))}", kind)
            provider_kind = row.get("provider_kind") or "country"
            if provider_kind == "country":
                provider = country_provider(row["provider"], config)
                if provider is None:
                    raise _Bad("provider", "unknown country", row["provider"])
            elif provider_kind == "company":
                hq = config.code(row["country"]) if row.get("country") else None
                if row.get("country") and hq is None:
                    raise _Bad("country", "unknown country", row["country"])
                provider = company_provider(row["provider"], hq)
            else:
                raise _Bad("provider_kind", "not country or company", provider_kind)
            share = _share_field(row.get("share_pct", ""), "share_pct")
            year = _year(row["year"])
        except _Bad as error:
            bad.append(Rejection(origin, line, *error.args))
            continue
        chain.inputs.setdefault(row["input_id"], Input(row["input_id"], row["input_name"], kind, origin))
        chain.providers.setdefault(provider.id, provider)
        chain.shares.append(Share(provider.id, row["input_id"], share, year, row.get("source", "") or origin))
        for column in ("goes_into", "is_type_of"):
            for target in filter(None, (t.strip() for t in row.get(column, "").split(";"))):
                chain.links.append(Link(row["input_id"], target, column))
    return chain, bad
