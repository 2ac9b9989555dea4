"""The military mobility report (issue 27): the Strategic Compass's analysis of whether the transport infrastructure
supports large-scale movements at short notice, per corridor, for a standard force package. HTML and PDF from the
same page (:mod:`kompas.reports.document`); the figures come from :func:`kompas.services.mobility_report.analyse`.

The page:

1. purpose (the Compass's lines, quoted) and the key findings;
2. the inputs: the package and the lead times (both ILLUSTRATIVE), the networks read and those absent;
3. the corridors of ``de-rail`` and ``gauge-test``: can the package move, how long (first arrival, whole package),
   the narrowest element, the obstacles with their costs, where the gaps are;
4. a map of the corridors' plans on both networks, with the Suwałki gap;
5. resilience: the elements of the German rail network whose loss breaks or slows the corridors, grouped by line;
6. airfields per aircraft in LT LV EE PL FI DE, the longest runways;
7. coverage: how much of the open data states the limits a planner needs, per tag and area;
8. dual-use project candidates ranked by the hours they would save;
9. method, sources and caveats.

Every printed page carries the banner at the top and bottom and, in its running footer, the attribution of every
data set used (OpenStreetMap ODbL, RINF via RInfData MIT, OurAirports public domain, airportsdata MIT, Natural Earth)
and the note that the package, the lead times and the gauge-break network are ILLUSTRATIVE.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

if TYPE_CHECKING:
    from kompas.mobility.coverage import Coverage
    from kompas.mobility.model import Network
    from kompas.services.mobility_report import Analysis, CorridorResult

#: The Strategic Compass (2022), seed ``../shared/seeds/000_e18c6be3a889c87f.txt`` (Dutch text): line, quote, gist.
COMPASS = (
    ("l.1609-1614", "Wij zullen onmiddellijk vaart zetten achter de uitvoering van vervoersinfrastructuurprojecten "
                    "voor tweeërlei gebruik [...]",
     "we will immediately speed up dual-use transport infrastructure projects"),
    ("l.1618-1622", "Tegen eind 2022 zullen wij een analyse maken van het vermogen van de EU op het gebied van "
                    "vervoersinfrastructuur om op korte termijn geplande grootschalige bewegingen te ondersteunen.",
     "by end 2022 we will analyse the EU's transport infrastructure's ability to support large-scale movements "
     "at short notice"),
    ("l.1625-1627", "Uiterlijk 2025 zullen wij de grensoverschrijdende procedures verbeterd en geharmoniseerd "
                    "hebben.", "by 2025 we will have improved and harmonised cross-border procedures"),
)
ILLUSTRATIVE = ("ILLUSTRATIVE inputs: the force package (no open force data exists), the border lead times (member "
                "states contribute their own) and the Suwałki – Kaunas gauge-break test network (no open extract of "
                "a gauge-break border exists) are made up to exercise the planner; they are not real data.")
SHOWN_RANKS = 12  #: lines (groups of ranked elements) shown
SHOWN_SLOWS = 8  #: elements that slow corridors without breaking one, shown
SHOWN_OBSTACLES = 8  #: obstacles listed per corridor
SHOWN_CANDIDATES = 15
SHOWN_RUNWAYS = 12
CORRIDOR_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
#: Where an obstacle's label goes on the gauge-test map (points right and up of the marker), by kind.
LABEL_OFFSETS = {"border": (-66, 6), "gauge": (8, -12), "mlc": (-58, -13)}
GAUGE_COLOURS = {1435: "#1f77b4", 1520: "#d62728", 1524: "#d62728"}

_CSS = """
@page {{ margin: 18mm 14mm 34mm;
  @bottom-right {{ content: none; }}
  @top-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }}
  @bottom-center {{ content: element(pagefoot); width: 182mm; vertical-align: top; padding-top: 2mm; }} }}
