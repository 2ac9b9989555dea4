"""The critical-infrastructure dependency report (issue 24), for a national infrastructure-protection office: what
each member state's international connectivity rests on, where its single points of failure are, who built and owns
it, and what a given cut costs. HTML and PDF from the same page (:mod:`kompas.reports.document`).

Sections: the EU picture (the suppliers of the cables landing in the EU, with their coverage, shares, HHI and
country groups; the member states with the fewest cable neighbours; the single points of failure across the member
states); one compact section per member state (neighbours by cable as a chart, landing-station diversity, HVDC and
AC interconnection per neighbour, internet exchanges, supplier and owner concentration with coverage, single points
of failure, redundancy); stress tests (by default the Baltic cases of November and December 2024) with their rows,
alternative paths and exchanges cut; the Baltic elements ranked by the damage their loss causes; the two cable-map
vintages compared; the sources.

Every printed page carries the banner (the combined marking of everything used) at the top and bottom and, in its
running footer, the attribution and licence of every data set the report shows and the caveat on drawn routes: the
TeleGeography maps are CC BY-NC-SA 3.0 (non-commercial use only, and what reproduces them is shared alike).

:func:`gather` computes the context from networks (the engines of :mod:`kompas.infra`; no file access);
:func:`build` writes the page; :func:`report` is the workflow (the network the viewer may see, its marking, the
page rendered), called by the report job ``infra`` (:mod:`kompas.services.reports`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kompas.infra.areas import parse_area
from kompas.infra.cables import ROUTE_CAVEAT
from kompas.infra.cases import Case, baltic_cases
from kompas.infra.countries import alpha2
from kompas.infra.countries import name as country_name
from kompas.infra.model import PUBLIC, Network
from kompas.infra.stress import Scenario, Stress, StressError
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

if TYPE_CHECKING:
    from kompas.core.markings import Marking, Viewer
    from kompas.core.store import StoreBase
    from kompas.services.reports import Rendered

#: The countries of the Baltic ranking (the Baltic Sea's EU shores).
BALTIC = ("FI", "EE", "LV", "LT", "SE", "DE", "PL", "DK")
#: The Baltic box (lon 9.5-31°E, lat 53.5-66.5°N): the ranking keeps the elements of :data:`BALTIC` touching it.
BALTIC_BOX = {"type": "Polygon", "coordinates": [[[9.5, 53.5], [31.0, 53.5], [31.0, 66.5], [9.5, 66.5], [9.5, 53.5]]]}
MAX_COUNTRIES = 60  #: Countries one report covers.
MAX_CASES = 8  #: Stress tests one report runs.
MAX_AREA_CHARS = 50_000  #: Characters of one stress test's area (GeoJSON).
MAX_TITLE = 200
MAX_NAMES = 50  #: Names (elements, suppliers, owners, countries to avoid) in each list of one stress test.
SHOWN_NEIGHBOURS = 12  #: Neighbours drawn in a country's chart.
SHOWN_TABLE_NEIGHBOURS = 12  #: Cable neighbours in a country's table (every power neighbour is listed too).
SHOWN_POINTS = 8  #: Single points of failure listed per country.
SHOWN_EU_POINTS = 30  #: Single points of failure listed in the EU picture.
SHOWN_ROWS = 30  #: Rows of a stress test's table.
SHOWN_REMOVED = 20  #: Elements removed listed per stress test.
SHOWN_RANKED = 20  #: Elements of the Baltic ranking.
SHOWN_VINTAGE = 30  #: Cables added or retired listed.
SHOWN_SUPPLIERS = 12  #: Suppliers in the EU picture.
GROUP_LABEL = {"EU27": "EU27", "like_minded": "like-minded partners", "other": "other countries",
               "unattributed": "home country not known"}
KIND_ORDER = {"cable": 0, "link": 1, "landing": 2, "building": 3, "exchange": 4}
MEASURE_LABEL = {"cables": "cables", "hvdc_mw": "HVDC", "ac_mw": "AC (estimated)", "pipeline_gwh_d": "pipeline",
                 "ixp": "internet exchanges"}
NONCOMMERCIAL = ("This report reproduces TeleGeography data (CC BY-NC-SA 3.0): it may be used and shared for "
                 "non-commercial purposes only, under the same licence, with this attribution.")
TERRESTRIAL = ("The public maps hold submarine cables and the transmission grid, not terrestrial fibre: a country "
               "\"cut off\" here loses its submarine cables, not its land routes.")
AC_NOTE = ("AC cross-border capacities are the lines' thermal ratings estimated from voltage and circuits (PyPSA-Eur's "
           "standard line types): upper bounds, often several times the transfer capacities TSOs publish; HVDC "
           "capacities are published ratings. The grid extract is of March 2022, with the changes since listed "
           "under Sources (the Baltic grids left the Russian system on 8 February 2025).")

_CSS = """
@page {{ margin: 18mm 14mm 31mm;
  @top-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }}
  @bottom-right {{ content: none; }}
  @bottom-center {{ content: element(pagefoot); width: 182mm; vertical-align: top; padding-top: 2mm; }} }}
