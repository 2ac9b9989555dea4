"""Build Kompas's ILLUSTRATIVE forces example set (issue 28): ``src/kompas/data/forces/example/register_2025.json``
and ``register_2026.json``, so that the forces commands run on a fresh clone.

No member state publishes its national force offers, rosters or stocks (the EU's Force Catalogue is not public), so
no real register can be shipped. This example assembles what *is* public, and says in every row what is not:

- published EU Battlegroup rosters (national totals, lead nations, the capability slices where published) become
  force elements; a national total is split into modules (companies, teams, aircraft) whose strengths add up to
  the published total exactly, but the split itself, the module strengths and the capability quantities are
  INVENTED (no public source gives them), and each row's ``notes`` says so;
- where only a battlegroup's total is public (HELBROC 1,500; Nordic BG 2015 about 2,400; the 2025 RDC battlegroup
  about 5,000), the national shares are INVENTED too and labelled;
- the Rapid Deployment Capacity's strategic enablers (airlift, tankers, sealift, medevac, ISR, cyber, satcom...)
  have no public national breakdown at all: the enabler pool below is INVENTED throughout, its nations taken from
  the published list of LIVEX 2024 participants; it exists so that force generation has enablers to choose from;
- readiness follows published rules (Battlegroups: deploy 10 days after the decision; the RDC's two battlegroups at
  5 and 20 days; PESCO's 5-30 days), not unit data; the Battlegroup concept's limits (6,000 km from Brussels, up
  to 120 days) are given as deployability limits; a few plainly invented caveats exercise caveat handling and say
  so; transport needs are ``pax`` = strength (and helicopters as outsize cargo), an assumption;
- the rotation pools are INVENTED, their tour and dwell from the published 1:2 (active) and 1:4 (reserve) rules;
- the Strategic Warehouse's quantities are public (over 600 soft-skin vehicles, up to 1,600 laptops, over 800
  containers' worth of transport); its other items' quantities and all lead times are INVENTED or ASSUMED;
- the civilian roster is synthetic: :mod:`make_roster`.

The editions are illustrative too: edition 2025 holds the V4 2016, Nordic 2008 and HELBROC rosters, edition 2026 the
Nordic 2015, HELBROC 2020 and RDC 2025 rosters, with standby windows moved into the edition's year.

Run ``python examples/forces/make_example.py`` from the repository root to rewrite the two files.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_roster import SEEDS, SIZES, roster  # noqa: E402 (the script's folder is put on the path first)

from kompas.forces.model import Caveats, ForceElement, Register, RotationPool, StockItem  # noqa: E402
from kompas.forces.register import capabilities, parse, to_json  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "src" / "kompas" / "data" / "forces" / "example"

# --- sources (all in /tmp/notes/issue28_research.md section 1, quoted in src/kompas/data/forces/README.md) ---------
V4_URL = "https://de.wikiup.org/wiki/Visegr%C3%A1d_Battlegroup"  # 2016: PL 1,870; CZ 728; HU 640; SK 460; UA 19
V4_CTK_URL = "http://www.praguemonitor.com/2015/12/18/ministers-prague-v4-offer-joint-battlegroup-eu-2019"
V4_READY_URL = "https://www.proquest.com/docview/1650491057"  # "within ten days ... six thousand kilometres"
NBG08_URL = "http://the-uncensored-wiki.com:20082/articles/n/o/r/Nordic_Battlegroup_ce2d.html"
NBG15_URL = "https://www.forsvarsmakten.se/sv/var-verksamhet/internationella-insatser/nordic-battlegroup/"
HELBROC_URL = "https://geetha.mil.gr/en/24140-ceremony-celebrating-the-readiness-status-of-the-eu-battle-group-helbroc/"
HELBROC_RS_URL = "http://www.vs.rs/en/news/03672FB39D9B11E9AC980050568F5424/visit-from-commander-of-the-eu-battle-group-helbroc"
RDC25_URL = "https://questeuro.com/2025/06/28/germany-assumes-command-eus-new-rapid"  # DE lead; AT, NL, CZ; ~5,000
MILEX_URL = "https://pledgetimes.com/1800-soldiers-from-19-countries-participate-this-month-in-cadiz-in-the-first-eu-maneuvers/"
LIVEX24_URL = "https://voiceofserbia.net/what-are-eu-rapid-deployment-forces-goals-of-upcoming-drills-3226.html"
BG_LIMITS_URL = "https://english.defensie.nl/topics/international-cooperation/rapid-reaction-force"
RDC_READY_URL = "https://eda.europa.eu/webzine/issue28/cover-story/fast-but-not-furious"
DWELL_URL = "https://armytimes.com/news/your-army/2016/02/18/army-dwell-time-holding-at-three-years-for-most-soldiers"
WAREHOUSE_URL = ("https://eeas.europa.eu/headquarters/headquarters-homepage/62895/"
                 "civilian-csdp-warehouse-increases-eu-responsiveness_hy")
PATROL_URL = ("https://www.eumm.eu/en/press_and_public_information/press_releases/98/"
              "?year=2008&month=12&print=yes")
DK_FI_URL = "https://www.fmn.dk/da/nyheder/2008/2008/danmark-udsender-10-civile-observatorer-til-georgien/"

SPLIT = "the split into modules, module strengths and capability quantities are INVENTED"
TRANSPORT = "transport: pax = strength, helicopters as outsize cargo (assumed); aircraft and ships self-deploy"
BG_LIMITS = Caveats(max_distance_km=6000.0, max_duration_days=120,
                    notes="EU Battlegroup concept limits (within 6,000 km of Brussels, missions of 30 to 120 days; "
                          f"{BG_LIMITS_URL}); not a national caveat")

NO_CAVEATS = Caveats()
Module = tuple[str, str, str, str, int, dict[str, int]]  #: key, name, type, component, strength, capabilities


def _transport(component: str, strength: int, caps: dict[str, int]) -> dict[str, int]:
    helicopters = sum(q for c, q in caps.items() if c.endswith("helicopter"))
    if helicopters:
        return {"pax": strength, "outsize": helicopters}
    if component in ("air", "maritime"):
        return {}
    return {"pax": strength}


def group(prefix: str, nation: str, modules: Sequence[Module], *, readiness: int, source: str, notes: str,
          window: tuple[date, date] | None = None, caveats: Caveats = NO_CAVEATS, total: int | None = None
          ) -> list[ForceElement]:
    """The force elements of one nation's slice; ``total``: its published strength, which the modules must add
    up to."""
    if total is not None:
        assert sum(m[4] for m in modules) == total, (prefix, nation, sum(m[4] for m in modules), total)
    out = []
    for key, name, kind, component, strength, caps in modules:
        assert all(c in capabilities() for c in caps), caps
        out.append(ForceElement(
            id=f"{prefix}-{nation.lower()}-{key}", nation=nation, name=f"{nation} {name}", type=kind,
            component=component, strength=strength, readiness_days=readiness, capabilities=caps,
            available_from=window[0] if window else None, available_to=window[1] if window else None,
            caveats=caveats, transport=_transport(component, strength, caps), illustrative=True, source_url=source,
            notes=f"{notes}; {TRANSPORT}"))
    return out


def _n(key: str, name: str, kind: str, component: str, strength: int, caps: dict[str, int], count: int,
       start: int = 1) -> list[Module]:
    """``count`` like modules numbered from ``start``."""
    return [(f"{key}{i}", f"{name} {i}", kind, component, strength, caps) for i in range(start, start + count)]


H1 = {"2025": (date(2025, 1, 1), date(2025, 6, 30)), "2026": (date(2026, 1, 1), date(2026, 6, 30))}
H2 = {"2025": (date(2025, 7, 1), date(2025, 12, 31)), "2026": (date(2026, 7, 1), date(2026, 12, 31))}
HQ: Module = ("hq", "battlegroup headquarters", "battlegroup headquarters and staff", "joint", 0, {"force-hq": 1})
MECH = ("mech", "mechanised infantry company", "mechanised infantry company", "land")
INF = ("inf", "infantry company", "infantry company", "land")


def hq(strength: int) -> Module:
    return (*HQ[:4], strength, HQ[5])


def mech(strength: int, count: int) -> list[Module]:
    return _n(*MECH, strength, {"mechanised-infantry-company": 1}, count)


def inf(strength: int, count: int) -> list[Module]:
    return _n(*INF, strength, {"infantry-company": 1}, count)


def one(key: str, name: str, component: str, strength: int, caps: dict[str, int], kind: str = "") -> Module:
    return (key, name, kind or name, component, strength, caps)


def role2(strength: int) -> Module:
    return one("role2", "role 2 medical treatment facility", "enabler", strength, {"medical-role2": 1})


def role1(strength: int, count: int) -> Module:
    return one("role1", "role 1 medical treatment facilities", "enabler", strength, {"medical-role1": count})


# --- edition 2025 --------------------------------------------------------------------------------------------------


def v4_2016(edition: str) -> list[ForceElement]:
    """V4 EU Battlegroup, standby 2016-H1: national totals and roles public (de.wikiup, CTK)."""
    def note(nation: str, total: int, role: str) -> str:
        return (f"V4 EU Battlegroup 2016-H1 roster: {nation} {total:,} troops, {role} (public: source_url; "
                f"{V4_CTK_URL}); "
                f"{SPLIT}; readiness 10 days = the V4 battlegroup's published 'within ten days' ({V4_READY_URL}); "
                "standby window moved from 2016-H1 into the edition's year (illustrative)")
    kw = {"readiness": 10, "source": V4_URL, "window": H1[edition], "caveats": BG_LIMITS}
    return (
        group("v4", "PL", [hq(200), *mech(150, 8), one("recon", "reconnaissance company", "land", 150,
                                                          {"reconnaissance-company": 1}),
                           one("fires", "fire support battery", "land", 160, {"fire-support-battery": 1}),
                           one("fp", "force protection company", "land", 160, {"force-protection-company": 1})],
              total=1870, notes=note("PL", 1870, "framework nation, manoeuvre and combat troops"), **kw)
        + group("v4", "CZ", [one("log1", "logistics company 1", "enabler", 150, {"logistics-company": 1}),
                             one("log2", "logistics company 2", "enabler", 140, {"logistics-company": 1}),
                             one("helo", "utility helicopter unit", "air", 110, {"utility-helicopter": 4}),
                             one("medevac", "medical evacuation helicopter unit", "air", 70, {"medevac-helicopter": 2}),
                             one("ew", "electronic warfare teams", "enabler", 60, {"ew-team": 2}),
                             role2(120),
                             role1(78, 2)],
                total=728, notes=note("CZ", 728, "logistics, helicopter units, electronic warfare, medical"),
                **kw)
        + group("v4", "HU", [*_n("eng", "engineer company", "engineer company", "land", 180, {"engineer-company": 1},
                                 3),
                             one("eod", "EOD teams", "land", 60, {"eod-team": 2}),
                             one("cimic", "CIMIC teams", "enabler", 40, {"cimic-team": 2})],
                total=640, notes=note("HU", 640, "engineers, civil-military cooperation"), **kw)
        + group("v4", "SK", [*mech(220, 1),
                             one("cbrn1", "CBRN defence company 1", "land", 130, {"cbrn-company": 1}),
                             one("cbrn2", "CBRN defence company 2", "land", 110, {"cbrn-company": 1})],
                total=460, notes=note("SK", 460, "CBRN defence; mainly a mechanised company and a CBRN company "
                                                 "(CTK)"), **kw)
        + group("v4", "UA", [one("liaison", "liaison element", "joint", 19, {})],
                total=19, notes=note("UA", 19, "liaison"), **kw)
    )


def nordic_2008(edition: str) -> list[ForceElement]:
    """Nordic Battlegroup, standby 2008-H1: national totals public (SE 2,300; FI 200; NO 150; IE 80; EE about 50)."""
    def note(nation: str, total: int) -> str:
        return (f"Nordic Battlegroup 2008-H1 roster: {nation} {total:,} troops (public: source_url"
                f"{'; EE given as about 50' if nation == 'EE' else ''}); the roles of the national slices are not "
                f"public: {SPLIT}; readiness 10 days = Battlegroup rule (deploy 10 days after the decision); "
                "standby window moved from 2008-H1 into the edition's year (illustrative)")
    kw = {"readiness": 10, "source": NBG08_URL, "window": H1[edition], "caveats": BG_LIMITS}
    return (
        group("nbg08", "SE", [hq(250), *mech(150, 6),
                              one("recon", "reconnaissance company", "land", 150, {"reconnaissance-company": 1}),
                              one("fires", "fire support battery", "land", 150, {"fire-support-battery": 1}),
                              one("fp", "force protection company", "land", 150, {"force-protection-company": 1}),
                              one("log1", "logistics company 1", "enabler", 200, {"logistics-company": 1}),
                              one("log2", "logistics company 2", "enabler", 180, {"logistics-company": 1}),
                              one("role1", "role 1 medical treatment facility", "enabler", 80, {"medical-role1": 1}),
                              one("helo", "utility helicopter unit", "air", 120, {"utility-helicopter": 3}),
                              one("mp", "military police platoon", "land", 40, {"military-police-platoon": 1}),
                              one("eod", "EOD team", "land", 30, {"eod-team": 1}),
                              one("uav", "ISR unmanned aircraft unit", "air", 50, {"isr-uav": 1})],
              total=2300, notes=note("SE", 2300), **kw)
        + group("nbg08", "FI", [*mech(160, 1), one("cimic", "CIMIC teams", "enabler", 40, {"cimic-team": 2})],
                total=200, notes=note("FI", 200), **kw)
        + group("nbg08", "NO", [role2(150)],
                total=150, notes=note("NO", 150), **kw)
        + group("nbg08", "IE", [one("eod", "EOD teams", "land", 80, {"eod-team": 2})],
                total=80, notes=note("IE", 80), **kw)
        + group("nbg08", "EE", [one("mp", "military police platoon", "land", 50, {"military-police-platoon": 1})],
                total=50, notes=note("EE", 50), **kw)
    )


HELBROC_SPLIT = {
    "GR": [hq(150), *mech(140, 4), one("recon", "reconnaissance company", "land", 100, {"reconnaissance-company": 1}),
           one("log", "logistics company", "enabler", 120, {"logistics-company": 1}),
           one("role1", "role 1 medical treatment facility", "enabler", 70, {"medical-role1": 1})],
    "BG": [*mech(150, 1), one("eod", "EOD team", "land", 50, {"eod-team": 1})],
    "RO": [*inf(150, 1), one("mp", "military police platoon", "land", 50, {"military-police-platoon": 1})],
    "CY": [*inf(100, 1)],
}


def helbroc(edition: str, year: int, window: tuple[date, date], source: str) -> list[ForceElement]:
    """HELBROC (Balkan Battlegroup, GR lead; BG, CY, RO): 1,500 troops public, national shares not."""
    note = (f"HELBROC battlegroup (GR lead; BG, CY, RO), {year} standby, 1,500 troops in all (public: "
            f"{HELBROC_URL}); the national shares are not public: the shares, {SPLIT}; readiness 10 days = "
            "Battlegroup rule; standby window moved into the edition's year (illustrative)")
    out: list[ForceElement] = []
    for nation, modules in HELBROC_SPLIT.items():
        out += group(f"helbroc{str(year)[2:]}", nation, modules, readiness=10, source=HELBROC_URL, notes=note,
                     window=window, caveats=BG_LIMITS)
    assert sum(e.strength for e in out) == 1500
    return out


def milex_es() -> list[ForceElement]:
    """Spain's share of MILEX 23 (Rota, Oct 2023): 1,200 troops, the force headquarters, two amphibious ships, a
    frigate, a marine landing group, Harriers, transport and reconnaissance aircraft (public)."""
    note = ("MILEX 23 live exercise (Rota, Oct 2023): ES provided the force headquarters and 1,200 troops with two "
            "amphibious ships, a frigate, a marine infantry landing group, Harrier aircraft, transport and "
            f"reconnaissance (public: source_url); {SPLIT}; the Harriers are left out (no combat-aircraft code); "
            "readiness 10 days INVENTED (within PESCO's 5-30 days); an exercise contribution shown as an offer "
            "(illustrative)")
    return group("milex23", "ES", [
        one("fhq", "force headquarters", "joint", 200, {"force-hq": 1}, "force headquarters (FHQ)"),
        one("amph1", "amphibious ship 1", "maritime", 250, {"amphibious-ship": 1}),
        one("amph2", "amphibious ship 2", "maritime", 150, {"amphibious-ship": 1}),
        one("frigate", "frigate", "maritime", 200, {"frigate": 1}),
        one("landing", "marine infantry landing group", "land", 300, {"infantry-company": 3}),
        one("air", "air transport and reconnaissance detachment", "air", 100,
            {"tactical-airlift": 2, "isr-aircraft": 1})],
        readiness=10, source=MILEX_URL, notes=note, total=1200)


#: The INVENTED enabler pool: (nation, key, name, component, strength, readiness days, capabilities).
ENABLERS_2025: list[tuple[str, str, str, str, int, int, dict[str, int]]] = [
    ("DE", "sal", "strategic airlift detachment", "air", 60, 5, {"strategic-airlift": 2}),
    ("FR", "sal", "strategic airlift detachment", "air", 60, 5, {"strategic-airlift": 2}),
    ("NL", "sal", "strategic airlift detachment", "air", 30, 10, {"strategic-airlift": 1}),
    ("PL", "tal", "tactical airlift detachment", "air", 40, 10, {"tactical-airlift": 2}),
    ("BE", "tal", "tactical airlift detachment", "air", 30, 10, {"tactical-airlift": 1}),
    ("RO", "tal", "tactical airlift detachment", "air", 30, 20, {"tactical-airlift": 1}),
    ("FR", "aar", "air-to-air refuelling detachment", "air", 40, 5, {"air-to-air-refuelling": 1}),
    ("NL", "aar", "air-to-air refuelling detachment", "air", 40, 10, {"air-to-air-refuelling": 1}),
    ("DE", "sealift", "sealift ship", "maritime", 30, 20, {"sealift-ship": 1}),
    ("NL", "sealift", "sealift ship", "maritime", 30, 20, {"sealift-ship": 1}),
    ("GR", "sealift", "sealift ship", "maritime", 30, 30, {"sealift-ship": 1}),
    ("DE", "medevac", "medical evacuation helicopter unit", "air", 60, 10, {"medevac-helicopter": 2}),
    ("AT", "medevac", "medical evacuation helicopter unit", "air", 50, 10, {"medevac-helicopter": 2}),
    ("AT", "helo", "utility helicopter unit", "air", 70, 10, {"utility-helicopter": 3}),
    ("BE", "helo", "utility helicopter unit", "air", 50, 20, {"utility-helicopter": 2}),
    ("HR", "helo", "utility helicopter unit", "air", 50, 20, {"utility-helicopter": 2}),
    ("FR", "uav", "ISR unmanned aircraft unit", "air", 40, 5, {"isr-uav": 1}),
    ("DE", "uav", "ISR unmanned aircraft unit", "air", 40, 10, {"isr-uav": 1}),
    ("LT", "uav", "ISR unmanned aircraft unit", "air", 25, 20, {"isr-uav": 1}),
    ("SE", "isr", "ISR aircraft detachment", "air", 30, 10, {"isr-aircraft": 1}),
    ("FR", "mpa", "maritime patrol aircraft detachment", "air", 40, 10, {"maritime-patrol-aircraft": 1}),
    ("DE", "mpa", "maritime patrol aircraft detachment", "air", 40, 20, {"maritime-patrol-aircraft": 1}),
    ("FR", "frigate", "frigate", "maritime", 180, 10, {"frigate": 1}),
    ("DE", "frigate", "frigate", "maritime", 200, 20, {"frigate": 1}),
    ("NL", "frigate", "frigate", "maritime", 180, 20, {"frigate": 1}),
    ("GR", "frigate", "frigate", "maritime", 190, 20, {"frigate": 1}),
    ("BE", "mcm", "mine countermeasures vessel", "maritime", 40, 20, {"mine-countermeasures-vessel": 1}),
    ("NL", "mcm", "mine countermeasures vessel", "maritime", 40, 20, {"mine-countermeasures-vessel": 1}),
    ("LT", "cyber", "cyber defence team", "enabler", 15, 5, {"cyber-defence-team": 1}),
    ("NL", "cyber", "cyber defence team", "enabler", 15, 10, {"cyber-defence-team": 1}),
    ("DE", "cyber", "cyber defence team", "enabler", 20, 10, {"cyber-defence-team": 1}),
    ("LU", "satcom", "satellite communications terminals", "enabler", 20, 10, {"satcom-terminal": 2}),
    ("FR", "satcom", "satellite communications terminals", "enabler", 30, 5, {"satcom-terminal": 3}),
    ("DE", "satcom", "satellite communications terminals", "enabler", 30, 10, {"satcom-terminal": 3}),
    ("HU", "sof", "special operations task group", "special", 100, 10, {"sof-task-group": 1}),
    ("HR", "sof", "special operations task group", "special", 90, 20, {"sof-task-group": 1}),
    ("BE", "sof", "special operations task group", "special", 100, 10, {"sof-task-group": 1}),
    ("PL", "sof", "special operations task group", "special", 110, 10, {"sof-task-group": 1}),
    ("RO", "role2", "role 2 medical treatment facility", "enabler", 130, 20, {"medical-role2": 1}),
    ("HU", "role2", "role 2 medical treatment facility", "enabler", 120, 20, {"medical-role2": 1}),
    ("SE", "role1", "role 1 medical treatment facility", "enabler", 50, 10, {"medical-role1": 1}),
    ("IE", "fp", "force protection company", "land", 150, 20, {"force-protection-company": 1}),
    ("LT", "fp", "force protection company", "land", 150, 20, {"force-protection-company": 1}),
    ("RO", "fp", "force protection company", "land", 150, 30, {"force-protection-company": 1}),
    ("AT", "log", "logistics company", "enabler", 160, 20, {"logistics-company": 1}),
    ("HU", "log", "logistics company", "enabler", 150, 30, {"logistics-company": 1}),
]
#: Edition 2026's changes to the pool (all INVENTED): rows dropped, rows added, strengths/quantities changed.
ENABLERS_2026_DROP = {("GR", "sealift"), ("NL", "frigate"), ("RO", "fp")}
ENABLERS_2026_ADD: list[tuple[str, str, str, str, int, int, dict[str, int]]] = [
    ("ES", "sal", "strategic airlift detachment", "air", 30, 10, {"strategic-airlift": 1}),
    ("FR", "sealift", "sealift ship", "maritime", 30, 20, {"sealift-ship": 1}),
    ("HR", "cyber", "cyber defence team", "enabler", 15, 10, {"cyber-defence-team": 1}),
    ("PL", "cyber", "cyber defence team", "enabler", 20, 10, {"cyber-defence-team": 1}),
    ("PL", "medevac", "medical evacuation helicopter unit", "air", 60, 20, {"medevac-helicopter": 2}),
    ("BE", "fp", "force protection company", "land", 150, 20, {"force-protection-company": 1}),
]
ENABLERS_2026_CHANGE = {("DE", "sal"): (90, {"strategic-airlift": 3}), ("LU", "satcom"): (25, {"satcom-terminal": 3})}
#: INVENTED caveats on a few enabler rows, to exercise caveat handling (not any state's policy).
INVENTED_CAVEATS = {
    ("RO", "role2"): Caveats(excluded_tasks=("Peace Enforcement",), requires=("force-protection-company",),
                             notes="INVENTED caveat (illustrative, not Romania's policy)"),
    ("AT", "medevac"): Caveats(environments=("permissive", "uncertain"),
                               notes="INVENTED caveat (illustrative, not Austria's policy)"),
    ("BE", "helo"): Caveats(max_distance_km=4000.0, notes="INVENTED caveat (illustrative, not Belgium's policy)"),
}


def enablers(edition: str) -> list[ForceElement]:
    """The INVENTED pool of RDC strategic enablers (nations from the LIVEX 2024 participants)."""
    rows = list(ENABLERS_2025)
    if edition == "2026":
        rows = [r for r in rows if (r[0], r[1]) not in ENABLERS_2026_DROP] + ENABLERS_2026_ADD
        rows = [(n, k, name, comp, *ENABLERS_2026_CHANGE[(n, k)][:1], ready, ENABLERS_2026_CHANGE[(n, k)][1])
                if (n, k) in ENABLERS_2026_CHANGE else (n, k, name, comp, strength, ready, caps)
                for n, k, name, comp, strength, ready, caps in rows]
    out = []
    for nation, key, name, component, strength, readiness, caps in rows:
        caveats = INVENTED_CAVEATS.get((nation, key), Caveats())
        note = ("RDC strategic enabler pool: INVENTED row (no public national breakdown of the Rapid Deployment "
                "Capacity's enablers exists); the nation is one of the published LIVEX 2024 participants "
                f"(source_url); strength, quantity and readiness INVENTED (readiness within PESCO's 5-30 days)"
                f"{'; caveat INVENTED' if caveats else ''}")
        out += group("rdc", nation, [one(key, name, component, strength, caps)], readiness=readiness,
                     source=LIVEX24_URL, notes=note, caveats=caveats)
    return out


# --- edition 2026 --------------------------------------------------------------------------------------------------


def nordic_2015(edition: str) -> list[ForceElement]:
    """Nordic Battlegroup 2015 (SE lead; EE, FI, IE, LV, LT, NO): about 2,400 troops public, shares not."""
    note = (f"Nordic Battlegroup 2015-H1 (SE lead; EE, FI, IE, LV, LT, NO), about 2,400 troops in all (public: "
            f"source_url); the national shares are not public: the shares, {SPLIT}; readiness 20 days = the RDC's "
            f"second battlegroup's (EDA: 5 and 20 days, {RDC_READY_URL}); standby window moved into the edition's "
            "year (illustrative)")
    kw = {"readiness": 20, "source": NBG15_URL, "window": H1[edition], "caveats": BG_LIMITS, "notes": note}
    out = (
        group("nbg15", "SE", [hq(250), *mech(150, 5),
                              one("recon", "reconnaissance company", "land", 150, {"reconnaissance-company": 1}),
                              one("fires", "fire support battery", "land", 150, {"fire-support-battery": 1}),
                              one("log", "logistics company", "enabler", 200, {"logistics-company": 1}),
                              one("role1", "role 1 medical treatment facility", "enabler", 80, {"medical-role1": 1}),
                              one("helo", "utility helicopter unit", "air", 120, {"utility-helicopter": 3}),
                              one("uav", "ISR unmanned aircraft unit", "air", 50, {"isr-uav": 1}),
                              one("mp", "military police platoon", "land", 50, {"military-police-platoon": 1})],
              **kw)
        + group("nbg15", "FI", [*mech(160, 1), one("cimic", "CIMIC teams", "enabler", 40, {"cimic-team": 2})],
                **kw)
        + group("nbg15", "NO", [role2(150)],
                **kw)
        + group("nbg15", "IE", [one("eod", "EOD teams", "land", 60, {"eod-team": 2}),
                                one("cimic", "CIMIC team", "enabler", 40, {"cimic-team": 1})], **kw)
        + group("nbg15", "EE", [one("mp", "military police platoon", "land", 60, {"military-police-platoon": 1})],
                **kw)
        + group("nbg15", "LV", [one("eod", "EOD team", "land", 45, {"eod-team": 1})], **kw)
        + group("nbg15", "LT", [one("mp", "military police platoon", "land", 45, {"military-police-platoon": 1})],
                **kw)
    )
    assert sum(e.strength for e in out) == 2400
    return out


def helbroc_2020(edition: str) -> list[ForceElement]:
    """HELBROC 2020-H1: the 1,500 split as in 2025 plus Serbia's published slice (5 staff officers, a military police
    platoon, a CIMIC team)."""
    out = helbroc(edition, 2020, H1[edition], HELBROC_URL)
    note = ("HELBROC 2020-H1: RS contributed 5 staff officers, a military police platoon and a CIMIC team (public: "
            "source_url); the platoon's and the team's strengths INVENTED; readiness 10 days = Battlegroup rule; "
            "standby window moved into the edition's year (illustrative)")
    out += group("helbroc20", "RS", [one("staff", "staff officers", "joint", 5, {}, "staff officers (headquarters "
                                                                                    "augmentation)"),
                                     one("mp", "military police platoon", "land", 30, {"military-police-platoon": 1}),
                                     one("cimic", "CIMIC team", "enabler", 10, {"cimic-team": 1})],
                 readiness=10, source=HELBROC_RS_URL, notes=note, window=H1[edition], caveats=BG_LIMITS)
    return out


def rdc_2025(edition: str) -> list[ForceElement]:
    """The RDC's 2025 battlegroup (DE lead; AT, NL, CZ and others): about 5,000 troops public, shares not."""
    note = ("EU Battlegroup 2025, the first Rapid Deployment Capacity battlegroup (DE lead; AT, NL, CZ and others), "
            "about 5,000 troops (public: source_url); the national shares are not public: the shares, "
            f"{SPLIT} (its public core, a German mountain infantry battalion, is not modelled, so that no invented "
            f"number is attached to a real unit); readiness 5 days = the RDC's first battlegroup's (EDA, "
            f"{RDC_READY_URL}); standby window moved into the edition's second half (illustrative)")
    kw = {"readiness": 5, "source": RDC25_URL, "window": H2[edition], "notes": note}
    out = (
        group("eubg25", "DE", [hq(300), *inf(150, 8),
                               one("recon", "reconnaissance company", "land", 150, {"reconnaissance-company": 1}),
                               one("fires", "fire support battery", "land", 200, {"fire-support-battery": 1}),
                               one("eng", "engineer company", "land", 150, {"engineer-company": 1}),
                               one("log1", "logistics company 1", "enabler", 200, {"logistics-company": 1}),
                               one("log2", "logistics company 2", "enabler", 200, {"logistics-company": 1}),
                               role2(150),
                               role1(100, 2),
                               one("mp", "military police platoon", "land", 50, {"military-police-platoon": 1}),
                               one("cyber", "cyber defence team", "enabler", 50, {"cyber-defence-team": 1}),
                               one("satcom", "satellite communications terminals", "enabler", 50,
                                   {"satcom-terminal": 4}),
                               one("ew", "electronic warfare team", "enabler", 50, {"ew-team": 1}),
                               one("helo", "utility helicopter unit", "air", 150, {"utility-helicopter": 4})],
              **kw)
        + group("eubg25", "AT", [*inf(150, 2),
                                 one("medevac", "medical evacuation helicopter unit", "air", 100,
                                     {"medevac-helicopter": 2}),
                                 one("cbrn", "CBRN defence company", "land", 120, {"cbrn-company": 1}),
                                 one("log", "logistics company", "enabler", 180, {"logistics-company": 1})],
                **kw)
        + group("eubg25", "NL", [*inf(150, 2),
                                 one("fp", "force protection company", "land", 150, {"force-protection-company": 1}),
                                 one("sof", "special operations task group", "special", 100, {"sof-task-group": 1}),
                                 one("uav", "ISR unmanned aircraft unit", "air", 50, {"isr-uav": 1}),
                                 one("log", "logistics company", "enabler", 100, {"logistics-company": 1})],
                **kw)
        + group("eubg25", "CZ", [*mech(150, 2),
                                 one("cbrn", "CBRN defence company", "land", 120, {"cbrn-company": 1}),
                                 role2(130),
                                 one("ew", "electronic warfare team", "enabler", 50, {"ew-team": 1})],
                **kw)
    )
    assert sum(e.strength for e in out) == 5000
    return out


