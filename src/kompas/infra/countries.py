"""Country names as the infrastructure sources write them, to ISO 3166-1 alpha-2 codes.

TeleGeography writes World Bank-style names (``Congo, Dem. Rep.``, ``Virgin Islands (U.K.)``); the Internet
Exchange Map writes slugs (``bosnia-herzegovina``, ``cte-divoire`` with the accent dropped). pycountry knows the
ISO names; :data:`ALIASES` holds the rest, each checked against the sources' own spelling. A name neither knows
maps to ``""`` and the reader reports it: a country is never guessed by fuzzy matching.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

#: Source spellings pycountry does not resolve exactly (lower case, punctuation as written).
ALIASES = {
    "brunei": "BN", "cape verde": "CV", "congo, dem. rep.": "CD", "congo, rep.": "CG", "micronesia": "FM",
    "russia": "RU", "saint martin": "MF", "sint maarten": "SX", "turkey": "TR", "virgin islands (u.k.)": "VG",
    "virgin islands (u.s.)": "VI", "bosnia herzegovina": "BA", "congo dem rep": "CD", "congo rep": "CG",
    "cte divoire": "CI", "cote divoire": "CI", "palestinian territory": "PS", "runion": "RE", "reunion": "RE",
    "korea, rep.": "KR", "korea rep": "KR", "korea": "KR", "south korea": "KR", "laos": "LA", "iran": "IR",
    "syria": "SY", "vietnam": "VN", "taiwan": "TW", "tanzania": "TZ", "venezuela": "VE", "bolivia": "BO",
    "moldova": "MD", "macedonia": "MK", "north macedonia": "MK", "uk": "GB", "united kingdom": "GB",
    "usa": "US", "united states": "US", "czech republic": "CZ", "czechia": "CZ", "kosovo": "XK",
    "gambia": "GM", "bahamas": "BS", "egypt, arab rep.": "EG", "yemen, rep.": "YE", "iran, islamic rep.": "IR",
    "hong kong": "HK", "hong kong sar, china": "HK", "macao": "MO", "ivory coast": "CI", "cote d'ivoire": "CI",
    "côte d'ivoire": "CI", "curacao": "CW", "curaçao": "CW", "st. kitts and nevis": "KN", "st. lucia": "LC",
    "st. vincent and the grenadines": "VC", "saint vincent and the grenadines": "VC",
}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


@lru_cache(maxsize=4096)
def alpha2(name: str) -> str:
    """The alpha-2 code of a country ``name`` (an ISO name, alpha-2/alpha-3 code, a source spelling in
    :data:`ALIASES`, or a slug with ``-`` for spaces), or ``""`` when it is not a country Kompas can name."""
    text = _key(name)
    if not text:
        return ""
    if text in ALIASES:
        return ALIASES[text]
    spaced = _key(text.replace("-", " "))
    if spaced in ALIASES:
        return ALIASES[spaced]
    for candidate in (text, spaced):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return ""


def name(code: str) -> str:
    """The common (else official) English name of an alpha-2 ``code``, or the code itself."""
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if found is None:
        return "Kosovo" if code.upper() == "XK" else code
    return str(getattr(found, "common_name", None) or found.name)
