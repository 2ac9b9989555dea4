"""The Observatory's biennial report on critical technologies and strategic dependencies (roadmap, seed 003
l.405-519: "a classified report on critical technologies and strategic-dependency risks ... every two years").

Sections: key findings; dependencies ranked by criticality with share charts; the supply-chain graph coloured by
risk; technologies by exposure; stress tests; trends; candidate mitigations with the roadmap lines that name them;
inputs with named providers but no shares; method and data. Everything is computed from the supply chain given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kompas.observatory.chain import TECHNOLOGY_KINDS, SupplyChain
from kompas.observatory.config import UNATTRIBUTED, Config
from kompas.observatory.load import load_mitigations
from kompas.observatory.metrics import Dependency, assess, roll_up, trends
from kompas.observatory.mitigations import Instrument, propose
from kompas.observatory.stress import CRITICAL_PCT, Loss, stress, technologies_hit
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

RISK_COLOURS = {"high": "#d62728", "medium": "#ff9f1c", "low": "#2ca02c", "unknown": "#bdbdbd"}
GROUP_COLOURS = {"EU27": "#003399", "like_minded": "#6baed6", "other": "#d62728", UNATTRIBUTED: "#bdbdbd"}
GROUP_LABEL = {"EU27": "EU", "like_minded": "like-minded partners", "other": "others", UNATTRIBUTED: "unattributed"}
RANKED = 25  #: Rows of the ranked table.
STRESS_ROWS = 12  #: Rows of each stress-test table.


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _country(code: str | None) -> str:
    return "unattributed" if code == UNATTRIBUTED else code or "-"


def _share_chart(deps: Sequence[Dependency], config: Config) -> str:
    """Stacked bars of the riskiest inputs' supply by country, coloured by group, largest countries labelled."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(deps) + 1.0), constrained_layout=True)
    for row, d in enumerate(deps):
        left = 0.0
        total = sum(d.country_shares.values()) or 1.0
        for code, share in sorted(d.country_shares.items(), key=lambda kv: -kv[1]):
            width = 100 * share / total
            group = UNATTRIBUTED if code == UNATTRIBUTED else config.group_of(code)
            ax.barh(row, width, left=left, color=GROUP_COLOURS[group], edgecolor="white", linewidth=0.6)
            if width >= 8:
                ax.text(left + width / 2, row, code if code != UNATTRIBUTED else "?", ha="center", va="center",
                        fontsize=6.5, color="white")
            left += width
    ax.set_yticks(range(len(deps)), [f"{d.input_name[:45]} ({d.year})" for d in deps], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of world supply (%)", fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in GROUP_COLOURS.values()]
    ax.legend(handles, list(GROUP_LABEL.values()), fontsize=7, ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0))
    return figure(fig, "Supply of the riskiest inputs by country (ISO 3166 codes), coloured by country group.")