# --- pools and stocks ----------------------------------------------------------------------------------------------

#: INVENTED rotation pools: (nation, capability, units, troops per unit, tour months, dwell months).
POOLS = {
    "2025": [("PL", "mechanised-infantry-company", 9, 150, 6, 12), ("SE", "mechanised-infantry-company", 6, 150, 6, 12),
             ("GR", "mechanised-infantry-company", 4, 140, 6, 12), ("HU", "engineer-company", 4, 180, 6, 12),
             ("CZ", "logistics-company", 3, 150, 6, 12), ("NL", "force-protection-company", 4, 150, 6, 24),
             ("RO", "medical-role2", 3, 130, 6, 12), ("DE", "utility-helicopter", 3, 40, 4, 8)],
    "2026": [("PL", "mechanised-infantry-company", 8, 150, 6, 12), ("SE", "mechanised-infantry-company", 5, 150, 6, 12),
             ("DE", "infantry-company", 6, 150, 6, 12), ("GR", "mechanised-infantry-company", 4, 140, 6, 12),
             ("HU", "engineer-company", 4, 180, 6, 12), ("CZ", "logistics-company", 3, 150, 6, 12),
             ("NL", "force-protection-company", 4, 150, 6, 24), ("RO", "medical-role2", 2, 130, 6, 12),
             ("DE", "utility-helicopter", 3, 40, 4, 8), ("AT", "cbrn-company", 3, 120, 6, 12)],
}


