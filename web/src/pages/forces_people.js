// Rotations (#/forces/rotations, issue 28 item 3) and the civilian deployment (#/forces/civilian, item 4): a form
// for the mission, sent to the server (POST /api/v1/forces/rotations, POST /api/v1/forces/deploy, computed from the
// register the user may see or the ILLUSTRATIVE example set), and the answer drawn once its marking is on the banner.
// Rotations: the gaps forecast month by month, the first gap and how far ahead it falls, what each contributor is
// asked for and by when, the sustainment ratio beside the closed-form rules. Civilian: the day-by-day chart of the
// experts selected, cleared, trained, equipped and in theatre, the critical path, the probability of day 30 by
// simulation and the levers that would shorten it.
import uPlot from "uplot";
import { esc, showMarkings } from "../api.js";
import { ticks } from "../format.js";
import { ask, illustrative, int, link, mark, noRegister, num, pct } from "./forces_common.js";

/** The shared vocabulary's capability codes (a position's capability). */
const CAPABILITIES = ["force-hq", "infantry-company", "mechanised-infantry-company", "reconnaissance-company",
  "engineer-company", "cbrn-company", "military-police-platoon", "cimic-team", "eod-team", "logistics-company",
  "fire-support-battery", "force-protection-company", "medical-role1", "medical-role2", "strategic-airlift",
  "tactical-airlift", "sealift-ship", "utility-helicopter", "medevac-helicopter", "air-to-air-refuelling", "isr-uav",
  "isr-aircraft", "frigate", "amphibious-ship", "mine-countermeasures-vessel", "maritime-patrol-aircraft",
  "cyber-defence-team", "satcom-terminal", "ew-team", "sof-task-group"];
const PROFILES = ["monitor", "police-adviser", "rule-of-law-adviser", "border-management", "human-rights-adviser",
  "civil-administration", "security-sector-reform", "mission-security-officer", "logistics-officer",
  "medical-officer", "cis-officer", "finance-procurement", "head-of-office"];
const STAGES = { call: "call for contributions", selection: "selection", clearance: "security clearance",
  medical: "medical clearance", notice: "notice period", availability: "availability", pdt: "pre-deployment training",
  heat: "hostile environment awareness training", decision: "Council decision", unit: "formed unit",
  transport: "transport", equipment: "equipment" };
const SERIES = [["selected", "selected", "#9bb0d9"], ["cleared", "security-cleared", "#7b2cbf"],
  ["medical", "medically cleared", "#2e7d32"], ["trained", "trained", "#e07000"], ["equipped", "equipped", "#8a6d3b"],
  ["in_theatre", "in theatre", "#c8102e"]];

/** Before anything is computed: the example set is ILLUSTRATIVE, said before the form. */
function exampleNote(ctx, what) {
  return ctx.example ? `<p class="frc-illustrative" id="frc-illustrative" role="note"><strong>ILLUSTRATIVE</strong> —
    ${esc(what)} are ILLUSTRATIVE: public facts split into invented figures, not any member state's offer.</p>` : "";
}

/** Send a computing request and draw its answer after its marking is on the banner; errors as text. */
async function compute(ctx, box, status, path, body, what, draw) {
  const { view } = ctx;
  status.textContent = "Computing…";
  let answer;
  try {
    answer = await ask(path, { method: "POST", body });
  } catch (error) {
    status.textContent = "";
    await noRegister(ctx, box, error, `No ${what.toLowerCase()}`);
    return null;
  }
  if (!view.isConnected) return null;
  await showMarkings(view, [answer.marking].filter(Boolean));  // the banner first
  if (!view.isConnected) return null;
  status.textContent = "";
  box.innerHTML = draw(answer);
  return answer;
}

// --- rotations ---------------------------------------------------------------------------------------------------

