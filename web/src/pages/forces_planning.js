// Capability planning (#/forces/planning, issue 28 item 5): a planning case (shipped scenarios run at the same time,
// or one scenario) against the register: the requirements it derives (concurrency and rotation included), the gap per
// capability coloured by severity, the trends between editions, and the headline figures of the annual review
// (GET /api/v1/forces/planning/cases, /gaps, /trends, /review). The case and the edition are links (a new visit, so
// the banner shows what this view shows); the three answers' markings are on the banner before anything is drawn.
import { esc, showMarkings } from "../api.js";
import { ask, illustrative, int, link, mark, noRegister, pct } from "./forces_common.js";

/** The case shown first: the report's and the daily cycle's (kompas.services.forces.DEFAULT_CASE). */
export const DEFAULT_CASE = "rdc-stabilisation-and-civilian-mission";

const SEVERITY = { critical: "critical (less than half covered)", partial: "partial (short in quantity)",
  readiness: "readiness (enough, not ready in time)", none: "none (covered and ready)" };

export async function showPlanning(ctx, body) {
  const { view, own } = ctx;
  const [cases, scenarios] = await Promise.all([ask("/api/v1/forces/planning/cases"), ask("/api/v1/forces/scenarios")]);
  const names = new Set([...cases.map((c) => c.name), ...scenarios.map((s) => s.name)]);
  const preferred = cases.find((c) => c.default)?.name || (names.has(DEFAULT_CASE) ? DEFAULT_CASE : "");
  const caseName = names.has(own.get("case")) ? own.get("case") : preferred || cases[0]?.name || scenarios[0]?.name;
  const editions = ctx.editions.map((e) => e.edition);
  const edition = ctx.edition || editions[editions.length - 1] || "";
  const upTo = editions.filter((e) => e <= edition);
  const list = (eds) => eds.map((e) => `&edition=${encodeURIComponent(e)}`).join("");
  const q = `case=${encodeURIComponent(caseName)}&example=${ctx.example}`;
  let gaps;
  let review;
  let trends;
  try {
    [gaps, review, trends] = await Promise.all([
      ask(`/api/v1/forces/planning/gaps?${q}${edition ? `&edition=${encodeURIComponent(edition)}` : ""}`),
      ask(`/api/v1/forces/planning/review?${q}${list(upTo)}`),
      editions.length >= 2 ? ask(`/api/v1/forces/planning/trends?${q}${list(editions)}`).catch((error) => ({ error }))
        : Promise.resolve({ error: new Error(`trends need at least two editions; ${editions.length ? `only ${
          editions[0]} is` : "none is"} ${ctx.example ? "in the example set" : "visible to you"}`) }),
    ]);
  } catch (error) {
    await noRegister(ctx, body, error);
    return;
  }
  const kase = gaps.case;
  const anyIllustrative = gaps.illustrative || review.illustrative || trends.illustrative;
  // whether the register itself is illustrative (not only the case's scenarios): the answers' own flag, else the
  // trends' (computed from the registers alone), else the overviews of the editions reviewed (their markings are
  // those of the same documents, painted with the others)
  const told = [gaps, review, trends].filter((a) => typeof a.illustrative_data === "boolean");
  let data = ctx.example || told.some((a) => a.illustrative_data);
  let overviews = [];
  if (!data && !told.length && anyIllustrative) {
    if (!kase.illustrative) data = true;  // nothing else can be
    else if (!trends.error && upTo.every((e) => (trends.editions || []).includes(e))) data = Boolean(trends.illustrative);
    else {
      try {
        overviews = await Promise.all((upTo.length ? upTo : [edition]).map((e) => ask(
          `/api/v1/forces/overview?example=false${e ? `&edition=${encodeURIComponent(e)}` : ""}`)));
      } catch (error) {
        await noRegister(ctx, body, error);
        return;
      }
      data = overviews.some((o) => o.illustrative);
    }
  }
  await showMarkings(view, [gaps.marking, review.marking, trends.marking, ...overviews.map((o) => o.marking)]
    .filter(Boolean));  // the banner first
  const h = review.headline || {};
  const severities = h.gaps_by_severity || {};
  const civilian = (gaps.gaps || []).some((g) => g.civilian);
  body.innerHTML = `
    ${illustrative({ illustrative: anyIllustrative, example: ctx.example }, "frc-illustrative",
      "this capability review", data)}
    <form class="filters" id="frc-case-form" aria-label="Planning case">
      <label>Planning case<select name="case"><optgroup label="Cases (scenarios at the same time)">${cases.map((c) =>
        `<option value="${esc(c.name)}"${c.name === caseName ? " selected" : ""}>${esc(c.title || c.name)}${
        c.illustrative ? " (ILLUSTRATIVE)" : ""}</option>`).join("")}</optgroup><optgroup label="One scenario">${
        scenarios.map((s) => `<option value="${esc(s.name)}"${s.name === caseName ? " selected" : ""}>${esc(
        s.title || s.name)}</option>`).join("")}</optgroup></select></label>
    </form>
    <section aria-labelledby="frc-review-title">
      <h2 id="frc-review-title">${esc(review.title || `Capability review: ${kase.title || kase.name}`)}</h2>
      <p class="frc-marked" id="frc-planning-marking">This review is marked ${mark(review.banner
        || review.marking.banner)}${gaps.banner && gaps.banner !== review.banner ? `; the gaps ${mark(gaps.banner)}`
        : ""}${trends.banner ? `; the trends ${mark(trends.banner)}` : ""}: computed from the register documents
        you may see.</p>
      ${review.scope ? `<p class="muted" id="frc-scope">${esc(review.scope)}</p>` : ""}
      <p class="muted">${esc(review.meeting || "")}</p>
      <div class="frc-figures" id="frc-headline">
        <div><strong>${int(h.capabilities_met)} / ${int(h.capabilities_required)}</strong><span>capabilities
          met</span></div>
        <div data-severity="critical"><strong>${int(severities.critical)}</strong><span>critical gaps</span></div>
        <div data-severity="partial"><strong>${int(severities.partial)}</strong><span>partial gaps</span></div>
        <div data-severity="readiness"><strong>${int(severities.readiness)}</strong><span>readiness gaps</span></div>
        <div><strong>${pct(h.quantity_coverage)}</strong><span>of the units covered (${int(h.units_covered)} of
          ${int(h.units_required_total)})</span></div>
        <div><strong>${pct(h.readiness_coverage)}</strong><span>covered and ready in time (${int(
          h.units_covered_ready)} of ${int(h.units_required)})</span></div>
        <div><strong>${int(h.nations)}</strong><span>nations offering</span></div>
        <div><strong>${int(h.operations)}</strong><span>operations at once (${int(h.scenarios)} scenario(s))</span>
          </div>
        <div><strong>${int(h.personnel_ceiling)}</strong><span>personnel ceiling</span></div>
      </div>
      ${civilian ? `<p class="muted" id="frc-civilian-note">Civilian profiles count as met here when enough experts
        are offered and ready by their notice days. Whether the mission has them in theatre by its deadline (selection,
        clearances, training, kit, transport) is the <a href="${esc(ctx.href("civilian"))}">civilian deployment</a>'s
        answer; the forces report puts its verdict beside these rows.</p>` : ""}
      ${h.previous_edition ? `<p id="frc-since">Since ${esc(h.previous_edition)}: gaps closed ${esc((h.closed_since
        || []).join(", ") || "none")}; gaps opened ${esc((h.opened_since || []).join(", ") || "none")}.</p>` : ""}
      <p class="muted">Case: ${esc(kase.title || kase.name)}${kase.notes ? `. ${esc(kase.notes)}` : ""} Tours of
        ${int(kase.tour_months)} months, dwell ${int(kase.dwell_months)} months; scenarios: ${esc((kase.scenarios || [])
        .map((s) => `${s.title || s.name} ×${s.count ?? s.concurrency ?? 1}`).join("; "))}.</p>
    </section>
    <section aria-labelledby="frc-gaps-title">
      <h2 id="frc-gaps-title">Gaps against edition ${esc(gaps.edition)}</h2>
      <div class="frc-legend" aria-label="Severity colours">${Object.entries(SEVERITY).map(([k, v]) =>
        `<span><i class="frc-sev-${k}"></i>${esc(v)}</span>`).join("")}</div>
      <div class="frc-scroll"><table id="frc-gaps" aria-labelledby="frc-gaps-title"><thead><tr>
        <th scope="col">Capability</th><th scope="col">Severity</th><th scope="col" class="n">Required at once</th>
        <th scope="col" class="n">Required with rotation</th><th scope="col" class="n">Ready within (days)</th>
        <th scope="col" class="n">Offered</th><th scope="col" class="n">Offered ready</th>
        <th scope="col" class="n">Covered</th><th scope="col" class="n">Covered ready</th>
        <th scope="col" class="n">Short</th><th scope="col" class="n">Short in time</th>
        <th scope="col" class="n">Excluded by caveats</th><th scope="col" class="n">Coverage</th>
        <th scope="col" class="n">Nations</th></tr></thead>
        <tbody>${gaps.gaps.map((g) => `<tr class="frc-sev-${esc(g.severity)}" data-capability="${esc(g.capability)}"
          data-severity="${esc(g.severity)}"><td>${esc(g.capability)}${g.civilian ? ' <span class="muted">(civilian)'
          + "</span>" : ""}${g.rotating ? ' <span class="muted">(rotating)</span>' : ""}</td>
          <td class="sev">${esc(g.severity)}</td><td class="n">${int(g.required)}</td>
          <td class="n">${int(g.required_total)}</td><td class="n">${int(g.readiness_days)}</td>
          <td class="n">${int(g.offered)}</td><td class="n">${int(g.offered_ready)}</td><td class="n">${int(g.covered)}</td>
          <td class="n">${int(g.covered_ready)}</td><td class="n">${int(g.quantity_shortfall)}</td>
          <td class="n">${int(g.readiness_shortfall)}</td><td class="n">${int(g.caveat_excluded)}</td>
          <td class="n">${pct(g.coverage)}</td><td class="n" title="${esc(Object.entries(g.by_nation || {}).map(([n, x]) =>
          `${n} ${x}`).join(", "))}">${int(g.nations)}</td></tr>`).join("")
          || `<tr><td colspan="14" class="muted">The case requires nothing.</td></tr>`}</tbody></table></div>
    </section>
    <section aria-labelledby="frc-trends-title">
      <h2 id="frc-trends-title">Trends between editions</h2>
      <div id="frc-trends">${trends.error ? `<p class="muted" id="frc-trends-none">No trends: ${esc(
        trends.error.message)}.</p>` : trendView(trends)}</div>
    </section>
    <section aria-labelledby="frc-assumptions-title">
      <h2 id="frc-assumptions-title">Assumptions and sources</h2>
      ${(review.assumptions || gaps.assumptions || []).length ? `<ul id="frc-assumptions">${(review.assumptions
        || gaps.assumptions).map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`
        : `<p class="muted">No assumed figure.</p>`}
      ${(review.sources || []).length ? `<ul id="frc-sources">${review.sources.map((u) => `<li>${link(u)}</li>`)
        .join("")}</ul>` : ""}
    </section>`;
  body.querySelector("#frc-case-form select").addEventListener("change", (event) => {
    location.hash = ctx.href("planning", { case: event.target.value });  // a new view, its own banner
  });
}

/** The trends: offered per capability in each edition (grouped bars, the required quantity as a red tick; the
 * case's capabilities first, the others apart, each chart on its own scale), the gaps closed and opened, and each
 * nation's change. */
function trendView(t) {
  const eds = t.editions || [];
  const changes = t.changes || [];
  const moved = (t.nations || []).filter((n) => n.change);
  const required = t.rows.filter((r) => r.required !== null && r.required !== undefined);
  const others = t.rows.filter((r) => r.required === null || r.required === undefined);
  const colours = ["#9bb0d9", "#003399", "#e07000", "#2e7d32", "#7b2cbf"];
  const chart = (id, rows, caption) => {
    const top = Math.max(1, ...rows.flatMap((r) => [...r.offered, r.required ?? 0]));
    return `<div class="frc-chart grouped" id="${id}" role="img" aria-label="${esc(caption)}">${rows.map((r) => `<div
      class="row" data-key="${esc(r.capability)}" data-offered="${esc(r.offered.join(","))}"><span class="label"
      title="${esc(r.capability)}">${esc(r.capability)}</span><span class="track">${r.offered.map((v, k) => `<span
      class="fill e${k % 5}" style="width:${(v / top * 100).toFixed(2)}%"></span>`).join("")}${r.required !== null
      && r.required !== undefined ? `<i style="left:${(r.required / top * 100).toFixed(2)}%"
      title="required ${esc(r.required)}"></i>` : ""}</span><span class="value">${esc(r.offered.join(" → "))}${
      r.change ? ` (${r.change > 0 ? "+" : ""}${esc(r.change)})` : ""}${r.required !== null && r.required
      !== undefined ? ` of ${esc(r.required)}` : ""}</span></div>`).join("")}</div>`;
  };
  return `
    <div class="frc-legend">${eds.map((e, k) => `<span><i style="background:${colours[k % 5]}"></i>offered,
      ${esc(e)}</span>`).join("")}${t.case ? `<span><i style="background:#c8102e;width:3px"></i>required by the
      case</span>` : ""}</div>
    ${required.length ? `<h3>The case's capabilities</h3>${chart("frc-trends-chart", required,
      "Offered quantity per capability the case requires, in each edition")}` : ""}
    ${others.length ? `<details id="frc-trends-others"${required.length ? "" : " open"}><summary>Other capabilities and
      civilian profiles offered (${int(others.length)})</summary>${chart(required.length ? "frc-trends-other-chart"
      : "frc-trends-chart", others, "Offered quantity per capability or profile in each edition")}</details>` : ""}
    <table id="frc-changes"><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Gaps closed</th>
      <th scope="col">Gaps opened</th><th scope="col">Improved</th><th scope="col">Worsened</th></tr></thead>
      <tbody>${changes.map((c) => `<tr><td>${esc(c.before)}</td><td>${esc(c.after)}</td>
        <td>${esc(c.closed.join(", ") || "-")}</td><td>${esc(c.opened.join(", ") || "-")}</td>
        <td>${esc((c.improved || []).join(", ") || "-")}</td><td>${esc((c.worsened || []).join(", ") || "-")}</td></tr>`)
        .join("") || `<tr><td colspan="6" class="muted">No change.</td></tr>`}</tbody></table>
    <details id="frc-nation-changes"><summary>Each nation's change (${int(moved.length)})</summary>
      <table><thead><tr><th scope="col">Nation</th><th scope="col">Capability or profile</th>
        <th scope="col" class="n">${esc(eds.join(" → "))}</th><th scope="col" class="n">Change</th></tr></thead>
        <tbody>${moved.map((n) => `<tr><td>${esc(n.nation)}</td><td>${esc(n.capability)}</td>
          <td class="n">${esc(n.quantities.join(" → "))}</td><td class="n">${n.change > 0 ? "+" : ""}${esc(n.change)}</td>
          </tr>`).join("")}</tbody></table></details>`;
}