def pools(edition: str) -> list[RotationPool]:
    out = []
    for nation, cap, units, strength, tour, dwell in POOLS[edition]:
        rule = "1:4 (reserve component)" if dwell == 4 * tour else "1:2 (active component)"
        out.append(RotationPool(
            id=f"pool-{nation.lower()}-{cap}", nation=nation, capability=cap, units=units, unit_strength=strength,
            tour_months=tour, dwell_months=dwell, readiness_days=30, illustrative=True, source_url=DWELL_URL,
            notes=f"INVENTED pool (no state publishes its rotation pools): units, strength and readiness invented; "
                  f"tour {tour} and dwell {dwell} months follow the published {rule} deploy-to-dwell rule "
                  "(source_url)"))
    return out


def stocks(edition: str) -> list[StockItem]:
    holder = "CSDP Strategic Warehouse (Kristinehamn)"
    lead = "lead_days ASSUMED, unsourced (no public lead time)"
    invented = 1000 if edition == "2026" else 800
    rows = [
        ("wh-vehicles", "soft-skin vehicle", "vehicles", 600, 14, 0.25,
         "quantity public: 'over 600 soft skin vehicles' (source_url; a lower bound); per_expert 0.25 = EUMM 2008 "
         f"patrols of two cars and eight observers ({PATROL_URL}); {lead}"),
        ("wh-laptops", "laptop", "it-communications", 1600, 7, 1.0,
         f"quantity public: 'up to 1,600 laptop computers' (source_url); per_expert 1 ASSUMED; {lead}"),
        ("wh-containers", "shipping container transport (equivalent)", "other", 800, 14, 0.0,
         f"quantity public: transport services 'of the equivalent of over 800 shipping containers' (source_url); "
         f"{lead}"),
        ("wh-ppe", "personal protective equipment set", "protective", invented, 7, 1.0,
         "the category is public (protective equipment, source_url); quantity INVENTED; per_expert 1 ASSUMED; "
         + lead),
        ("wh-medical", "individual medical kit", "medical", invented, 7, 1.0,
         "the category is public (medical equipment, source_url); quantity INVENTED; per_expert 1 ASSUMED; " + lead),
        ("wh-satphones", "satellite phone", "it-communications", 300, 7, 0.25,
         "the category is public (IT and communications, source_url); quantity INVENTED; per_expert 0.25 (one per "
         "patrol of eight with two cars) ASSUMED; " + lead),
    ]
    out = [StockItem(id=i, nation="EU", holder=holder, item=item, category=cat, quantity=q, lead_days=ld,
                     per_expert=pe, illustrative=True, source_url=WAREHOUSE_URL, notes=n)
           for i, item, cat, q, ld, pe, n in rows]
    out.append(StockItem(
        id="dk-protected-vehicles", nation="DK", holder="Danish national stock (EUMM 2008 package)",
        item="protected vehicle", category="vehicles", quantity=2, lead_days=14, per_expert=0.0, illustrative=True,
        source_url=DK_FI_URL, notes="quantity public: DK and FI sent a joint 20-person unit to EUMM Georgia in 2008 "
                                    f"with 2 protected vehicles (source_url); {lead}"))
    return out


