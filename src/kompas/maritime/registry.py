"""Flag state from an MMSI's Maritime Identification Digits (ITU-R M.585), and what kind of station an MMSI is.

An MMSI is nine digits. A ship station is ``MIDxxxxxx``: its first three digits, the MID, are allocated by the ITU
to a flag state (Appendix 43 of the Radio Regulations; the table Kompas reads is the ITU list as transcribed by
libais). Other stations put the MID elsewhere (``00MIDxxxx`` coast stations, ``0MIDxxxxx`` group calls, ``111MIDxxx``
SAR aircraft, ``98MIDxxxx`` craft associated with a parent ship, ``99MIDxxxx`` aids to navigation) or have none
(``970`` AIS-SART, ``972`` man overboard, ``974`` EPIRB-AIS). An MMSI whose MID is in no table of allocated MIDs is an
identity anomaly (a made-up or mistyped number), not a flag.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from kompas.infra.countries import alpha2
from kompas.rejections import Rejection


@dataclass(frozen=True)
class Flag:
    """A Maritime Identification Digit's flag state."""

    mid: int
    name: str  #: as the ITU writes it ("Albania (Republic of)")
    country: str  #: ISO alpha-2 where Kompas can name it, else ""


#: ITU spellings pycountry and the infrastructure aliases do not resolve (the ITU's "(Republic of)" style is
#: stripped first). Territories with their own MID map to their own ISO code.
ITU_NAMES = {
    "azores - portugal": "PT", "madeira - portugal": "PT", "crozet archipelago": "TF", "kerguelen islands": "TF",
    "amsterdam and saint paul islands": "TF", "adelie land": "TF", "alaska (state of)": "US", "hawaii (state of)": "US",
    "ascension island": "SH", "saint helena": "SH", "tristan da cunha": "SH", "united kingdom of great britain and "
    "northern ireland": "GB", "united states of america": "US", "russian federation": "RU", "iran (islamic republic "
    "of)": "IR", "korea (republic of)": "KR", "democratic people's republic of korea": "KP", "viet nam (socialist "
    "republic of)": "VN", "netherlands (kingdom of the)": "NL", "vatican city state": "VA", "bolivia (plurinational "
    "state of)": "BO", "moldova (republic of)": "MD", "tanzania (united republic of)": "TZ", "venezuela (bolivarian "
    "republic of)": "VE", "micronesia (federated states of)": "FM", "lao people's democratic republic": "LA",
    "syrian arab republic": "SY", "taiwan (province of china)": "TW", "china (people's republic of)": "CN",
    "hong kong (special administrative region of china)": "HK", "macao (special administrative region of china)":
    "MO", "congo (republic of the)": "CG", "democratic republic of the congo": "CD", "cote d'ivoire (republic of)":
    "CI", "côte d'ivoire (republic of)": "CI", "gambia (republic of the)": "GM", "bahamas (commonwealth of the)": "BS",
    "the former yugoslav republic of macedonia": "MK", "palestine (in accordance with resolution 99 rev. antalya, "
    "2006)": "PS", "cape verde (republic of)": "CV", "turks and caicos islands": "TC", "netherlands antilles": "CW",
    "sint maarten (dutch part)": "SX", "guiana (french department of)": "GF", "french polynesia": "PF",
    "new caledonia": "NC", "wallis and futuna islands": "WF", "saint pierre and miquelon (collectivite territoriale "
    "de)": "PM", "reunion (french department of)": "RE", "guadeloupe (french department of)": "GP",
    "martinique (french department of)": "MQ", "united states virgin islands": "VI", "british virgin islands": "VG",
    "caribbean netherlands": "BQ", "mayotte": "YT", "anilles, bonaire, sint eustatius and saba": "BQ",
    "saint paul and amsterdam islands": "TF", "pitcairn island": "PN", "falkland islands": "FK",
    "state of palestine": "PS", "cocos": "CC", "swaziland (kingdom of)": "SZ", "eswatini (kingdom of)": "SZ",
}


def _country(name: str) -> str:
    """ISO alpha-2 of an ITU flag name; ``"Gibraltar - United Kingdom..."`` is the territory's own code, or its
    sovereign's when the territory has none."""
    if " - " in name:
        territory, _, sovereign = name.partition(" - ")
        return _country(territory) or _country(sovereign)
    low = name.strip().lower()
    if low in ITU_NAMES:
        return ITU_NAMES[low]
    bare = low.split(" (")[0].strip()
    return ITU_NAMES.get(bare) or alpha2(bare) or alpha2(name)


def parse_mid_table(text: str, source: str = "mid") -> tuple[dict[int, Flag], list[Rejection]]:
    """MID -> :class:`Flag` from a ``prefix,country`` CSV ``text``; rows without a MID or a nameable country are
    reported (the flag is kept with ``country`` "" when only the name cannot be mapped)."""
    flags: dict[int, Flag] = {}
    rejections: list[Rejection] = []
    rows = csv.reader(text.splitlines())
    header = [name.strip().lower() for name in next(rows, [])]
    if header[:2] != ["prefix", "country"]:
        return {}, [Rejection(source, 1, "header", "expected the columns prefix,country", ",".join(header))]
    for number, row in enumerate(rows, 2):
        if len(row) < 2 or not row[0].strip().isdigit() or len(row[0].strip()) != 3:
            rejections.append(Rejection(source, number, "prefix", "not a three-digit MID", ",".join(row)[:80]))
            continue
        mid = int(row[0])
        country = _country(row[1])
        if not country:
            rejections.append(Rejection(source, number, "country", "no ISO code Kompas can name for this flag",
                                        row[1]))
        flags[mid] = Flag(mid, row[1].strip(), country)
    return flags, rejections


def station(mmsi: int) -> tuple[str, int]:
    """(kind of station, MID or 0) of ``mmsi``: ``ship``, ``coast``, ``group``, ``sar aircraft``, ``craft``
    (associated with a parent ship), ``aid to navigation``, ``sart``, ``mob``, ``epirb`` or ``invalid``."""
    if not 0 < mmsi < 1_000_000_000:
        return "invalid", 0
    digits = f"{mmsi:09d}"
    if digits.startswith("970"):
        return "sart", 0
    if digits.startswith("972"):
        return "mob", 0
    if digits.startswith("974"):
        return "epirb", 0
    if digits.startswith("111"):
        return "sar aircraft", int(digits[3:6])
    if digits.startswith("98"):
        return "craft", int(digits[2:5])
    if digits.startswith("99"):
        return "aid to navigation", int(digits[2:5])
    if digits.startswith("00"):
        return "coast", int(digits[2:5])
    if digits.startswith("0"):
        return "group", int(digits[1:4])
    if digits[0] in "234567":
        return "ship", int(digits[:3])
    return "invalid", 0


def flag_of(mmsi: int, flags: dict[int, Flag]) -> Flag | None:
    """The flag an MMSI's MID names, or None (no MID, or a MID not in ``flags``)."""
    _, mid = station(mmsi)
    return flags.get(mid) if mid else None


def imo_valid(imo: int) -> bool:
    """Whether ``imo`` is a valid IMO ship number: seven digits whose last is the check digit (the sum of the first
    six times 7, 6, 5, 4, 3, 2, modulo 10)."""
    if not 1_000_000 <= imo <= 9_999_999:
        return False
    digits = [int(d) for d in str(imo)]
    return sum(d * w for d, w in zip(digits[:6], (7, 6, 5, 4, 3, 2), strict=False)) % 10 == digits[6]
