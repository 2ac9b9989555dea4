"""Draw the SYNTHETIC civilian roster of Kompas's illustrative forces example set (issue 28).

No member state publishes its roster of civilian experts, and none should be invented as if real: this script draws
pseudonymous experts (ids only, never names) from a seeded random generator, so that the deployment commands have a
roster of a realistic size to work on. Run it again with the same seed and it draws the same roster.

What comes from public facts (each with its source):

- 22 contributing member states: "Over 200 monitors from 22 EU members-states" in the EU Monitoring Mission in
  Georgia at its start (Civil Georgia, 1 Oct 2008, :data:`EUMM_URL`). *Which* 22 is not published there: this script
  takes the EU-27 without its five least populous states (MT, LU, CY, EE, LV), an assumption, unsourced.
- The share of monitors: EUMM counted about 200 monitors among 352 international staff (same source), so
  :data:`PROFILE_WEIGHTS` gives ``monitor`` 200/352 = 0.568.
- Formed units besides individual secondments: Denmark and Finland sent a joint 20-person unit, 10 each (Danish MoD,
  :data:`DK_FI_URL`); Italy and France sent pre-constituted units (carabinieri, gendarmes; :data:`FORMED_URL`) whose
  size is not published (20 each here, assumed).
- Each nation's official languages (a fact; ISO 639-1).

Everything else is ASSUMED, UNSOURCED, stated here and in every row's ``notes``: the other profiles' shares, the
languages besides the national ones, clearance levels, the shares with valid pre-deployment training (PDT), hostile
environment training (HEAT) and medical clearance, the notice periods and the availability windows. No public source
gives these rates for any roster.

Usage: ``python examples/forces/make_roster.py [EDITION] [SIZE] [SEED]`` prints the roster as the register's
``experts`` CSV section; :mod:`make_example` calls :func:`roster` to build the bundled example set.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta

from kompas.forces.model import Expert, Register
from kompas.forces.register import to_csv

EUMM_URL = "https://old.civil.ge/eng/_print.php?id=19640"  #: 22 member states, ~200 monitors, 352 international staff
DK_FI_URL = "https://www.fmn.dk/da/nyheder/2008/2008/danmark-udsender-10-civile-observatorer-til-georgien/"
FORMED_URL = "https://www.bruxelles2.eu/en/2008/12/storyofgeorgia8themainissuesoftheeummmission/"

#: The 22 contributing states (the EUMM 2008 count) and their official languages (ISO 639-1). ASSUMED which 22: the
#: EU-27 without MT, LU, CY, EE and LV, its five least populous members.
NATIONS: dict[str, tuple[str, ...]] = {
    "AT": ("de",), "BE": ("nl", "fr"), "BG": ("bg",), "HR": ("hr",), "CZ": ("cs",), "DK": ("da",), "FI": ("fi", "sv"),
    "FR": ("fr",), "DE": ("de",), "GR": ("el",), "HU": ("hu",), "IE": ("en", "ga"), "IT": ("it",), "LT": ("lt",),
    "NL": ("nl",), "PL": ("pl",), "PT": ("pt",), "RO": ("ro",), "SK": ("sk",), "SI": ("sl",), "ES": ("es",),
    "SE": ("sv",),
}
#: Profile shares: ``monitor`` from EUMM 2008 (200 of 352 international staff); the rest ASSUMED.
PROFILE_WEIGHTS: dict[str, float] = {
    "monitor": 200 / 352, "police-adviser": 0.06, "rule-of-law-adviser": 0.04, "border-management": 0.04,
    "human-rights-adviser": 0.03, "civil-administration": 0.03, "security-sector-reform": 0.03,
    "mission-security-officer": 0.04, "logistics-officer": 0.04, "medical-officer": 0.02, "cis-officer": 0.04,
    "finance-procurement": 0.03, "head-of-office": 0.0,
}
PROFILE_WEIGHTS["head-of-office"] = 1 - sum(PROFILE_WEIGHTS.values())  # the remainder, about 0.03
#: Formed units (nation, unit, members): DK and FI 10 each (public); IT and FR 20 each (size ASSUMED).
FORMED_UNITS = (("DK", "DK-FI-joint-unit", 10), ("FI", "DK-FI-joint-unit", 10), ("IT", "IT-formed-unit", 20),
                ("FR", "FR-formed-unit", 20))
# ASSUMED, UNSOURCED rates:
OTHER_LANGUAGES = {"en": 0.95, "fr": 0.25, "de": 0.20, "ru": 0.15}  #: share speaking each besides their own
CLEARANCE_WEIGHTS = {"none": 0.15, "RESTREINT UE": 0.35, "CONFIDENTIEL UE": 0.35, "SECRET UE": 0.15}
NEEDS_CONFIDENTIEL = ("head-of-office", "mission-security-officer", "cis-officer")  #: raised to CONFIDENTIEL UE
PDT, HEAT, MEDICAL = 0.60, 0.50, 0.75  #: shares with valid training and medical clearance (individuals)
FORMED_READY = 0.90  #: the same shares in formed units (pre-constituted, trained together)
NOTICE_DAYS = {0: 0.10, 7: 0.30, 14: 0.30, 30: 0.20, 60: 0.10}  #: employer release, days (individuals)
FORMED_NOTICE_DAYS = 3  #: formed units
OPEN_ENDED = 0.70  #: share available all year; the others have a window of 60-365 days starting in the year

SIZES = {"2025": 380, "2026": 400}  #: roster size per example edition
SEEDS = {"2025": 2025, "2026": 2026}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def roster(edition: str, size: int, seed: int) -> list[Expert]:
    """``size`` synthetic experts for ``edition`` (a year), drawn with ``seed``: the formed units first, then
    individuals spread evenly over :data:`NATIONS`. Ids ``r<yy>-<nnnn>`` (pseudonymous, unrelated across
    editions)."""
    rng = random.Random(seed)
    year = int(edition[:4])
    notes = (f"SYNTHETIC (examples/forces/make_roster.py, seed {seed}): nation count and monitor share from EUMM "
             "2008 (source_url); all else assumed, unsourced")
    people: list[tuple[str, str]] = [(nation, unit) for nation, unit, n in FORMED_UNITS for _ in range(n)]
    nations = list(NATIONS)
    people += [(nations[i % len(nations)], "") for i in range(size - len(people))]
    out = []
    for number, (nation, unit) in enumerate(people, 1):
        formed = bool(unit)
        profile = "monitor" if formed else _pick(rng, PROFILE_WEIGHTS)
        languages = list(NATIONS[nation]) + [lang for lang, p in OTHER_LANGUAGES.items()
                                             if lang not in NATIONS[nation] and rng.random() < p]
        clearance = _pick(rng, CLEARANCE_WEIGHTS)
        if profile in NEEDS_CONFIDENTIEL and clearance in ("none", "RESTREINT UE"):
            clearance = "CONFIDENTIEL UE"
        ready = FORMED_READY if formed else None
        start = end = None
        if rng.random() >= OPEN_ENDED:
            start = date(year, 1, 1) + timedelta(days=rng.randrange(0, 300))
            end = start + timedelta(days=rng.randrange(60, 366))
        out.append(Expert(
            id=f"r{edition[2:4]}-{number:04d}", nation=nation, profile=profile, languages=tuple(languages),
            clearance=clearance, available_from=start, available_to=end,
            notice_days=FORMED_NOTICE_DAYS if formed else int(_pick(rng, {str(k): v for k, v in NOTICE_DAYS.items()})),
            pdt_done=rng.random() < (ready or PDT), heat_done=rng.random() < (ready or HEAT),
            medical_done=rng.random() < (ready or MEDICAL), unit=unit, illustrative=True, source_url=EUMM_URL,
            notes=notes))
    return out


def main(argv: list[str]) -> None:
    edition = argv[0] if argv else "2026"
    size = int(argv[1]) if len(argv) > 1 else SIZES.get(edition, 400)
    seed = int(argv[2]) if len(argv) > 2 else SEEDS.get(edition, int(edition[:4]))
    sys.stdout.write(to_csv(Register(edition, experts=roster(edition, size, seed)), "experts"))


if __name__ == "__main__":
    main(sys.argv[1:])