export async function showRotations(ctx, body) {
  const { view } = ctx;
  await showMarkings(view, []);  // nothing marked yet: the form only
  const start = `${new Date().getUTCFullYear() + 1}-01-01`;
  body.innerHTML = `${exampleNote(ctx, "The example set's rotation pools")}
    <section class="card" aria-labelledby="frc-rot-title">
      <h2 id="frc-rot-title">Rotations for a standing mission</h2>
      <p class="muted">Who serves which months of a mission from the rotation pools offered (tour lengths, dwell
        between tours, availability, readiness), exactly (OR-Tools CP-SAT): the gaps forecast month by month, what
        each contributor is asked for and by when, and the sustainment ratio the schedule needs beside the published
        rules of thumb (a force of D sustained with tours of t months and dwell of w needs D·(t + w)/t).</p>
      <form class="filters" id="frc-rot-form" aria-label="The mission">
        <label>Mission<input name="name" value="standing mission" maxlength="120" size="18"></label>
        <label>Start<input name="start" type="date" value="${esc(start)}" required></label>
        <label>Months<input name="months" type="number" min="1" max="120" value="24" style="width:5em"></label>
        <label>Decision day<input name="decision" type="date" value="${esc(new Date().toISOString().slice(0, 10))}"
          title="Units are asked from then on (empty: the start)"></label>
        ${[["mechanised-infantry-company", 2], ["engineer-company", 1], ["medical-role2", 1]].map(([c, n], k) => `
          <label>Position ${k + 1}<input name="capability" list="frc-capabilities-list" value="${esc(c)}" size="24"
            aria-label="Position ${k + 1}: capability"></label>
          <label>Units<input name="units" type="number" min="0" max="1000" value="${n}" style="width:4em"
            aria-label="Position ${k + 1}: units at once"></label>`).join("")}
        <datalist id="frc-capabilities-list">${CAPABILITIES.map((c) => `<option value="${esc(c)}">`).join("")}</datalist>
        <button type="submit">Plan the rotations</button>
        <span class="muted" id="frc-rot-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-rot-result" aria-live="polite"><p class="muted">State the mission and plan the rotations.</p></div>
    </section>`;
  const form = body.querySelector("#frc-rot-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const caps = [...form.querySelectorAll("input[name=capability]")].map((i) => i.value.trim());
    const units = [...form.querySelectorAll("input[name=units]")].map((i) => Number(i.value || 0));
    const positions = caps.map((c, k) => ({ id: `p${k + 1}-${c}`, capability: c, units: units[k] }))
      .filter((p) => p.capability && p.units > 0);
    const mission = { name: f.name.value.trim() || "mission", start: f.start.value, months: Number(f.months.value),
      positions };
    if (f.decision.value) mission.decision = f.decision.value;
    const request = { mission, example: ctx.example };
    if (ctx.edition) request.edition = ctx.edition;
    await compute(ctx, body.querySelector("#frc-rot-result"), body.querySelector("#frc-rot-status"),
      "/api/v1/forces/rotations", request, "Rotations", rotations);
  });
}

