"""One crosswalk from the context sources' country names and codes to ISO 3166-1 alpha-3.

The sources name countries in five ways:

- **UCDP/PRIO** by Gleditsch-Ward (GW) state numbers (``gwno_a``, ``gwno_loc``..., several comma-separated codes in
  one field): :func:`gw_to_iso3` (year-aware, see below);
- **SIPRI** by English short names (``Congo, DR``, ``Korea, South``, ``Gambia, The``, ``USSR``...): :func:`iso3`;
- **ND-GAIN** by ISO3 already (checked, not trusted: :func:`iso3` of a code returns it when ISO knows it);
- **IPC** by names (``Congo, DRC``, ``Timor-Leste``; ``LAC Region (tri-National)`` is the Trifinio region shared by
  El Salvador, Guatemala and Honduras, not a country, so it maps to ``""``: see :mod:`kompas.context.ipc`);
- **VIEWS** by its own ``country_id`` with a name (``country_list.csv``): :func:`views_iso3`.

As in :mod:`kompas.infra.countries`, pycountry knows the ISO names and codes and :data:`ALIASES` holds the sources'
other spellings, each written from the source's own file; a name neither knows maps to ``""`` (never fuzzy).
Kosovo, which ISO 3166-1 does not list, is ``XKX`` (the user-assigned code the EU and the World Bank use).

History (GW to ISO). GW numbers a *state system member*, ISO a *country code list*; they differ where states merged
or split. :func:`gw_to_iso3` answers the code ISO gave that state in that year, with ISO 3166-3 codes for states
that no longer exist:

- 260 (German Federal Republic, then Germany): ``DEU`` throughout (ISO gave DEU to the FRG, and unified Germany
  kept it); 265 (German Democratic Republic, 1949-1990): ``DDR``;
- 315 (Czechoslovakia, to 1992): ``CSK``; 316 Czech Republic and 317 Slovakia from 1993;
- 345 (Yugoslavia, then Serbia and Montenegro, then Serbia): ``YUG`` to 2002, ``SCG`` 2003-2005, ``SRB`` from
  2006 (ISO's changes of 2003 and 2006, by year);
- 365 (Soviet Union, then Russia): ``SUN`` to 1991, ``RUS`` from 1992;
- 678 (Yemen Arab Republic, then Yemen): ``YEM`` throughout (YE was North Yemen's code and unified Yemen kept it);
  680 (South Yemen, 1967-1990): ``YMD``;
- 816 (Democratic Republic of Vietnam, then Vietnam): ``VDR`` to 1975, ``VNM`` from 1976; 817 (Republic of
  Vietnam, to 1975): ``VNM`` (ISO 3166's first edition gave VN to the Republic of Viet-Nam; the unified state kept
  it);
- 751 (Hyderabad, 1947-1948), 711 (Tibet, to 1950), 511 (Zanzibar, 1963-1964) had no ISO code: ``""``;
- before a state's independence the code names its territory (UCDP's ``gwno_loc`` of colonial wars, e.g. 811
  Cambodia 1946-1952, 666 Israel 1946): it maps to that territory's code, as ISO codes dependent territories too;
  816 before 1954 (the Indochina war in all of Vietnam) is ``VNM``; a code after its state ended maps to ``""``;
- GW's Pacific microstates are numbered 970 Kiribati, 971 Nauru, 972 Tonga, 973 Tuvalu (not COW's 946, 970, 955,
  947); GW numbers Serbia 340 from 2006 while UCDP keeps 345: both map to ``SRB``.

:func:`successor` maps those ISO 3166-3 codes to today's country (``SUN`` -> ``RUS``, ``YUG``/``SCG`` -> ``SRB``,
``CSK`` -> ``CZE``, ``DDR`` -> ``DEU``, ``YMD`` -> ``YEM``, ``VDR`` -> ``VNM``) for callers that follow a country
through time; :func:`gw_successor` does the same for GW numbers (751 -> IND, 711 -> CHN, 511 -> TZA).
The GW table covers the states of the GW list that existed in 1946 or later (UCDP's period); pre-1946 states
(Bavaria, Hanover...) are not in it and map to ``""``.

Neighbours. :func:`neighbour_table` derives land neighbours from Natural Earth's 1:50m admin-0 polygons (the file
bundled at ``kompas/data/naturalearth``, read by :mod:`kompas.context.load`): two countries are neighbours when
their polygons lie within :data:`NEIGHBOUR_TOLERANCE_DEG` of each other. On the 50m data every pair that shares a
border touches exactly; the tolerance (0.02 degrees, about 2 km) only absorbs digitising gaps and adds no pair
there, so sea neighbours are not neighbours (France-United Kingdom, Denmark-Sweden, Malaysia-Singapore at 0.05
degrees and more). Natural Earth's own units are merged into the ISO country: Somaliland into Somalia, Northern
Cyprus into Cyprus; Kosovo is ``XKX``, South Sudan ``SSD``, Western Sahara ``ESH``; the Siachen glacier (disputed
between India and Pakistan) is left out. France's polygon includes French Guiana, so France borders Brazil and
Suriname, as it does; Ceuta and Melilla are not drawn at 1:50m, so Spain and Morocco (0.16 degrees apart there)
are not neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pycountry

#: Source spellings pycountry does not resolve (lower case, spaces collapsed), each taken from a source file:
#: S = SIPRI extract, V = VIEWS country_list, I = IPC workbook, U = UCDP location/side names, N = Natural Earth.
ALIASES: dict[str, str] = {
    # S
    "brunei": "BRN", "cape verde": "CPV", "congo, dr": "COD", "congo, republic": "COG", "cote d'ivoire": "CIV",
    "côte d'ivoire": "CIV", "gambia, the": "GMB", "korea, north": "PRK", "korea, south": "KOR", "kosovo": "XKX",
    "russia": "RUS", "timor leste": "TLS", "turkey": "TUR", "czechoslovakia": "CSK",
    "german democratic republic": "DDR", "ussr": "SUN", "yemen, north": "YEM", "yugoslavia": "YUG",
    # V
    "st. lucia": "LCA", "st. vincent and the grenadines": "VCT", "st. kitts and nevis": "KNA", "the gambia": "GMB",
    "macedonia": "MKD", "marshall is.": "MHL", "micronesia": "FSM", "swaziland": "SWZ", "congo, drc": "COD",
    "solomon is.": "SLB",
    # I
    "timor-leste": "TLS", "eswatini": "SWZ", "tanzania": "TZA",
    # U (the names UCDP gives the location of a continuing state, without the year)
    "dr congo (zaire)": "COD", "russia (soviet union)": "RUS", "myanmar (burma)": "MMR",
    "cambodia (kampuchea)": "KHM", "serbia (yugoslavia)": "SRB", "yemen (north yemen)": "YEM", "ivory coast": "CIV",
    "bosnia-herzegovina": "BIH", "zimbabwe (rhodesia)": "ZWE", "madagascar (malagasy)": "MDG",
    "vietnam (north vietnam)": "VNM", "south yemen": "YMD", "south vietnam": "VNM", "soviet union": "SUN",
    "east germany": "DDR", "west germany": "DEU", "north korea": "PRK", "south korea": "KOR", "laos": "LAO",
    "iran": "IRN", "syria": "SYR", "vietnam": "VNM", "bolivia": "BOL", "venezuela": "VEN", "moldova": "MDA",
    "north macedonia": "MKD", "czech republic": "CZE", "united states": "USA", "united states of america": "USA",
    "uk": "GBR", "united kingdom": "GBR", "taiwan": "TWN", "palestine": "PSE", "south sudan": "SSD",
    "democratic republic of the congo": "COD", "republic of the congo": "COG", "congo": "COG",
    "central african rep.": "CAF", "dem. rep. congo": "COD", "w. sahara": "ESH", "western sahara": "ESH",
    "s. sudan": "SSD", "bosnia and herz.": "BIH", "dominican rep.": "DOM", "eq. guinea": "GNQ",
}

#: Display names where ISO's are long or formal.
SHORT_NAMES: dict[str, str] = {"XKX": "Kosovo", "COD": "DR Congo", "RUS": "Russia", "PSE": "Palestine",
                               "FSM": "Micronesia", "SUN": "Soviet Union", "YUG": "Yugoslavia", "CSK": "Czechoslovakia",
                               "DDR": "German Democratic Republic", "YMD": "South Yemen", "VDR": "North Vietnam",
                               "SCG": "Serbia and Montenegro", "TUR": "Türkiye"}
#: ISO 3166-3 codes of states that no longer exist -> the present-day country that continues them.
SUCCESSORS: dict[str, str] = {"SUN": "RUS", "YUG": "SRB", "SCG": "SRB", "CSK": "CZE", "DDR": "DEU", "YMD": "YEM",
                              "VDR": "VNM"}
#: Codes Kosovo goes by; ISO 3166-1 lists none of them.
KOSOVO = "XKX"

_OPEN = 9999
#: GW number -> ((first year, last year, ISO3), ...): the GW states of 1946 and later. One period for most; the
#: historical cases are explained in the module docstring. ISO3 "" = no ISO code for that state.
GW: dict[int, tuple[tuple[int, int, str], ...]] = {
    2: ((1816, _OPEN, "USA"),), 20: ((1867, _OPEN, "CAN"),), 31: ((1973, _OPEN, "BHS"),), 40: ((1902, _OPEN, "CUB"),),
    41: ((1859, _OPEN, "HTI"),), 42: ((1887, _OPEN, "DOM"),), 51: ((1962, _OPEN, "JAM"),),
    52: ((1962, _OPEN, "TTO"),), 53: ((1966, _OPEN, "BRB"),), 54: ((1978, _OPEN, "DMA"),),
    55: ((1974, _OPEN, "GRD"),), 56: ((1979, _OPEN, "LCA"),), 57: ((1979, _OPEN, "VCT"),),
    58: ((1981, _OPEN, "ATG"),), 60: ((1983, _OPEN, "KNA"),), 70: ((1821, _OPEN, "MEX"),), 80: ((1981, _OPEN, "BLZ"),),
    90: ((1840, _OPEN, "GTM"),), 91: ((1840, _OPEN, "HND"),), 92: ((1840, _OPEN, "SLV"),), 93: ((1840, _OPEN, "NIC"),),
    94: ((1840, _OPEN, "CRI"),), 95: ((1903, _OPEN, "PAN"),), 100: ((1830, _OPEN, "COL"),),
    101: ((1829, _OPEN, "VEN"),), 110: ((1966, _OPEN, "GUY"),), 115: ((1975, _OPEN, "SUR"),),
    130: ((1830, _OPEN, "ECU"),), 135: ((1824, _OPEN, "PER"),), 140: ((1822, _OPEN, "BRA"),),
    145: ((1825, _OPEN, "BOL"),), 150: ((1816, _OPEN, "PRY"),), 155: ((1818, _OPEN, "CHL"),),
    160: ((1816, _OPEN, "ARG"),), 165: ((1830, _OPEN, "URY"),),
    200: ((1816, _OPEN, "GBR"),), 205: ((1922, _OPEN, "IRL"),), 210: ((1816, _OPEN, "NLD"),),
    211: ((1830, _OPEN, "BEL"),), 212: ((1867, _OPEN, "LUX"),), 220: ((1816, _OPEN, "FRA"),),
    221: ((1861, _OPEN, "MCO"),), 223: ((1816, _OPEN, "LIE"),), 225: ((1816, _OPEN, "CHE"),),
    230: ((1816, _OPEN, "ESP"),), 232: ((1816, _OPEN, "AND"),), 235: ((1816, _OPEN, "PRT"),),
    260: ((1949, _OPEN, "DEU"),), 265: ((1949, 1990, "DDR"),), 290: ((1918, _OPEN, "POL"),),
    305: ((1918, _OPEN, "AUT"),), 310: ((1918, _OPEN, "HUN"),), 315: ((1918, 1992, "CSK"),),
    316: ((1993, _OPEN, "CZE"),), 317: ((1993, _OPEN, "SVK"),), 325: ((1816, _OPEN, "ITA"),),
    331: ((1816, _OPEN, "SMR"),), 338: ((1964, _OPEN, "MLT"),), 339: ((1913, _OPEN, "ALB"),),
    341: ((2006, _OPEN, "MNE"),), 343: ((1991, _OPEN, "MKD"),), 344: ((1991, _OPEN, "HRV"),),
    340: ((2006, _OPEN, "SRB"),),
    345: ((1878, 2002, "YUG"), (2003, 2005, "SCG"), (2006, _OPEN, "SRB")), 346: ((1992, _OPEN, "BIH"),),
    347: ((2008, _OPEN, KOSOVO),), 349: ((1991, _OPEN, "SVN"),), 350: ((1827, _OPEN, "GRC"),),
    352: ((1960, _OPEN, "CYP"),), 355: ((1878, _OPEN, "BGR"),), 359: ((1991, _OPEN, "MDA"),),
    360: ((1878, _OPEN, "ROU"),), 365: ((1816, 1991, "SUN"), (1992, _OPEN, "RUS")), 366: ((1991, _OPEN, "EST"),),
    367: ((1991, _OPEN, "LVA"),), 368: ((1991, _OPEN, "LTU"),), 369: ((1991, _OPEN, "UKR"),),
    370: ((1991, _OPEN, "BLR"),), 371: ((1991, _OPEN, "ARM"),), 372: ((1991, _OPEN, "GEO"),),
    373: ((1991, _OPEN, "AZE"),), 375: ((1917, _OPEN, "FIN"),), 380: ((1816, _OPEN, "SWE"),),
    385: ((1905, _OPEN, "NOR"),), 390: ((1816, _OPEN, "DNK"),), 395: ((1944, _OPEN, "ISL"),),
    402: ((1975, _OPEN, "CPV"),), 403: ((1975, _OPEN, "STP"),), 404: ((1974, _OPEN, "GNB"),),
    411: ((1968, _OPEN, "GNQ"),), 420: ((1965, _OPEN, "GMB"),), 432: ((1960, _OPEN, "MLI"),),
    433: ((1960, _OPEN, "SEN"),), 434: ((1960, _OPEN, "BEN"),), 435: ((1960, _OPEN, "MRT"),),
    436: ((1960, _OPEN, "NER"),), 437: ((1960, _OPEN, "CIV"),), 438: ((1958, _OPEN, "GIN"),),
    439: ((1960, _OPEN, "BFA"),), 450: ((1847, _OPEN, "LBR"),), 451: ((1961, _OPEN, "SLE"),),
    452: ((1957, _OPEN, "GHA"),), 461: ((1960, _OPEN, "TGO"),), 471: ((1960, _OPEN, "CMR"),),
    475: ((1960, _OPEN, "NGA"),), 481: ((1960, _OPEN, "GAB"),), 482: ((1960, _OPEN, "CAF"),),
    483: ((1960, _OPEN, "TCD"),), 484: ((1960, _OPEN, "COG"),), 490: ((1960, _OPEN, "COD"),),
    500: ((1962, _OPEN, "UGA"),), 501: ((1963, _OPEN, "KEN"),), 510: ((1961, _OPEN, "TZA"),),
    511: ((1963, 1964, ""),), 516: ((1962, _OPEN, "BDI"),), 517: ((1962, _OPEN, "RWA"),),
    520: ((1960, _OPEN, "SOM"),), 522: ((1977, _OPEN, "DJI"),), 530: ((1816, _OPEN, "ETH"),),
    531: ((1993, _OPEN, "ERI"),), 540: ((1975, _OPEN, "AGO"),), 541: ((1975, _OPEN, "MOZ"),),
    551: ((1964, _OPEN, "ZMB"),), 552: ((1965, _OPEN, "ZWE"),), 553: ((1964, _OPEN, "MWI"),),
    560: ((1910, _OPEN, "ZAF"),), 565: ((1990, _OPEN, "NAM"),), 570: ((1966, _OPEN, "LSO"),),
    571: ((1966, _OPEN, "BWA"),), 572: ((1968, _OPEN, "SWZ"),), 580: ((1960, _OPEN, "MDG"),),
    581: ((1975, _OPEN, "COM"),), 590: ((1968, _OPEN, "MUS"),), 591: ((1976, _OPEN, "SYC"),),
    600: ((1956, _OPEN, "MAR"),), 615: ((1962, _OPEN, "DZA"),), 616: ((1956, _OPEN, "TUN"),),
    620: ((1951, _OPEN, "LBY"),), 625: ((1956, _OPEN, "SDN"),), 626: ((2011, _OPEN, "SSD"),),
    630: ((1816, _OPEN, "IRN"),), 640: ((1816, _OPEN, "TUR"),), 645: ((1932, _OPEN, "IRQ"),),
    651: ((1827, _OPEN, "EGY"),), 652: ((1946, _OPEN, "SYR"),), 660: ((1946, _OPEN, "LBN"),),
    663: ((1946, _OPEN, "JOR"),), 666: ((1948, _OPEN, "ISR"),), 670: ((1932, _OPEN, "SAU"),),
    678: ((1918, _OPEN, "YEM"),), 680: ((1967, 1990, "YMD"),), 690: ((1961, _OPEN, "KWT"),),
    692: ((1971, _OPEN, "BHR"),), 694: ((1971, _OPEN, "QAT"),), 696: ((1971, _OPEN, "ARE"),),
    698: ((1741, _OPEN, "OMN"),), 700: ((1816, _OPEN, "AFG"),), 701: ((1991, _OPEN, "TKM"),),
    702: ((1991, _OPEN, "TJK"),), 703: ((1991, _OPEN, "KGZ"),), 704: ((1991, _OPEN, "UZB"),),
    705: ((1991, _OPEN, "KAZ"),), 710: ((1816, _OPEN, "CHN"),), 711: ((1913, 1950, ""),),
    712: ((1921, _OPEN, "MNG"),), 713: ((1949, _OPEN, "TWN"),), 731: ((1948, _OPEN, "PRK"),),
    732: ((1948, _OPEN, "KOR"),), 740: ((1816, _OPEN, "JPN"),), 750: ((1947, _OPEN, "IND"),),
    751: ((1947, 1948, ""),), 760: ((1949, _OPEN, "BTN"),), 770: ((1947, _OPEN, "PAK"),),
    771: ((1971, _OPEN, "BGD"),), 775: ((1948, _OPEN, "MMR"),), 780: ((1948, _OPEN, "LKA"),),
    781: ((1965, _OPEN, "MDV"),), 790: ((1816, _OPEN, "NPL"),), 800: ((1816, _OPEN, "THA"),),
    811: ((1953, _OPEN, "KHM"),), 812: ((1954, _OPEN, "LAO"),), 817: ((1954, 1975, "VNM"),),
    816: ((1946, 1953, "VNM"), (1954, 1975, "VDR"), (1976, _OPEN, "VNM")),
    820: ((1957, _OPEN, "MYS"),), 830: ((1965, _OPEN, "SGP"),),
    835: ((1984, _OPEN, "BRN"),), 840: ((1946, _OPEN, "PHL"),), 850: ((1949, _OPEN, "IDN"),),
    860: ((2002, _OPEN, "TLS"),), 900: ((1901, _OPEN, "AUS"),), 910: ((1975, _OPEN, "PNG"),),
    920: ((1907, _OPEN, "NZL"),), 935: ((1980, _OPEN, "VUT"),), 940: ((1978, _OPEN, "SLB"),),
    950: ((1970, _OPEN, "FJI"),),
    970: ((1979, _OPEN, "KIR"),), 971: ((1968, _OPEN, "NRU"),), 972: ((1970, _OPEN, "TON"),),
    973: ((1978, _OPEN, "TUV"),), 983: ((1986, _OPEN, "MHL"),),
    986: ((1994, _OPEN, "PLW"),), 987: ((1986, _OPEN, "FSM"),), 990: ((1962, _OPEN, "WSM"),),
}
#: GW states without an ISO code -> the present-day country their territory belongs to.
GW_SUCCESSORS: dict[int, str] = {751: "IND", 711: "CHN", 511: "TZA"}

#: Natural Earth ADM0_A3 codes that are not the ISO3 of the country they belong to (see the module docstring);
#: "" = left out.
NATURAL_EARTH_CODES: dict[str, str] = {"KOS": KOSOVO, "SDS": "SSD", "SAH": "ESH", "SOL": "SOM", "CYN": "CYP",
                                       "ALD": "ALA", "IOA": "AUS", "ATC": "AUS", "KAS": ""}
#: Two countries whose Natural Earth polygons lie this close (degrees, about 2 km) are land neighbours.
NEIGHBOUR_TOLERANCE_DEG = 0.02


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def _known_alpha3(code: str) -> bool:
    return code == KOSOVO or pycountry.countries.get(alpha_3=code) is not None \
        or pycountry.historic_countries.get(alpha_3=code) is not None


@lru_cache(maxsize=4096)
def iso3(name_or_code: str) -> str:
    """The ISO 3166-1 alpha-3 code of a country name or code (an ISO name, alpha-2 or alpha-3 code, a spelling in
    :data:`ALIASES`); ISO 3166-3 codes for dissolved states named as such (``USSR`` -> ``SUN``); ``XKX`` for
    Kosovo; ``""`` when unknown. Never fuzzy; digit strings are refused (GW numbers would read as ISO numeric
    codes: use :func:`gw_to_iso3`)."""
    text = _key(name_or_code)
    if not text or text.isdigit():
        return ""
    if text in ALIASES:
        return ALIASES[text]
    if len(text) == 3 and text.isalpha() and _known_alpha3(text.upper()):
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        pass
    try:
        return str(pycountry.historic_countries.lookup(text).alpha_3)
    except LookupError:
        return ""


def name(code: str) -> str:
    """The common (else official) English name ISO gives an ISO3 ``code`` (``COD`` -> "Congo, The Democratic
    Republic of the"; ``BOL`` -> "Bolivia"), "Kosovo" for ``XKX``, or the code itself when unknown."""
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    found = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def successor(code: str) -> str:
    """Today's country for an ISO3 ``code`` (``SUN`` -> ``RUS``...; any other code unchanged)."""
    return SUCCESSORS.get(code, code)


def gw_to_iso3(gw: int, year: int) -> str:
    """The ISO3 code of Gleditsch-Ward state ``gw`` in ``year`` (an ISO 3166-3 code for a dissolved state, see
    the module docstring), or ``""`` when GW has no such state that year or ISO no code for it."""
    periods = GW.get(gw, ())
    if periods and year < periods[0][0]:
        return periods[0][2]  # the territory before independence (UCDP's gwno_loc of colonial wars)
    for first, last, code in periods:
        if first <= year <= last:
            return code
    return ""


def gw_successor(gw: int) -> str:
    """Today's country for GW state ``gw`` whatever the year (265 -> DEU, 365 -> RUS, 751 -> IND), or ``""``."""
    if gw in GW_SUCCESSORS:
        return GW_SUCCESSORS[gw]
    periods = GW.get(gw, ())
    return successor(periods[-1][2]) if periods else ""


def parse_gw(field: str) -> tuple[int, ...]:
    """The GW numbers of a UCDP field (``"651, 666"`` -> ``(651, 666)``; ``""`` -> ``()``); raises ValueError on
    anything else."""
    parts = [p.strip() for p in field.split(",")] if field.strip() else []
    if any(not p.isdigit() for p in parts):
        raise ValueError("not a comma-separated list of numbers")
    return tuple(int(p) for p in parts)


#: VIEWS country_id -> ISO3 where the name alone would not do (none needed for the 191 of the 2023/24 challenge;
#: kept for future lists).
VIEWS_OVERRIDES: dict[int, str] = {}


def views_iso3(views_country_id: int, name: str) -> str:
    """The ISO3 code of a VIEWS country (``country_list.csv``: id and name), or ``""``."""
    return VIEWS_OVERRIDES.get(views_country_id) or iso3(name)


def natural_earth_iso3(adm0_a3: str) -> str:
    """The ISO3 code a Natural Earth ``ADM0_A3`` unit is counted under (``""``: left out)."""
    return NATURAL_EARTH_CODES.get(adm0_a3, adm0_a3)


def neighbour_table(geojson: Mapping[str, Any],
                    tolerance: float = NEIGHBOUR_TOLERANCE_DEG) -> dict[str, frozenset[str]]:
    """ISO3 -> its land neighbours, from a parsed Natural Earth admin-0 FeatureCollection (``ADM0_A3`` property):
    units merged per :func:`natural_earth_iso3`, neighbours = polygons within ``tolerance`` degrees. Every country
    of the file is a key (islands with an empty set)."""
    from shapely import STRtree
    from shapely.geometry import shape
    from shapely.ops import unary_union

    parts: dict[str, list[Any]] = {}
    for feature in geojson.get("features", []):
        code = natural_earth_iso3(str((feature.get("properties") or {}).get("ADM0_A3", "")))
        if code and feature.get("geometry"):
            parts.setdefault(code, []).append(shape(feature["geometry"]))
    codes = sorted(parts)
    geometries = [unary_union(parts[c]) if len(parts[c]) > 1 else parts[c][0] for c in codes]
    tree = STRtree(geometries)
    table: dict[str, set[str]] = {c: set() for c in codes}
    for i, geometry in enumerate(geometries):
        for j in tree.query(geometry, predicate="dwithin", distance=tolerance):
            if int(j) != i:
                table[codes[i]].add(codes[int(j)])
    return {c: frozenset(n) for c, n in table.items()}


_TABLE: dict[str, frozenset[str]] | None = None


def neighbours(iso3_code: str, table: Mapping[str, frozenset[str]] | None = None) -> frozenset[str]:
    """The land neighbours of ``iso3_code`` (ISO3; a dissolved state's code is taken as its successor's), from
    ``table`` (:func:`neighbour_table`), by default the bundled Natural Earth one, which the I/O layer
    (:func:`kompas.context.load.neighbour_table`) reads on first use and keeps."""
    global _TABLE
    if table is None:
        if _TABLE is None:
            from kompas.context import load  # the I/O layer reads the bundled file; this module stays pure

            _TABLE = load.neighbour_table()
        table = _TABLE
    return table.get(successor(iso3_code.upper()), frozenset())


def unmapped(names: Iterable[str]) -> list[str]:
    """The names of ``names`` that :func:`iso3` does not know, in order, without duplicates."""
    return list(dict.fromkeys(n for n in names if not iso3(n)))
