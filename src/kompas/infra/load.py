"""Readers of the infrastructure data: thin adapters that read files (through :mod:`kompas.files`, finding
``../shared`` with :mod:`kompas.locate`) and hand their text to the engine's parse functions.

The public network is TeleGeography's cable map (2022 vintage; 2021 for the comparison) and Internet Exchange Map
(2020), read from ``../shared/data/infra`` only (CC BY-NC-SA: never copied into Kompas), and PyPSA-Eur's grid data
(CC-BY-4.0): the HVDC list ``links_p_nom.csv`` (bundled, so a clone without ``../shared`` has it) and the GridKit
extract of the ENTSO-E map (cross-border AC lines, DC routes). Each source used is named in ``Network.sources`` with
its attribution and licence, which every page, report and export showing the data repeats.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kompas.files import files_in, packaged, read_text, read_yaml
from kompas.infra import cables, corrections
from kompas.infra.model import Network
from kompas.locate import shared_data

ATTRIBUTION = {
    "cables": cables.ATTRIBUTION,
    "exchanges": ("Internet exchanges and their buildings: TeleGeography, Internet Exchange Map (2020), CC BY-NC-SA "
                  "3.0, non-commercial use only."),
    "hvdc": ("HVDC links and ratings: PyPSA-Eur (links_p_nom.csv, compiled from Wikipedia's list of HVDC projects), "
             "© The PyPSA-Eur Authors, CC-BY-4.0."),
    "grid": ("European transmission grid: GridKit extract of the ENTSO-E interactive map via PyPSA-Eur, "
             "© The PyPSA-Eur Authors, CC-BY-4.0; unofficial, not endorsed by ENTSO-E (March 2022)."),
}
HVDC_BUNDLED = packaged("infra/links_p_nom.csv")
#: An HVDC link takes the GridKit route whose two ends lie within this many km of its converter stations (PyPSA-Eur
#: matches within 1.5 degrees; at 60 km Estlink 2, Baltic Cable and BorWin2 match their own routes and no other).
MATCH_KM = 60.0
SUPPLIERS = packaged("infra/suppliers.yaml")
CORRECTIONS = packaged("infra/corrections.yaml")  #: published changes since the data was drawn


def infra_dir() -> Path | None:
    """``../shared/data/infra``, or None."""
    return shared_data("infra")


def _source(key: str, path: Path | str) -> dict[str, str]:
    return {"key": key, "path": str(path), "attribution": ATTRIBUTION[key]}


@lru_cache(maxsize=2)
def cable_vintage(vintage: str = "2022") -> Network:
    """The cables and landing points of one vintage of the cable map (``"2021"`` or ``"2022"``); an empty network
    (with a rejection saying where it was looked for) without ``../shared``. Cached: do not modify it."""
    if vintage not in ("2021", "2022"):
        raise ValueError(f"vintage {vintage!r}: 2021 or 2022")
    network = Network()
    base = infra_dir()
    folder = base / f"cables_{vintage}" if base else None
    if folder is None or not folder.is_dir():
        from kompas.infra.model import Rejection
        from kompas.locate import fallback_note

        network.rejections.append(Rejection(f"infra/cables_{vintage}", "-", "files", fallback_note(
            "infra", "the cable map is read from there only (CC BY-NC-SA), so no cables")))
        return network
    files = {p.name: read_text(p) for p in files_in(folder / "cable", ".json")}
    landings, cable_list, rejections = cables.parse_cables(
        files, files.pop("cable-geo.json", "{}"), read_text(folder / "landing-point-geo.json"), vintage,
        f"infra/cables_{vintage}")
    for landing in landings:
        network.add(landing)
    for cable in cable_list:
        network.add(cable)
    network.rejections.extend(rejections)
    network.sources.append(_source("cables", folder))
    return network


@lru_cache(maxsize=1)
def public_network(vintage: str = "2022") -> Network:
    """The whole public network: the cable map of ``vintage``, the HVDC links (routes from GridKit where one
    matches), the cross-border AC lines (capacities estimated), the internet exchanges and their buildings. Parts
    whose files are absent are left out, each with a rejection saying so. Cached: do not modify it (merge into a
    new one with :meth:`Network.merged`)."""
    network = cable_vintage(vintage).merged(Network())
    _add_grid(network)
    _add_exchanges(network)
    notes = corrections.apply(network, corrections.parse(read_text(CORRECTIONS), str(CORRECTIONS)))
    if notes:
        network.sources.append({"key": "corrections", "path": str(CORRECTIONS),
                                "attribution": "Kompas corrections since the data was drawn: " + " ".join(
                                    f"({n}) {note}" for n, note in enumerate(notes, start=1))})
    return network


def _add_grid(network: Network) -> None:
    from kompas.infra import grid

    base = infra_dir()
    hvdc_path = base / "grid" / "links_p_nom.csv" if base and (base / "grid" / "links_p_nom.csv").is_file() \
        else HVDC_BUNDLED
    hvdc, rejected = grid.parse_hvdc_links(read_text(hvdc_path), "infra/grid/links_p_nom.csv")
    network.rejections.extend(rejected)
    network.sources.append(_source("hvdc", hvdc_path))
    kit = base / "grid" / "entsoegridkit" if base else None
    if kit is not None and kit.is_dir():
        buses, links = read_text(kit / "buses.csv"), read_text(kit / "links.csv")
        hvdc = grid.with_routes(hvdc, grid.gridkit_dc_routes(buses, links), max_km=MATCH_KM)
        ac, rejected = grid.parse_gridkit(buses, read_text(kit / "lines.csv"), links, "infra/grid/entsoegridkit")
        network.rejections.extend(rejected)
        for link in ac:
            network.add(link)
        network.sources.append(_source("grid", kit))
    for link in hvdc:
        network.add(link)


def _add_exchanges(network: Network) -> None:
    from kompas.infra import exchanges

    base = infra_dir()
    folder = base / "ixmap_2020" if base else None
    if folder is None or not (folder / "buildings.geojson").is_file():
        return
    listing = folder / "exchanges.json"
    buildings, ixps, rejected = exchanges.parse_ixmap(read_text(folder / "buildings.geojson"),
                                                      read_text(listing) if listing.is_file() else None,
                                                      "infra/ixmap_2020")
    for building in buildings:
        network.add(building)
    for exchange in ixps:
        network.add(exchange)
    network.rejections.extend(rejected)
    network.sources.append(_source("exchanges", folder))


@lru_cache(maxsize=1)
def supplier_countries() -> dict[str, str]:
    """Supplier name -> home country (alpha-3), from the bundled ``suppliers.yaml``."""
    document = read_yaml(SUPPLIERS) or {}
    return {str(k): str(v) for k, v in (document.get("suppliers") or {}).items()}


@lru_cache(maxsize=1)
def country_groups() -> tuple[frozenset[str], frozenset[str]]:
    """The observatory's country groups as alpha-2 codes: (EU27, like-minded partners), from ``observatory.yaml``
    (the same groups the observatory's supply-chain shares use)."""
    import pycountry

    from kompas.observatory.load import load_config

    config = load_config()

    def two(codes: frozenset[str]) -> frozenset[str]:
        out = set()
        for code in codes:
            found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
            if found is not None:  # EUR (the Union as a whole) is a group member, not a country
                out.add(found.alpha_2)
        return frozenset(out)

    return two(frozenset(config.groups["EU27"])), two(frozenset(config.groups["like_minded"]))


def supplier_homes() -> dict[str, str]:
    """Supplier name -> home country as alpha-2 (from :func:`supplier_countries`)."""
    import pycountry

    out = {}
    for supplier, code in supplier_countries().items():
        found = pycountry.countries.get(alpha_3=code)
        out[supplier] = found.alpha_2 if found else ""
    return out