def _graph_figure(chain: SupplyChain, by_id: dict[str, Dependency]) -> str | None:
    """The supply-chain graph in layers (suppliers left, technologies right), nodes coloured by risk."""
    import networkx as nx

    graph = chain.graph
    linked = graph.subgraph([n for n in graph if graph.degree(n) > 0]).copy()
    if linked.number_of_nodes() < 3 or not nx.is_directed_acyclic_graph(linked):
        return None
    # columns by distance to the end product (so that each input sits just left of what it goes into), rows spread
    depth: dict[str, int] = {}
    for n in reversed(list(nx.topological_sort(linked))):
        depth[n] = max((depth[m] + 1 for m in linked.successors(n)), default=0)
    columns: dict[int, list[str]] = {}
    for n in linked:
        columns.setdefault(depth[n], []).append(n)
    pos: dict[str, tuple[float, float]] = {}
    for d in sorted(columns):  # each column ordered by where its successors are (fewer crossings)
        nodes = sorted(columns[d], key=lambda n: (sum(pos[m][1] for m in linked.successors(n)) / max(
            1, linked.out_degree(n)), chain.inputs[n].name))
        pos |= {n: (-d, (k + 0.5) / len(nodes) - 0.5) for k, n in enumerate(nodes)}
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 9), constrained_layout=True)
    nx.draw_networkx_edges(linked, pos, ax=ax, alpha=0.2, arrowsize=5, width=0.5, node_size=40)
    colours = [RISK_COLOURS[by_id[n].risk if n in by_id else "unknown"] for n in linked]
    sizes = [90 if chain.inputs[n].kind in TECHNOLOGY_KINDS else 40 for n in linked]
    shapes = [n for n in linked if chain.inputs[n].kind in TECHNOLOGY_KINDS]
    nx.draw_networkx_nodes(linked, pos, ax=ax, node_color=colours, node_size=sizes, linewidths=0.3,
                           edgecolors="black")
    nx.draw_networkx_nodes(linked, pos, nodelist=shapes, ax=ax, node_color="none", node_size=140,
                           node_shape="s", linewidths=0.8, edgecolors="black")
    labels = {n: chain.inputs[n].name[:28] for n in linked
              if chain.inputs[n].kind in TECHNOLOGY_KINDS or (n in by_id and by_id[n].risk == "high")}
    for n, text in labels.items():
        ax.text(pos[n][0], pos[n][1] + 0.008, text, fontsize=5.2, ha="center", va="bottom")
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=r) for r, c in RISK_COLOURS.items()]
    ax.legend(handles=handles, fontsize=7, loc="lower right", title="risk", title_fontsize=7)
    ax.axis("off")
    return figure(fig, "The supply chain: inputs (circles) flow left to right into processes, stages and the "
                       "finished product (squared). Colour: criticality of the input's own supply; grey: no "
                       "shares in the data. Technologies and high-risk inputs are named.", dpi=150)


