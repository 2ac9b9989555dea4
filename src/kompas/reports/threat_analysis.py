"""The integrated EU threat analysis (issue 26, deliverable 7): one report, HTML and PDF from the same page
(:mod:`kompas.reports.document`), that the Strategic Compass asks to be repeated at least every three years
(commitments SC-001 and SC-051 of the register).

:func:`build` writes the page from :class:`Inputs` (gathered for one reader by
:mod:`kompas.services.threat_analysis`): no database and no file is read here. Sections:

1. key points: the headline figures of every section, and when the next edition is due;
2. armed conflict (UCDP/PRIO Armed Conflict Dataset): state-based armed conflicts and wars per year, by type of
   conflict and by region;
3. military expenditure (SIPRI's fair-use extract): the world total in constant 2022 US$, the regions, the EU27
   member states' sum and the largest spenders, cited as SIPRI requires (its citation and the note that changes,
   shares and sums are Kompas's calculations);
4. climate-security exposure: the watchlist (ND-GAIN, IPC, UCDP: :mod:`kompas.context.watchlist`), its top rows
   explained and the changes since the previous edition;
5. early warning of armed conflict (:mod:`kompas.services.warning`): the highest-risk countries of the latest
   forecast window the data allow, the warnings raised and the evaluation of the models (CRPS, IGN, MIS) on the
   latest window with outcomes; or, when not included, why;
6. the fused picture (:mod:`kompas.services.fusion`): the events the reader may see on the platform across
   domains, counted by domain and severity, and the situations linking them;
7. the domains' threat landscapes: per domain, the events stored on the platform in the period (by type and
   severity, against the period before) and the most severe ones, with the command that writes the domain's own
   report;
8. key judgements: those of the assessments the reader may see, in ICD 203 words with their probability bands,
   confidence and whether resolved;
9. cadence: this edition, the editions recorded before it, and when the next is due (the register's next due date
   after this edition, or this edition + 3 years when earlier: :attr:`Cadence.due`);
10. method, sources and licences.

Every printed page carries the banner (the combination of everything read from the platform: events, situations,
assessments, status notes; UNCLASSIFIED // TLP:CLEAR for public data alone; a banner given by hand may raise it,
never lower it: :func:`kompas.services.reports.banner_for`) at the top and bottom, and in its running footer the
attribution of every data set the edition used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

if TYPE_CHECKING:
    from kompas.context.sipri import Sipri
    from kompas.context.ucdp import ConflictYear
    from kompas.context.watchlist import Watchlist

TITLE = "Integrated EU threat analysis"
CADENCE_YEARS = 3  #: The Compass: the threat analysis is repeated at least every three years.
COMMITMENTS = ("SC-001", "SC-051")  #: The register's commitments this report delivers.
FIRST_CONFLICT_YEAR = 1946
RECENT_YEARS = 10  #: Years in the armed-conflict table.
TOP_SPENDERS = 12  #: Rows of the largest spenders.
WATCHLIST_ROWS = 15  #: Watchlist rows shown.
WARNING_ROWS = 12  #: Forecast rows shown.
WARNINGS_SHOWN = 15  #: Warnings listed.
SITUATIONS_SHOWN = 10  #: Situations listed.
TYPES_SHOWN = 8  #: Event types listed per domain.
EVENTS_SHOWN = 5  #: Most severe events listed per domain.
UCDP_REGIONS = {1: "Europe", 2: "Middle East", 3: "Asia", 4: "Africa", 5: "Americas"}
REGION_COLOURS = {1: "#1f77b4", 2: "#ff7f0e", 3: "#2ca02c", 4: "#d62728", 5: "#9467bd"}
TYPE_COLOURS = {"extrasystemic": "#bbbbbb", "interstate": "#d62728", "intrastate": "#1f77b4",
                "internationalised intrastate": "#ff7f0e"}
#: The top-level regions of SIPRI's regional totals (the other rows are their subregions).
SIPRI_REGIONS = ("Africa", "Americas", "Asia & Oceania", "Europe", "Middle East")
SEVERITY_COLOURS = {"high": "#c8102e", "medium": "#ff9f1c", "low": "#9e9e9e"}
#: What each domain's events are and the command that writes the domain's own report.
DOMAINS: dict[str, tuple[str, str, str]] = {
    "space": ("Space", "proximity operations, manoeuvres, fragmentations, re-entries and conjunctions of objects "
                       "in orbit", "kompas space report (POST /api/v1/reports/threat-landscape)"),
    "fimi": ("Foreign information manipulation and interference", "FIMI incidents and their DISARM techniques",
             "kompas fimi report (POST /api/v1/reports/fimi)"),
    "cyber": ("Cyber", "cyber incidents, indicator sightings and exposures of declared assets",
              "kompas cyber report (POST /api/v1/reports/cyber)"),
    "infra": ("Critical infrastructure", "incidents on submarine cables, interconnectors, landing stations and "
                                         "exchanges", "kompas infra report (POST /api/v1/reports/infra)"),
    "maritime": ("Maritime", "vessel behaviour at sea: going dark, loitering, drift, anchor drags, encounters, "
                             "alerts near undersea infrastructure",
                 "kompas maritime report (POST /api/v1/reports/maritime)"),
    "intel": ("Intelligence and early warning", "contributed intelligence events and conflict warnings raised by "
                                                "the forecasts", "kompas intel picture; kompas warning"),
    "mobility": ("Military mobility", "events on military mobility corridors", ""),
    "forces": ("Forces", "events concerning deployed forces and missions", ""),
    "isac": ("Information sharing (ISACs)", "events shared by sectoral information sharing and analysis centres",
             ""),
}
#: Large commercial communications constellations (the first word of an object's name, upper case) whose
#: manoeuvres are routine orbit raising, station keeping and lowering for disposal: counted, never listed one by one.
CONSTELLATIONS = {"STARLINK": "Starlink", "ONEWEB": "OneWeb", "KUIPER": "Kuiper", "QIANFAN": "Qianfan",
                  "HULIANWANG": "Guowang (Hulianwang)"}
ROUTINE_RULE = ("A space manoeuvre is routine when its object belongs to a large commercial communications "
                "constellation, recognised by the first word of the object's name (" + ", ".join(CONSTELLATIONS)
                + "): their satellites raise, keep and lower their orbits all the time. Routine manoeuvres are "
                "counted by type and severity with the domain but summed up in one line per constellation, left "
                "out of the most severe events and the key points' figures of notable events, and situations made "
                "of them alone (or of them and the re-entry of the same satellites, lowered for disposal) are one "
                "line per constellation. Every other space event (other objects' manoeuvres, proximity operations, "
                "fragmentations, re-entries, GEO drifts) is notable.")
PLATFORM_ATTRIBUTION = ("Events, situations, assessments and status notes: contributed on the Kompas platform by "
                        "its member organisations, under the markings the banner combines.")

_CSS = """
@page {{ margin: 18mm 14mm 40mm;
  @bottom-right {{ content: none; }}
  @top-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }}
  @bottom-center {{ content: element(pagefoot); width: 182mm; vertical-align: top; padding-top: 2mm; }} }}