.pagefoot {{ position: running(pagefoot); font: 6pt/1.28 "DejaVu Sans", sans-serif; color: #333; }}
.pagefoot .line {{ text-align: center; font: bold 8.5pt sans-serif; color: {colour}; margin-bottom: 1.2mm; }}
.pagefoot p {{ margin: 0; }}
@media screen {{ .pagefoot {{ font-size: 8pt; margin: 0.4em 0 1em; }} .pagefoot .line {{ display: none; }} }}
.compact table {{ font-size: 7.6pt; margin: 0.2em 0 0.4em; width: 100%; }}
.compact td, .compact th {{ padding: 1px 3px; }}
.warn {{ border-left: 4px solid #c8102e; padding: 0.2em 0.8em; background: #fbeff1; }}
.ill {{ color: #9a6a00; font-weight: bold; }}
blockquote {{ margin: 0.3em 1em; font-style: italic; }} blockquote .gist {{ font-style: normal; color: #444; }}
td.no {{ color: #c8102e; font-weight: bold; }} td.yes {{ color: #007a33; font-weight: bold; }}
h2.part {{ break-before: page; }} .block {{ break-inside: avoid; }} p.small {{ font-size: 7pt; }}
.key {{ break-inside: auto; }}
"""


def hours_text(hours: float | None) -> str:
    """Hours as the report writes them (see :func:`kompas.services.mobility_report.hours_text`)."""
    from kompas.services.mobility_report import hours_text as text

    return text(hours)


def _cost(o: dict[str, Any]) -> str:
    if o["blocks"]:
        return "no way round"
    return "not costed" if o["cost_hours"] is None else f"+{hours_text(o['cost_hours'])}"


def attribution(analysis: Analysis) -> list[str]:
    """The attribution of every data set the report used, then the ILLUSTRATIVE note."""
    out = []
    for source in analysis.sources:
        text, licence = str(source["attribution"]), str(source.get("licence") or "")
        stated = all(part.strip().split(" ")[0].lower() in text.lower() for part in licence.split(";") if part.strip())
        out.append(text if not licence or stated else f"{text} ({licence})")
    return out


def footer(analysis: Analysis) -> str:
    """The running footer's text: every source's attribution and the ILLUSTRATIVE note."""
    return "Sources: " + "; ".join(attribution(analysis)) + ". " + ILLUSTRATIVE


# -- sections --------------------------------------------------------------------------------------------------------

def _purpose(analysis: Analysis) -> str:
    quotes = "".join(f"<blockquote>“{esc(text)}” <span class='gist'>({esc(gist)}; Strategic Compass, seed "
                     f"{esc(line)})</span></blockquote>" for line, text, gist in COMPASS)
    return (f"<p>The Strategic Compass asks for this analysis:</p>{quotes}"
            "<p>This report answers it for the networks Kompas holds: per corridor, whether a standard force package "
            "can move, how long it takes, what stops or slows it and what each obstacle costs; which elements the "
            "corridors cannot lose; which airfields can take the transport aircraft; how much of the open data states "
            "the limits a planner needs; and which dual-use projects would close the largest gaps.</p>")


def findings(analysis: Analysis) -> list[str]:
    """The key findings, one sentence each (plain text)."""
    out: list[str] = []
    by_net: dict[str, list[CorridorResult]] = defaultdict(list)
    for r in analysis.corridors:
        by_net[r.network].append(r)
    rail = by_net.get("de-rail", [])
    if rail:
        ok = [r for r in rail if r.plan["feasible"]]
        hours = [r.plan["hours"] for r in ok if r.plan["hours"] is not None]
        waits = sorted({r.entry["hours"] for r in rail if r.entry})
        wait_text = (f"; a package from abroad entering at a border point first waits {hours_text(waits[-1])} for "
                     "permission (ILLUSTRATIVE lead time)") if waits else ""
        span = f" in {hours_text(min(hours))} to {hours_text(max(hours))} of running" if hours else ""
        out.append(f"German rail (RINF 2022): the package can move on {len(ok)} of {len(rail)} corridors{span}; "
                   f"the register states no gauge, axle load or electrification, so no load limit can be checked "
                   f"there{wait_text}.")
    for r in by_net.get("gauge-test", []):
        plan = r.plan
        named = ", ".join(f"{o['kind']} at {o['name']} ({_cost(o)})" for o in plan["obstacles"][:3])
        out.append(f"Gauge-break test network (ILLUSTRATIVE): {r.name}: "
                   + (f"whole package in {hours_text(plan['complete_hours'])} against {hours_text(plan['ideal_hours'])}"
                      f" with no obstacle; obstacles: {named}." if plan["feasible"] else "no feasible plan."))
    ranking = analysis.ranking
    if ranking is not None:
        broken = groups([x for x in ranking["ranking"] if x["failed"]])
        lines = [g for g in broken if g["kind"] == "link"]
        sections = sum(len(g["elements"]) for g in lines)
        points = sum(len(g["elements"]) for g in broken if g["kind"] != "link")
        out.append(f"Resilience: {sections:,} line sections of {len(lines):,} lines and {points:,} operational "
                   "points are single points of failure for at least one German corridor (no other path in the "
                   "register's graph).")
    fields = analysis.airfields
    if fields is not None:
        parts = ", ".join(f"{name} {sum(c.values()):,}" for name, c in fields["counts"].items())
        out.append(f"Airfields able to take each aircraft in LT LV EE PL FI DE (of {fields['fields']:,}): {parts}.")
    for name, found in analysis.coverage.items():
        row = found.get("weight_or_mlc")
        if row is not None:
            out.append(f"OSM {name}: {100 * row.share:.1f}% of road links state any weight limit or MLC; "
                       f"{len(found.open_bridges)} of {found.bridges} road bridges state neither.")
    for top in [c for c in analysis.candidates if c.assumed][:1] + [c for c in analysis.candidates
                                                                     if not c.assumed][:1]:
        each = f"{hours_text(top.hours / len(top.corridors))} on each of {len(top.corridors)} corridors" \
            if len(top.corridors) > 1 else f"{hours_text(top.hours)} on {top.corridors[0]}"
        out.append(("Largest gap assumed: " if top.assumed else "Largest gap found by the planner: ")
                   + f"{top.name}: {top.project}: " + ("its removal opens a blocked corridor" if top.blocks else each)
                   + (" (ILLUSTRATIVE lead time)" if top.assumed else "") + ".")
    return out


def _rail(rail: bool) -> str:
    return ("every vehicle taken to go on a standard flat wagon (an assumption: the widest may need the railway's "
            "consent as an out-of-gauge load)") if rail else "not all vehicles go by rail"


def _inputs(analysis: Analysis) -> str:
    p = analysis.package
    items = table(["vehicle", "count", "mass t", "MLC"],
                  [(i["vehicle"], i["count"], f"{i['mass_t']:g}", i["mlc"]) for i in p["items"]], (1, 2, 3))
    lt = analysis.lead_times
    days = ", ".join(f"{c} {d:g}" for c, d in lt["days"].items())
    target = (f"{lt['target_days']:g} days" if lt["target_days"] is not None else "no number of days stated")
    default = "unknown" if lt["default_days"] is None else f"{lt['default_days']:g}"
    ill_p = "<span class='ill'>ILLUSTRATIVE</span> " if p["illustrative"] else ""
    ill_l = "<span class='ill'>ILLUSTRATIVE</span> " if lt["illustrative"] else ""
    missing = "".join(f"<li>{esc(name)}: {esc(why)}</li>" for name, why in analysis.missing.items())
    read = ", ".join(f"{name} ({n.counts()['places']:,} places, {n.counts()['links']:,} links)"
                     for name, n in analysis.networks.items())
    estimated = (f"<p class='muted small'>Figures estimated or computed, not published ({len(p['estimated'])}): "
                 f"{esc('; '.join(p['estimated']))}.</p>" if p.get("estimated") else "")
    return (f"<p><b>Package:</b> {ill_p}{esc(p['name'])}: {p['vehicles']} vehicles, {p['personnel']} personnel; "
            f"heaviest vehicle {p['heaviest_t']:g} t, highest MLC {p['max_mlc']}, tallest {p['max_height_m']:g} m, "
            f"widest {p['max_width_m']:g} m; {_rail(p['rail'])}."
            f" Source: {esc(p['source'])}.</p><div class='compact'>{items}</div>{estimated}"
            f"<p><b>Border lead times</b> ({ill_l}{esc(lt['unit'])} days; a working day is 7/5 calendar days): "
            f"{esc(days)}; other countries {esc(default)}. Target: the Compass's improved and harmonised "
            f"cross-border procedures by {lt['target_year']} (seed l.1625-1627, quoted above; {esc(target)}).</p>"
            f"<p><b>Networks read:</b> {esc(read) or 'none'}.</p>"
            + (f"<p class='warn'>Not on this machine, left out:</p><ul>{missing}</ul>" if missing else ""))


def _corridor_row(r: CorridorResult) -> list[object]:
    plan = r.plan
    if plan["throughput"] and plan["throughput"]["narrowest"]:
        tp = plan["throughput"]
        name = next((str(e["name"]) for e in tp["elements"] if e["id"] == tp["narrowest"]), tp["narrowest"])
        narrow = f"{name}: {tp['vehicles_per_day']:g} vehicles/day"
    else:
        narrow = "no capacity stated on the route"
    if r.slowest:
        narrow += f"; slowest section {r.slowest['section']} ({_line(r.slowest)}) {r.slowest['kmh']:g} km/h"
    obstacles = "; ".join(f"{o['kind']}: {o['name']}: {o['reason']} [{_cost(o)}]"
                          for o in plan["obstacles"][:SHOWN_OBSTACLES]) or "none found"
    more = len(plan["obstacles"]) - SHOWN_OBSTACLES
    if more > 0:
        obstacles += f"; and {more} more"
    if r.entry:
        obstacles += (f"; permission to enter {r.entry['country']} at {r.entry['at']}: {r.entry['days']:g} "
                      f"{r.entry['unit']} days = {hours_text(r.entry['hours'])} before the move (assumed: a package "
                      "from abroad)")
    return [r.name, "yes" if plan["feasible"] else "NO", f"{plan['km']:,.0f}", hours_text(plan["ideal_hours"]),
            hours_text(plan["hours"]), hours_text(plan["complete_hours"]), narrow, obstacles]


def _line(link: dict[str, Any]) -> str:
    """``line 6109`` for a RINF section (the register's line number), else the link's name."""
    parts = str(link["id"]).split(":")
    return f"line {parts[1]}" if parts[0] == "rinf" and len(parts) > 2 else str(link["name"])


def _span(counts: list[int]) -> str:
    low, high = min(counts), max(counts)
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _corridors(analysis: Analysis) -> str:
    out: list[str] = []
    header = ["corridor", "moves", "km", "ideal", "first arrival", "whole package", "narrowest element",
              "obstacles (cost when enforced alone)"]
    for network, label in (("de-rail", "German rail network (RINF 2022)"),
                           ("gauge-test", "Suwałki – Kaunas gauge-break test network (ILLUSTRATIVE)")):
        rows = [r for r in analysis.corridors if r.network == network]
        if not rows:
            continue
        body = [_corridor_row(r) for r in rows]
        html = table(header, body, (2, 3, 4, 5))
        html = html.replace("<td>NO</td>", "<td class='no'>NO</td>").replace("<td>yes</td>", "<td class='yes'>yes"
                                                                                             "</td>")
        out.append(f"<div class='block'><h3>{esc(label)}</h3><div class='compact'>{html}</div></div>")
        counted: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            for note in r.plan["assumptions"]:
                first, _, rest = note.partition(" ")
                if first.isdigit():
                    counted[rest].append(int(first))
                else:
                    counted[note].append(0)
        if counted:
            notes = [f"{rest} ({_span(n)} per plan)" if max(n) else rest for rest, n in sorted(counted.items())]
            out.append("<p class='muted'>Gaps in what the data says, taken as passable: " + esc("; ".join(notes))
                       + ".</p>")
        for r in rows:
            legs = [leg for leg in r.plan["legs"] if leg["kind"] in ("transfer", "wait", "air", "sea")]
            if not legs:
                continue
            steps = table(["at", "step", "what", "takes"],
                          [(hours_text(leg["start_h"]), leg["kind"], leg["name"],
                            hours_text(leg["end_h"] - leg["start_h"])) for leg in legs], (0, 3))
            alts = "; ".join(f"{'+'.join(a['modes'])}: " + (hours_text(a["complete_hours"]) if a["feasible"] else
                                                           "no plan") for a in r.answer.get("alternatives", []))
            out.append(f"<p><b>{esc(r.name)}</b>: the plan's waits and transfers (whole package after "
                       f"{esc(hours_text(r.plan['complete_hours']))}, the last vehicle through the narrowest "
                       f"element); alternatives by modes: {esc(alts) or 'none'}.</p><div class='compact'>{steps}</div>")
    if not out:
        return "<p>No corridor could be planned: no network with corridors is on this machine.</p>"
    out.append("<p class='muted'>Times: <i>ideal</i> ignores every element obstacle (posted limits, gauge breaks, "
               "border lead times, short runways); <i>first arrival</i> enforces all; <i>whole package</i> adds the "
               "rest of the package through the narrowest element with a stated capacity. An obstacle's cost is "
               "the time it adds when it alone is enforced on the ideal route; its saving, the time the plan gains "
               "when it alone is lifted and every other one kept (a bridge's detour saves nothing while a border "
               "wait absorbs it).</p>")
    return "\n".join(out)


def _segments(network: Network, ids: Sequence[str] | None = None) -> list[list[tuple[float, float]]]:
    places = network.places
    out = []
    for key in (ids if ids is not None else list(network.links)):
        link = network.links.get(key)
        if link is None:
            continue
        if link.line:
            out.append(list(link.line))
        elif link.u in places and link.v in places:
            a, b = places[link.u], places[link.v]
            out.append([(a.lon, a.lat), (b.lon, b.lat)])
    return out


def _gap(analysis: Analysis) -> str:
    gap = analysis.gap
    if gap is None:
        return ""
    return (f"<p>The Suwałki gap, the Polish-Lithuanian land corridor between Belarus and Russia's Kaliningrad exclave "
            f"that every land move into the Baltic states from Poland crosses, is <b>{gap.km:.1f} km</b> wide at its "
            f"narrowest (Natural Earth 1:50m; from {gap.point_a[1]:.2f}°N {gap.point_a[0]:.2f}°E to "
            f"{gap.point_b[1]:.2f}°N {gap.point_b[0]:.2f}°E).</p>")


def _map(analysis: Analysis) -> str:
    """The two maps: the gauge-break test network with the Suwałki gap, and the German corridors' plans."""
    return _gauge_map(analysis) + _rail_map(analysis)


def _rail_map(analysis: Analysis) -> str:
    from matplotlib.collections import LineCollection

    rail = analysis.networks.get("de-rail")
    if rail is None:
        return ""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 7.4))
    ax.add_collection(LineCollection(_segments(rail), colors="#bbbbbb", linewidths=0.35))
    rows = [r for r in analysis.corridors if r.network == "de-rail"]
    for n, r in enumerate(rows):
        colour = CORRIDOR_COLOURS[n % len(CORRIDOR_COLOURS)]
        ids = [leg["id"] for leg in r.plan["legs"] if leg["kind"] == "link"]
        ax.add_collection(LineCollection(_segments(rail, ids), colors=colour, linewidths=1.8, alpha=0.85,
                                         label=r.name))
        for end in (r.plan["origin"], r.plan["destination"]):
            ax.plot(end["lon"], end["lat"], "o", color=colour, ms=4)
    borders = [p for p in rail.places.values() if p.kind == "border"]
    ax.plot([p.lon for p in borders], [p.lat for p in borders], "k^", ms=3, label="RINF border point")
    ax.set_xlim(5.6, 15.4)
    ax.set_ylim(47.2, 55.2)
    ax.set_aspect(1 / 0.62)
    ax.legend(loc="lower left", fontsize=6.5, framealpha=0.9)
    ax.set_title("German rail (RINF 2022): the corridors' plans for the package", fontsize=9)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    return figure(fig, "The German RINF rail graph (grey: straight lines between operational points, as the register "
                  "gives no geometry), each corridor's plan for the package (colour) and the register's border points "
                  "(triangles). Longitude and latitude in degrees.", dpi=150)


def _gauge_map(analysis: Analysis) -> str:
    test = analysis.networks.get("gauge-test")
    if test is None:
        return ""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 4.7))
    countries = analysis.countries
    if countries is not None:
        from kompas.mobility.geography import kaliningrad

        fills = {"POL": "#f4f4f4", "LTU": "#eef3f8", "BLR": "#eadcdc", "RUS": "#eadcdc"}
        for code, colour in fills.items():
            try:
                shape = countries.geometry(code, kaliningrad)
            except ValueError:
                continue
            for poly in getattr(shape, "geoms", [shape]):
                x, y = poly.exterior.xy
                ax.fill(x, y, facecolor=colour, edgecolor="#666", linewidth=0.7)
        for code, lon, lat in (("POLAND", 22.4, 53.95), ("LITHUANIA", 23.2, 55.15), ("BELARUS", 24.5, 53.75),
                               ("RUSSIA\n(Kaliningrad)", 22.25, 54.9)):
            ax.text(lon, lat, code, fontsize=7, color="#555", ha="center")
    for link in test.links.values():
        colour = GAUGE_COLOURS.get(link.gauge_mm or 0, "#555555")
        style = "-" if link.mode == "rail" else "--"
        for line in _segments(test, [link.id]):
            ax.plot([p[0] for p in line], [p[1] for p in line], style, color=colour, lw=1.8)
    gap = analysis.gap
    if gap is not None:
        ax.plot([gap.point_a[0], gap.point_b[0]], [gap.point_a[1], gap.point_b[1]], ":", color="#e07000", lw=2.4)
        ax.annotate(f"Suwałki gap {gap.km:.1f} km", (gap.point_a[0], gap.point_a[1]), fontsize=7.5,
                    color="#e07000", xytext=(4, -16), textcoords="offset points")
    for place in test.places.values():
        ax.plot(place.lon, place.lat, "k.", ms=3)
    for pid in ("test:suwalki-barracks", "test:sestokai-1435", "test:kaunas-station", "test:rukla"):
        named = test.places.get(pid)
        if named is not None:
            ax.annotate(named.name.replace(" (illustrative)", "").replace(" (1435 mm side)", ""),
                        (named.lon, named.lat), fontsize=7, xytext=(5, 3), textcoords="offset points")
    for r in (r for r in analysis.corridors if r.network == "gauge-test"):
        for n, o in enumerate(r.plan["obstacles"]):
            ax.plot(o["lon"], o["lat"], "X", color="#c8102e", ms=8)
            ax.annotate(f"{o['kind']} {_cost(o)}", (o["lon"], o["lat"]), fontsize=7, color="#c8102e",
                        xytext=LABEL_OFFSETS.get(o["kind"], (8, -12 - 9 * n)), textcoords="offset points")
    ax.plot([], [], "-", color=GAUGE_COLOURS[1435], label="rail 1435 mm")
    ax.plot([], [], "-", color=GAUGE_COLOURS[1520], label="rail 1520 mm")
    ax.plot([], [], "--", color="#555555", label="road")
    ax.plot([], [], "X", color="#c8102e", label="obstacle (cost when enforced alone)")
    ax.plot([], [], ":", color="#e07000", label="Suwałki gap (Belarus – Kaliningrad)")
    ax.legend(loc="lower left", fontsize=6.5, framealpha=0.95)
    ax.set_xlim(21.4, 25.6)
    ax.set_ylim(53.3, 55.35)
    ax.set_aspect(1 / 0.58)
    ax.set_title("Gauge-break test network (ILLUSTRATIVE, not real data) and the Suwałki gap", fontsize=9)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    return figure(fig, "The ILLUSTRATIVE Suwałki – Kaunas test network (rail by gauge, roads dashed; invented limits), "
                  "its obstacles with their costs, and the Suwałki gap: the shortest distance between Belarus and "
                  "Russia's Kaliningrad exclave on Natural Earth 1:50m (bundled simplified copy; geodesic on WGS84). "
                  "Longitude and latitude in degrees.", dpi=150)


def groups(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked elements grouped as a planner reads them: line sections by their line, operational points together;
    each group with its elements, the corridors broken, the largest hours added, in ranking order."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for x in items:
        key = ("link", x["name"]) if x["kind"] == "link" else (x["kind"], "")
        group = found.setdefault(key, {"kind": key[0], "line": key[1], "elements": [], "failed": [],
                                       "added_hours": 0.0, "corridors": []})
        group["elements"].append(x)
        group["failed"] = sorted(set(group["failed"]) | set(x["failed"]))
        group["corridors"] = sorted(set(group["corridors"]) | set(x["corridors"]))
        group["added_hours"] = max(group["added_hours"], float(x["added_hours"]))
    return list(found.values())


def _what(group: dict[str, Any]) -> str:
    elements = group["elements"]
    if group["kind"] == "link":
        first = elements[0]["section"] or elements[0]["element"]
        return first + (f" and {len(elements) - 1} more sections" if len(elements) > 1 else "")
    names = [x["name"] for x in elements]
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return f"{len(names)} {group['kind']}s: {shown}"


def _read(count: int) -> str:
    from kompas.services.mobility_report import RANK_LIMIT

    if count >= RANK_LIMIT:
        return f"the ranking is read to its first {count:,} elements, the breaking ones first; more elements"
    return f"{count:,} elements"


def _resilience(analysis: Analysis) -> str:
    ranking = analysis.ranking
    if ranking is None:
        return f"<p>Not run: {esc(analysis.missing.get('de-rail', 'the German rail network is not at hand'))}.</p>"
    items = ranking["ranking"]
    breaking = [x for x in items if x["failed"]]
    slowing = [x for x in items if not x["failed"] and x["added_hours"] > 0]
    broken = groups(breaking)
    slowed = sorted(groups(slowing), key=lambda g: -g["added_hours"])
    lines = [g for g in broken if g["kind"] == "link"]
    points = sum(len(g["elements"]) for g in broken if g["kind"] != "link")
    sections = sum(len(g["elements"]) for g in lines)
    out = [f"<p>Ranked over the {len(ranking['corridors'])} German corridors for the package (the incremental "
           "ranking of kompas.mobility.stress: an element is re-searched only for the corridors whose fastest path "
           f"uses it; {_read(len(items))} change a corridor when lost). <b>{sections:,} line sections of "
           f"{len(lines):,} lines and {points:,} operational points each break at least one corridor</b>: the "
           "register's graph has no other path past them (mostly the single-track approaches to the corridors' "
           "ends).</p>"]
    if broken:
        rows = [(g["line"] or "operational points", len(g["elements"]), _what(g), "; ".join(g["failed"]))
                for g in broken[:SHOWN_RANKS]]
        out.append("<div class='compact'>" + table(["line", "elements", "which", "corridors broken"], rows, (1,))
                   + "</div>")
        if len(broken) > SHOWN_RANKS:
            out.append(f"<p class='muted'>and {len(broken) - SHOWN_RANKS} more groups (not listed).</p>")
    if slowed:
        slow_rows = [(g["line"] or "operational points", len(g["elements"]), _what(g), hours_text(g["added_hours"]),
                      "; ".join(g["corridors"])) for g in slowed[:SHOWN_SLOWS]]
        out.append("<p>Elements whose loss slows corridors without breaking one (the detour's hours, summed over the "
                   "corridors; the largest in each group):</p><div class='compact'>"
                   + table(["line", "elements", "which", "added", "corridors"], slow_rows, (1, 3)) + "</div>")
    out.append("<p class='muted'>The ranking leaves border waits out (it is about the network, not the permission "
               "calendar). The RINF extract is a graph of operational points: a line section stands for the "
               "bridges and tunnels on it, which the extract does not list.</p>")
    return "\n".join(out)


def _airfields(analysis: Analysis) -> str:
    fields = analysis.airfields
    if fields is None:
        return f"<p>Not run: {esc(analysis.missing.get('airfields', 'the airfield data is not at hand'))}.</p>"
    countries = list(fields["by_country"])
    rows = [[name, *[counts[c] for c in countries], sum(counts.values()), fields["rules"][name]]
            for name, counts in fields["counts"].items()]
    rows.append(["airfields (all)", *[fields["by_country"][c] for c in countries], fields["fields"], ""])
    counts_table = table(["aircraft", *countries, "total", "runway rule used (source)"], rows,
                         tuple(range(1, len(countries) + 2)))
    longest = table(["airfield", "country", "longest open runway", "length m", "width m", "surface"],
                    [(f"{r['name']} ({r['id'].removeprefix('icao:')})", r["country"], r["runway"],
                      f"{r['length_m']:,.0f}", "" if r["width_m"] is None else f"{r['width_m']:,.0f}", r["surface"])
                     for r in fields["longest"]], (3, 4))
    per_country = "; ".join(f"{c} {r['name']} {r['length_m']:,.0f} m" for c, r in
                            sorted(fields["longest_by_country"].items()))
    return (f"<p>Airfields in {', '.join(countries)} with at least one runway (OurAirports runways joined to "
            f"airportsdata by ICAO code: runways.airport_ident = airports.icao), counted as able to take an aircraft "
            f"when one open runway meets its rule (length and width; paved unless the aircraft may use unpaved "
            f"strips). {fields['rejections']:,} rows of the two files could not be used (mostly runways with no "
            "length; each is a rejection of <code>kompas.mobility.airfields</code> naming its line).</p>"
            f"<div class='compact'>{counts_table}</div>"
            f"<p>The longest open runway per country: {esc(per_country)}.</p><div class='compact'>{longest}</div>"
            "<p class='muted'>The rules are planning minimums at a stated mass; a heavier load needs a longer "
            "runway, and runway strength (PCN) and parking space are not in the open data.</p>")


def _coverage_table(found: Coverage) -> str:
    from kompas.mobility.coverage import TAGS

    rows = []
    for tag in TAGS:
        row = found.get(tag)
        if row is None:
            continue
        rows.append((tag, f"{row.tagged:,} of {row.links:,}", f"{100 * row.share:.1f}%",
                     f"{row.tagged_km:,.1f} of {row.km:,.1f}", f"{100 * row.km_share:.1f}%", row.unreadable))
    return table(["tag", "links with a value", "share", "km with a value", "share of km", "unreadable"], rows,
                 (1, 2, 3, 4, 5))


def _coverage(analysis: Analysis) -> str:
    out: list[str] = []
    for name, found in analysis.coverage.items():
        counts = analysis.coverage_counts.get(name, {})
        areas = [a for a in found.areas if a != "all"]
        by_area = []
        for area in areas:
            cells = []
            for tag in ("weight_or_mlc", "maxheight", "maxspeed"):
                row = found.get(tag, "all", area)
                cells.append("-" if row is None else f"{100 * row.share:.1f}% of {row.links:,}")
            by_area.append((area, *cells))
        out.append(f"<h3>OpenStreetMap sample: {esc(name)} ({counts.get('links', 0):,} links)</h3>"
                   f"<div class='compact'>{_coverage_table(found)}</div>"
                   f"<p>Road bridges with no weight limit or MLC: <b>{len(found.open_bridges)} of {found.bridges}</b>"
                   f" ({found.open_bridge_km:,.1f} km). Per grid cell of {found.cell_deg:g}° (south-west corner):</p>"
                   + "<div class='compact'>" + table(["cell", "weight or MLC", "maxheight", "maxspeed"], by_area)
                   + "</div>")
    for name in ("helsinki", "kotka"):
        if name in analysis.missing:
            out.append(f"<p>OSM sample {esc(name)}: not on this machine ({esc(analysis.missing[name])}).</p>")
    rinf = analysis.rinf
    if rinf is not None:
        out.append(f"<h3>German rail register (RINF 2022 extract)</h3><p>{rinf['places']:,} operational points "
                   f"({rinf['borders']} border points), {rinf['links']:,} line sections, {rinf['km']:,.0f} km. A "
                   f"speed on {100 * rinf['speed'] / max(1, rinf['links']):.0f}% of the sections; gauge on "
                   f"{rinf['gauge']}, electrification on {rinf['electrified']}, axle load on {rinf['axle']}: the "
                   "extract kept only line numbers, speeds and kilometres (no gauge, axle load, loading gauge, "
                   "train length or electrification), so no rail load limit can be checked on it. "
                   f"<b>The graph falls into {rinf['components']} connected components</b> over the "
                   f"{rinf['linked_places']:,} points with a section; the largest holds {rinf['largest']:,} of the "
                   f"{rinf['places']:,} points (then {', '.join(f'{s:,}' for s in rinf['sizes'][1:6])}...); "
                   f"{rinf['unlinked_places']:,} points have no section at all. A corridor between components has "
                   "no plan on this graph though the real network joins them.</p>")
        broken = rinf.get("broken_lines") or []
        if broken:
            shown = "; ".join(f"{esc(b['line'])} {esc(b['name'])} ({b['parts']} pieces)" for b in broken[:12])
            out.append(f"<p><b>{len(broken)} lines fall apart in the extract</b> (their own sections form more than "
                       f"one piece: a section is missing, or registered under another line), e.g. {shown}. A plan that "
                       "needs a missing section takes the long way round or has none: read the corridors' routes "
                       "with this in mind" + (" (line 1740 Bremen – Bremerhaven, for one, stops at Oldenbüttel, so "
                       "Bremerhaven's corridors leave by Cuxhaven)" if any(b["line"] == "1740" for b in broken)
                       else "") + ".</p>")
    out.append("<p class='muted'>Coverage counts the links a tag applies to (road limits on road links, gauge and "
               "electrification on rail links, speed on both) and how many carry a readable value; an unreadable "
               "value counts as none. Unknown is not unlimited: the plans take unknown limits as passable and say "
               "so.</p>")
    return "\n".join(out)


def _candidates(analysis: Analysis) -> str:
    out: list[str] = []
    if analysis.candidates:
        rows = [(n, c.project, c.name + (" (assumed entry)" if c.assumed else ""), c.reason,
                 "opens the corridor" if c.blocks else hours_text(c.hours), len(c.corridors))
                for n, c in enumerate(analysis.candidates[:SHOWN_CANDIDATES], 1)]
        out.append("<p>The obstacles on the corridors ranked by the hours their removal alone would save the plans, "
                   "summed over the corridors (an obstacle whose removal alone opens a blocked corridor first). A "
                   "lead time's saving is the whole "
                   "wait, as if permission were immediate: the Compass sets no number of days for 2025, so the "
                   "saving of meeting its target cannot be computed until one is set.</p><div class='compact'>"
                   + table(["#", "project", "element", "why", "hours saved", "corridors"], rows, (0, 4, 5))
                   + "</div>")
    else:
        out.append("<p>No obstacle found on the corridors planned.</p>")
    if analysis.runway_candidates:
        chosen = runway_rows(analysis.runway_candidates)
        rows2 = [(r["aircraft"], f"{r['name']} ({r['id'].removeprefix('icao:')})", r["country"],
                  f"{r['length_m']:,.0f}", f"{math.ceil(r['short_m']):,}") for r in chosen]
        counts = ", ".join(f"{a} {n}" for a, n in _count(analysis.runway_candidates).items())
        out.append(f"<p>Runways to lengthen: airfields an aircraft cannot use whose longest open runway of sufficient "
                   f"width is at most {_near():,.0f} m short of its rule ({counts}). The eastern flank first (LT, LV, "
                   f"EE, PL, FI), then the smallest shortfall, at most {RUNWAYS_PER_AIRCRAFT} per aircraft:</p>"
                   "<div class='compact'>" + table(["aircraft", "airfield", "country", "runway m", "short by m"],
                                                   rows2, (3, 4)) + "</div>")
    out.append("<p class='muted'>Candidates are what the data shows; bridges without any stated limit (see "
               "coverage) are the larger unknown, and surveying them is itself a dual-use project.</p>")
    return "\n".join(out)


EAST = ("LT", "LV", "EE", "PL", "FI")  #: the eastern flank, first among the runway candidates
RUNWAYS_PER_AIRCRAFT = 4


def runway_rows(near: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The runway candidates shown: per aircraft (the heavy lifters first), the eastern flank first, then the
    smallest shortfall, at most :data:`RUNWAYS_PER_AIRCRAFT` each."""
    out: list[dict[str, Any]] = []
    for plane in ("C-17A", "A400M", "C-130J-30"):
        mine = sorted((r for r in near if r["aircraft"] == plane),
                      key=lambda r: (r["country"] not in EAST, r["short_m"], r["id"]))
        out.extend(mine[:RUNWAYS_PER_AIRCRAFT])
    return out


def _count(near: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in near:
        counts[r["aircraft"]] += 1
    return dict(sorted(counts.items()))


def _near() -> float:
    from kompas.services.mobility_report import NEAR_RUNWAY_M

    return NEAR_RUNWAY_M


def _method(analysis: Analysis) -> str:
    items = "".join(f"<li>{esc(text)}</li>" for text in attribution(analysis))
    return ("<p>Plans: a label-setting search over (place, mode, rail gauge) states (kompas.mobility.route); "
            "road and rail at the lower of the package's and the posted speed; transfers at their stated hours; "
            "a border wait until the entered country's lead time has run from the start. Obstacles are found on the "
            "ideal route and each costed by enforcing it alone. Resilience: SciPy's Dijkstra over the static state "
            "graph, re-searching a corridor only for the elements on its fastest path (kompas.mobility.stress). "
            "Airfields: the runway rule of kompas.mobility.airfields with each aircraft's cited minimum. Coverage: "
            "kompas.mobility.coverage.</p>"
            f"<p class='ill'>{esc(ILLUSTRATIVE)}</p><p><b>Sources and licences</b></p><ul>{items}</ul>"
            + ("<p class='muted'>OpenStreetMap data is available under the Open Database Licence; the samples are "
               "read from the shared data at run time and not redistributed with Kompas.</p>" if analysis.coverage
               else ""))


def build(analysis: Analysis, banner: str, handling: str = "") -> str:
    """The report page for ``analysis`` with ``banner`` (and ``handling``) on every page."""
    line = banner + (f" \u2014 {handling}" if handling else "")
    title = f"Military mobility: the 2022 analysis, as of {analysis.as_of.isoformat()}"
    key = "".join(f"<li>{esc(text)}</li>" for text in findings(analysis))
    body = [f"<div class='pagefoot'><div class='line'>{esc(line)}</div><p>{esc(footer(analysis))}</p></div>",
            f"<h1>{esc(title)}</h1>",
            f"<p class='muted'>Prepared {esc(analysis.as_of.isoformat())} for the package "
            f"{esc(analysis.package['name'])}; marking {esc(banner)}.</p>",
            "<h2>1. Purpose and key findings</h2>", _purpose(analysis), f"<div class='key'><ul>{key}</ul></div>",
            "<h2>2. Inputs</h2>", _inputs(analysis),
            "<h2 class='part'>3. Corridors: can the package move, how long, what stops it</h2>", _corridors(analysis),
            "<h2>4. Map</h2>", _gap(analysis), _map(analysis),
            "<h2 class='part'>5. Resilience: what the corridors cannot lose</h2>", _resilience(analysis),
            "<h2>6. Airfields per aircraft</h2>", _airfields(analysis),
            "<h2 class='part'>7. Coverage: how much the open data says</h2>", _coverage(analysis),
            "<h2>8. Dual-use project candidates</h2>", _candidates(analysis),
            "<h2>9. Method, sources and caveats</h2>", _method(analysis)]
    page = document.page(title, "\n".join(body), banner, handling)
    style = _CSS.format(colour=document.banner_colour(banner))
    return page.replace("</head>", f"<style>{style}</style></head>", 1)
