"""Readers of maritime files: thin adapters that read (through :mod:`kompas.files`) and hand the lines to the
engine's parsers.

- :func:`read_ais` recognises raw NMEA or CSV from the file's first line (``.gz`` decompressed on the way) and
  streams it through :func:`kompas.maritime.nmea.parse_nmea` or :func:`kompas.maritime.tables.parse_table`;
- :func:`mid_flags` reads the ITU MID table (libais's transcription, Apache-2.0, bundled as ``data/maritime/mid.csv``;
  the copy in ``../shared/data/maritime/registry`` is read when present);
- :func:`baltic_assets` gives the seabed assets of the Baltic: the index ``baltic_seabed_assets.csv`` (CC BY-NC-SA,
  read from ``../shared`` only) matched in the infrastructure network; without it, every cable and HVDC link of the
  network in the Baltic box (without ``../shared`` that is the bundled HVDC list, drawn as straight lines).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kompas.files import packaged, read_head, read_lines, read_text
from kompas.infra.model import Network
from kompas.locate import shared_data
from kompas.maritime.model import Ingest
from kompas.maritime.nmea import parse_nmea
from kompas.maritime.registry import Flag, parse_mid_table
from kompas.maritime.tables import parse_table
from kompas.maritime.watch import Asset, network_assets, seabed_index
from kompas.rejections import Rejection

MID_BUNDLED = packaged("maritime/mid.csv")
MID_SUPPLEMENT = packaged("maritime/mid_supplement.csv")  #: later ITU allocations (data/maritime/README.md)
BALTIC_BOX = (10.0, 53.5, 31.0, 66.5)  #: lon_min, lat_min, lon_max, lat_max of the Baltic index
ATTRIBUTION = {
    "mid": "Maritime Identification Digits: the ITU list as transcribed in libais (© 2010 Kurt Schwehr, Apache-2.0).",
    "seabed": ("Baltic seabed assets: derived from TeleGeography's Submarine Cable Map (CC BY-NC-SA 3.0, "
               "non-commercial) and PyPSA-Eur's HVDC list (CC-BY-4.0)."),
    "dma": ("Contains data from the Danish Maritime Authority that is used in accordance with the conditions for the "
            "use of Danish public data."),
}


#: Attribution the shared recordings ask for, by the folder they are in (../shared/data/maritime/PROVENANCE.md).
KNOWN_SOURCES = {
    "dma_aisabnormal_events": ATTRIBUTION["dma"],
    "dma_aislib": ATTRIBUTION["dma"] + " (Danish Maritime Authority, AisLib, Apache-2.0)",
    "evergiven_suez_2021": "AIS data provided by VesselsValue, via movingpandas-examples (no reuse terms stated: "
                           "validation only, not redistributed).",
    "aisdb_testdata": "AIS test data of AISViz/AISdb (AGPL-3.0; the NOAA file: MarineCadastre/NOAA, US public domain).",
    "pyais_samples": "AIS samples of pyais (© 2019 M0r13n, MIT), partly from AISHub.",
    "decoder_reference": "Decoder test vectors of GPSD (BSD-2-Clause) and libais (© 2010 Kurt Schwehr, Apache-2.0).",
}


def known_attribution(path: str | Path) -> str:
    """The attribution a file of the shared maritime recordings asks for (by its folder), or ""."""
    return KNOWN_SOURCES.get(Path(path).parent.name, "")


def ais_format(path: str | Path) -> str:
    """``nmea`` or ``csv``, from the first line that is not blank (a ``.gz`` file is looked into)."""
    if str(path).lower().endswith(".gz"):
        head = ""
        for line in read_lines(path):
            if line.strip():
                head = line
                break
    else:
        head = next((line for line in read_head(path).splitlines() if line.strip()), "")
    text = head.lstrip("\ufeff").strip()
    if text.lower().startswith("# timestamp"):
        return "csv"  # the Danish Maritime Authority's header starts with "# Timestamp"
    return "nmea" if text[:1] in ("!", "$", "\\", "#") else "csv"


def read_ais(path: str | Path, source: str | None = None) -> Ingest:
    """The AIS in the file at ``path`` (NMEA or CSV, plain or ``.gz``), named ``source`` (default: the path) in
    rejections. Raises :class:`kompas.files.NoSuchPath` or :class:`kompas.files.Unreadable` naming it."""
    name = source or str(path)
    if ais_format(path) == "nmea":
        return parse_nmea(read_lines(path, binary=True), name)
    return parse_table(read_lines(path), name)


@lru_cache(maxsize=1)
def mid_flags() -> tuple[dict[int, Flag], tuple[Rejection, ...]]:
    """MID -> flag, and the table's rejections."""
    base = shared_data("maritime")
    path = base / "registry" / "mid_maritime_identification_digits.csv" if base else None
    chosen = path if path is not None and path.is_file() else MID_BUNDLED
    flags, rejections = parse_mid_table(read_text(chosen), str(chosen))
    later, more = parse_mid_table(read_text(MID_SUPPLEMENT), str(MID_SUPPLEMENT))
    return {**flags, **later}, (*rejections, *more)


def baltic_assets(network: Network) -> tuple[list[Asset], list[Rejection], list[str]]:
    """(assets, rejections, attributions) of the Baltic seabed (see the module docstring)."""
    base = shared_data("maritime")
    index = base / "baltic_seabed_assets.csv" if base else None
    attributions = [source["attribution"] for source in network.sources if source.get("key") in ("cables", "hvdc",
                                                                                                  "grid")]
    if index is not None and index.is_file():
        assets, rejections = seabed_index(read_text(index), network, "maritime/baltic_seabed_assets.csv")
        return assets, rejections, [ATTRIBUTION["seabed"], *attributions]
    return network_assets(network, BALTIC_BOX), [], attributions
