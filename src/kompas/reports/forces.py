"""The forces report (issue 28): the annual capability review for the meeting of EU defence ministers the Strategic
Compass describes, HTML and PDF from the same page (:mod:`kompas.reports.document`); the figures come from
:func:`kompas.services.forces_report.analyse`.

The page:

1. the title, the editions, the planning case and its scenarios; a box saying what is illustrative: ILLUSTRATIVE,
   not any member state's offer, when the register read is (the example set, or records labelled illustrative),
   only "the scenarios' figures are illustrative (assumed where not published)" when the register is the
   contributors' own and only the scenarios or the case's assumed figures are; the data statement (no open data
   exists on national offers; what is public fact, with its source);
2. the headline figures (capabilities required and met, coverage in quantity and in readiness, gaps by severity,
   the civilian deployment's verdict, nations) and the key findings. A civilian profile counts met only when the
   deployment plan of section 7 has its experts in theatre by the deadline, not merely offered and ready by their
   notice days (:func:`kompas.services.forces_report.deployed_gaps`);
3. the Rapid Deployment Capacity overview of the latest edition (by component, readiness bands, per capability and
   nation), with a bar chart;
4. the gap table (severity coloured; civilian profiles with the deployment plan's verdict: meets or misses the
   deadline, the plan's day, P) and a chart of the coverage per capability; the trends between editions (table,
   a chart of the offered quantity per capability per edition, gaps closed and opened, the largest national
   changes);
5. force generation for each military scenario of the case: status, troops against the ceiling (the RDC's 5,000),
   national shares (chart), the elements chosen, the missing set with reasons;
6. rotations: the case's longest military scenario held as a 24-month standing mission from the rotation pools
   (unit-months filled against needed, the first gap, a heat map of the shortfall per position and month, what each
   contributor is asked for and when, the sustainment ratios next to the rules of thumb, and the Helsinki Headline
   Goal's reference: 60,000 on 6-month tours with 12 months' dwell need a pool of 180,000, a one-year operation
   deploys 120,000);
7. the civilian deployment of the case's civilian scenario: the experts in theatre day by day against the deadline
   (chart), the probability of meeting it with its interval, the critical path, the training providers used, the
   levers that would shorten it, every assumed parameter;
8. every assumed figure and every source URL.

Every printed page carries the banner at the top and bottom and, in its corner, "ILLUSTRATIVE data" when the
register read is illustrative or "ILLUSTRATIVE scenarios" when only the scenarios are.
Tables repeat their header on every page they run onto and leave no single row behind; long URLs wrap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot

if TYPE_CHECKING:
    from kompas.services.forces_report import Analysis

COMPASS_URL = "https://data.consilium.europa.eu/doc/document/ST-7371-2022-INIT/en/pdf"
EDA_RDC_URL = "https://eda.europa.eu/webzine/issue28/cover-story/fast-but-not-furious"
COMPACT_URL = ("https://eeas.europa.eu/eeas/launching-new-civilian-csdp-compact-strengthening-eu%E2%80%99s-"
               "civilian-response-crises-and-conflicts_en")
#: What is public fact (text, source URL); everything else in the register is the contributors' or invented. The
#: Compass's lines are those of its Dutch text in ``../shared/seeds/000_e18c6be3a889c87f.txt``.
PUBLIC_FACTS = (
    ("Strategic Compass (Council doc. 7371/22, 21 March 2022), 'Act': an EU Rapid Deployment Capacity, a modular "
     "force of up to 5,000 troops with land, air and maritime components and the required strategic enablers "
     "(seed l.994-998)", COMPASS_URL),
    ("Strategic Compass, 'Act': a civilian CSDP mission of 200 fully equipped experts deployable within 30 days, "
     "also in complex environments (seed l.1545-1547); the Civilian CSDP Compact (2023) repeats it", COMPASS_URL),
    ("Strategic Compass, 'Invest': from 2022, annual meetings of defence ministers on EU defence initiatives for "
     "capability development, chaired by the High Representative / Head of the European Defence Agency "
     "(seed l.3108-3110)", COMPASS_URL),
    ("The RDC's five generic scenarios (initial phase of stabilisation, rescue and evacuation, support to HADR, "
     "conflict prevention, peace enforcement); its battlegroups on 5- and 20-day readiness", EDA_RDC_URL),
    ("Civilian CSDP Compact (2023): deploy 200 experts within 30 days, including to complex environments",
     COMPACT_URL),
)
DATA_STATEMENT = (
    "No open data exists on national offers: the Headline Goal's requirement, force and progress catalogues are "
    "classified, and member states do not publish what they offer to the Rapid Deployment Capacity or their rosters "
    "of civilian experts. This report is computed only from the register documents member states contributed to "
    "the platform and the reader may see, or, where it says so, from the shipped ILLUSTRATIVE example set (public "
    "facts, such as published battlegroup totals, split into invented modules; every row labelled, its notes "
    "saying what is public and what is invented). The scenarios' response times, quantities and combinations are "
    "not public either: each assumed figure is listed in section 8.")
SEVERITY_COLOURS = {"none": "#007a33", "readiness": "#d9a400", "partial": "#e07000", "critical": "#c8102e"}
SEVERITY_TEXT = {"none": "met", "readiness": "not in time", "partial": "partial", "critical": "critical"}
BAND_ORDER = ("<=5", "6-10", "11-30", "31-60", ">60")
SHOWN_NATION_CHANGES = 15
SHOWN_EXCLUSIONS = 8

_CSS = """
.ill-box {{ border: 3px solid #9a6a00; background: #fff7e0; padding: 0.4em 0.9em; margin: 0.6em 0; }}
.ill-box .word {{ font-size: 16pt; font-weight: bold; color: #9a6a00; letter-spacing: 0.08em; }}
.compact table {{ font-size: 7.6pt; margin: 0.2em 0 0.5em; }} .compact td, .compact th {{ padding: 1px 3px; }}
td.sev {{ font-weight: bold; color: white; }}
td.sev-none {{ background: #007a33; }} td.sev-readiness {{ background: #d9a400; }}
td.sev-partial {{ background: #e07000; }} td.sev-critical {{ background: #c8102e; }}
.headline td:first-child {{ font-weight: bold; }} .headline td {{ padding: 2px 8px; }}
h2.part {{ break-before: page; }} ul.refs {{ font-size: 7.5pt; }}
p, li {{ overflow-wrap: anywhere; }} td, th {{ overflow-wrap: break-word; }}
thead {{ display: table-header-group; }}
tbody tr:nth-last-child(-n+2) {{ break-before: avoid; }} tbody tr:nth-child(-n+2) {{ break-after: avoid; }}
ul.refs > li:nth-child(-n+2) {{ break-after: avoid; }} ul.refs > li:nth-last-child(-n+2) {{ break-before: avoid; }}
td.verdict {{ width: 12em; }}
table.sides, table.sides > tbody > tr > td {{ border: none; padding: 0 1.2em 0 0; width: auto; }}
td.ok {{ color: #007a33; font-weight: bold; }} td.bad {{ color: #c8102e; font-weight: bold; }}
{pages}
"""
#: Said when only the scenarios' (or the case's) figures are illustrative, the register being the contributors' own
SCENARIOS_ILLUSTRATIVE = "The scenarios' figures are illustrative (assumed where not published)"
#: The running footer in the bottom-left corner: the register illustrative, or only the scenarios
FOOTER_DATA = "ILLUSTRATIVE data"
FOOTER_SCENARIOS = "ILLUSTRATIVE scenarios"
_FOOTER = '@page {{ @bottom-left {{ content: "{text}"; font: bold 8pt sans-serif; color: #9a6a00; }} }}'


def pct(fraction: float) -> str:
    """A fraction as the report writes it: ``97.1%``."""
    return f"{100 * fraction:.1f}%"


def _join(values: Sequence[object], empty: str = "none") -> str:
    return ", ".join(str(v) for v in values) if values else empty


def _cells(cells: Sequence[tuple[str, str]]) -> str:
    """A table row of already escaped ``(class, text)`` cells."""
    return "<tr>" + "".join(f"<td class='{c}'>{t}</td>" if c else f"<td>{t}</td>" for c, t in cells) + "</tr>"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    """A table with ``header`` (escaped; columns ``numeric`` right-aligned), as :func:`kompas.reports.document.table`
    but with its header in a ``thead`` (printed again on every page the table runs onto) and its rows in a
    ``tbody``."""
    body = "".join("<tr>" + "".join(f'<td class="n">{esc(c)}</td>' if k in numeric else f"<td>{esc(c)}</td>"
                                    for k, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead>{_head(header)}</thead><tbody>{body}</tbody></table>"


def _head(names: Sequence[str]) -> str:
    return "<tr>" + "".join(f"<th>{esc(n)}</th>" for n in names) + "</tr>"


def _sev(severity: str) -> tuple[str, str]:
    return f"sev sev-{esc(severity)}", esc(SEVERITY_TEXT.get(severity, severity))


# -- charts ----------------------------------------------------------------------------------------------------------

def _overview_chart(ov: dict[str, Any]) -> str:
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 2.9))
    comps = list(ov["by_component"])
    left.barh(comps, [ov["by_component"][c]["troops"] for c in comps], color="#0033a0")
    left.invert_yaxis()
    left.set_xlabel("troops offered")
    left.set_title("by component", fontsize=9)
    bands = [b for b in BAND_ORDER if b in ov["readiness_bands"]]
    right.bar(bands, [ov["readiness_bands"][b] for b in bands], color="#007a33")
    right.set_xlabel("readiness, days from the decision")
    right.set_ylabel("elements")
    right.set_title("readiness bands", fontsize=9)
    for ax in (left, right):
        ax.tick_params(labelsize=8)
    fig.tight_layout()
    return figure(fig, f"Rapid Deployment Capacity overview, edition {ov['edition']}: troops by component and force "
                       "elements by readiness band (every element the reader may see).")


def _gap_chart(gaps: Sequence[dict[str, Any]], edition: str) -> str:
    plt = pyplot()
    rows = list(reversed(gaps))
    fig, ax = plt.subplots(figsize=(8.6, 0.9 + 0.2 * len(rows)))
    names = [g["capability"] for g in rows]
    ax.barh(names, [100 * g["coverage"] for g in rows], color=[SEVERITY_COLOURS[g["severity"]] for g in rows])
    ready = [100 * g["covered_ready"] / g["required"] if g["required"] else 100.0 for g in rows]
    ax.scatter(ready, names, marker="|", s=120, color="black", zorder=3, label="deployed units in time")
    ax.axvline(100, color="#555", lw=0.8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("covered, % of the requirement with rotation (bar); % of the deployed requirement in time (tick)")
    ax.tick_params(labelsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in SEVERITY_COLOURS.values()]
    ax.legend(handles, [SEVERITY_TEXT[s] for s in SEVERITY_COLOURS], fontsize=7, loc="lower right", ncol=4)
    fig.tight_layout()
    return figure(fig, f"Coverage per capability the case requires, edition {edition}, coloured by severity.")


def _trend_chart(rows: Sequence[dict[str, Any]], editions: Sequence[str]) -> str:
    import numpy as np

    plt = pyplot()
    shown = list(reversed(rows))
    fig, ax = plt.subplots(figsize=(8.6, 0.9 + 0.22 * len(shown)))
    positions = np.arange(len(shown))
    height = 0.8 / max(1, len(editions))
    colours = plt.get_cmap("Blues")(np.linspace(0.35, 0.9, len(editions)))
    for k, edition in enumerate(editions):
        ax.barh(positions + k * height - 0.4 + height / 2, [r["offered"][k] for r in shown], height,
                label=edition, color=colours[k])
    ax.scatter([r["required"] or 0 for r in shown], positions, marker="|", s=110, color="#c8102e", zorder=3,
               label="required (deployed)")
    ax.set_yticks(positions, [r["capability"] for r in shown])
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("units offered (symmetric log scale above 10)")
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return figure(fig, "Offered quantity per required capability per edition, with the deployed requirement.")


def _shares_chart(shares: dict[str, int], name: str, ceiling: int) -> str:
    plt = pyplot()
    nations = list(shares)
    fig, ax = plt.subplots(figsize=(8.6, 2.4))
    ax.bar(nations, [shares[n] for n in nations], color="#0033a0")
    ax.set_ylabel("troops")
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    return figure(fig, f"National shares of the force for {name} (troops per nation; {sum(shares.values()):,} of "
                       f"at most {ceiling:,}).")


# -- sections --------------------------------------------------------------------------------------------------------

def _front(analysis: Analysis) -> str:
    r = analysis.review
    case = r["case"]
    scenarios = "".join(
        f"<li><b>{esc(s['name'])}</b>{' x' + esc(s['count']) if s['count'] != 1 else ''}: {esc(s['title'])} "
        f"({esc(s['response_days'])} days' response, {esc(s['duration_days'])} days, {esc(s['environment'])}, "
        f"{esc(format(s['distance_km'], ',.0f'))} km, at most {esc(format(s['max_troops'], ','))} "
        f"{'personnel' if _civilian(s) else 'troops'})"
        + (" <b>ILLUSTRATIVE</b>" if s["illustrative"] else "") + "</li>" for s in case["scenarios"])
    out = [f"<p><b>For:</b> {esc(r['meeting'])}.</p>",
           f"<p><b>Editions:</b> {esc(', '.join(analysis.editions))} (gaps and force generation on the latest, "
           f"{esc(analysis.edition)}; trends across all). <b>Planning case:</b> {esc(case['name'])}"
           + (f" &mdash; {esc(case['title'])}" if case["title"] else "") + f"</p><ul>{scenarios}</ul>"]
    if analysis.example:
        used = "the shipped ILLUSTRATIVE example set (no platform document)"
    else:
        used = (f"{len(analysis.documents)} register document(s) the reader may see: "
                f"{esc(_join(analysis.documents))}")
    out.append(f"<p><b>Register read:</b> {used}; {analysis.records:,} records "
               f"({analysis.illustrative_records:,} labelled illustrative).</p>")
    if analysis.within is not None:
        out.append(f"<p><b>Produced within</b> {esc(analysis.within.banner())}: only documents whose markings this "
                   "covers were read.</p>")
    if analysis.illustrative_data:  # the register itself: the strong statement
        why = []
        if analysis.example:
            why.append("the register is the shipped example set (public facts split into invented modules)")
        elif analysis.illustrative_records:
            why.append(f"{analysis.illustrative_records:,} register records are labelled illustrative by their "
                       "contributors")
        why += _scenarios_why(case)
        said = "; ".join(why)
        out.append("<div class='ill-box'><span class='word'>ILLUSTRATIVE</span><p>"
                   + esc(said[:1].upper() + said[1:]) + ". Not any member state's offer; not an assessment of the "
                   "EU's real capabilities.</p></div>")
    elif analysis.illustrative:  # only the scenarios (or the case's assumed figures): the register is the reader's
        out.append("<div class='ill-box'><span class='word'>ILLUSTRATIVE SCENARIOS</span><p>"
                   + esc(SCENARIOS_ILLUSTRATIVE) + ": the EU's own scenarios are not public; every assumed figure is "
                   "listed in section 8. The register figures are the contributions listed above, as the reader may "
                   "see them; the gaps measure them against assumed requirements, not an agreed EU requirement."
                   "</p></div>")
    facts = "".join(f"<li>{esc(text)} &mdash; <span class='muted'>{esc(url)}</span></li>" for text, url in PUBLIC_FACTS)
    out.append(f"<p><b>Data.</b> {esc(DATA_STATEMENT)}</p><p><b>Public fact</b> this report relies on:</p>"
               f"<ul>{facts}</ul>")
    return "\n".join(out)


def _scenarios_why(case: dict[str, Any]) -> list[str]:
    """What in the planning case is illustrative or assumed, said plainly."""
    why = []
    if any(s["illustrative"] for s in case["scenarios"]):
        why.append("the scenarios are illustrative (the EU's own are not public)")
    if case["assumed"] or any(s["assumed"] for s in case["scenarios"]):
        why.append("the case rests on assumed figures (section 8)")
    return why


def _civilian(s: dict[str, Any]) -> bool:
    from kompas.forces import register

    profiles = register.profile_codes()
    return bool(s["requirements"]) and all(q["capability"] in profiles for q in s["requirements"])


def headline_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """The headline table as (label, value) text: :func:`kompas.services.forces.review`'s ``headline`` with the
    civilian deployment's verdict (:func:`kompas.services.forces_report.deployed_headline`): a civilian profile
    offered in quantity and by notice days is not met when the deployment plan misses its deadline."""
    from kompas.services.forces_report import deployed_headline

    h = deployed_headline(analysis)
    sev = h["gaps_by_severity"]
    late = h["late_profiles"]
    deployment = _deployment_verdict(analysis)
    met = f"{h['capabilities_met']} of {h['capabilities_required']}"
    if late:
        met += (f" ({len(late)} civilian profiles are offered in quantity and by their notice days, but the "
                "deployment plan does not have them in theatre by the deadline)")
    rows = [("edition", str(h["edition"])),
            ("scenarios (concurrent operations)", f"{h['scenarios']} ({h['operations']})"),
            ("capabilities required", f"{h['capabilities_required']}"),
            ("capabilities met", met),
            ("gaps by severity", f"critical {sev['critical']}, partial {sev['partial']}, not in time "
                                 f"{sev['readiness']}"),
            ("units required", f"{h['units_required']:,} deployed at once, {h['units_required_total']:,} with "
                               "rotation"),
            ("coverage in quantity", f"{h['units_covered']:,} of {h['units_required_total']:,} units "
                                     f"({pct(h['quantity_coverage'])})"),
            ("coverage in readiness", f"{h['units_covered_ready']:,} of {h['units_required']:,} units in time "
                                      f"({pct(h['readiness_coverage'])})"
                                      + ("; civilian experts counted in time only when the deployment plan has "
                                         "them in theatre by the deadline" if late else ""))]
    if deployment:
        rows.append(deployment)
    rows += [("nations offering a required capability", f"{h['nations']}"),
             ("personnel ceiling of the case", f"{h['personnel_ceiling']:,} ({h['personnel_ceiling_total']:,} with "
                                               "rotation)")]
    if h["previous_edition"]:
        rows.append((f"since {h['previous_edition']}", f"gaps closed: {_join(h['closed_since'])}; opened: "
                                                       f"{_join(h['opened_since'])}"
                                                       + (" (by quantity and notice days)" if late else "")))
    return rows


def _deployment_verdict(analysis: Analysis) -> tuple[str, str] | None:
    """The headline row of the civilian deployment (section 7): whether the plan meets the deadline, its day and
    P(in time); None when the case has no civilian scenario."""
    d, held = analysis.deployment, analysis.deployment_scenario
    if held is None or not held["from_case"]:
        return None
    label = f"civilian deployment, {held['name']}"
    if d is None:
        return label, f"not computed: {analysis.deployment_error or 'no answer'}"
    plan, sim = d["plan"], d["simulation"]
    m = plan["mission"]
    day = plan["completion_day"]
    when = f"plan day {day:g}" if day is not None else "never in the plan (the roster cannot fill it)"
    return label, (f"{'meets' if plan['feasible'] else 'misses'} the deadline of day {m['deadline_days']} for "
                   f"{m['size']:,} experts: {when}; P(in time) {pct(sim['probability'])} (95% interval "
                   f"{pct(sim['ci_low'])}-{pct(sim['ci_high'])})")


def findings(analysis: Analysis) -> list[str]:
    """The key findings, one sentence each (plain text)."""
    from kompas.services.forces_report import deployed_gaps, deployed_headline

    h = deployed_headline(analysis)
    sev = h["gaps_by_severity"]
    late = h["late_profiles"]
    out = [f"Edition {h['edition']}: {h['capabilities_met']} of {h['capabilities_required']} capabilities the case "
           f"requires are met; {sev['critical']} critical and {sev['partial']} partial gaps, {sev['readiness']} "
           f"offered in quantity but not in time"
           + (f" ({len(late)} of them civilian profiles the deployment plan has not in theatre by the deadline)"
              if late else "")
           + f". Coverage {pct(h['quantity_coverage'])} in quantity, {pct(h['readiness_coverage'])} in readiness, "
           f"from {h['nations']} nations."]
    gaps = deployed_gaps(analysis)
    worst = [g for g in gaps if g["severity"] != "none" and g.get("review_severity") != "none"][:4]
    if worst:
        out.append("Largest gaps: " + "; ".join(
            f"{g['capability']} ({SEVERITY_TEXT[g['severity']]}: {g['covered']} of {g['required_total']}"
            + (f", {g['covered_ready']} of {g['required']} in time" if g["readiness_shortfall"] else "") + ")"
            for g in worst) + ".")
    for f in analysis.forces:
        s = f["scenario"]
        if f["status"] in ("optimal", "feasible"):
            out.append(f"Force generation, {s['name']}: a force of {f['troops']:,} troops (at most "
                       f"{f['max_troops']:,}) from {len(f['shares'])} nations covers every requirement "
                       f"({f['status']}).")
        elif f["status"] != "infeasible":
            out.append(f"Force generation, {s['name']}: no answer ({f['status']}: the solver found no force and "
                       "proved none impossible within its time limit).")
        else:
            missing = ", ".join(f"{m['capability']} x{m['required']}" for m in f["missing"])
            out.append(f"Force generation, {s['name']}: no force covers every requirement ({f['status']}); "
                       f"missing: {missing or 'not determined'}"
                       + (f"; the {f['max_troops']:,}-troop ceiling binds" if f["ceiling_binds"] else "") + ".")
    if h["previous_edition"]:
        out.append(f"Since {h['previous_edition']}: gaps closed {_join(h['closed_since'])}; opened "
                   f"{_join(h['opened_since'])}.")
    rot = analysis.rotations
    if rot is not None and analysis.rotation_scenario is not None:
        gap = rot["first_gap"]
        out.append(f"Rotations, {analysis.rotation_scenario['name']} held for {rot['mission']['months']} months: "
                   f"{rot['filled_unit_months']:,} of {rot['needed_unit_months']:,} unit-months filled "
                   f"({pct(_share(rot['filled_unit_months'], rot['needed_unit_months']))}); "
                   + (f"the first gap in month {gap['month']} ({gap['start']})." if gap else "no gap."))
    d = analysis.deployment
    if d is not None and analysis.deployment_scenario is not None:
        plan, sim = d["plan"], d["simulation"]
        day = plan["completion_day"]
        out.append(f"Civilian deployment, {analysis.deployment_scenario['name']}: "
                   + (f"the plan has {plan['mission']['size']:,} experts in theatre on day {day:g}" if day is not None
                      else "the roster cannot fill the mission")
                   + f" against a deadline of day {plan['mission']['deadline_days']}; P(in time) "
                   f"{pct(sim['probability'])} (95% interval {pct(sim['ci_low'])}-{pct(sim['ci_high'])}); "
                   f"bottleneck: {plan['bottleneck']}.")
    return out


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _headline(analysis: Analysis) -> str:
    rows = "".join(_cells([("", esc(label)), ("", esc(value))]) for label, value in headline_rows(analysis))
    key = "".join(f"<li>{esc(text)}</li>" for text in findings(analysis))
    return (f"<table class='headline'>{rows}</table><div class='key'><p><b>Key findings</b></p><ul>{key}</ul></div>"
            "<p class='muted'>Units are counted in each capability's own unit (companies, aircraft, teams, experts) "
            "and summed across capabilities only as a rough scale. A requirement is met in readiness when enough "
            "units are ready within its response time; with rotation, an operation outlasting one tour needs the "
            "steady-state pool (tour and dwell of the case).</p>")


def _overview(analysis: Analysis) -> str:
    from kompas.forces import register

    ov = analysis.overview
    caps = register.capabilities()
    enablers = register.enablers()
    nations = len(ov["by_nation"])
    out = [f"<p>Every force element of edition {esc(ov['edition'])} the reader may see: <b>{ov['elements']:,} "
           f"elements, {ov['troops']:,} troops</b> from {nations} nations; {ov['experts']:,} civilian experts, "
           f"{ov['pools']:,} rotation pools, {ov['stocks']:,} stock lines. The Rapid Deployment Capacity draws its "
           "modules (up to 5,000 troops) from these.</p>", _overview_chart(ov)]
    comps = [(c, v["elements"], f"{v['troops']:,}") for c, v in ov["by_component"].items()]
    bands = [(f"{b} days", ov["readiness_bands"][b]) for b in BAND_ORDER if b in ov["readiness_bands"]]
    out.append("<table><tr><td style='border:none;padding-right:2em'>"
               + table(["component", "elements", "troops"], comps, (1, 2)) + "</td><td style='border:none'>"
               + table(["readiness", "elements"], bands, (1,)) + "</td></tr></table>")
    rows = []
    for code, c in ov["by_capability"].items():
        cap = caps.get(code)
        rows.append((code, cap.name if cap else "", cap.component if cap else "",
                     enablers.get(cap.enabler, "") if cap and cap.enabler else "", c["quantity"], c["elements"],
                     len(c["nations"]), c["fastest_days"]))
    out.append("<h3>Per capability</h3><div class='compact'>"
               + table(["capability", "name", "component", "Compass enabler", "quantity", "elements", "nations",
                        "fastest (days)"], rows, (4, 5, 6, 7)) + "</div>")
    by_nation = [(n, v["elements"], f"{v['troops']:,}", v["experts"]) for n, v in ov["by_nation"].items()]
    half = (len(by_nation) + 1) // 2  # two tables side by side: half the height (no page of leftover rows)
    names = ["nation", "elements", "troops", "experts"]
    out.append("<h3>Per nation</h3><div class='compact'><table class='sides'><tr><td>"
               + table(names, by_nation[:half], (1, 2, 3)) + "</td><td>"
               + (table(names, by_nation[half:], (1, 2, 3)) if by_nation[half:] else "") + "</td></tr></table></div>")
    return "\n".join(out)


def _gaps(analysis: Analysis) -> str:
    from kompas.forces import planning
    from kompas.services.forces_report import deployed_gaps

    r = analysis.review
    rank = {s: k for k, s in enumerate(planning.SEVERITIES)}
    gaps = sorted(deployed_gaps(analysis), key=lambda g: -rank.get(g["severity"], 0))  # stable: the review's order
    if not gaps:
        return "<p>The case requires no capability.</p>"
    deployed = any("deployment" in g for g in gaps)
    head = _head(["capability", "scenarios", "required: at once / with rotation", "offered / in time",
                  "covered / in time", "short: quantity / time", "coverage", "nations", "severity"]
                 + (["civilian deployment (section 7)"] if deployed else []))

    def verdict(g: dict[str, Any]) -> list[tuple[str, str]]:
        if not deployed:
            return []
        v = g.get("deployment")
        return [("verdict " + ("ok" if v["feasible"] else "bad"), esc(v["text"]))] if v else [("verdict", "")]

    body = "".join(_cells([
        ("", esc(g["capability"])), ("", esc(", ".join(g["scenarios"]))),
        ("n", esc(f"{g['required']} / {g['required_total']}")), ("n", esc(f"{g['offered']} / {g['offered_ready']}")),
        ("n", esc(f"{g['covered']} / {g['covered_ready']}")),
        ("n", esc(f"{g['quantity_shortfall']} / {g['readiness_shortfall']}")),
        ("n", esc(pct(g["coverage"]))), ("n", esc(g["nations"])), _sev(g["severity"]), *verdict(g)]) for g in gaps)
    late = [g["capability"] for g in gaps if g.get("review_severity") == "none"]
    note = ""
    if deployed:
        note = ("<p class='muted'>Civilian profiles: the review counts a profile covered in time when enough experts "
                "are offered and ready by their notice days; the civilian deployment plan (section 7) follows every "
                "stage (selection, clearances, training, kit, transport). Its verdict is in the last column: the "
                "plan's day for the whole mission, the experts of the profile in theatre by the deadline, and the "
                "probability of the whole mission in time by simulation."
                + (f" Not in time by the plan, though met by notice days: {esc(', '.join(late))}." if late else "")
                + "</p>")
    return (f"<p>Per capability the case requires, against edition {esc(r['edition'])}: what is required deployed at "
            "once and with rotation, what is offered (and ready in time), what can cover the requirement once "
            "nations' caveats are respected and no unit counts twice (a maximum flow), and the shortfalls. Most "
            "severe first.</p>" + _gap_chart(gaps, str(r["edition"]))
            + f"<div class='compact wide'><table><thead>{head}</thead><tbody>{body}</tbody></table></div>" + note
            + "<p class='muted'>Severity (a Kompas convention, not an EU scale): met; not in time (enough units, not "
            "all ready within the response time, or for a civilian profile not in theatre by the deadline in the "
            "deployment plan); partial (units missing, coverage at least half); critical (coverage below half).</p>")


def _trends(analysis: Analysis) -> str:
    t = analysis.review.get("trends")
    if not t:
        return (f"<p>One edition visible ({esc(analysis.edition)}): no trend. Contributions of another edition "
                "would show what changed.</p>")
    editions = list(t["editions"])
    out = [f"<p>Editions {esc(', '.join(editions))}, each computed from its own register only.</p>"]
    changes = [(c["before"] + " → " + c["after"], _join(c["closed"]), _join(c["opened"]), _join(c["improved"]),
                _join(c["worsened"])) for c in t["changes"]]
    out.append(table(["editions", "gaps closed", "gaps opened", "improved", "worsened"], changes))
    required = [row for row in t["rows"] if row["required"] is not None]
    others = [row for row in t["rows"] if row["required"] is None]
    if required:
        out.append(_trend_chart(required, editions))
        head = _head(["capability", "required", "offered", "change", "fastest (days)", "nations", "severity"])
        body = "".join(_cells([
            ("", esc(row["capability"])), ("n", esc(row["required"])),
            ("n", esc(" → ".join(str(x) for x in row["offered"]))), ("n", esc(f"{row['change']:+d}")),
            ("n", esc(" → ".join("-" if x is None else str(x) for x in row["fastest_days"]))),
            ("n", esc(" → ".join(str(x) for x in row["nations"]))),
            ("", " → ".join(f"<span style='color:{SEVERITY_COLOURS.get(s, '#111')}'>"
                            f"{esc(SEVERITY_TEXT.get(s, s))}</span>" for s in row["severity"] or []))])
            for row in required)
        out.append("<h3>Capabilities the case requires</h3><div class='compact'><table><thead>" + head
                   + f"</thead><tbody>{body}</tbody></table></div>")
        if analysis.deployment is not None and any(g.get("civilian") for g in analysis.review["gaps"]):
            out.append("<p class='muted'>Severities per edition as the review counts them (quantity and notice "
                       "days); whether the civilian mission deploys in time is the deployment plan's verdict "
                       f"(edition {esc(analysis.edition)}: section 3's last column and section 7).</p>")
    if others:
        out.append("<h3>Other capabilities offered</h3><div class='compact'>"
                   + table(["capability", "offered", "change", "nations"],
                           [(row["capability"], " → ".join(str(x) for x in row["offered"]), f"{row['change']:+d}",
                             " → ".join(str(x) for x in row["nations"])) for row in others], (1, 2, 3)) + "</div>")
    moved = sorted((n for n in t["nations"] if n["change"]), key=lambda n: (-abs(n["change"]), n["nation"],
                                                                            n["capability"]))
    if moved:
        out.append(f"<h3>Largest national changes</h3><p class='muted'>{len(moved)} national offers changed; the "
                   f"{min(len(moved), SHOWN_NATION_CHANGES)} largest:</p><div class='compact'>"
                   + table(["nation", "capability", "offered", "change"],
                           [(n["nation"], n["capability"], " → ".join(str(x) for x in n["quantities"]),
                             f"{n['change']:+d}") for n in moved[:SHOWN_NATION_CHANGES]], (2, 3)) + "</div>")
    return "\n".join(out)


def _force(f: dict[str, Any]) -> str:
    s = f["scenario"]
    from kompas.forces.model import MAX_TROOPS_RDC

    ok = f["status"] in ("optimal", "feasible")
    status = {"optimal": " (proved best)", "feasible": " (the best found within the time limit, not proved best)",
              "infeasible": " (no force covers every requirement)"}.get(f["status"], " (no answer within the time "
                                                                                  "limit)")

    rdc = (f" (the RDC's ceiling is {MAX_TROOPS_RDC:,})" if f["max_troops"] != MAX_TROOPS_RDC else
           " (the RDC's ceiling)")
    facts = "".join(_cells(c) for c in [
        [("", "status"), ("ok" if ok else "bad", esc(f["status"] + status))],
        [("", "troops"), ("", esc(f"{f['troops']:,} of at most {f['max_troops']:,}") + esc(rdc))],
        [("", "elements chosen"), ("", esc(f"{len(f['chosen'])} from {len(f['shares'])} nations; the largest "
                                         f"national share {f['peak']:,} troops"))],
        [("", "considered"), ("", esc(f"{f['considered']} elements: {len(f['excluded'])} not eligible, "
                                     f"{f['irrelevant']} offer none of the capabilities"))],
        [("", "solver"), ("", esc(f"CP-SAT, {f['seconds']:g} s"))]])
    out = [f"<h3>{esc(s['name'])}: {esc(s['title'])}</h3>",
           f"<p class='muted'>{esc(s['response_days'])} days' response, {esc(s['duration_days'])} days, "
           f"{esc(s['environment'])}, {esc(format(s['distance_km'], ',.0f'))} km"
           + (", ILLUSTRATIVE" if s["illustrative"] else "") + "</p>", f"<table>{facts}</table>"]
    if f["shares"]:
        out.append(_shares_chart(f["shares"], s["name"], f["max_troops"]))
        out.append("<div class='compact'>" + table(
            ["nation", "troops", "share"],
            [(n, f"{t:,}", pct(t / f["troops"]) if f["troops"] else "-") for n, t in f["shares"].items()],
            (1, 2)) + "</div>")
        out.append("<div class='compact'>" + table(
            ["element", "name", "troops", "ready (days)", "capabilities", "marking"],
            [(e["element"], e["name"], e["strength"], e["readiness_days"],
              ", ".join(f"{k} x{v}" for k, v in e["capabilities"].items()), e.get("marking", ""))
             for e in f["chosen"]], (2, 3)) + "</div>")
        out.append("<div class='compact'>" + table(
            ["requirement", "task", "required", "covered", "from"],
            [(c["capability"], c["task"] or "", c["required"], c["covered"],
              ", ".join(f"{k} x{v}" for k, v in c["sources"].items())) for c in f["covers"]], (2, 3)) + "</div>")
    if f["missing"]:
        what = "the best force for every requirement not missing is shown above; " if f["partial"] else ""
        out.append(f"<p><b>Missing set</b> ({what}the fewest requirements that must go uncovered"
                   + (", proved smallest" if f["missing_status"] == "optimal" else "") + "):</p>"
                   + "<div class='compact'>" + table(
                       ["requirement", "task", "required", "offered", "eligible", "why"],
                       [(m["capability"], m["task"] or "", m["required"], m["offered"], m["eligible"], m["reason"])
                        for m in f["missing"]], (2, 3, 4)) + "</div>")
        if f["ceiling_binds"]:
            out.append(f"<p>Without the {f['max_troops']:,}-troop ceiling every requirement is covered with "
                       f"{f['troops_without_ceiling']:,} troops.</p>")
    if f["excluded"]:
        shown = "; ".join(f"{x['element']}: {x['reason']}" for x in f["excluded"][:SHOWN_EXCLUSIONS])
        out.append(f"<p class='muted'>Not eligible ({len(f['excluded'])}), e.g. {esc(shown)}.</p>")
    return "\n".join(out)


def _forces(analysis: Analysis) -> str:
    out = [f"<p>The best force for each military scenario of the case from the elements of edition "
           f"{esc(analysis.edition)} the reader may see (kompas.forces.generation, exact with OR-Tools CP-SAT): every "
           "requirement covered, at most the scenario's troop ceiling, every element ready within the response "
           "time, national caveats respected, the burden spread across contributors; when no force can, the fewest "
           "requirements that must go uncovered, each with why.</p>"]
    out += [_force(f) for f in analysis.forces]
    if not analysis.forces:
        out.append("<p>The case has no military scenario.</p>")
    for s in analysis.not_generated:
        out.append(f"<p><b>{esc(s['scenario'])}</b>: not generated &mdash; {esc(s['reason'])}.</p>")
    return "\n".join(out)


def _gap_chart_rotations(r: dict[str, Any]) -> str:
    """Shortfall per position (rows) and mission month (columns): a heat map of the units missing."""
    import numpy as np

    plt = pyplot()
    positions = [p["id"] for p in r["mission"]["positions"]]
    months = int(r["mission"]["months"])
    short = np.zeros((len(positions), months))
    need = np.zeros((len(positions), months))
    row = {pos: k for k, pos in enumerate(positions)}
    for c in r["cover"]:
        short[row[c["position"]], c["month"]] = c["shortfall"]
        need[row[c["position"]], c["month"]] = c["needed"]
    fig, ax = plt.subplots(figsize=(8.6, 1.0 + 0.2 * len(positions)))
    shown = np.where(need > 0, short, np.nan)
    image = ax.imshow(shown, aspect="auto", cmap="Reds", vmin=0, vmax=max(1.0, float(np.nanmax(shown, initial=0))),
                      interpolation="nearest")
    ax.set_yticks(range(len(positions)), positions)
    ticks = list(range(0, months, 3))
    starts = {c["month"]: c["start"][:7] for c in r["cover"]}
    ax.set_xticks(ticks, [f"{m}\n{starts.get(m, '')}" for m in ticks])
    ax.set_xlabel("mission month (first day's year-month)")
    ax.tick_params(labelsize=6.5)
    fig.colorbar(image, ax=ax, label="units short", fraction=0.03, pad=0.01)
    fig.tight_layout()
    return figure(fig, f"Rotations for {r['mission']['name']}: units short per position and mission month (white: "
                       "every unit filled; darker: more missing).")


def _deployment_chart(d: dict[str, Any]) -> str:
    plt = pyplot()
    plan = d["plan"]
    timeline = plan["timeline"]
    days = [t["day"] for t in timeline]
    fig, ax = plt.subplots(figsize=(8.6, 2.8))
    for key, label, colour in (("selected", "selected", "#999"), ("trained", "trained", "#0033a0"),
                               ("in_theatre", "in theatre (arrived and equipped)", "#007a33")):
        ax.plot(days, [t[key] for t in timeline], label=label, color=colour, lw=1.6 if key == "in_theatre" else 1)
    size, deadline = plan["mission"]["size"], plan["mission"]["deadline_days"]
    ax.axhline(size, color="#555", lw=0.8, ls=":")
    ax.axvline(deadline, color="#c8102e", lw=1.2, ls="--", label=f"deadline (day {deadline})")
    ax.set_xlabel("days from the Council decision")
    ax.set_ylabel("experts")
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return figure(fig, f"{plan['mission']['name']}: experts selected, trained and in theatre day by day in the plan "
                       f"(every stage at its median), against the deadline of day {deadline} and the "
                       f"{size:,} needed.")


def _rotations(analysis: Analysis) -> str:
    r, held = analysis.rotations, analysis.rotation_scenario
    h = analysis.helsinki
    out: list[str] = []
    if r is None or held is None:
        out.append(f"<p>No rotation plan: {esc(analysis.rotation_error or 'not computed')}.</p>")
    else:
        m = r["mission"]
        out.append(f"<p>The case's longest military scenario, <b>{esc(held['name'])}</b> ({esc(held['title'])}, "
                   f"{held['duration_days']} days), held as a standing mission of {m['months']} months from "
                   f"{esc(m['start'])} to {esc(m['end'])}, decided on {esc(m['decision'])}: one position per "
                   "requirement, its quantity of units every month. Filled from the rotation pools of edition "
                   f"{esc(r['edition'])} the reader may see ({len(r['pools'])} pools of a needed capability; "
                   "kompas.forces.rotation, exact with OR-Tools CP-SAT"
                   + (", ILLUSTRATIVE" if r["illustrative"] else "") + ").</p>")
        gap = r["first_gap"]
        gap_text = "none" if gap is None else (
            f"month {gap['month']}, from {gap['start']} ({gap['months_ahead']} months after the decision): "
            + ", ".join(f"{pos} {n}" for pos, n in sorted(gap["shortfall"].items())))
        facts = [("unit-months needed", f"{r['needed_unit_months']:,}"),
                 ("unit-months filled", f"{r['filled_unit_months']:,} "
                                        f"({pct(_share(r['filled_unit_months'], r['needed_unit_months']))})"),
                 ("unit-months short", f"{r['shortfall_unit_months']:,}"),
                 ("first gap", gap_text),
                 ("contributors asked", f"{len(r['asks'])} nations, {len(r['tours'])} tours; the largest "
                                        f"national load {r['peak_troop_months']:,} troop-months"),
                 ("solver", f"{r['status']} (balance: {r['balance_status']}), {r['solve_s']:g} s")]
        out.append("<table class='headline'>" + "".join(_cells([("", esc(a)), ("", esc(b))]) for a, b in facts)
                   + "</table>")
        out.append(_gap_chart_rotations(r))
        if r["asks"]:
            out.append("<h3>What each contributor is asked for</h3><div class='compact'>" + table(
                ["nation", "first ask due", "units", "unit-months", "troop-months", "tours"],
                [(a["nation"], a["first_ask"], a["units"], f"{a['unit_months']:,}", f"{a['troop_months']:,}",
                  len(a["asks"])) for a in r["asks"]], (2, 3, 4, 5)) + "</div>")
        rows = []
        for x in r["sustainment"]:
            if not x["deployed_at_once"]:
                continue
            rules = x["rules"]
            rows.append((x["capability"] or "all capabilities", x["deployed_at_once"], x["distinct_units"],
                         f"{x['ratio']:.2f}" if x["ratio"] is not None else "-",
                         "; ".join(f"{q['tour_months']}/{q['dwell_months']}" for q in rules) or "-",
                         "; ".join(f"{q['units_per_deployed_steady_state']:.2f}" for q in rules) or "-",
                         "; ".join(f"{q['units_per_deployed_finite']}" for q in rules) or "-"))
        out.append("<h3>Sustainment ratios and the rules of thumb</h3><div class='compact'>" + table(
            ["capability", "deployed at once", "distinct units", "achieved ratio", "tour/dwell (months)",
             "rule: (t + w) / t", f"rule: {m['months']}-month mission"], rows, (1, 2, 3, 5, 6)) + "</div>"
            f"<p class='muted'>{esc(r['rules']['sustainment_ratio'])}</p>")
        if r["notes"]:
            out.append("<ul class='refs'>" + "".join(f"<li>{esc(n)}</li>" for n in r["notes"]) + "</ul>")
    if h:
        out.append(
            "<h3>The reference: the Helsinki Headline Goal</h3>"
            f"<p>{h['deployed']:,} deployed on {h['tour_months']}-month tours with {h['dwell_months']} months' dwell: "
            f"<b>{h['pool_steady_state']:,}</b> in the pool to sustain them indefinitely ({h['units_per_deployed']:g} "
            f"per deployed); a {h['duration_months']}-month operation deploys <b>{h['rotations_needed']:,}</b> "
            f"distinct people.</p><ul><li>{esc(h['rules']['pool_steady_state'])}</li>"
            f"<li>{esc(h['rules']['rotations_needed'])}</li><li>{esc(h['rules']['difference'])}</li></ul>"
            "<p class='muted'>Sources: " + esc(", ".join(h["sources"].values())) + "</p>")
    return "\n".join(out)


def _deployment(analysis: Analysis) -> str:
    from kompas.services.forces_report import LEVER_RUNS

    d, held = analysis.deployment, analysis.deployment_scenario
    if d is None or held is None:
        return f"<p>No civilian deployment: {esc(analysis.deployment_error or 'not computed')}.</p>"
    plan, sim = d["plan"], d["simulation"]
    m = plan["mission"]
    origin = ("the case's civilian scenario" if held["from_case"] else
              "the shipped civilian scenario (the case has none)")
    out = [f"<p><b>{esc(held['name'])}</b>, {origin}: {esc(held['title'])}. {m['size']:,} experts ("
           + esc(", ".join(f"{p} {n['count']}" for p, n in m["needs"].items())) + f") in theatre, arrived and "
           f"equipped, by day {m['deadline_days']} ({esc(m['deadline'])}) after the Council decision of "
           f"{esc(m['decision'])}, {esc(m['environment'])} environment. From the roster of edition "
           f"{esc(d['edition'])} the reader may see; stocks: {esc(d['stocks_from'])} "
           "(kompas.forces.deployment" + (", ILLUSTRATIVE" if d["illustrative"] else "") + ").</p>"]
    day = plan["completion_day"]
    verdict = (f"day {day:g}" + (f" ({esc(plan['completion_date'])})" if plan["completion_date"] else "")
               if day is not None else "never (the roster cannot fill the mission or kit never comes)")
    short = ", ".join(f"{k} {v}" for k, v in plan["shortfall"].items())
    percentiles = sim["percentiles"]
    facts = [("the plan (every stage at its median)", ("ok" if plan["feasible"] else "bad",
                                                       f"{m['size']:,} in theatre on {verdict}: "
                                                       + ("meets" if plan["feasible"] else "misses")
                                                       + f" the deadline of day {m['deadline_days']}")),
             ("bottleneck", ("", plan["bottleneck"] + (f" (short: {short})" if short else ""))),
             ("P(in theatre by the deadline)", ("", f"{pct(sim['probability'])} (95% Wilson interval "
                                                   f"{pct(sim['ci_low'])}-{pct(sim['ci_high'])}; {sim['runs']:,} runs, "
                                                   f"seed {sim['seed']})")),
             ("day the last is in theatre, simulated", ("", "; ".join(
                 f"{k}%: {'never' if v is None else format(v, 'g')}" for k, v in percentiles.items()))),
             ("runs the mix could not be filled / kit never came", ("", f"{sim['unfilled_runs']:,} / "
                                                                        f"{sim['blocked_runs']:,}"))]
    out.append("<table class='headline'>" + "".join(_cells([("", esc(a)), (c, esc(b))]) for a, (c, b) in facts)
               + "</table>")
    out.append(_deployment_chart(d))
    if plan["critical_path"]:
        out.append("<h3>Critical path</h3><div class='compact'>" + table(
            ["stage", "who", "from day", "to day", "days", "note"],
            [(s["stage"], s["who"], "-" if s["start_day"] is None else f"{s['start_day']:g}",
              "never" if s["end_day"] is None else f"{s['end_day']:g}",
              "-" if s["days"] is None else f"{s['days']:g}", s["note"]) for s in plan["critical_path"]],
            (2, 3, 4)) + "</div>")
    training = plan.get("training") or {}
    rows = [(course.upper(), provider, n) for course, by in training.items() for provider, n in by.items()]
    if rows:
        out.append("<h3>Where the selected experts are trained</h3><div class='compact'>"
                   + table(["course", "provider", "experts"], rows, (2,)) + "</div>"
                   "<p class='muted'>Nations whose seconding agency or national centre runs a course train their "
                   "experts on it; the ESDC calendar serves the others first (its fall-back role); see the "
                   "parameters below.</p>")
    if d["levers"]:
        def gain(x: float | None) -> str:
            return "from never" if x is None else f"{x:+g}"
        out.append("<h3>What would shorten it</h3><p class='muted'>Each lever alone, on the same selection and the "
                   f"same random draws ({LEVER_RUNS:,} runs each); best first.</p><div class='compact'>" + table(
                       ["lever", "what", "plan day", "days saved (plan)", "median day", "P(in time)", "P gained"],
                       [(g["lever"], g["description"] if g["applies"] else g["description"] + " (nothing to change)",
                         "never" if g["plan_day"] is None else f"{g['plan_day']:g}", gain(g["gain_plan_days"]),
                         "never" if g["median_day"] is None else f"{g['median_day']:g}", pct(g["probability"]),
                         f"{100 * g['gain_probability']:+.1f} pts") for g in d["levers"]], (2, 3, 4, 5, 6))
                   + "</div>")
    items = "".join(f"<li><b>{esc(name)}</b>" + (f": {esc(note)}" if note else "") + "</li>"
                    for name, note in analysis.deployment_assumed)
    out.append(f"<h3>Assumed parameters ({len(analysis.deployment_assumed)})</h3><p>No public figure exists for "
               "these; each is the data's assumption (kompas/data/forces/deployment.yaml), the reason given:</p>"
               f"<ul class='refs'>{items or '<li>none</li>'}</ul><p class='muted'>{len(d['sourced'])} parameters are "
               "sourced; their URLs are in section 8.</p>")
    return "\n".join(out)


def sources(analysis: Analysis) -> list[str]:
    """Every source URL the report rests on: the public facts, the case's and scenarios', the register rows', the
    rules of thumb's and the deployment parameters'."""
    out: list[str] = []
    extra = list(analysis.helsinki.get("sources", {}).values())
    if analysis.deployment is not None:
        extra += [u for urls in analysis.deployment["sourced"].values() for u in urls]
    for url in [u for _, u in PUBLIC_FACTS] + list(analysis.review["sources"]) + analysis.register_sources + extra:
        if url and url not in out:
            out.append(url)
    return out


def _assumptions(analysis: Analysis) -> str:
    from kompas.forces import planning

    r = analysis.review
    case = r["case"]
    items = "".join(f"<li>{esc(a)}</li>" for a in r["assumptions"]) or "<li>none stated</li>"
    conventions = [
        f"Severity: critical below {planning.CRITICAL_BELOW:.0%} coverage (a Kompas convention, not an EU scale).",
        f"Rotation: tours of {case['tour_months']} months, {case['dwell_months']} months' dwell, relief overlap "
        f"x{case['overlap']:g} (steady-state pool = deployed x (tour + dwell) / tour x overlap; the 1:2 'rule of "
        "thirds' by default); civilian experts are not rotated.",
        "Force generation's objective: 2 per troop plus 1 per troop of the largest national share, then the "
        "fastest force (Kompas's weights).",
        r.get("scope") or planning.SCOPE]
    notes = "".join(f"<li>{esc(text)} <span class='muted'>({n} record{'s' if n != 1 else ''})</span></li>"
                    for text, n in analysis.row_notes)
    refs = "".join(f"<li>{esc(u)}</li>" for u in sources(analysis))
    return (f"<h3>Assumed figures of the case and its scenarios ({len(r['assumptions'])})</h3><ul>{items}</ul>"
            "<h3>Kompas's conventions</h3><ul>" + "".join(f"<li>{esc(c)}</li>" for c in conventions) + "</ul>"
            f"<h3>What the register rows say about themselves</h3><p>{analysis.illustrative_records:,} of "
            f"{analysis.records:,} records read are labelled illustrative. Their notes (public fact, invented, "
            "assumed):</p>" + (f"<ul class='refs'>{notes}</ul>" if notes else "<p class='muted'>No row carries "
                                                                               "notes.</p>")
            + f"<h3>Sources</h3><ul class='refs'>{refs}</ul>")


def build(analysis: Analysis, banner: str, handling: str = "") -> str:
    """The report page for ``analysis`` with ``banner`` (and ``handling``) at the top and bottom of every page."""
    r = analysis.review
    title = r["title"] + (" (ILLUSTRATIVE)" if analysis.illustrative_data
                          else " (illustrative scenarios)" if analysis.illustrative else "")
    body = [f"<h1>{esc(title)}</h1>",
            f"<p class='muted'>Prepared {esc(analysis.as_of.isoformat())} from what the reader may see; marking "
            f"{esc(banner)}.</p>",
            _front(analysis),
            "<h2>1. Headline figures</h2>", _headline(analysis),
            "<h2 class='part'>2. Rapid Deployment Capacity overview</h2>", _overview(analysis),
            "<h2 class='part'>3. Capability gaps</h2>", _gaps(analysis),
            "<h2>4. Trends between editions</h2>", _trends(analysis),
            "<h2 class='part'>5. Force generation for the case's scenarios</h2>", _forces(analysis),
            "<h2 class='part'>6. Rotations for a standing mission</h2>", _rotations(analysis),
            "<h2 class='part'>7. Civilian deployment</h2>", _deployment(analysis),
            "<h2 class='part'>8. Assumptions and sources</h2>", _assumptions(analysis)]
    page = document.page(title, "\n".join(body), banner, handling)
    footer = FOOTER_DATA if analysis.illustrative_data else FOOTER_SCENARIOS if analysis.illustrative else ""
    style = _CSS.format(pages=_FOOTER.format(text=footer) if footer else "")
    return page.replace("</head>", f"<style>{style}</style></head>", 1)