def _stress_chart(name: str, losses: Sequence[Loss]) -> str:
    plt = pyplot()
    shown = list(losses[:15])
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(shown) + 1.0), constrained_layout=True)
    ax.barh(range(len(shown)), [x.supply_lost_pct for x in shown],
            color=["#d62728" if x.supply_lost_pct >= CRITICAL_PCT else "#ff9f1c" for x in shown])
    ax.set_yticks(range(len(shown)), [x.input_name[:45] for x in shown], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.axvline(CRITICAL_PCT, color="black", lw=0.8, ls="--")
    ax.set_xlabel("supply lost (%)", fontsize=8)
    return figure(fig, f"Scenario {name}: supply lost per input (dashed: {CRITICAL_PCT:g}%, from which the "
                       "technologies needing the input count as affected).")


def _default_scenarios(deps: Sequence[Dependency]) -> list[list[str]]:
    """The three countries that are the largest supplier of the most scored inputs."""
    leaders = Counter(d.top_country for d in deps if d.score is not None and d.top_country)
    return [[code] for code, _ in leaders.most_common(3)]


def _mitigation_rows(deps: Sequence[Dependency], rules: Sequence[Instrument]) -> list[tuple]:
    rows = []
    for d in deps:
        for k, r in enumerate(propose(d.flags, rules, limit=3)):
            rows.append((d.input_name if k == 0 else "", ", ".join(f.replace("_", " ") for f in d.flags)
                         if k == 0 else "", r.name, r.action, r.citation))
    return rows


def build(chain: SupplyChain, config: Config, banner: str, handling: str = "", year: int | None = None,
          scenarios: Sequence[Sequence[str]] | None = None, rejected: int = 0) -> str:
    """The report as one self-contained HTML page. ``scenarios``: lists of provider ids cut together (default
    :func:`_default_scenarios`); ``rejected``: rows the readers rejected (stated in the method)."""
    deps = assess(chain, config, year)
    by_id = {d.input_id: d for d in deps}
    scored = [d for d in deps if d.score is not None]
    high = [d for d in scored if d.risk == "high"]
    single = [d for d in scored if d.single_point]
    outside_single = [d for d in single if config.group_of(d.single_point if d.single_point in chain.providers
                                                           else d.top_country or "") == "other"]
    eu_strong = sorted((d for d in scored if (d.eu_share_pct or 0) >= 50), key=lambda d: -(d.eu_share_pct or 0))
    techs = roll_up(chain, deps)
    changes = trends(chain, config)
    rules = load_mitigations()
    scenarios = [list(s) for s in scenarios] if scenarios else _default_scenarios(deps)
    results = [(" + ".join(chain.providers[p].name for p in ids), stress(chain, ids, config)) for ids in scenarios]
    years = sorted({d.year for d in scored if d.year})
    sources = sorted({node.source for node in chain.inputs.values() if node.source})
    findings = [f"{len(scored)} inputs have supply shares ({', '.join(map(str, years))}); {len(high)} are high "
                f"risk, {len(single)} depend on a single country or company for at least "
                f"{config.thresholds['single_point_pct']:g}% of supply."]
    if outside_single:
        findings.append("Single points of failure outside the EU and like-minded partners: " + "; ".join(
            f"{d.input_name} ({_country(d.top_country)} {_pct(d.top_share_pct)})" for d in outside_single[:6]) + ".")
    findings.append("Riskiest: " + "; ".join(f"{d.input_name} (score {d.score:.2f}, {_country(d.top_country)} "
                                             f"{_pct(d.top_share_pct)})" for d in scored[:5]) + ".")
    if eu_strong:
        findings.append("EU strengths (EU share at least 50%): " + "; ".join(
            f"{d.input_name} {_pct(d.eu_share_pct)}" for d in eu_strong[:6]) + ".")
    for name, losses in results:
        hit = [x for x in losses if x.supply_lost_pct >= CRITICAL_PCT]
        affected = {t for x in hit for t in x.technologies}
        findings.append(f"Without {name}: {len(hit)} inputs lose at least {CRITICAL_PCT:g}% of supply, "
                        f"{len(affected)} technologies lose a critical input"
                        + (f" (worst: {hit[0].input_name}, {hit[0].supply_lost_pct:.0f}%)" if hit else "") + ".")
    if changes:
        grew = changes[0]
        findings.append(f"Fastest-growing concentration: {grew.input_name}, HHI {grew.hhi_change:+.0f} from "
                        f"{grew.first_year} to {grew.last_year}.")
    ranked_rows = [(k, d.input_name, d.kind.replace("_", " "), d.year, f"{d.score:.2f} {d.risk}",
                    f"{_country(d.top_country)} {_pct(d.top_share_pct)}", _pct(d.eu_share_pct),
                    _pct(d.outside_share_pct), f"{d.hhi_country:.0f}", d.n_countries, d.single_point or "-",
                    ", ".join(r.id for r in propose(d.flags, rules, limit=2)))
                   for k, d in enumerate(scored[:RANKED], 1)]
    tech_rows = [(t.name, len(t.inputs), len(t.high), len(t.single_points),
                  "; ".join(f"{by_id[i].input_name} {by_id[i].score:.2f}" for i in t.inputs[:3]) or "-")
                 for t in techs]
    stress_parts = []
    for name, losses in results:
        rows = [(x.input_name, f"{x.supply_lost_pct:.1f}%", x.year,
                 "; ".join(f"{k} {v:.1f}%" for k, v in x.lost_from.items()), len(x.technologies))
                for x in losses[:STRESS_ROWS]]
        hit_techs = technologies_hit(losses)
        hit_text = ("<p>Technologies losing critical inputs: " + esc("; ".join(
            f"{chain.inputs[t].name} ({n})" for t, n in hit_techs[:8])) + ".</p>") if hit_techs else ""
        stress_parts.append(f"<h3>Without {esc(name)}</h3>" + hit_text + (
            _stress_chart(name, losses) + table(("input", "supply lost", "year", "lost from", "technologies "
                                                 "affected"), rows, numeric=(1, 4))
            if losses else "<p>No input loses supply.</p>"))
    trend_rows = [(t.input_name, f"{t.first_year}-{t.last_year}", _country(t.top_country),
                   f"{t.top_share_change_pct:+.1f} pt", f"{t.hhi_change:+.0f}", f"{t.outside_change_pct:+.1f} pt",
                   "; ".join(f"{_country(c)} {v:+.1f}" for c, v in list(t.changes.items())[:4])) for t in changes]
    unscored = [d for d in deps if d.basis == "named"]
    weights = ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in config.weights.items())
    body = f"""
<h1>Critical technologies and strategic dependencies</h1>
<p>The Observatory of Critical Technologies' report to the member states (critical technologies roadmap,
l.405-519): which inputs of the technologies in the data depend on few suppliers or on suppliers outside the EU and
its like-minded partners, what a cut-off would do, and which EU instruments the roadmap names to reduce each
dependency. Data: {esc(", ".join(sources))}; {len(chain.inputs)} inputs, {len(chain.providers)} providers.</p>
<div class="key"><ul>{"".join(f"<li>{esc(f)}</li>" for f in findings)}</ul></div>
<h2>Dependencies ranked by criticality</h2>
<div class="small">{table(("#", "input", "kind", "year", "score", "largest supplier", "EU", "outside like-minded",
                          "HHI", "countries", "single point", "candidate mitigations"), ranked_rows,
                         numeric=(0, 8, 9))}</div>
{_share_chart(scored[:20], config) if scored else ""}
<h2>The supply chain</h2>
{_graph_figure(chain, by_id) or "<p>The data hold no supply-chain links to draw.</p>"}
<h2>Technologies by exposure</h2>
<p>Each technology with the inputs it needs (directly or through others) that have shares, the high-risk ones among
them, its single points of failure and its three riskiest inputs.</p>
{table(("technology", "inputs assessed", "high risk", "single points", "riskiest inputs (score)"), tech_rows,
       numeric=(1, 2, 3))}
<h2>Stress tests</h2>
<p>A country or company cut out of supply entirely (export ban, blockade, bankruptcy). An input loses its supplier's
share; a technology is affected when an input it needs loses at least {CRITICAL_PCT:g}%.</p>
{"".join(stress_parts)}
<h2>Trends</h2>
{table(("input", "years", "largest supplier", "its share", "HHI change", "outside like-minded", "largest changes "
        "(points)"), trend_rows) if trend_rows else "<p>No input has shares for two years.</p>"}
<h2>Candidate mitigations</h2>
<p>For each high-risk dependency, the instruments of the critical technologies roadmap that address its kind of
dependency (rule table <code>kompas/data/observatory_mitigations.yaml</code>, each rule citing the roadmap lines).
Candidates for discussion, not decisions.</p>
{table(("dependency", "kind", "instrument", "what it does", "roadmap"), _mitigation_rows(high[:15], rules))
 if high else "<p>No high-risk dependency.</p>"}
<h2>Inputs with named providers but no shares</h2>
{table(("input", "year", "companies by headquarters country"), [(d.input_name, d.year, ", ".join(
    f"{_country(c)} {n}" for c, n in sorted(d.named_countries.items(), key=lambda kv: -kv[1]))) for d in unscored])
 if unscored else "<p>None.</p>"}
<h2>Method and data</h2>
<p class="muted">Per input, the latest year with shares{f" up to {year}" if year else ""}: the Herfindahl-Hirschman
index of country shares (0-10,000; unattributed supply left out), the EU share, the share from outside the EU and
the like-minded partners ({esc(", ".join(sorted(config.groups["like_minded"])))}; unattributed supply counted as
outside), the largest country, and single points of failure (one country or company with at least
{config.thresholds['single_point_pct']:g}%). Criticality, which the Commission is still defining (roadmap footnote
5), is the weighted mean of five terms: {esc(weights)}; high from {config.thresholds['high']:g}, medium from
{config.thresholds['medium']:g} (kompas/data/observatory.yaml justifies the defaults; --config changes them).
Where a source gives company shares only, countries are the companies' headquarters. CSET's "EUR" aggregate is
counted as EU. USGS shares are over the sum of the country rows when all are given, over the rounded world total when
one is withheld. {rejected} rows of the data were rejected as malformed and left out. The CSET dataset is CC BY-NC
4.0 (non-commercial use, attribution: CSET / Emerging Technology Observatory); USGS data are public domain.</p>
"""
    return document.page("Critical technologies and strategic dependencies", body, banner, handling)


def write(chain: SupplyChain, config: Config, path: Path, banner: str, handling: str = "", year: int | None = None,
          scenarios: Sequence[Sequence[str]] | None = None, rejected: int = 0) -> Path:
    """Write the report to ``path`` (``.html`` or ``.pdf``)."""
    return document.write(build(chain, config, banner, handling, year, scenarios, rejected), path)