function rotations(answer) {
  const p = answer.plan && answer.plan.cover ? answer.plan : answer;
  const m = p.mission || {};
  const first = p.first_gap;
  const months = m.months || Math.max(0, ...p.cover.map((c) => c.month + 1));
  const positions = [...new Set(p.cover.map((c) => c.position))];
  const cell = new Map(p.cover.map((c) => [`${c.position}|${c.month}`, c]));
  return `
    <p class="frc-verdict" id="frc-rot-verdict" data-status="${esc(p.status)}"><span class="${p.shortfall_unit_months
      ? "no" : "ok"}">${p.shortfall_unit_months ? `${int(p.shortfall_unit_months)} unit-month(s) short`
      : "Every position filled"}</span>: ${int(p.filled_unit_months)} of ${int(p.needed_unit_months)} unit-months
      filled over ${int(months)} months from ${esc(m.start || "-")} (${esc(p.status)}${p.optimal ? ", proved" : ""}).
      ${mark(answer.marking?.banner || answer.banner || "")}</p>
    ${illustrative(answer.illustrative !== undefined ? answer : p, "frc-rot-illustrative", "this schedule")}
    ${first ? `<p id="frc-first-gap" class="no">First gap: mission month ${int(first.month + 1)} (from
      ${esc(first.start)}), ${int(first.months_ahead)} month(s) after the decision: ${esc(Object.entries(first.shortfall)
      .map(([k, v]) => `${k} short by ${v}`).join(", "))}.</p>` : `<p id="frc-first-gap" class="ok">No gap forecast.</p>`}
    <h3 id="frc-cover-title">Gaps forecast (units filled / needed, month by month)</h3>
    <div class="frc-scroll"><table id="frc-cover" aria-labelledby="frc-cover-title"><thead><tr>
      <th scope="col">Position</th>${Array.from({ length: months }, (_, k) => `<th scope="col" class="n">${k + 1}</th>`)
      .join("")}</tr></thead><tbody>${positions.map((pos) => `<tr data-position="${esc(pos)}"><th scope="row">${esc(pos)}
      </th>${Array.from({ length: months }, (_, k) => {
        const c = cell.get(`${pos}|${k}`);
        if (!c) return "<td></td>";
        return `<td class="n${c.shortfall > 0 ? " short" : ""}" title="${esc(`${c.start}: ${c.filled} of ${c.needed}`)}"
          ${c.shortfall > 0 ? 'style="background:#fbd5da"' : ""}>${int(c.filled)}/${int(c.needed)}</td>`;
      }).join("")}</tr>`).join("")}</tbody></table></div>
    <h3 id="frc-asks-title">What each contributor is asked for</h3>
    <table id="frc-asks" aria-labelledby="frc-asks-title"><thead><tr><th scope="col">Nation</th>
      <th scope="col">First ask by</th><th scope="col" class="n">Units</th><th scope="col" class="n">Unit-months</th>
      <th scope="col" class="n">Troop-months</th><th scope="col">Tours (unit: position, months, ask by)</th></tr></thead>
      <tbody>${(p.asks || []).map((a) => `<tr data-nation="${esc(a.nation)}"><td>${esc(a.nation)}</td>
        <td class="time">${esc(a.first_ask)}</td><td class="n">${int(a.units)}</td><td class="n">${int(a.unit_months)}</td>
        <td class="n">${int(a.troop_months)}</td><td class="notes">${esc(a.asks.map((t) => `${t.unit}: ${t.position},
        ${t.start} – ${t.end}${t.cut ? " (cut)" : ""}, ask by ${t.ask_by}`).join("; "))}</td></tr>`).join("")
        || `<tr><td colspan="6" class="muted">Nobody asked: no pool serves these positions.</td></tr>`}</tbody></table>
    <h3 id="frc-sustain-title">Sustainment ratio</h3>
    <table id="frc-sustainment" aria-labelledby="frc-sustain-title"><thead><tr><th scope="col">Capability</th>
      <th scope="col" class="n">Deployed at once</th><th scope="col" class="n">Distinct units</th>
      <th scope="col" class="n">Ratio</th><th scope="col">Rules of thumb (tour/dwell: units per deployed, pool)</th>
      </tr></thead><tbody>${(p.sustainment || []).map((s) => `<tr data-capability="${esc(s.capability || "all")}">
        <td>${esc(s.capability || "all")}</td><td class="n">${int(s.deployed_at_once)}</td>
        <td class="n">${int(s.distinct_units)}</td><td class="n">${num(s.ratio, 2)}</td><td class="notes">${esc((s.rules
        || []).map((r) => `${r.tour_months}/${r.dwell_months} months: steady state ${num(r.units_per_deployed_steady_state,
        2)} (pool ${r.steady_state_pool}), this mission ${r.units_per_deployed_finite} (pool ${r.finite_pool})`)
        .join("; "))}</td></tr>`).join("")}</tbody></table>
    ${p.rules ? `<details><summary>The rules</summary><ul>${Object.entries(p.rules).map(([k, v]) => `<li><strong>${esc(
      k.replace(/_/g, " "))}</strong>: ${esc(v)}</li>`).join("")}</ul></details>` : ""}
    ${p.notes?.length ? `<ul class="muted">${p.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
    ${p.sources ? `<details><summary>Sources</summary><ul>${Object.entries(p.sources).map(([k, v]) => `<li>${esc(k)}:
      ${link(v)}</li>`).join("")}</ul></details>` : ""}`;
}

// --- the civilian deployment -------------------------------------------------------------------------------------

export async function showCivilian(ctx, body) {
  const { view } = ctx;
  await showMarkings(view, []);  // nothing marked yet: the form only
  body.innerHTML = `${exampleNote(ctx, "The example set's civilian roster (synthetic) and warehouse stocks")}
    <section class="card" aria-labelledby="frc-civ-title">
      <h2 id="frc-civ-title">A civilian mission: 200 experts in 30 days</h2>
      <p class="muted">From the civilian roster and the Strategic Warehouse: who is selected, the day-by-day count of
        experts selected, cleared, trained, equipped and in theatre, the critical path, the probability of meeting the
        deadline given the roster's availability (simulated), and what would shorten it. Days count from the Council
        decision (day 0).</p>
      <form class="filters" id="frc-civ-form" aria-label="The civilian mission">
        <label>Council decision<input name="decision" type="date" title="Empty: today (the example set: 1 March of
          its edition's year, the year its synthetic roster's availability is stated for)"></label>
        <label>Profile<select name="profile"><option value="">the shipped civilian-200-in-30 mix</option>${PROFILES
          .map((p) => `<option value="${esc(p)}">only ${esc(p)}</option>`).join("")}</select></label>
        <label>Experts<input name="count" type="number" min="1" max="20000" value="200" style="width:6em"
          title="With one profile: how many"></label>
        <label>Deadline (days)<input name="deadline_days" type="number" min="0" max="3650" value="30"
          style="width:5em"></label>
        <label>Environment<select name="environment"><option value="uncertain">uncertain</option>
          <option value="permissive">permissive</option><option value="non-permissive">non-permissive</option>
          </select></label>
        <label>Call sent (days before the decision)<input name="call_lead_days" type="number" min="0" max="365"
          value="0" style="width:5em"></label>
        <label>Simulation runs<input name="runs" type="number" min="100" max="20000" value="2000"
          style="width:7em"></label>
        <button type="submit">Plan the deployment</button>
        <span class="muted" id="frc-civ-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-civ-result" aria-live="polite"><p class="muted">State the mission and plan the deployment.</p></div>
    </section>`;
  const form = body.querySelector("#frc-civ-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const request = { deadline_days: Number(f.deadline_days.value || 30), environment: f.environment.value,
      call_lead_days: Number(f.call_lead_days.value || 0), runs: Number(f.runs.value || 2000), example: ctx.example };
    if (f.decision.value) request.decision = f.decision.value;
    if (f.profile.value) request.needs = { [f.profile.value]: { count: Number(f.count.value || 1) } };
    if (ctx.edition) request.edition = ctx.edition;
    const answer = await compute(ctx, body.querySelector("#frc-civ-result"), body.querySelector("#frc-civ-status"),
      "/api/v1/forces/deploy", request, "Civilian deployment", civilian);
    if (answer) chart(body.querySelector("#frc-civ-chart"), answer);
  });
}

const parts = (answer) => {
  const a = answer.assessment || answer;
  return { plan: a.plan || {}, simulation: a.simulation || {}, levers: a.levers || [], assumed: a.assumed || [],
    sourced: a.sourced || {} };
};

function civilian(answer) {
  const { plan, simulation: sim, levers, assumed, sourced } = parts(answer);
  const m = plan.mission || {};
  const done = plan.completion_day !== null && plan.completion_day !== undefined;
  const met = done && plan.completion_day <= m.deadline_days;
  const never = (p) => (p === null || p === undefined ? "never (in some runs the mission is not complete)"
    : `day ${num(p, 1)}`);
  return `
    <p class="frc-verdict" id="frc-civ-verdict" data-feasible="${plan.feasible ? "true" : "false"}"
      data-met="${met ? "true" : "false"}"><span class="${met ? "ok" : "no"}">${done ? `The ${int(m.size)}th expert
      is in theatre on day ${num(plan.completion_day, 1)} (${esc(plan.completion_date || "-")})${met ? "" : ", after "
      + "the deadline"}` : `${int(m.size)} experts cannot be deployed from this roster and stock`}</span>; the
      deadline is day ${int(m.deadline_days)} (${esc(m.deadline || "-")}), decided ${esc(m.decision || "-")}.
      ${mark(answer.marking?.banner || answer.banner || "")}</p>
    ${illustrative(answer.illustrative !== undefined ? answer : plan, "frc-civ-illustrative", "this deployment plan")}
    <p id="frc-civ-probability">Probability of meeting day ${int(sim.deadline_days ?? m.deadline_days)}:
      <span class="frc-prob">${pct(sim.probability, 1)}</span> (${esc(`${Math.round((sim.confidence ?? 0.95) * 100)}`)}
      % interval ${pct(sim.ci_low, 1)} – ${pct(sim.ci_high, 1)}; ${int(sim.runs)} simulated runs, seed ${esc(sim.seed)};
      median ${esc(never(sim.percentiles?.["50"]))}, 95th percentile ${esc(never(sim.percentiles?.["95"]))}${
      sim.unfilled_runs ? `; ${int(sim.unfilled_runs)} run(s) unfilled` : ""}${sim.blocked_runs ? `; ${int(
      sim.blocked_runs)} run(s) without kit` : ""}).</p>
    <h3 id="frc-civ-chart-title">Day by day (the plan, every stage at its median)</h3>
    <div id="frc-civ-chart" class="frc-plot" role="img" aria-label="Experts selected, cleared, trained, equipped and
      in theatre by day from the decision"></div>
    <h3 id="frc-critical-title">Critical path${plan.bottleneck ? ` (bottleneck: ${esc(STAGES[plan.bottleneck]
      || plan.bottleneck)})` : ""}</h3>
    <table id="frc-critical" aria-labelledby="frc-critical-title"><thead><tr><th scope="col">Stage</th>
      <th scope="col">Who</th><th scope="col" class="n">From day</th><th scope="col" class="n">To day</th>
      <th scope="col" class="n">Days</th><th scope="col">Note</th></tr></thead>
      <tbody>${(plan.critical_path || []).map((s) => `<tr data-stage="${esc(s.stage)}"><td>${esc(STAGES[s.stage]
        || s.stage)}</td><td>${esc(s.who)}</td><td class="n">${num(s.start_day, 1)}</td><td class="n">${num(s.end_day,
        1)}</td><td class="n">${num(s.days, 1)}</td><td class="notes">${esc(s.note || "")}</td></tr>`).join("")
        || `<tr><td colspan="6" class="muted">No path: nobody deployed.</td></tr>`}</tbody></table>
    <h3 id="frc-levers-title">What would shorten it</h3>
    <table id="frc-levers" aria-labelledby="frc-levers-title"><thead><tr><th scope="col">Lever</th>
      <th scope="col" class="n">Plan day</th><th scope="col" class="n">Median day</th>
      <th scope="col" class="n">Probability</th><th scope="col" class="n">Days saved (plan)</th>
      <th scope="col" class="n">Points added</th></tr></thead>
      <tbody>${levers.map((l) => `<tr data-lever="${esc(l.lever)}"${l.applies ? "" : ' class="muted"'}><td>${esc(
        l.description || l.lever)}${l.applies ? "" : " (nothing to change)"}</td><td class="n">${num(l.plan_day, 1)}</td>
        <td class="n">${num(l.median_day, 1)}</td><td class="n">${pct(l.probability, 1)}</td>
        <td class="n">${num(l.gain_plan_days, 1)}</td><td class="n">${num((l.gain_probability ?? 0) * 100, 1)}</td>
        </tr>`).join("") || `<tr><td colspan="6" class="muted">No lever computed.</td></tr>`}</tbody></table>
    ${(plan.bottlenecks || []).length ? `<details><summary>Stages by weight</summary><table id="frc-bottlenecks">
      <thead><tr><th scope="col">Stage</th><th scope="col" class="n">Days on the critical path</th>
      <th scope="col" class="n">Experts whose day it set</th><th scope="col" class="n">Days waiting in its queue</th>
      </tr></thead><tbody>${plan.bottlenecks.map((b) => `<tr><td>${esc(STAGES[b.stage] || b.stage)}</td>
      <td class="n">${num(b.critical_days, 1)}</td><td class="n">${int(b.experts_bound)}</td>
      <td class="n">${num(b.waiting_days, 1)}</td></tr>`).join("")}</tbody></table></details>` : ""}
    ${answer.stocks_from ? `<p class="muted" id="frc-stocks-from">Equipment from ${esc(answer.stocks_from)}.</p>` : ""}
    ${Object.keys(plan.shortfall || {}).length ? `<p class="no">Short: ${esc(Object.entries(plan.shortfall)
      .map(([k, v]) => `${k} ${v}`).join(", "))}.</p>` : ""}
    ${assumed.length ? `<details><summary>${int(assumed.length)} figure(s) assumed, unsourced</summary><ul>${assumed
      .map((a) => `<li>${esc(a)}</li>`).join("")}</ul></details>` : ""}
    ${Object.keys(sourced).length ? `<details><summary>Sourced figures</summary><ul>${Object.entries(sourced)
      .map(([k, urls]) => `<li>${esc(k)}: ${(Array.isArray(urls) ? urls : [urls]).map(link).join(", ")}</li>`)
      .join("")}</ul></details>` : ""}
    ${(plan.notes || []).length ? `<ul class="muted">${plan.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}`;
}

/** The day-by-day chart (uPlot): each stage's count by day, with the deadline and the size needed. */
function chart(box, answer) {
  const { plan } = parts(answer);
  const days = plan.timeline || [];
  if (!box || !days.length) {
    if (box) box.innerHTML = `<p class="muted">No day to draw.</p>`;
    return;
  }
  const m = plan.mission || {};
  const x = days.map((d) => d.day);
  new uPlot({ width: Math.max(320, Math.min(900, box.clientWidth - 10)), height: 280, scales: { x: { time: false } },
    series: [{ label: "day", value: (u, v) => (v == null ? "-" : `day ${v}`) },
      ...SERIES.map(([, label, colour]) => ({ label, stroke: colour, width: label === "in theatre" ? 2.5 : 1.2 }))],
    axes: [{ label: "days from the Council decision", values: ticks }, { label: "experts", size: 60, values: ticks }],
    hooks: { draw: [(u) => {
      const { ctx } = u;
      ctx.save();
      ctx.strokeStyle = "#111";
      ctx.setLineDash([6, 4]);
      if (m.deadline_days !== undefined) {
        const px = u.valToPos(m.deadline_days, "x", true);
        ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke();
      }
      if (m.size) {
        const py = u.valToPos(m.size, "y", true);
        ctx.beginPath(); ctx.moveTo(u.bbox.left, py); ctx.lineTo(u.bbox.left + u.bbox.width, py); ctx.stroke();
      }
      ctx.restore();
    }] } },
  [x, ...SERIES.map(([key]) => days.map((d) => d[key]))], box);
  box.dataset.days = String(days.length);
  box.dataset.inTheatre = String(days[days.length - 1].in_theatre);
}