# --- the editions --------------------------------------------------------------------------------------------------


def edition_register(edition: str) -> Register:
    if edition == "2025":
        elements = v4_2016(edition) + nordic_2008(edition) + helbroc(edition, 2025, H2[edition], HELBROC_URL)
    else:
        elements = nordic_2015(edition) + helbroc_2020(edition) + rdc_2025(edition)
    elements += [replace(e) for e in milex_es()] + enablers(edition)
    experts = roster(edition, SIZES[edition], SEEDS[edition])
    return Register(edition, elements, experts, pools(edition), stocks(edition))


DESCRIPTION = ("ILLUSTRATIVE example register of Kompas (issue 28), edition {edition}. Built from public facts only "
               "(published EU Battlegroup rosters, MILEX 23, the CSDP Strategic Warehouse, EUMM Georgia 2008); every "
               "value that is not public is INVENTED or ASSUMED and each row's notes say which. The civilian roster "
               "is SYNTHETIC (examples/forces/make_roster.py). Not any member state's offer. Written by "
               "examples/forces/make_example.py; see src/kompas/data/forces/README.md.")


HERE = Path(__file__).resolve().parent
CSV_HEAD = ("# A Kompas forces register contribution, {section} section (CSV; the format: README.md in this folder).\n"
            "# ILLUSTRATIVE: rows taken from the bundled example set (src/kompas/data/forces/example);\n"
            "# each row's notes say what is public fact and what is invented.\n")