.pagefoot {{ position: running(pagefoot); font: 6.2pt/1.3 "DejaVu Sans", sans-serif; color: #333; }}
.pagefoot .line {{ text-align: center; font: bold 8.5pt sans-serif; color: {colour}; margin-bottom: 1.2mm; }}
.pagefoot p {{ margin: 0; }}
@media screen {{ .pagefoot {{ font-size: 8pt; margin: 0.4em 0 1em; }} .pagefoot .line {{ display: none; }} }}
section.country {{ border-top: 2px solid #bbb; margin-top: 0.8em; }}
section.country h2 {{ margin: 0.3em 0 0.2em; font-size: 12pt; }}
table.cols {{ width: 100%; margin: 0; break-inside: avoid; }} td.col {{ border: none; padding: 0 2mm 0 0; width: 44%; }}
td.col.facts {{ width: 56%; padding: 0; }}
td.col figure {{ margin: 0; }} td.col table {{ width: 100%; margin: 0; }}
.facts td:first-child {{ color: #444; white-space: nowrap; }}
.compact table {{ font-size: 7.8pt; margin: 0.2em 0 0.5em; }} .compact td, .compact th {{ padding: 1px 4px; }}
.compact p {{ margin: 0.2em 0; font-size: 8.5pt; }} p.more {{ font-size: 8pt; color: #555; margin: 0 0 0.5em; }}
.warn {{ border-left: 4px solid #c8102e; padding: 0.2em 0.8em; background: #fbeff1; }}
h2.part {{ break-before: page; }}
"""


# --- stress-test cases ----------------------------------------------------------------------------------------------


def _names(spec: Mapping[str, Any], key: str, number: int) -> tuple[str, ...]:
    values = spec.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"scenario {number}: {key} must be a list of names")
    if len(values) > MAX_NAMES:
        raise ValueError(f"scenario {number}: at most {MAX_NAMES} {key}")
    return tuple(v.strip() for v in values if v.strip())


def case_from(spec: Mapping[str, Any], number: int = 1) -> Case:
    """A stress test from its JSON form (the API's and the job's): ``title``, ``remove``, ``suppliers``, ``owners``,
    ``avoid`` (alpha-2 codes), ``area`` (a GeoJSON object) with ``buffer_km`` for a line. ValueError naming what is
    wrong (an area that cannot be used, a country that is not one, nothing to remove)."""
    from shapely.errors import ShapelyError

    from kompas.infra.areas import AreaError

    title = str(spec.get("title") or "").strip()[:MAX_TITLE] or f"Scenario {number}"
    remove, suppliers, owners = (_names(spec, k, number) for k in ("remove", "suppliers", "owners"))
    avoid = []
    for text in _names(spec, "avoid", number):
        code = alpha2(text)
        if not code:
            raise ValueError(f"scenario {number}: avoid: {text[:40]!r} is not a country (ISO 3166 alpha-2)")
        avoid.append(code)
    area = None
    buffer = spec.get("buffer_km")
    if buffer is not None and (isinstance(buffer, bool) or not isinstance(buffer, int | float)):
        raise ValueError(f"scenario {number}: buffer_km must be a number of km")
    if spec.get("area") is not None:
        text = json.dumps(spec["area"])
        if len(text) > MAX_AREA_CHARS:
            raise ValueError(f"scenario {number}: area: larger than {MAX_AREA_CHARS} characters")
        try:
            area = parse_area(text, float(buffer) if buffer is not None else None, f"scenario {number} area")
        except AreaError as error:
            raise ValueError(f"scenario {number}: area: {error}") from None
        except ShapelyError as error:  # a geometry GEOS refuses that the area reader lets through (a 1-point line)
            raise ValueError(f"scenario {number}: area: a geometry is malformed ({error})") from None
    elif buffer is not None:
        raise ValueError(f"scenario {number}: buffer_km needs an area (a GeoJSON line or polygon)")
    if not (remove or suppliers or owners or area is not None):
        raise ValueError(f"scenario {number}: it removes nothing (give remove, suppliers, owners or an area)")
    return Case(f"scenario-{number}", title, Scenario(remove, suppliers, owners, area, tuple(dict.fromkeys(avoid))))


def cases_from(specs: Sequence[Mapping[str, Any]] | None) -> list[Case]:
    """The report's stress tests from their JSON forms; None: :func:`baltic_cases`."""
    if specs is None:
        return baltic_cases()
    if len(specs) > MAX_CASES:
        raise ValueError(f"at most {MAX_CASES} scenarios in one report")
    return [case_from(spec, k) for k, spec in enumerate(specs, 1)]


def report_countries(countries: Sequence[str], eu: frozenset[str]) -> tuple[str, ...]:
    """The countries a report covers as alpha-2 codes (names accepted), in the order given, or the member states of
    ``eu`` sorted when none is given. ValueError for one that is not a country, or too many."""
    if not countries:
        return tuple(sorted(eu))
    if len(countries) > MAX_COUNTRIES:
        raise ValueError(f"at most {MAX_COUNTRIES} countries in one report")
    out = []
    for text in countries:
        code = alpha2(str(text))
        if not code:
            raise ValueError(f"{str(text)[:40]!r} is not a country (give ISO 3166 alpha-2 codes such as FI)")
        out.append(code)
    return tuple(dict.fromkeys(out))


# --- the context ----------------------------------------------------------------------------------------------------


def _cable_neighbours(run: Stress, country: str) -> dict[str, Any]:
    """International cables, distinct cable neighbours and landing stations of ``country`` (cheap: no stress test)."""
    cables = [c for c in run.graph.carriers.values() if c.measure == "cables" and country in c.countries
              and len(c.countries) > 1]
    neighbours = {n for c in cables for n in c.countries if n != country}
    stations = {lid for c in cables for lid, cc in c.landings if cc == country}
    return {"country": country, "name": country_name(country), "cables": len(cables),
            "neighbours": len(neighbours), "landing_stations": len(stations)}


def _eu_points(assessments: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The single points of failure of the member states, one row per element (buildings and exchanges left to the
    country sections): the countries concerned and what its loss does, the worst first."""
    by_ref: dict[str, dict[str, Any]] = {}
    for a in assessments:
        for point in a["single_points"]:
            if point["kind"] in ("building", "exchange"):
                continue
            row = by_ref.setdefault(point["ref"], {"ref": point["ref"], "name": point["name"], "kind": point["kind"],
                                                   "origin": point["origin"], "countries": [], "reasons": []})
            row["countries"].append(a["country"])
            if not row["reasons"]:
                row["reasons"] = list(point["reasons"])
    def worst(row: Mapping[str, Any]) -> tuple[int, int, int, str]:
        text = " ".join(row["reasons"])
        return (0 if "can no longer reach" in text else 1 if "the only direct" in text else 2,
                -len(row["countries"]), KIND_ORDER.get(row["kind"], 9), row["name"].lower())
    return sorted(by_ref.values(), key=worst)


def _run_case(run: Stress, case: Case, countries: Sequence[str] = ()) -> dict[str, Any]:
    """One stress test, restricted to the pairs involving the report's ``countries`` or the case's focus (a
    supplier's worldwide cables touch thousands of pairs elsewhere); ``hidden`` says how many were left out."""
    try:
        found = run.run(case.scenario, focus=case.focus)
        result = (found.only({*countries, *case.focus}) if countries else found).as_dict()
    except StressError as error:
        return {"title": case.title, "note": case.note, "scenario": case.scenario.describe(),
                "avoid": list(case.scenario.avoid), "error": str(error)}
    for item in result["removed"]:
        element = run.network.get(item["ref"])
        if element is not None and element.kind == "link":
            item["kind"] = f"link ({getattr(element, 'link_kind', '')})"
    return {"title": case.title, "note": case.note, "scenario": case.scenario.describe(),
            "avoid": list(case.scenario.avoid),
            "area": case.scenario.area.as_geojson() if case.scenario.area is not None else None, "result": result}


def baltic_ranking(run: Stress, limit: int = SHOWN_RANKED) -> list[dict[str, Any]]:
    """The elements of the :data:`BALTIC` countries touching :data:`BALTIC_BOX`, ranked by the damage their loss alone
    causes (:func:`kompas.infra.stress.rank`)."""
    from kompas.infra.stress import rank

    box = parse_area(json.dumps(BALTIC_BOX), None, "Baltic box")
    inside = set(run.index.within(box))
    ranked = rank(run.network, countries=BALTIC, limit=100_000, prepared=run)
    return [r for r in ranked if r["ref"] in inside][:limit]


def gather(network: Network, countries: Sequence[str] = (), cases: Sequence[Case] | None = None,
           old: Network | None = None, new: Network | None = None, prepared: Stress | None = None,
           home: Mapping[str, str] | None = None, eu: frozenset[str] = frozenset(),
           like_minded: frozenset[str] = frozenset(), share: float = 0.5, ranking: bool = True) -> dict[str, Any]:
    """The report's context (JSON-ready) from ``network`` (the public network merged with what the reader may see):
    the member states' assessments (``countries``, default every state of ``eu`` the network reaches), the EU
    picture, the stress tests ``cases`` (default :func:`baltic_cases`), the Baltic ranking (``ranking``), and the
    two cable-map vintages compared (``old`` and ``new``, cables landing in ``eu``; left out when either is None).
    ``home``: supplier -> home country (alpha-2); ``eu``, ``like_minded``: the observatory's groups (alpha-2)."""
    from kompas.infra.assess import assess, concentration, eu_coverage
    from kompas.infra.vintages import compare

    run = prepared or Stress(network)
    chosen = report_countries(countries, eu)
    found = assess(network, chosen, share, home, eu, like_minded, prepared=run)
    assessments = [a.as_dict() for a in found]
    landing_eu = [c for c in network.cables.values() if set(c.countries) & eu]
    suppliers = concentration([c.suppliers for c in landing_eu], home, eu, like_minded)
    counts = eu_coverage(network, eu)
    owners = concentration([c.owners for c in landing_eu])
    members = [_cable_neighbours(run, c) for c in sorted(eu)]
    vintages = None
    if old is not None and new is not None and old.cables and new.cables:
        vintages = compare(old, new, frozenset(eu))
    contributed = [e for e in network.elements() if e.origin != PUBLIC]
    return {
        "countries": assessments, "share": share,
        "eu": {"members": sorted(eu), "like_minded": sorted(like_minded), "coverage": counts, "suppliers": suppliers,
               "owners": owners,
               "homes": {name: (home or {}).get(name, "") for name in suppliers["shares"]},
               "neighbours": members, "single_points": _eu_points(assessments)},
        "stress": [_run_case(run, case, chosen) for case in (baltic_cases() if cases is None else cases)],
        "ranking": baltic_ranking(run) if ranking else None,
        "vintages": vintages,
        "contributed": {"elements": len(contributed), "by": sorted({e.origin for e in contributed})},
        "sources": _sources(network, old),
        "notes": [str(r) for r in network.rejections if r.field == "files"],
        "rejections": len(network.rejections),
    }


def _sources(network: Network, old: Network | None) -> list[dict[str, str]]:
    """The data sets used, each once, with their attribution and licence."""
    out: dict[str, dict[str, str]] = {}
    for source in [*network.sources, *(old.sources if old is not None else [])]:
        key = source.get("key", "")
        out.setdefault(key, {"key": key, "attribution": source.get("attribution", "")})
    return list(out.values())


# --- the page -------------------------------------------------------------------------------------------------------


def _more(shown: int, total: int, what: str) -> str:
    return f"<p class='more'>and {total - shown} more {esc(what)}</p>" if total > shown else ""


def _mw(value: float | None) -> str:
    return "-" if not value else f"{value:,.0f}"


def _neighbour_chart(code: str, neighbours: Mapping[str, int]) -> str:
    """A small horizontal bar chart of a country's cable neighbours (cables per neighbour country)."""
    items = list(neighbours.items())[:SHOWN_NEIGHBOURS]
    if not items:
        return "<p class='muted'>No international submarine cable lands here.</p>"
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(3.5, 0.17 * len(items) + 0.55))
    labels = [k for k, _ in items][::-1]
    values = [v for _, v in items][::-1]
    ax.barh(labels, values, color="#2b6cb0", height=0.7)
    for y, v in enumerate(values):
        ax.text(v, y, f" {v}", va="center", fontsize=6.5)
    ax.set_xlim(0, max(values) * 1.18)
    ax.tick_params(labelsize=6.5, length=2)
    ax.set_xlabel("cables shared", fontsize=6.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(pad=0.3)
    more = len(neighbours) - len(items)
    caption = f"{country_name(code)}: cables shared with each neighbour country" + (
        f" ({more} more neighbours not drawn)" if more > 0 else "")
    return figure(fig, caption, dpi=160)


def _facts(rows: Sequence[tuple[str, str]]) -> str:
    """A two-column table of labelled facts, without a header row."""
    return "<table>" + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>"


_DISCONNECTED = re.compile(r"^([A-Z]{2}) and ([A-Z]{2}) can no longer reach each other \((\w+)\)$")
_WORDS = (("hvdc_mw", "HVDC"), ("ac_mw", "AC (est.)"), ("pipeline_gwh_d", "pipeline"), ("(1 cables)", "(1 cable)"),
          ("->", "→"))


def reasons(items: Sequence[str], country: str = "") -> list[str]:
    """The engine's reasons for a single point as the report prints them: the pairs it disconnects summed up per
    measure group (``LT can no longer reach 177 countries by any telecom route on the map``), measure keys as
    words."""
    out: list[str] = []
    cut: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for text in items:
        found = _DISCONNECTED.match(text)
        if found:
            cut[found.group(3)].append((found.group(1), found.group(2)))
            continue
        for key, word in _WORDS:
            text = text.replace(key, word)
        out.append(text)
    summary = []
    for group, pairs in cut.items():
        if country and all(country in p for p in pairs):
            others = sorted(b if a == country else a for a, b in pairs)
            listed = f": {', '.join(others)}" if len(others) <= 4 else ""
            summary.append(f"{country} can no longer reach {len(others)} countr{'y' if len(others) == 1 else 'ies'} "
                           f"by any {group} route on the map{listed}")
        else:
            summary.append(f"disconnects {len(pairs)} country pairs ({group}), e.g. "
                           + ", ".join(f"{a}-{b}" for a, b in pairs[:3]))
    return summary + out


def _point_rows(points: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    ordered = sorted(points, key=lambda p: (KIND_ORDER.get(p["kind"], 9), p["name"].lower()))
    return [(p["name"] + ("" if p["origin"] == PUBLIC else f" [contributed: {p['origin']}]"), p["kind"],
             _joined(reasons(p["reasons"], p.get("country", ""))))
            for p in ordered]


def _joined(items: Sequence[str], most: int = 2) -> str:
    return "; ".join(items[:most]) + (f" (+{len(items) - most} more)" if len(items) > most else "")


def _country(a: Mapping[str, Any], share: float) -> str:
    """One member state's compact section."""
    code, cables, power, exchanges = a["country"], a["cables"], a["power"], a["exchanges"]
    busiest = cables.get("busiest_station")
    sup, own = a["suppliers"], a["owners"]
    sup_cov, own_cov = sup["coverage"], own["coverage"]

    def top(shares: Mapping[str, float], n: int = 3) -> str:
        return ", ".join(f"{k} {v:.0f}%" for k, v in list(shares.items())[:n]) or "-"

    groups = sup.get("groups") or {}
    facts = [("submarine cables", "none on the public map")] if not cables["international"] else [
        ("international cables", f"{cables['international']} ({cables['domestic']} domestic)"),
        ("cable neighbours", f"{cables['distinct_neighbours']} countries"),
        ("landing stations", f"{cables['landing_stations']}" + (
            f"; busiest {busiest['name']}: {busiest['cables']} cable{'s' if busiest['cables'] != 1 else ''} "
            f"({busiest['share_pct']:.0f}%)" if busiest
            else "")),
        ("suppliers recorded", f"{sup_cov['recorded']} of {sup_cov['total']} cables"
         + (f" ({sup_cov['pct']:.0f}%)" if sup_cov["pct"] is not None else "")),
        ("supplier HHI", "-" if sup["hhi"] is None else f"{sup['hhi']:,.0f}; {top(sup['shares'])}"),
        ("supplier homes", ", ".join(f"{GROUP_LABEL[g]} {v:.0f}%" for g, v in groups.items() if v) or "-"),
        ("owner HHI", "-" if own["hhi"] is None else f"{own['hhi']:,.0f} ({own_cov['recorded']} of "
         f"{own_cov['total']} recorded); {top(own['shares'], 2)}"),
    ]
    if exchanges.get("count"):
        top_city = exchanges["top_city"]
        facts.append(("internet exchanges", f"{exchanges['count']} in {exchanges['buildings']} buildings; "
                      f"{exchanges['single_building']} in a single building; {top_city['city']} has "
                      f"{top_city['exchanges']} ({top_city['share_pct']:.0f}%)"))
    else:
        facts.append(("internet exchanges", "none on the map"))
    hvdc, ac, gas = power.get("hvdc_mw", {}), power.get("ac_mw", {}), power.get("pipeline_gwh_d", {})
    by_cable = list(cables["neighbours"])
    neighbours = list(dict.fromkeys([*by_cable[:SHOWN_TABLE_NEIGHBOURS], *hvdc, *ac, *gas]))
    hidden = [n for n in by_cable if n not in neighbours]
    header = ["neighbour", "cables", "disjoint paths", "HVDC MW", "AC MW (est.)"] + (["pipeline GWh/d"] if gas else [])
    rows = []
    for n in neighbours:
        row: list[object] = [f"{n} {country_name(n)}", cables["neighbours"].get(n, 0) or "-",
                             a["redundancy"].get(n, "-"), _mw(hvdc.get(n)), _mw(ac.get(n))]
        if gas:
            row.append(_mw(gas.get(n)))
        rows.append(row)
    points = a["single_points"]
    kinds: dict[str, int] = defaultdict(int)
    for p in points:
        kinds[p["kind"]] += 1
    point_rows = _point_rows([p | {"country": code} for p in points])
    body = [f"<section class='country compact' id='c-{esc(code)}'><h2>{esc(a['name'])} ({esc(code)})</h2>"]
    if cables["international"]:
        body.append("<table class='cols'><tr><td class='col'>" + _neighbour_chart(code, cables["neighbours"])
                    + "</td><td class='col facts'>" + _facts(facts) + "</td></tr></table>")
    else:
        body.append(f"<div class='facts'>{_facts(facts)}</div>")
    if rows:
        body.append(table(header, rows, numeric=[1, 2, 3, 4, 5]))
        if hidden:
            body.append(f"<p class='more'>and {len(hidden)} more cable neighbours "
                        f"({sum(cables['neighbours'][n] for n in hidden)} cable connections): "
                        f"{esc(', '.join(hidden))}</p>")
        if ac:
            body.append("<p class='more'>AC MW estimated from voltage and circuits, not published ratings. Disjoint "
                        "paths: cable routes to the neighbour sharing no cable (direct or through others).</p>")
    else:
        body.append("<p class='muted'>No cross-border cable or power link on the map.</p>")
    if points:
        summary = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in sorted(
            kinds.items(), key=lambda kv: KIND_ORDER.get(kv[0], 9)))
        body.append(f"<p><b>Single points of failure</b> ({summary}): an element whose loss alone disconnects a "
                    f"pair, leaves it without a direct carrier, removes more than {100 * share:.0f}% of its "
                    "capacity or cuts off an internet exchange.</p>")
        body.append(table(["element", "kind", "its loss"], point_rows[:SHOWN_POINTS]))
        body.append(_more(SHOWN_POINTS, len(point_rows), "single points"))
    else:
        body.append("<p><b>Single points of failure</b>: none found.</p>")
    body.append("</section>")
    return "\n".join(body)


def _bar_summary(members: Sequence[Mapping[str, Any]]) -> str:
    """Distinct cable neighbours per member state (bars) with the international cables (labels)."""
    items = sorted(members, key=lambda m: (-m["neighbours"], m["country"]))
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 2.3))
    ax.bar([m["country"] for m in items], [m["neighbours"] for m in items], color="#2b6cb0")
    for x, m in enumerate(items):
        ax.text(x, m["neighbours"], str(m["cables"]), ha="center", va="bottom", fontsize=6)
    ax.set_ylabel("neighbour countries", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return figure(fig, "Distinct countries each member state shares a submarine cable with (bars) and its "
                       "international cables (numbers above the bars).")


def _supplier_chart(shares: Mapping[str, float], homes: Mapping[str, str], eu: frozenset[str],
                    like: frozenset[str]) -> str:
    items = list(shares.items())[:SHOWN_SUPPLIERS]
    if not items:
        return ""
    colours = {"EU27": "#003399", "like_minded": "#6baed6", "other": "#d62728", "unattributed": "#bdbdbd"}

    def group(name: str) -> str:
        code = homes.get(name, "")
        return "unattributed" if not code else "EU27" if code in eu else "like_minded" if code in like else "other"

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 0.2 * len(items) + 0.8))
    labels = [f"{n} ({homes.get(n) or '?'})" for n, _ in items][::-1]
    ax.barh(labels, [v for _, v in items][::-1], color=[colours[group(n)] for n, _ in items][::-1])
    ax.set_xlabel("share of the cables with a supplier recorded (%)", fontsize=7.5)
    ax.tick_params(labelsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [GROUP_LABEL[g] for g in colours], fontsize=6.5, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return figure(fig, "Suppliers of the submarine cables landing in the EU, by share (a cable built by several "
                       "suppliers counts for each equally), coloured by the supplier's home country group.")


def _eu(context: Mapping[str, Any]) -> str:
    eu = context["eu"]
    counts, sup, owners = eu["coverage"], eu["suppliers"], eu["owners"]
    groups = sup.get("groups") or {}
    homes: Mapping[str, str] = eu["homes"]
    coastal = [m for m in eu["neighbours"] if m["cables"]]
    landlocked = [m for m in eu["neighbours"] if not m["cables"]]
    fewest = sorted(coastal, key=lambda m: (m["neighbours"], m["cables"], m["country"]))[:8]
    points = eu["single_points"]
    without = counts["without_supplier"]
    key = [f"<p><b>{counts['cables']} submarine cables</b> land in at least one member state; <b>{without} of them "
           f"({100 * without / max(counts['cables'], 1):.0f}%) have no supplier recorded</b> on the public map, so "
           f"every supplier share below is a share of the {sup['coverage']['recorded']} cables with one."]
    if not counts["cables"]:
        key = ["<p>No submarine cable data is at hand (see the note above)."]
    if sup["hhi"] is not None:
        key.append(f"Supplier concentration (HHI, 0-10,000): <b>{sup['hhi']:,.0f}</b>; by the suppliers' home: "
                   + ", ".join(f"{GROUP_LABEL[g]} {v:.0f}%" for g, v in groups.items()) + ".")
    if owners["hhi"] is not None:
        key.append(f"Owner concentration (HHI): {owners['hhi']:,.0f} over the {owners['coverage']['recorded']} "
                   "cables with an owner recorded.")
    key.append("</p>")
    if coastal:
        few = ", ".join(f"{esc(m['name'])} ({m['neighbours']})" for m in fewest[:4])
        key.append(f"<p>Fewest cable neighbour countries: {few}."
                   + (f" No submarine cable on the public map lands in "
                      f"{esc(', '.join(m['name'] for m in landlocked))}." if landlocked
                      else "") + "</p>")
    key.append(f"<p>{len(points)} elements are single points of failure of the member states covered (cables, "
               "power links and landing stations; the buildings hosting internet exchanges are in the country "
               f"sections). {esc(TERRESTRIAL)}</p>")
    out = [
        "<h2>1. The EU picture</h2>", "<div class='key'>" + " ".join(key) + "</div>",
        "<h3>Suppliers</h3>",
        _supplier_chart(sup["shares"], homes, frozenset(eu["members"]), frozenset(eu["like_minded"])),
        table(["supplier", "home", "share of recorded (%)", "cables"],
              [(n, homes.get(n) or "?", f"{v:.1f}", counts["suppliers"].get(n, 0))
               for n, v in list(sup["shares"].items())[:SHOWN_SUPPLIERS]], numeric=[2, 3]),
        _more(SHOWN_SUPPLIERS, len(sup["shares"]), "suppliers"),
        "<h3>Member states with the fewest cable neighbours</h3>",
        _bar_summary(coastal) if coastal else "<p>No cable data.</p>",
        table(["member state", "international cables", "neighbour countries", "landing stations"],
              [(f"{m['name']} ({m['country']})", m["cables"], m["neighbours"], m["landing_stations"])
               for m in fewest], numeric=[1, 2, 3]),
        "<h3>Single points of failure across the member states</h3>",
        "<p class='muted'>One row per element, the worst first: losing it disconnects countries, leaves a pair "
        f"without a direct carrier, or removes more than {100 * context['share']:.0f}% of a pair's capacity.</p>",
        table(["element", "kind", "member states", "its loss"],
              [(p["name"], p["kind"], ", ".join(p["countries"]), _joined(reasons(p["reasons"], p["countries"][0])))
               for p in points[:SHOWN_EU_POINTS]]) if points else "<p>None found.</p>",
        _more(SHOWN_EU_POINTS, len(points), "single points (see the country sections)"),
    ]
    return "\n".join(out)


def _case(number: int, case: Mapping[str, Any]) -> str:
    out = [f"<h3>{number}. {esc(case['title'])}</h3>"]
    if case.get("note"):
        out.append(f"<p class='muted'>{esc(case['note'])}</p>")
    out.append(f"<p><b>Scenario</b>: {esc(case['scenario'])}</p>")
    if "error" in case:
        out.append(f"<p class='warn'>Not run: {esc(case['error'])}</p>")
        return "\n".join(out)
    r = case["result"]
    removed = r["removed"]
    out.append(f"<p><b>Removed</b> ({len(removed)} elements):</p>")
    out.append(table(["element", "kind", "why"], [(x["name"], x["kind"], x["why"]) for x in removed[:SHOWN_REMOVED]]))
    out.append(_more(SHOWN_REMOVED, len(removed), "elements"))
    rows = sorted(r["rows"], key=lambda x: (x["after"] != 0, x["kind"] == "ac_mw", x["from_country"],
                                           x["to_country"]))
    out.append("<p><b>What is lost</b> (direct capacity per country pair before and after):</p>")
    out.append(table(["from", "to", "kind", "before", "after", "unit"],
                     [(x["from_country"], x["to_country"], x["kind"], f"{x['before']:g}", f"{x['after']:g}",
                       x["unit"]) for x in rows[:SHOWN_ROWS]], numeric=[3, 4]) if rows else "<p>Nothing.</p>")
    out.append(_more(SHOWN_ROWS, len(rows), "rows"))
    hidden = r.get("hidden") or {}
    if hidden.get("rows") or hidden.get("disconnected"):
        out.append(f"<p class='muted'>Left out: {hidden.get('rows', 0):,} rows and {hidden.get('disconnected', 0):,} "
                   "disconnected pairs between countries outside this report.</p>")
    if r["disconnected"]:
        pairs = [f"{d['from_country']}-{d['to_country']} ({d['group']})" for d in r["disconnected"]]
        out.append(f"<p class='warn'><b>{len(pairs)} country pair{'s' if len(pairs) != 1 else ''} can no longer "
                   "reach each other</b>: "
                   f"{esc(', '.join(pairs[:40]))}{' and more' if len(pairs) > 40 else ''}.</p>")
    else:
        out.append("<p>No country pair is disconnected: every pair that lost its direct carriers still reaches the "
                   "other through third countries.</p>")
    alternatives = r["alternatives"]
    if alternatives:
        out.append("<p><b>Alternatives</b> for the pairs left without a direct carrier"
                   + (f" (never transiting {esc(', '.join(case['avoid']))})" if case.get("avoid") else "")
                   + ": the neighbours it can still leave through (exits), those the other can be entered through "
                   "(entries), and the countries on the shortest paths.</p>")
        alt_rows = []
        for key, alt in alternatives.items():
            if not alt["reachable"]:
                alt_rows.append((key, "unreachable", "-", "-", "-", "-"))
                continue
            first = alt["paths"][0] if alt["paths"] else None
            path = " → ".join(f"{h['from_country']}–{h['to_country']} ({', '.join(h['names'][:2])}"
                              f"{'…' if h['carriers'] > 2 else ''})" for h in first["hops"]) if first else "-"
            alt_rows.append((key, ", ".join(alt["exits"]) or "-", ", ".join(alt["entries"]) or "-",
                             ", ".join(alt["transit"]) or "-", alt["shortest_hops"], path))
        out.append(table(["pair", "exits", "entries", "transit", "hops", "a shortest path"], alt_rows, numeric=[4]))
    cut = r["exchanges_cut"]
    if cut:
        out.append(f"<p><b>Internet exchanges cut off</b> ({len(cut)}):</p>")
        out.append(table(["exchange", "city", "country", "buildings"],
                         [(x["name"], x["city"], x["country"], x["buildings"]) for x in cut[:SHOWN_ROWS]],
                         numeric=[3]))
        out.append(_more(SHOWN_ROWS, len(cut), "exchanges"))
    else:
        out.append("<p>No internet exchange is cut off.</p>")
    for caveat in r["caveats"]:
        out.append(f"<p class='muted'>{esc(caveat)}</p>")
    return "\n".join(out)


def _ranking(ranked: Sequence[Mapping[str, Any]]) -> str:
    rows = [(k, r["name"] + ("" if r["origin"] == PUBLIC else f" [contributed: {r['origin']}]"), r["kind"],
             r["disconnected"], r["pairs_without_direct"], f"{r['capacity_share_lost']:.2f}", r["exchanges_cut"],
             "; ".join(reasons(r["pairs"][:3])) + ("…" if len(r["pairs"]) > 3 else ""))
            for k, r in enumerate(ranked, 1)]
    return ("<div class='compact'><p class='muted'>Each element of Finland, Estonia, Latvia, Lithuania, Sweden, "
            "Germany, Poland and Denmark touching the Baltic (lon 9.5-31°E, lat 53.5-66.5°N) removed alone, ranked "
            "by the country pairs it disconnects, then the pairs it leaves without a direct carrier, then the share "
            "of direct capacity it removes (summed over pairs: 1.0 = one pair's whole capacity), then the exchanges "
            "it cuts off.</p>"
            + table(["#", "element", "kind", "pairs disconnected", "pairs without direct", "capacity share lost",
                     "exchanges cut", "pairs (before → after)"], rows, numeric=[0, 3, 4, 5, 6]) + "</div>")


def _vintages(v: Mapping[str, Any] | None) -> str:
    if v is None:
        return "<p>Not compared: a vintage of the cable map is not at hand.</p>"
    c = v["counts"]
    out = [f"<p>Cables landing in a member state: <b>{c['old']}</b> on the June 2021 map, <b>{c['new']}</b> on the "
           f"late-2022 map; <b>{c['added']} added</b> ({c.get('newly_mapped', 0)} of them in service before 2021, "
           f"newly mapped rather than built), <b>{c['retired']} retired</b> (no longer on the map), "
           f"{c.get('renamed', 0)} renamed, {c['changed']} changed (landings, countries, owners, ready-for-service "
           "year, planned to in service).</p>",
           f"<p class='muted'>{esc(v['note'])}</p>", "<h3>Added</h3>"]
    out.append(table(["cable", "countries", "ready for service", "planned", "owners"],
                     [(x["name"], ", ".join(x["countries"]), x["rfs_year"] or "-", "yes" if x["planned"] else "",
                       ", ".join(x["owners"][:3]) + ("…" if len(x["owners"]) > 3 else ""))
                      for x in v["added"][:SHOWN_VINTAGE]]) if v["added"] else "<p>None.</p>")
    out.append(_more(SHOWN_VINTAGE, len(v["added"]), "cables"))
    out.append("<h3>Retired</h3>")
    out.append(table(["cable", "countries", "ready for service", "owners"],
                     [(x["name"], ", ".join(x["countries"]), x["rfs_year"] or "-",
                       ", ".join(x["owners"][:3]) + ("…" if len(x["owners"]) > 3 else ""))
                      for x in v["retired"][:SHOWN_VINTAGE]]) if v["retired"] else "<p>None.</p>")
    out.append(_more(SHOWN_VINTAGE, len(v["retired"]), "cables"))
    if v.get("renamed"):
        out.append("<h3>Renamed</h3>")
        out.append(table(["on the 2021 map", "on the 2022 map", "countries"],
                         [(x["before"]["name"], x["after"]["name"], ", ".join(x["after"]["countries"]))
                          for x in v["renamed"][:SHOWN_VINTAGE]]))
    return "\n".join(out)


def footer(sources: Sequence[Mapping[str, str]]) -> str:
    """The text of the running footer: every source's attribution and licence, the non-commercial notice when
    TeleGeography data is shown, and the caveat on drawn routes."""
    parts = [s["attribution"] for s in sources if s.get("attribution")]
    if any(s.get("key") in ("cables", "exchanges") for s in sources):
        parts.append(NONCOMMERCIAL)
    parts.append(ROUTE_CAVEAT)
    return " ".join(parts)


def build(context: Mapping[str, Any], banner: str, handling: str = "", as_of: str = "") -> str:
    """The report page from :func:`gather`'s context, with ``banner`` (and ``handling``) on every page."""
    c = context
    line = banner + (f" \u2014 {handling}" if handling else "")
    colour = document.banner_colour(banner)
    foot = footer(c["sources"])
    contributed = c["contributed"]
    names = [a["country"] for a in c["countries"]]
    origin = (f"the public data and {contributed['elements']} contributed elements you may see (from "
              f"{', '.join(contributed['by'])})" if contributed["elements"] else "the public data")
    body = [f"<div class='pagefoot'><div class='line'>{esc(line)}</div><p>{esc(foot)}</p></div>",
            "<h1>Critical infrastructure dependencies of the member states</h1>",
            "<p class='muted'>Submarine cables, landing stations, internet exchanges and power interconnection: what "
            f"each member state depends on, its single points of failure, and what given cuts cost. Prepared "
            f"{esc(as_of or datetime.now(UTC).date().isoformat())} from {esc(origin)}; marking "
            f"{esc(banner)}. Countries covered: {esc(', '.join(names)) or '-'}.</p>"]
    if c["notes"]:
        body.append("<p class='warn'>Data not at hand: " + esc("; ".join(c["notes"])) + "</p>")
    body.append(_eu(c))
    body.append("<h2 class='part'>2. Member states</h2><p class='muted'>Per member state: the countries it shares "
                "submarine cables with, its landing stations, its power interconnection with each neighbour (HVDC "
                "as rated; AC estimated from voltage and circuits), its internet exchanges, the concentration of "
                "its cables' suppliers and owners (HHI on percentage shares, 0-10,000, with how many cables have "
                "one recorded), its single points of failure and its redundancy (cable routes to each neighbour "
                "sharing no cable).</p>")
    body.extend(_country(a, c["share"]) for a in c["countries"])
    body.append("<h2 class='part'>3. Stress tests</h2>")
    if not c["stress"]:
        body.append("<p>None asked for.</p>")
    body.extend(f"<div class='compact'>{_case(k, case)}</div>" for k, case in enumerate(c["stress"], 1))
    if c["ranking"] is not None:
        body.append("<h2>4. The Baltic elements ranked by damage</h2>")
        body.append(_ranking(c["ranking"]) if c["ranking"] else "<p>No element found.</p>")
    body.append("<h2>5. The cable map in 2021 and 2022</h2>")
    body.append(_vintages(c["vintages"]))
    body.append("<h2>6. Sources, licences and caveats</h2>")
    body.append(table(["data", "attribution and licence"], [(s["key"], s["attribution"]) for s in c["sources"]]))
    body.append(f"<p>{esc(NONCOMMERCIAL)}</p><p>{esc(ROUTE_CAVEAT)}</p><p>{esc(AC_NOTE)}</p><p>{esc(TERRESTRIAL)}</p>"
                "<p class='muted'>Landing points are city-level; cable segments join every pair of a cable's landing "
                "points (the public map gives no segment topology). "
                f"{c['rejections']} source records could not be used (each reported by the readers).</p>")
    page = document.page("Critical infrastructure dependencies", "\n".join(body), banner, handling)
    return page.replace("</head>", f"<style>{_CSS.format(colour=colour)}</style></head>", 1)


# --- the workflow ---------------------------------------------------------------------------------------------------


def viewer_network(store: StoreBase | None, viewer: Viewer | None) -> tuple[Network, Marking]:
    """The network ``viewer`` may see and the combined marking of what it holds: the public network merged with the
    contributions (:func:`kompas.services.infra.network_for`), or the public network alone (UNCLASSIFIED TLP:CLEAR)
    without a store."""
    from kompas.core.markings import Marking

    if store is not None:
        try:
            from kompas.services.infra import network_for
        except ImportError:  # the platform service is not there: the public data alone
            pass
        else:
            return network_for(store, viewer)
    from kompas.infra.load import public_network

    return public_network(), Marking.build("UNCLASSIFIED", "CLEAR")


def report(store: StoreBase | None, viewer: Viewer | None, countries: Sequence[str] = (),
           scenarios: Sequence[Mapping[str, Any]] | None = None, fmt: str = "pdf", banner: str | None = None,
           handling: str = "") -> Rendered:
    """The critical-infrastructure dependency report as ``viewer`` may see it (None: the platform's view), over
    ``countries`` (alpha-2; default the EU27) with the stress tests ``scenarios`` (their JSON form,
    :func:`case_from`; None: the Baltic cases), rendered as ``fmt`` (``html`` or ``pdf``) and banner-marked with the
    combined marking of the network used (:func:`kompas.services.reports.banner_for`). ValueError naming what is
    wrong in the countries or scenarios."""
    from kompas.infra import load
    from kompas.services.reports import banner_for, render

    eu, like = load.country_groups()
    chosen = report_countries(countries, eu)
    cases = cases_from(scenarios)
    network, marking = viewer_network(store, viewer)
    context = gather(network, chosen, cases, load.cable_vintage("2021"), load.cable_vintage("2022"),
                     home=load.supplier_homes(), eu=eu, like_minded=like)
    day = datetime.now(UTC).date().isoformat()
    page = build(context, banner_for(marking, banner), handling, day)
    return render(page, fmt, f"infra_{day}", marking)