.pagefoot {{ position: running(pagefoot); font: 5.6pt/1.25 "DejaVu Sans", sans-serif; color: #333; }}
.pagefoot .line {{ text-align: center; font: bold 8.5pt sans-serif; color: {colour}; margin-bottom: 1.2mm; }}
.pagefoot p {{ margin: 0; }}
@media screen {{ .pagefoot {{ font-size: 8pt; margin: 0.4em 0 1em; }} .pagefoot .line {{ display: none; }} }}
.compact table {{ font-size: 7.6pt; margin: 0.2em 0 0.4em; width: 100%; }}
.compact td, .compact th {{ padding: 1px 3px; }}
p.more {{ font-size: 8pt; color: #555; margin: 0 0 0.5em; }}
.note {{ border-left: 4px solid #888; padding: 0.2em 0.8em; background: #f4f4f4; }}
.cite {{ font-size: 8.5pt; color: #333; border-top: 1px solid #ccc; padding-top: 0.3em;
  break-inside: avoid; break-before: avoid; page-break-before: avoid; }}
h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
h2.part {{ break-before: page; }}
.keep {{ break-inside: avoid; page-break-inside: avoid; }}
tr {{ break-inside: avoid; }}
"""


@dataclass(frozen=True)
class Cadence:
    """This edition and the editions before it, as the register sees them."""

    edition: date  #: this edition's date (the report's as-of date)
    next_due: date  #: at the latest: this edition + :data:`CADENCE_YEARS` years (see :attr:`due`)
    previous: tuple[tuple[date, str], ...] = ()  #: (as-of, evidence) of earlier editions' notes the reader may see
    schedule: Mapping[str, date | None] = field(default_factory=dict)  #: commitment -> the register's next due date
    recorded: bool = False  #: whether this edition is recorded as status notes on :data:`COMMITMENTS`
    evidence: str = ""  #: the evidence text recorded (or that would be)

    @property
    def due(self) -> date:
        """When the next edition is due: the register's next due date after this edition (the earliest of
        :data:`COMMITMENTS`), or this edition + :data:`CADENCE_YEARS` years when that is earlier or the register
        has none."""
        dates = [d for d in self.schedule.values() if d is not None]
        return min([*dates, self.next_due])

    @property
    def due_rule(self) -> str:
        """Which rule gives :attr:`due`: ``register`` or ``three years``."""
        dates = [d for d in self.schedule.values() if d is not None]
        return "register" if dates and min(dates) <= self.next_due else "three years"

    @property
    def last(self) -> date | None:
        """The latest earlier edition, or None."""
        return max((d for d, _ in self.previous if d < self.edition), default=None)


@dataclass
class Inputs:
    """Everything one edition shows, gathered for one reader. A section's data is None when it could not be
    read; ``missing[section]`` says why (the section then says so)."""

    as_of: date
    since: date  #: the first day of the platform period (the last day is ``as_of``)
    cadence: Cadence
    conflicts: Sequence[ConflictYear] | None = None
    sipri: Sipri | None = None
    watchlist: Watchlist | None = None
    warning: Mapping[str, Any] | None = None  #: :func:`kompas.services.threat_analysis.early_warning`'s answer
    picture: Mapping[str, Any] | None = None  #: :func:`kompas.services.fusion.picture`'s answer (events dropped)
    domains: Sequence[Mapping[str, Any]] = ()  #: per-domain summaries of the platform's events
    judgements: Sequence[Mapping[str, Any]] = ()  #: key judgements of the assessments used
    assessments: int = 0  #: assessments the judgements come from
    product_line: str = ""  #: the product line the assessments were chosen from ("" all)
    events_read: int = 0  #: platform events counted in the period (the reader's view)
    #: :func:`kompas.services.threat_analysis.recorded_warnings`'s answer: the conflict warnings recorded on the
    #: platform for the window of the report date (else the latest), whatever the platform period; None: no platform
    recorded: Mapping[str, Any] | None = None
    missing: dict[str, str] = field(default_factory=dict)


def constellation(name: str) -> str:
    """The large constellation (its label in :data:`CONSTELLATIONS`) an object named ``name`` belongs to, or ""
    (``STARLINK-1234`` -> ``Starlink``; the first word, split at a space or hyphen)."""
    first = name.strip().upper().replace("-", " ").split(" ", 1)[0] if name.strip() else ""
    return CONSTELLATIONS.get(first, "")


def routine(domain: str, kind: str, actors: Sequence[Mapping[str, Any]] | None) -> str:
    """The constellation whose routine manoeuvre an event is (:data:`ROUTINE_RULE`: a space ``manoeuvre`` of an
    object of a large constellation), or "" for a notable event."""
    if domain != "space" or kind != "manoeuvre" or not actors:
        return ""
    return constellation(str(actors[0].get("name") or ""))


def routine_situation(s: Mapping[str, Any]) -> str:
    """The constellation when a situation is made of routine manoeuvres alone (possibly with the re-entry of the
    same satellites after lowering for disposal): its types ``space/manoeuvre`` (and ``space/reentry``), every actor
    listed of one large constellation and none left unlisted; else ""."""
    types = set(s.get("types", []))
    if "space/manoeuvre" not in types or not types <= {"space/manoeuvre", "space/reentry"}:
        return ""
    actors = list(s.get("actors", []))
    if not actors or s.get("actors_total", len(actors)) > len(actors):
        return ""
    found = {constellation(str(a.get("name") or "")) for a in actors}
    return found.pop() if len(found) == 1 and "" not in found else ""


def notable_counts(domains: Sequence[Mapping[str, Any]]) -> tuple[int, int, int]:
    """(events, routine manoeuvres, notable events of high severity) over ``domains``' summaries."""
    events = sum(d["events"] for d in domains)
    routine_events = sum(r["events"] for d in domains for r in d.get("routine", []))
    high = sum(d["severity"].get("high", 0) for d in domains) - sum(
        r["severity"].get("high", 0) for d in domains for r in d.get("routine", []))
    return events, routine_events, high


def _routine_line(d: Mapping[str, Any]) -> str:
    parts = [f"{count(r['events'], 'routine manoeuvre')} by {r['label']} ({count(r['objects'], 'object')}; "
             f"{r['severity'].get('high', 0):,} high, {r['severity'].get('medium', 0):,} medium, "
             f"{r['severity'].get('low', 0):,} low)" for r in d.get("routine", [])]
    return "; ".join(parts)


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _pct(fraction: float | None, digits: int = 1, signed: bool = True) -> str:
    if fraction is None:
        return "-"
    return f"{100 * fraction:{'+' if signed else ''}.{digits}f} %"


def count(n: int, singular: str, plural: str = "") -> str:
    """``1 event``, ``2 events`` (``plural`` for an irregular one)."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def _more(shown: int, total: int, what: str) -> str:
    return f"<p class='more'>and {total - shown:,} more {esc(what)} (not listed)</p>" if total > shown else ""


def _unavailable(inputs: Inputs, key: str, what: str) -> str:
    reason = inputs.missing.get(key, "not read")
    return f"<p class='note'>{esc(what)}: not in this edition ({esc(reason)}).</p>"


# --- armed conflict (UCDP) ------------------------------------------------------------------------------------------


def conflict_years(rows: Sequence[ConflictYear], as_of: date) -> list[int]:
    """The years an edition as of ``as_of`` shows: those of the data up to the year before ``as_of`` (a year is
    counted once it is over)."""
    return sorted({r.year for r in rows if r.year <= as_of.year - 1})


def conflict_figures(rows: Sequence[ConflictYear], as_of: date) -> dict[str, Any]:
    """The armed-conflict figures of the edition: per year (up to the year before ``as_of``) the state-based
    conflicts, the wars (intensity 2), by type and by UCDP region (a conflict counted once in each region it names),
    and the last year's."""
    from kompas.context import ucdp

    years = conflict_years(rows, as_of)
    shown = [r for r in rows if r.year in set(years)]
    per_year = ucdp.conflicts_per_year(shown)
    wars = ucdp.wars_per_year(shown)
    types = ucdp.by_type_per_year(shown)
    regions: dict[int, dict[int, int]] = {y: dict.fromkeys(UCDP_REGIONS, 0) for y in years}
    for r in shown:
        for code in dict.fromkeys(r.region):
            if code in UCDP_REGIONS:
                regions[r.year][code] += 1
    last = years[-1] if years else None
    return {"years": years, "conflicts": per_year, "wars": wars, "types": types, "regions": regions, "last": last}


def _conflict_chart(f: Mapping[str, Any]) -> str:
    from kompas.context.ucdp import TYPES

    plt = pyplot()
    years = f["years"]
    fig, ax = plt.subplots(figsize=(9, 3.6), constrained_layout=True)
    bottom = [0] * len(years)
    for name in TYPES.values():
        values = [f["types"].get(y, {}).get(name, 0) for y in years]
        drawn = [k for k, v in enumerate(values) if v]  # no empty bars (fewer patches to draw)
        ax.bar([years[k] for k in drawn], [values[k] for k in drawn], bottom=[bottom[k] for k in drawn], width=0.85,
               color=TYPE_COLOURS[name], label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(years, [f["wars"].get(y, 0) for y in years], color="black", lw=1.4, marker="o", ms=2,
            label="wars (at least 1,000 battle-related deaths in the year)")
    last = f["last"]
    ax.annotate(f"{f['conflicts'][last]} in {last}\n({f['wars'][last]} wars)", (last, f["conflicts"][last]),
                xytext=(-70, 6), textcoords="offset points", fontsize=8,
                arrowprops={"arrowstyle": "-", "lw": 0.6})
    ax.set_xlim(years[0] - 1, years[-1] + 1)
    ax.set_ylabel("active conflicts in the year")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=7, ncols=3, loc="upper left")
    return figure(fig, f"State-based armed conflicts per year {years[0]}-{years[-1]} by type of conflict, and the "
                       "wars among them (UCDP/PRIO Armed Conflict Dataset v24.1; counts: Kompas).")


def _region_chart(f: Mapping[str, Any]) -> str:
    plt = pyplot()
    years = f["years"]
    fig, ax = plt.subplots(figsize=(9, 2.9), constrained_layout=True)
    for code, name in UCDP_REGIONS.items():
        ax.plot(years, [f["regions"][y][code] for y in years], color=REGION_COLOURS[code], lw=1.3, label=name)
    ax.set_xlim(years[0] - 1, years[-1] + 1)
    ax.set_ylabel("active conflicts")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncols=5, loc="upper left")
    return figure(fig, "State-based armed conflicts per year by UCDP region (the region of the conflict's location; "
                       "a conflict in two regions counts in both).")


def _conflicts(inputs: Inputs) -> str:
    from kompas.context import ucdp
    from kompas.context.ucdp import TYPES

    if not inputs.conflicts:
        return _unavailable(inputs, "conflicts", "The armed-conflict section (UCDP)")
    f = conflict_figures(inputs.conflicts, inputs.as_of)
    if not f["years"]:
        return f"<p class='note'>UCDP has no year before {inputs.as_of.year}.</p>"
    last = f["last"]
    before = last - 1
    peak = max(f["years"], key=lambda y: (f["conflicts"][y], y))
    key = (f"<div class='key'><p><b>{f['conflicts'][last]} state-based armed conflicts were active in {last}</b>, "
           f"{f['wars'][last]} of them wars (at least 1,000 battle-related deaths in the year); "
           f"{f['conflicts'].get(before, 0)} conflicts and {f['wars'].get(before, 0)} wars in {before}. The most "
           f"since {FIRST_CONFLICT_YEAR}: {f['conflicts'][peak]} in {peak}.</p></div>")
    recent = [y for y in f["years"] if y > last - RECENT_YEARS]
    rows = [(y, f["conflicts"][y], f["wars"][y], *(f["types"][y][t] for t in TYPES.values()),
             *(f["regions"][y][c] for c in UCDP_REGIONS)) for y in reversed(recent)]
    head = ["year", "conflicts", "wars", *TYPES.values(), *UCDP_REGIONS.values()]
    return "\n".join([
        key, _conflict_chart(f), _region_chart(f),
        f"<h3>The last {len(recent)} years</h3>",
        "<div class='compact'>" + table(head, rows, numeric=list(range(1, len(head)))) + "</div>",
        "<div class='keep'><p class='muted'>A state-based armed conflict is a contested incompatibility over "
        "government or territory "
        "where the use of armed force between two parties, at least one of them a state's government, results in "
        "at least 25 battle-related deaths in a year (UCDP). Types: extrasystemic (a state against a non-state "
        "group outside its territory), interstate, intrastate, internationalised intrastate (with troops of "
        "other states on one or both sides).</p>",
        f"<p class='cite'>Source: {esc(ucdp.CITATION)}</p></div>"])


# --- military expenditure (SIPRI) -----------------------------------------------------------------------------------


def milex_figures(data: Sipri, as_of: date) -> dict[str, Any]:
    """The military-expenditure figures of the edition (years up to the year before ``as_of``): the world series
    (US$ bn, constant 2022), its change over the last year and the whole span, the regions, the EU27 sum (US$ bn)
    with the members missing, and the largest spenders of the last year. All changes, shares and sums are
    Kompas's calculations from SIPRI's data."""
    from kompas.context import sipri

    world: dict[int, float | None] = {y: v for y, v in data.region_series(sipri.WORLD).items()
                                      if y <= as_of.year - 1 and v is not None}
    years = sorted(world)
    if not years:
        return {"years": []}
    first, last = years[0], years[-1]
    regions = {name: {y: v for y, v in data.region_series(name).items() if y in world} for name in SIPRI_REGIONS}
    eu = {y: (total / 1000.0, missing) for y, (total, missing) in sipri.eu27_series(data).items() if y in world}
    eu_series: dict[int, float | None] = {y: v[0] for y, v in eu.items()}
    current = next((r.current_usd_bn for r in data.regions if r.region == sipri.WORLD and r.year == last), None)
    return {"years": years, "first": first, "last": last, "world": world,
            "change_last": sipri.change(world, last - 1, last) if last - 1 in world else None,
            "change_span": sipri.change(world, first, last), "current_last": current, "regions": regions,
            "eu27": eu, "eu27_change_last": sipri.change(eu_series, last - 1, last),
            "eu27_change_span": sipri.change(eu_series, first, last),
            "top": sipri.top_spenders(data, last, TOP_SPENDERS)}


def _milex_chart(f: Mapping[str, Any]) -> str:
    plt = pyplot()
    years = f["years"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 2.6), constrained_layout=True)
    left.plot(years, [f["world"][y] for y in years], color="#1f3b73", marker="o", ms=3, lw=1.6)
    left.set_title("World", fontsize=9)
    left.set_ylabel("US$ bn, constant 2022 prices")
    right.plot(years, [f["eu27"][y][0] for y in years], color="#003399", marker="o", ms=3, lw=1.6)
    right.set_title("EU27 member states (sum: Kompas)", fontsize=9)
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.set_xticks(years[::max(1, len(years) // 5)])
        ax.tick_params(labelsize=7)
    return figure(fig, f"Military expenditure {years[0]}-{years[-1]}, US$ billion at constant 2022 prices. Data: "
                       "SIPRI Military Expenditure Database 2024; the EU27 sum is Kompas's calculation.")


def _milex(inputs: Inputs) -> str:
    from kompas.context import sipri

    if inputs.sipri is None:
        return _unavailable(inputs, "sipri", "The military-expenditure section (SIPRI)")
    f = milex_figures(inputs.sipri, inputs.as_of)
    if not f["years"]:
        return f"<p class='note'>The SIPRI extract has no year before {inputs.as_of.year}.</p>"
    first, last = f["first"], f["last"]
    eu_total, eu_missing = f["eu27"][last]
    current = (f"; US$ {_n(f['current_last'])} bn at current prices" if f["current_last"] is not None else "")
    key = (f"<div class='key'><p><b>World military expenditure {_pct(f['change_last'])} in real terms from "
           f"{last - 1} to {last}</b>, to US$ {_n(f['world'][last])} bn at constant 2022 prices{current}; "
           f"{_pct(f['change_span'])} since {first}. The EU27 member states together: US$ {_n(eu_total)} bn in "
           f"{last} ({_pct(f['eu27_change_last'])} on {last - 1}, {_pct(f['eu27_change_span'])} since {first})"
           + (f", without {', '.join(eu_missing)} (no data)" if eu_missing else "") + ".</p></div>")
    region_rows = []
    for name in SIPRI_REGIONS:
        series = f["regions"][name]
        value = series.get(last)
        region_rows.append((name, _n(series[first]) if series.get(first) is not None else "-",
                            _n(series[last - 1]) if series.get(last - 1) is not None else "-",
                            _n(value) if value is not None else "-",
                            _pct(sipri.change(series, last - 1, last)), _pct(sipri.change(series, first, last)),
                            _pct(value / f["world"][last], signed=False) if value is not None else "-"))
    region_rows.append(("World", _n(f["world"][first]), _n(f["world"].get(last - 1, 0.0)), _n(f["world"][last]),
                        _pct(f["change_last"]), _pct(f["change_span"]), "100.0 %"))
    top_rows = []
    for rank, r in enumerate(f["top"], 1):
        series = inputs.sipri.series(r.iso3)
        top_rows.append((rank, r.country, _n((r.usd_m or 0.0) / 1000.0, 1),
                         _pct(sipri.share_of_world(inputs.sipri, r.iso3, last), signed=False),
                         _pct(r.share_of_gdp, signed=False) if r.share_of_gdp is not None else "-",
                         _pct(sipri.change(series, last - 1, last)), _pct(sipri.change(series, first, last))))
    return "\n".join([
        key,
        f"<p class='cite'>Source: {esc(sipri.CITATION)}. {esc(sipri.NOTE)} Kompas reads a fair-use extract of the "
        f"database ({first}-{last}); the regions are SIPRI's regional totals.</p>",
        _milex_chart(f),
        "<h3>Regions (US$ bn, constant 2022 prices)</h3>",
        "<div class='compact'>" + table(["region", str(first), str(last - 1), str(last), f"{last - 1}-{last}",
                                         f"{first}-{last}", f"share of world {last}"], region_rows,
                                        numeric=[1, 2, 3, 4, 5, 6]) + "</div>",
        f"<h3>The {len(top_rows)} largest spenders in {last}</h3>",
        "<div class='compact'>" + table(["rank", "country", "US$ bn (constant 2022)", "share of world",
                                         "share of GDP", f"{last - 1}-{last}", f"{first}-{last}"], top_rows,
                                        numeric=[0, 2, 3, 4, 5, 6]) + "</div>"])


# --- climate-security exposure (the watchlist) ----------------------------------------------------------------------


def _watchlist_chart(rows: Sequence[Any]) -> str:
    from kompas.context.watchlist import LABELS, WEIGHTS

    plt = pyplot()
    colours = {"vulnerability": "#2ca02c", "readiness": "#8c564b", "food": "#ff7f0e", "conflict": "#d62728"}
    fig, ax = plt.subplots(figsize=(9, 0.22 * len(rows) + 0.9), constrained_layout=True)
    names = [f"{r.rank}. {r.name}" for r in rows][::-1]
    left = [0.0] * len(rows)
    for key in WEIGHTS:
        values = [next((c.contribution for c in r.components if c.key == key), 0.0) for r in rows][::-1]
        ax.barh(names, values, left=left, color=colours[key], label=LABELS[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("score (0-100): the points each component gives")
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    return figure(fig, "The top of the climate-security watchlist: each bar is a country's score, split into the "
                       "points its components give (method: section 10).")


def _watchlist(inputs: Inputs) -> str:
    from kompas.context.countries import name as country_name

    w = inputs.watchlist
    if w is None:
        return _unavailable(inputs, "watchlist", "The climate-security watchlist")
    top = w.top(WATCHLIST_ROWS)
    if not top:
        return "<p>The watchlist ranks no country.</p>"
    labels = {"ndgain": "ND-GAIN", "ucdp": "UCDP", "ipc": "IPC"}
    used = "; ".join(f"{labels.get(k, k)} {v}" for k, v in w.data.items())
    out = [f"<p>Edition {w.year} of the watchlist ({esc(used)}): {len(w.rows)} countries ranked by climate "
           "vulnerability, lack of readiness, acute food insecurity and armed conflict on their territory.</p>",
           _watchlist_chart(top),
           "<div class='compact'>" + table(["rank", "country", "score", "why"],
                                           [(r.rank, r.name, f"{r.score:.1f}", r.explanation) for r in top],
                                           numeric=[0, 2]) + "</div>",
           _more(len(top), len(w.rows), "countries")]
    c = w.changes
    if c is not None:
        def names(codes: Sequence[str]) -> str:
            return ", ".join(country_name(code) for code in codes) or "none"

        moves = [(m.name, m.previous_rank, m.rank, f"{m.previous_rank - m.rank:+d}") for m in (*c.moved_up,
                                                                                             *c.moved_down)]
        out.append("<div class='keep'>")  # closed after the sources: a section's sources stay with its end
        out.append(f"<h3>Changes in the top {c.top_n} since the edition of {c.previous_year}</h3>")
        out.append(f"<p>Entered: {esc(names(c.entered))}. Left: {esc(names(c.left))}.</p>")
        if moves:
            out.append("<div class='compact'>" + table(["country", f"rank {c.previous_year}", f"rank {w.year}",
                                                        "places"], moves, numeric=[1, 2, 3]) + "</div>")
    cited = " ".join(s["citation"] for s in w.sources if s.get("citation"))
    out.append(f"<p class='cite'>Sources: {esc(cited)}</p>" + ("</div>" if c is not None else ""))
    return "\n".join(out)


# --- early warning ---------------------------------------------------------------------------------------------------


def recorded_text(r: Mapping[str, Any]) -> str:
    """One sentence on the conflict warnings recorded on the platform (:attr:`Inputs.recorded`)."""
    if not r.get("count"):
        return "No conflict warning is recorded on the platform (that the reader may see)."
    sev = ", ".join(f"{r['severity'].get(s, 0):,} {s}" for s in ("high", "medium", "low"))
    other = {w: n for w, n in r.get("windows", {}).items() if w != r["window"]}
    return (f"{count(r['count'], 'recorded warning')} for the window {r['window']} ({sev}; "
            f"{count(r['countries'], 'country', 'countries')})"
            + (f"; other windows recorded: {', '.join(f'{w} ({n:,})' for w, n in sorted(other.items()))}"
               if other else "") + ".")


def _recorded(inputs: Inputs) -> str:
    r = inputs.recorded
    if r is None:
        return ""
    out = ["<div class='keep'><h3>Warnings recorded on the platform</h3>",
           f"<p>{esc(recorded_text(r))} Recorded with <code>kompas warning warnings --record</code> as events of the "
           "domain intel, type conflict-warning, dated in the forecast window; shown here for the window that holds "
           f"the report date ({inputs.as_of.year}), else the latest recorded, whether or not inside the platform "
           "period.</p>"]
    if r.get("rows"):
        out.append("<div class='compact'>" + table(
            ["country", "warning", "severity", "months", "marking"],
            [(w["country"], w["title"], w["severity"], w["span"], w["banner"]) for w in r["rows"]]) + "</div>")
        out.append(_more(len(r["rows"]), r["count"], "recorded warnings"))
    out.append("</div>")
    return "\n".join(out)


def _warning(inputs: Inputs) -> str:
    found = inputs.warning
    if found is None:
        return ("<p class='note'><b>Early warning is not included in this edition</b>: "
                f"{esc(inputs.missing.get('warning', 'not asked for'))}. The section is filled by "
                "kompas.services.threat_analysis.early_warning (the forecasts and evaluation of "
                "kompas.services.warning); <code>kompas warning evaluate</code> and <code>kompas warning "
                "watchlist</code> give them on their own.</p>" + _recorded(inputs))
    out: list[str] = []
    forecast = found.get("forecast")
    if forecast:
        out.append(f"<p>Forecast of the window {forecast['window']} (January-December) by the "
                   f"<b>{esc(forecast['model'])}</b> model, from data up to the cut-off {esc(forecast['cutoff'])} "
                   "only, as "
                   f"{forecast['draws']:,} samples of the monthly state-based fatalities of each of "
                   f"{forecast['countries']} countries. {esc(found.get('window_note', ''))}</p>")
        rows = [(n, r["country"], r["iso3"], _n(r["expected_year"]), r["peak_month"], _n(r["expected_peak_month"]),
                 _pct(r["p_month_25"], 0, signed=False), _pct(r["p_year_1000"], 0, signed=False))
                for n, r in enumerate(forecast["rows"][:WARNING_ROWS], 1)]
        out.append("<h3>The highest-risk countries</h3><div class='compact'>" + table(
            ["", "country", "ISO3", "expected deaths in the year", "peak month", "expected deaths, peak month",
             "P(25+ deaths, peak month)", "P(1,000+ deaths in the year)"], rows, numeric=[0, 3, 5, 6, 7])
            + "</div>")
        for note in forecast.get("notes", []):
            out.append(f"<p class='more'>Model: {esc(note)}</p>")
    warnings = found.get("warnings")
    if warnings is not None:
        rules = "; ".join(found.get("thresholds", []))
        out.append(f"<h3>Warnings ({len(warnings)})</h3><p class='muted'>Raised where {esc(rules)}; severity high "
                   "from a probability of 0.9, medium from 0.7.</p>")
        if warnings:
            shown = warnings[:WARNINGS_SHOWN]
            out.append("<div class='compact'>" + table(
                ["country", "threshold", "probability", "peak month", "expected deaths (peak month or year)",
                 "severity"],
                [(w["country"], "{fatalities:g}+ deaths in a {span}".format(**w["threshold"]),
                  f"{w['probability']:.2f}", w["peak_month"] if w["threshold"]["span"] == "month" else
                  f"{w['window']} (the year)", _n(w["expected_fatalities"]), w["severity"])
                 for w in shown], numeric=[2, 4]) + "</div>")
            out.append(_more(len(shown), len(warnings), "warnings"))
    if inputs.recorded is not None:
        out.append(_recorded(inputs))
    evaluation = found.get("evaluation")
    if evaluation:
        scores: list[tuple[str, ...]] = []
        for s in evaluation["scores"]:
            scores.append((s["model"], "-" if s["crps"] is None else f"{s['crps']:.2f}",
                         "-" if s["ign"] is None else f"{s['ign']:.3f}", "-" if s["mis"] is None else f"{s['mis']:.1f}",
                         f"{s['cells']:,}", s.get("error", "")))
        ratio = evaluation.get("crps_ratio")
        out.append("<div class='keep'>")  # with the sources, closed below
        out.append(f"<h3>How well the models did: window {evaluation['window']}</h3>"
                   f"<p class='muted'>Each model forecast the window {evaluation['window']} from data up to "
                   f"{esc(evaluation['cutoff'])} and is scored on what happened, as the VIEWS 2023/24 prediction "
                   "challenge scores (mean over the country-months; lower is better): CRPS (fatalities), ignorance "
                   "score (bits), mean interval score of the 90 % interval (fatalities). conflictology, poisson, "
                   "bootstrap and zero are the challenge's benchmarks, rebuilt by Kompas; kompas is Kompas's own "
                   "model." + (f" Kompas's CRPS is {ratio:.2f} times the conflictology benchmark's."
                               if ratio is not None else "") + "</p>")
        out.append("<div class='compact'>" + table(["model", "CRPS", "IGN", "MIS", "country-months", "note"], scores,
                                                   numeric=[1, 2, 3, 4]) + "</div>")
    for problem in found.get("problems", []):
        out.append(f"<p class='note'>{esc(problem)}</p>")
    if out and found.get("sources"):
        out.append(f"<p class='cite'>Sources: {esc(' '.join(found['sources']))}</p>")
    if evaluation:
        out.append("</div>")
    return "\n".join(out) or "<p>No forecast could be made.</p>"


# --- the fused picture and the domains ------------------------------------------------------------------------------


def _period(inputs: Inputs) -> str:
    return f"{inputs.since.isoformat()} to {inputs.as_of.isoformat()}"


def _domain_chart(domains: Sequence[Mapping[str, Any]]) -> str:
    plt = pyplot()
    from matplotlib.ticker import MaxNLocator  # after pyplot(): the Agg backend first

    shown = [d for d in domains if d["events"]]
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(shown) + 1.0), constrained_layout=True)
    labels = [DOMAINS.get(d["domain"], (d["domain"],))[0] for d in shown][::-1]
    left = [0] * len(shown)
    for severity in ("high", "medium", "low"):
        values = [d["severity"].get(severity, 0) - sum(r["severity"].get(severity, 0) for r in d.get("routine", []))
                  for d in shown][::-1]
        ax.barh(labels, values, left=left, color=SEVERITY_COLOURS[severity], label=severity)
        left = [a + b for a, b in zip(left, values, strict=True)]
    values = [sum(r["events"] for r in d.get("routine", [])) for d in shown][::-1]
    if any(values):
        ax.barh(labels, values, left=left, color="#dddddd", hatch="///", edgecolor="#aaaaaa", lw=0,
                label="routine constellation manoeuvres (any severity)")
    ax.set_xlabel("events in the period")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    return figure(fig, "Events on the platform in the period by domain and severity (those the reader may "
                       "see); the routine manoeuvres of large constellations apart, hatched (method: section 10).")


def _picture(inputs: Inputs) -> str:
    p = inputs.picture
    out = [f"<p>The events of every domain that the reader may see on the platform, {esc(_period(inputs))} "
           f"(their best-estimate time), read under the access rule: <b>{count(inputs.events_read, 'event')}</b> "
           f"in {count(sum(1 for d in inputs.domains if d['events']), 'domain')}.</p>"]
    if inputs.events_read:
        out.append(_domain_chart(inputs.domains))
    if p is None:
        out.append(_unavailable(inputs, "picture", "The situations of the fused picture"))
        return "\n".join(out)
    situations = list(p.get("situations", []))
    rule = p.get("rule", {}).get("text", "")
    out.append(f"<h3>Situations ({p.get('situations_total', len(situations))})</h3>"
               f"<p class='muted'>Events linked into situations among the {p.get('events_returned', 0):,} newest "
               f"events of the period{' (the period holds more)' if p.get('truncated') else ''}, situations of at "
               f"least {p.get('min_events', 2)} events: {esc(rule)}</p>")
    if not situations:
        out.append("<p>No situation: no two events are linked.</p>")
        return "\n".join(out)
    routine_groups: dict[str, list[Mapping[str, Any]]] = {}
    notable = []
    for s in situations:
        label = routine_situation(s)
        if label:
            routine_groups.setdefault(label, []).append(s)
        else:
            notable.append(s)
    ranked = sorted(notable, key=lambda s: (-("low", "medium", "high").index(s["severity"]), -len(s["domains"]),
                                            -s["size"], s["start_utc"], s["id"]))
    shown = ranked[:SITUATIONS_SHOWN]
    rows = [(s["title"], s["size"], ", ".join(s["domains"]), s["severity"],
             f"{s['start_utc'][:10]} to {s['end_utc'][:10]}", ", ".join(s.get("countries", [])[:6]),
             ", ".join(a.get("name") or a.get("id", "") for a in s.get("actors", [])[:4]),
             s["marking"].get("banner", "")) for s in shown]
    for label, group in sorted(routine_groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        markings = ", ".join(dict.fromkeys(g["marking"].get("banner", "") for g in group))
        rows.append((f"{count(len(group), 'situation')} of routine manoeuvres by {label}",
                     sum(g["size"] for g in group), "space", max((g["severity"] for g in group),
                                                                 key=("low", "medium", "high").index),
                     f"{min(g['start_utc'] for g in group)[:10]} to {max(g['end_utc'] for g in group)[:10]}", "",
                     label, markings))
    out.append("<p class='muted'>Ordered by highest severity, then the number of domains, then size; the situations "
               "made of routine constellation manoeuvres alone are one line per constellation at the end (method: "
               "section 10).</p>")
    out.append("<div class='compact'>" + table(["situation", "events", "domains", "highest severity", "when",
                                                "countries", "actors", "marking"], rows, numeric=[1]) + "</div>")
    out.append(_more(len(shown), len(notable), "situations"))
    return "\n".join(out)


def _domains(inputs: Inputs) -> str:
    active = [d for d in inputs.domains if d["events"] or d["previous"]]
    if not active:
        return ("<p>No event of any domain in the period or the one before that the reader may see. The domain "
                "engines store their detections on the platform as events (space, FIMI, cyber, infrastructure, "
                "maritime, intelligence): each domain's own report gives its full threat landscape.</p>")
    out = [f"<p class='muted'>Per domain: the events in the period ({esc(_period(inputs))}) against the period of "
           "the same length before it, by type and severity, and the most severe (newest first among equals). The "
           "domain's own report, named with each, gives its full threat landscape; no screening is rerun "
           "here.</p>"]
    for d in active:
        label, meaning, command = DOMAINS.get(d["domain"], (d["domain"], "", ""))
        change = d["events"] - d["previous"]
        out.append(f"<h3>{esc(label)}</h3>")
        sev = ", ".join(f"{d['severity'].get(s, 0):,} {s}" for s in ("high", "medium", "low"))
        out.append(f"<p><b>{count(d['events'], 'event')}</b> ({esc(sev)}); {d['previous']:,} in the period before "
                   f"({change:+,}). " + (f"{esc(meaning[:1].upper() + meaning[1:])}." if meaning else "")
                   + (f" Full report: <code>{esc(command)}</code>." if command else "") + "</p>")
        if d.get("routine"):
            notable = d["events"] - sum(r["events"] for r in d["routine"])
            out.append(f"<p>Of these, {esc(_routine_line(d))}: routine, not listed (method: section 10). "
                       f"<b>{count(notable, 'notable event')}</b>.</p>")
        types = list(d["types"])[:TYPES_SHOWN]
        if types:
            out.append("<p class='muted'>By type: " + esc(", ".join(f"{t} {n:,}" for t, n in types))
                       + (f" and {len(d['types']) - len(types)} more types" if len(d["types"]) > len(types) else "")
                       + ".</p>")
        if d["top"]:
            out.append(("<p class='muted'>The most severe notable events:</p>" if d.get("routine") else "")
                       + "<div class='compact keep'>" + table(
                ["time (UTC)", "type", "severity", "event", "marking"],
                [(e["time_utc"][:16].replace("T", " "), e["type"], e["severity"], e["title"], e["banner"])
                 for e in d["top"]]) + "</div>")
    return "\n".join(out)


# --- key judgements --------------------------------------------------------------------------------------------------


def outcome_text(j: Mapping[str, Any], as_of: date) -> str:
    """Whether a judgement was resolved as of ``as_of``: ``happened (resolved DAY)``, ``did not happen (...)``,
    ``open: resolves DAY``, ``overdue for resolution (due DAY)`` when its resolution date has passed, or ``not
    scorable`` (no resolution date)."""
    if j.get("outcome") is not None:
        return f"{'happened' if j['outcome'] else 'did not happen'} (resolved {j['resolved_at']})"
    due = j.get("resolution_date") or ""
    if not due:
        return "not scorable"
    return f"overdue for resolution (due {due})" if due < as_of.isoformat() else f"open: resolves {due}"


def _judgements(inputs: Inputs) -> str:
    line = f" of the product line {inputs.product_line}" if inputs.product_line else ""
    if not inputs.judgements:
        return (f"<p>No key judgement: the reader may see no assessment{esc(line)} dated on or before "
                f"{inputs.as_of.isoformat()} with key judgements. Analysts write them with <code>kompas intel add "
                "assessment</code>.</p>")
    rows = []
    last = None
    for j in inputs.judgements:
        head = j["assessment_id"] != last
        last = j["assessment_id"]
        low, high = j["band"]
        rows.append((f"{j['title']} ({j['date']}; {j['team'] or '-'}; {j['product_line'] or '-'})" if head else "",
                     j["text"], f"{j['label']} ({100 * low:.0f}-{100 * high:.0f} %)", j["confidence"],
                     outcome_text(j, inputs.as_of), j["banner"] if head else ""))
    resolved = sum(1 for j in inputs.judgements if j.get("outcome") is not None)
    overdue = sum(1 for j in inputs.judgements if outcome_text(j, inputs.as_of).startswith("overdue"))
    return (f"<p>{count(len(inputs.judgements), 'key judgement')} of {count(inputs.assessments, 'assessment')}"
            f"{esc(line)} the reader "
            f"may see (newest first), {resolved} resolved by {inputs.as_of.isoformat()}"
            + (f", {overdue} overdue for resolution (resolution date passed, not resolved: <code>kompas intel "
               "resolve</code>)" if overdue else "") + ". Likelihoods are ICD 203's "
            "words with their probability bands; confidence is the analysts' (low, moderate, high).</p>"
            "<div class='compact'>" + table(["assessment (date; team; product line)", "key judgement",
                                             "likelihood (ICD 203)", "confidence", "resolved", "marking"], rows)
            + "</div>")


# --- cadence ---------------------------------------------------------------------------------------------------------


def due_reason(c: Cadence) -> str:
    """Why the next edition is due on :attr:`Cadence.due`: the one rule that gives the date."""
    if c.due_rule == "register":
        return (f"the register's schedule for {', '.join(COMMITMENTS)} (the Strategic Compass repeats the threat "
                f"analysis every {CADENCE_YEARS} years from the end of 2022: 2025-12-31, 2028-12-31, ...), whose next "
                f"due date after this edition is {c.due.isoformat()}; {CADENCE_YEARS} years after this edition "
                f"({c.next_due.isoformat()}) is later, so the register's date applies.")
    return (f"at least every {CADENCE_YEARS} years after this edition, which is earlier than the register's next due "
            "date" + (f" ({min(d for d in c.schedule.values() if d is not None).isoformat()})"
                      if any(d is not None for d in c.schedule.values()) else " (the register has none)") + ".")


def _cadence(inputs: Inputs) -> str:
    c = inputs.cadence
    last = c.last
    out = [f"<p>This edition: <b>{c.edition.isoformat()}</b>. <b>The next edition is due by "
           f"{c.due.isoformat()}</b>: {esc(due_reason(c))}</p>"]
    if last is not None:
        gap = (c.edition - last).days / 365.25
        out.append(f"<p>The previous edition the reader may see recorded: {last.isoformat()} ({gap:.1f} years "
                   "before this one).</p>")
    else:
        out.append("<p>No earlier edition is recorded on the platform (that the reader may see).</p>")
    if c.recorded:
        out.append(f"<p>Recorded on the platform as a status note <i>done</i> as of {c.edition.isoformat()} on "
                   f"{', '.join(COMMITMENTS)} (under this report's marking), so the commitments progress report "
                   f"knows this edition: \u201c{esc(c.evidence)}\u201d</p>")
    else:
        out.append("<p class='muted'>Not recorded on the platform (a dry run): record it with "
                   "<code>--record-cadence</code>.</p>")
    if c.previous:
        out.append("<div class='compact'>" + table(["as of", "evidence"], [(d.isoformat(), e)
                                                                          for d, e in c.previous]) + "</div>")
    return "\n".join(out)


# --- sources ---------------------------------------------------------------------------------------------------------


def attribution(inputs: Inputs) -> list[str]:
    """The attribution of every data set the edition used, each once: UCDP (CC BY 4.0) for the conflicts and the
    watchlist, SIPRI as SIPRI requires, ND-GAIN and IPC for the watchlist, VIEWS for the early warning, and the
    platform's contributors when anything of the platform is shown."""
    from kompas.context import ipc, ndgain, sipri, ucdp

    out: list[str] = []
    if inputs.conflicts or inputs.watchlist is not None:
        out.append(ucdp.CITATION)
    if inputs.sipri is not None:
        out.append(sipri.ATTRIBUTION)
    if inputs.watchlist is not None:
        out += [ndgain.CITATION, ipc.CITATION, "Watchlist ranking, normalisation and weights: Kompas's calculations, "
                "not the sources' own figures."]
    if inputs.warning is not None:
        out += list(inputs.warning.get("sources", []))
    if inputs.events_read or inputs.judgements or inputs.cadence.previous or inputs.picture:
        out.append(PLATFORM_ATTRIBUTION)
    return list(dict.fromkeys(out))


def footer(inputs: Inputs) -> str:
    """The running footer's text: every attribution."""
    return " ".join(attribution(inputs))


def _method(inputs: Inputs) -> str:
    from kompas.context.watchlist import LABELS, WEIGHTS
    from kompas.intel.language import ICD203

    scale = ", ".join(f"{b.label or b.word} {100 * b.low:.0f}-{100 * b.high:.0f} %" for b in ICD203.bands)
    weights = ", ".join(f"{LABELS[k]} {v:.2f}" for k, v in WEIGHTS.items())
    out = ["<ul>",
           "<li><b>Armed conflict</b>: every row of the UCDP/PRIO Armed Conflict Dataset v24.1 is one state-based "
           "armed conflict active in a year; wars are those of intensity 2. Years are shown once over (up to the "
           "year before the edition).</li>",
           "<li><b>Military expenditure</b>: SIPRI's figures in US$ at constant 2022 prices (real terms); changes, "
           "shares of the world total and the EU27 sum (the 27 member states' figures added; SIPRI's \u201cEuropean "
           "Union\u201d entry, the EU's own spending, is not in it) are Kompas's calculations.</li>",
           f"<li><b>Climate-security watchlist</b>: score = 100 \u00d7 the weighted sum of four components on 0-1 "
           f"({esc(weights)}); edition Y uses ND-GAIN of Y-2 (released two years on), UCDP Y-5..Y-1 and the "
           "latest IPC analysis from January Y-2 (kompas.context.watchlist).</li>",
           "<li><b>Early warning</b>: country-month forecasts of state-based fatalities as samples, from data up to "
           "31 October of the year before the window only, scored as the VIEWS 2023/24 prediction challenge scores "
           "(kompas.warning).</li>",
           "<li><b>The fused picture and the domains</b>: the platform's events read under the reader's access "
           "(what the reader may not see is never read), counted in the database; situations linked by "
           "kompas.intel.situations, ordered by highest severity, then the number of domains, then size.</li>",
           f"<li><b>Routine manoeuvres</b>: {esc(ROUTINE_RULE)}</li>",
           "<li><b>Recorded warnings</b>: the conflict warnings stored on the platform (domain intel, type "
           "conflict-warning) are dated in their forecast window, so they are read by window, not by the platform "
           "period: the window that holds the report date, else the latest recorded up to it.</li>",
           "<li><b>Cadence</b>: the next edition is due by the register's next due date after this edition, or "
           f"{CADENCE_YEARS} years after this edition when that is earlier.</li>",
           f"<li><b>Key judgements</b>: ICD 203's likelihood scale: {esc(scale)}.</li>",
           "<li><b>Marking</b>: the banner combines the markings of every event, situation, assessment and status "
           "note read from the platform; the public data sets are UNCLASSIFIED // TLP:CLEAR.</li>", "</ul>",
           "<h3>Sources and licences</h3><ul>"]
    out += [f"<li>{esc(text)}</li>" for text in attribution(inputs)]
    out.append("</ul><p class='muted'>SIPRI's, ND-GAIN's, IPC's and the VIEWS challenge's data are read from the "
               "shared data folder at run time and never copied into Kompas (SIPRI: fair use of an extract, under 10 "
               "% of the database; the others' terms were not found). UCDP's data is CC BY 4.0.</p>")
    for key, reason in sorted(inputs.missing.items()):
        out.append(f"<p class='more'>Not in this edition: {esc(key)}: {esc(reason)}</p>")
    return "\n".join(out)


# --- key points and the page -----------------------------------------------------------------------------------------


def _key_points(inputs: Inputs) -> str:
    points: list[str] = []
    if inputs.conflicts:
        f = conflict_figures(inputs.conflicts, inputs.as_of)
        if f["last"] is not None:
            last = f["last"]
            points.append(f"<b>{f['conflicts'][last]} state-based armed conflicts</b> were active in {last}, "
                          f"<b>{f['wars'][last]} of them wars</b> (UCDP).")
    if inputs.sipri is not None:
        m = milex_figures(inputs.sipri, inputs.as_of)
        if m["years"]:
            points.append(f"World military expenditure rose <b>{_pct(m['change_last'])}</b> in real terms from "
                          f"{m['last'] - 1} to {m['last']}, to US$ {_n(m['world'][m['last']])} bn (constant 2022 "
                          f"prices); the EU27 member states spent US$ {_n(m['eu27'][m['last']][0])} bn (SIPRI data; "
                          "calculations: Kompas).")
    if inputs.watchlist is not None and inputs.watchlist.rows:
        top = ", ".join(r.name for r in inputs.watchlist.top(5))
        points.append(f"Most exposed to climate-security risk (watchlist {inputs.watchlist.year}): {esc(top)}.")
    if inputs.warning is not None and inputs.warning.get("forecast"):
        fc = inputs.warning["forecast"]
        top = ", ".join(r["country"] for r in fc["rows"][:5])
        raised = len(inputs.warning.get("warnings") or [])
        points.append(f"Highest forecast conflict fatalities in {fc['window']}: {esc(top)}; "
                      f"{count(raised, 'warning')} raised.")
    elif inputs.warning is None:
        points.append("Early warning of armed conflict: not included in this edition.")
    if inputs.recorded is not None and inputs.recorded.get("count"):
        points.append(f"Conflict warnings on the platform: {esc(recorded_text(inputs.recorded))}")
    counts = Counter({d["domain"]: d["events"] - sum(r["events"] for r in d.get("routine", []))
                      for d in inputs.domains if d["events"]})
    if sum(counts.values()) or inputs.events_read:
        events, routine_events, high = notable_counts(inputs.domains)
        busiest = ", ".join(f"{DOMAINS.get(k, (k,))[0].lower()} {v:,}" for k, v in counts.most_common(3) if v)
        situations = inputs.picture.get("situations_total", 0) if inputs.picture else 0
        labels = ", ".join(dict.fromkeys(r["label"] for d in inputs.domains for r in d.get("routine", [])))
        routine_text = (f"; besides, {count(routine_events, 'routine manoeuvre')} of large constellations "
                        f"({esc(labels)}) counted apart" if routine_events else "")
        points.append(f"On the platform, <b>{count(events - routine_events, 'notable event')}</b> in the period"
                      + (f" ({busiest})" if busiest else "") + f", {high:,} of high severity{routine_text}; "
                      f"{count(situations, 'situation')} linked (section 6).")
    else:
        points.append("No platform event the reader may see in the period.")
    if inputs.judgements:
        points.append(f"{count(len(inputs.judgements), 'key judgement')} of "
                      f"{count(inputs.assessments, 'assessment')} (section 8).")
    rule = ("the register's schedule" if inputs.cadence.due_rule == "register"
            else f"{CADENCE_YEARS} years after this edition")
    points.append(f"Next edition due by <b>{inputs.cadence.due.isoformat()}</b> ({rule}; section 9).")
    return "<div class='key'><ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul></div>"


def title(as_of: date) -> str:
    return f"{TITLE}, edition {as_of.isoformat()}"


def build(inputs: Inputs, banner: str, handling: str = "") -> str:
    """The report's page for ``inputs``, with ``banner`` (and ``handling``) on every page."""
    line = banner + (f" \u2014 {handling}" if handling else "")
    heading = title(inputs.as_of)
    line_of = f" (product line {inputs.product_line})" if inputs.product_line else ""
    body = [f"<div class='pagefoot'><div class='line'>{esc(line)}</div><p>{esc(footer(inputs))}</p></div>",
            f"<h1>{esc(heading)}</h1>",
            f"<p class='muted'>Prepared {esc(inputs.as_of.isoformat())} from the public context data (armed "
            "conflict, military expenditure, climate and food security, conflict forecasts) and what the reader may "
            f"see on the Kompas platform from {esc(_period(inputs))} (events, situations) and its assessments"
            f"{esc(line_of)}; marking {esc(banner)}.</p>",
            "<h2>1. Key points</h2>", _key_points(inputs),
            "<h2>2. Armed conflict</h2>", _conflicts(inputs),
            "<h2 class='part'>3. Military expenditure</h2>", _milex(inputs),
            "<h2 class='part'>4. Climate-security exposure</h2>", _watchlist(inputs),
            "<h2 class='part'>5. Early warning of armed conflict</h2>", _warning(inputs),
            "<h2>6. The fused picture</h2>", _picture(inputs),
            "<h2>7. The domains' threat landscapes</h2>", _domains(inputs),
            "<h2>8. Key judgements</h2>", _judgements(inputs),
            "<h2>9. Cadence</h2>", _cadence(inputs),
            "<h2>10. Method, sources and licences</h2>", _method(inputs)]
    page = document.page(heading, "\n".join(body), banner, handling)
    style = _CSS.format(colour=document.banner_colour(banner))
    return page.replace("</head>", f"<style>{style}</style></head>", 1)