def _drop_columns(text: str, drop: Sequence[str]) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    keep = [i for i, name in enumerate(rows[0]) if name not in drop]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[row[i] for i in keep] for row in rows])
    return out.getvalue()


def write_csv_examples(register: Register) -> None:
    """The small per-section CSV examples of ``examples/forces`` (a few rows of ``register`` each)."""
    from kompas.forces.register import to_csv

    pick = Register(register.edition,
                    [e for e in register.elements if e.id.startswith(("v4-cz-", "rdc-ro-role2", "rdc-at-medevac"))],
                    register.experts[:6] + register.experts[20:26], register.pools[:3], register.stocks)
    for section in ("elements", "pools", "stocks"):
        text = CSV_HEAD.format(section=section) + f"# edition: {register.edition}\n" + to_csv(pick, section)
        (HERE / f"{section}.csv").write_text(text, encoding="utf-8")
    # The experts share their provenance: the comments before the header give it once, as the JSON top level does.
    expert = pick.experts[0]
    text = (CSV_HEAD.format(section="experts") + f"# edition: {register.edition}\n# illustrative: true\n"
            f"# source_url: {expert.source_url}\n"
            + _drop_columns(to_csv(pick, "experts"), ("illustrative", "source_url")))
    (HERE / "experts.csv").write_text(text, encoding="utf-8")
    for section in ("elements", "experts", "pools", "stocks"):
        again, rejections = parse((HERE / f"{section}.csv").read_text(encoding="utf-8"), f"{section}.csv")
        assert not rejections, rejections[:3]
        assert getattr(again, section) == getattr(pick, section), section


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for edition in ("2025", "2026"):
        register = edition_register(edition)
        text = to_json(register, description=DESCRIPTION.format(edition=edition))
        again, rejections = parse(text, f"register_{edition}.json")
        assert not rejections and again == register, rejections[:3]
        (OUT / f"register_{edition}.json").write_text(text, encoding="utf-8")
        print(f"register_{edition}.json: {len(register.elements)} elements "
              f"({sum(e.strength for e in register.elements):,} troops), {len(register.experts)} experts, "
              f"{len(register.pools)} pools, {len(register.stocks)} stock items")
    write_csv_examples(edition_register("2025"))


if __name__ == "__main__":
    main()
