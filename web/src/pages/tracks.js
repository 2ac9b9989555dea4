// Tracked conjunction events: each encounter once, followed across the daily screenings to a decision. The list is
// paged, sorted and filtered by the server; an event's page shows its level, trends and status, the history of miss
// distance and Pc (with the method behind each Pc and the element sets' ages), and records a decision.
import uPlot from "uplot";
import { esc, request, showMarkings } from "../api.js";
import { ticks, timeTicks, uplotUtc, utc } from "../format.js";
import { serverTable } from "../table.js";
import { objectNames, pcText } from "./conjunctions.js";

const LEVEL_WORDS = { red: "red (Pc ≥ 1e-4)", yellow: "yellow (Pc ≥ 1e-5)", green: "green (Pc < 1e-5)",
  unknown: "unknown (no Pc)" };
const TREND = { rising: "↑ rising", falling: "↓ falling", steady: "→ steady" };
const DECISIONS = { mitigate: "Mitigate (plan a manoeuvre)", accept: "Accept the risk", monitor: "Monitor" };

const level = (l) => `<span class="level level-${esc(l)}">${esc(l)}</span>`;
const trend = (t) => (t ? esc(TREND[t] || t) : "<span class='muted'>-</span>");

export async function renderTracks(view) {
  view.innerHTML = `
    <h1>Tracked conjunctions</h1>
    <p class="muted">Each encounter once: the updates of successive screenings (the same pair, TCAs within 10 minutes)
      with their miss distance, Pc and trends, until a decision. Levels: red Pc ≥ 1e-4, yellow ≥ 1e-5.</p>
    <form class="filters" id="filters" aria-label="Filter tracked conjunctions">
      <label>NORAD id<input name="norad_id" type="number" min="1" step="1" inputmode="numeric"></label>
      <label>TCA from (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>TCA until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <span id="count" class="muted" aria-live="polite"></span>
    </form>
    <table id="tracks"><thead></thead><tbody></tbody></table>`;
  let names = {};
  await serverTable({
    view, path: "/api/v1/conjunction-events", table: view.querySelector("#tracks"),
    form: view.querySelector("#filters"), status: view.querySelector("#count"), defaultSort: "-updated",
    rowAttributes: (e) => `class="link" tabindex="0" data-id="${esc(e.id)}"`,
    prepare: async (items) => {  // names come from element sets, each under its own marking
      const found = await objectNames([...new Set(items.flatMap((e) => e.norad_ids))], true);
      names = found.names;
      return found.markings;
    },
    columns: [
      { label: "Newest update", sort: ["-updated", "-updated"], cell: (e) => `<span class="time">${esc(utc(e.last_linked_utc))}</span>` },
      { label: "TCA (UTC)", sort: ["tca", "-tca"], cell: (e) => `<span class="time">${esc(utc(e.tca_utc))}</span>` },
      { label: "Pair", sort: null, cell: (e) => e.norad_ids.map((id) => `<a href="#/object/${esc(id)}">${esc(names[id]
        || "?")}</a> <span class="muted">${esc(id)}</span>`).join("<br>") },
      { label: "Updates", sort: null, numeric: true, cell: (e) => String(e.updates) },
      { label: "Miss (km)", sort: null, numeric: true, cell: (e) => e.miss_km.toFixed(3) },
      { label: "Pc", sort: ["-pc", "-pc"], descFirst: true, numeric: true, cell: (e) => pcText(e) },
      { label: "Level", sort: null, cell: (e) => `${level(e.level)}${e.max_level !== e.level
        ? ` <span class="muted">(was ${esc(e.max_level)})</span>` : ""}` },
      { label: "Pc trend", sort: null, cell: (e) => trend(e.pc_trend) },
      { label: "Miss trend", sort: null, cell: (e) => trend(e.miss_trend) },
      { label: "Status", sort: null, cell: (e) => esc(e.status) + (e.decision ? `: ${esc(e.decision.decision)}` : "") },
      { label: "Marking", sort: null, cell: (e) => `<span class="mark">${esc(e.marking.banner)}</span>` },
    ],
  });
  const body = view.querySelector("#tracks tbody");
  const open = (tr) => { if (tr?.dataset.id) location.hash = `#/track/${tr.dataset.id}`; };
  body.addEventListener("click", (event) => { if (!event.target.closest("a")) open(event.target.closest("tr")); });
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.target.closest("a")) open(event.target.closest("tr"));
  });
}

export async function renderTrack(view, id) {
  const e = await request(`/api/v1/conjunction-events/${id}`);
  const { names, markings } = await objectNames(e.norad_ids, true);
  await showMarkings(view, [e.marking, ...e.history.map((u) => u.marking), ...markings]);  // the banner first
  const pair = e.norad_ids.map((n) => `<a href="#/object/${n}">${esc(names[n] || "?")} (${n})</a>`).join(" – ");
  const newest = e.history[e.history.length - 1];
  view.innerHTML = `
    <h1>Tracked conjunction ${esc(names[e.primary_id] || e.primary_id)} – ${esc(names[e.secondary_id] || e.secondary_id)}</h1>
    <div class="card">
      <dl class="evidence">
        <dt>Pair</dt><dd>${pair}</dd>
        <dt>TCA (newest estimate, UTC)</dt><dd><b>${esc(utc(e.tca_utc))}</b></dd>
        <dt>Newest</dt><dd>miss <b>${e.miss_km.toFixed(3)} km</b>, Pc <b>${pcText(e)}</b>
          ${e.pc_basis ? `<span class="muted">(${esc(e.pc_basis)})</span>` : ""}; level ${level(e.level)}
          ${e.max_level !== e.level ? `(highest so far: ${esc(LEVEL_WORDS[e.max_level])})` : ""}</dd>
        <dt>Trends (last 3 updates)</dt><dd>Pc ${trend(e.pc_trend)}; miss ${trend(e.miss_trend)}</dd>
        <dt>Status</dt><dd><b>${esc(e.status)}</b>${e.decision ? `: ${esc(DECISIONS[e.decision.decision])} by
          ${esc(e.decision.by)} at ${esc(utc(e.decision.decided_utc))}: “${esc(e.decision.note)}”
          <span class="mark">${esc(e.decision.marking.banner)}</span>` : ""}</dd>
        <dt>Updates</dt><dd>${e.updates}, data from ${esc(utc(e.first_epoch_utc))} to ${esc(utc(e.last_epoch_utc))};
          the newest is <a href="#/conjunction/${esc(newest.conjunction_id)}">conjunction ${esc(newest.conjunction_id)}</a>
          (geometry, distance plots, CDM)</dd>
      </dl>
      <p class="mark">${esc(e.marking.banner)}</p>
    </div>
    <div class="plots">
      <div><h2>Pc by update</h2><div id="pc-history" role="img" aria-label="Pc of each update over the data time, UTC"></div></div>
      <div><h2>Miss distance by update</h2><div id="miss-history" role="img" aria-label="Miss distance of each update over the data time, UTC"></div></div>
    </div>
    <h2>History</h2>
    <table id="history"><thead><tr><th scope="col">#</th><th scope="col">Data time (UTC)</th><th scope="col">TCA (UTC)</th>
      <th scope="col" class="n">Miss (km)</th><th scope="col" class="n">Pc</th><th scope="col">Basis</th>
      <th scope="col">Level</th><th scope="col" class="n">Element-set ages at TCA (d)</th><th scope="col">Covariance</th>
      <th scope="col">CDM</th><th scope="col">Marking</th></tr></thead>
      <tbody>${e.history.map((u) => `<tr><td class="n">${u.seq}</td><td class="time">${esc(utc(u.epoch_utc))}</td>
        <td class="time">${esc(utc(u.tca_utc))}</td><td class="n">${u.miss_km.toFixed(3)}</td><td class="n">${pcText(u)}</td>
        <td title="${esc((u.pc_flags || []).join(", ") || "no usage check failed")}">${esc(u.pc_basis || "")}</td>
        <td>${level(u.level)}</td><td class="n">${[u.primary_age_days, u.secondary_age_days].map((a) => (a === null
          || a === undefined ? "-" : a.toFixed(2))).join(" / ")}</td><td>${esc((u.covariance_methods || []).join(" / "))}</td>
        <td><a href="#/conjunction/${esc(u.conjunction_id)}">${esc(u.message_id || "open")}</a></td>
        <td><span class="mark">${esc(u.marking.banner)}</span></td></tr>`).join("")}</tbody></table>
    <form class="card" id="decision" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <p class="muted">Recorded under the combined marking of the updates you see; it closes the event until an update
        reaches a higher level.</p>
      <div class="filters">
        <label>Decision<select name="decision">${Object.entries(DECISIONS).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join("")}</select></label>
        <label>Note<input name="note" required maxlength="4000" size="50" placeholder="reason, manoeuvre plan, contact"></label>
        <button type="submit">Record</button>
      </div>
      <p id="decision-status" role="status" aria-live="polite" class="muted"></p>
    </form>`;
  plotHistory(view.querySelector("#pc-history"), e.history, (u) => (u.pc > 0 ? u.pc : null), "Pc", "#c8102e", true);
  plotHistory(view.querySelector("#miss-history"), e.history, (u) => u.miss_km, "miss (km)", "#003399", false);
  view.querySelector("#decision").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    const status = view.querySelector("#decision-status");
    try {
      const done = await request(`/api/v1/conjunction-events/${id}/decision`, { method: "POST", body: form });
      await showMarkings(view, [done.marking]);
      await renderTrack(view, id);  // the event as it now stands (status, decision)
      view.querySelector("#decision-status").textContent = `Recorded: ${done.decision.decision}; the event is ${done.status}.`;
    } catch (error) {
      status.textContent = `Not recorded: ${error.message}`;
    }
  });
}

/** One value per update over the data time (UTC); Pc on a log scale. */
function plotHistory(box, history, value, label, colour, log) {
  const x = history.map((u) => Date.parse(utc(u.epoch_utc)) / 1000);
  const y = history.map(value);
  if (!y.some((v) => v !== null)) {
    box.innerHTML = `<p class="muted">No ${esc(label)} in any update.</p>`;
    return;
  }
  new uPlot({ width: Math.max(320, box.clientWidth - 10), height: 240, tzDate: uplotUtc(uPlot),
    scales: { y: log ? { distr: 3 } : {} },
    series: [{ label: "UTC", value: (u, v) => (v == null ? "-" : utc(v * 1000)) },
      { label, stroke: colour, width: 1.5, points: { show: true, size: 7 },
        value: (u, v) => (v == null ? "-" : (log ? v.toExponential(2) : v.toFixed(3))) }],
    axes: [{ label: "data time (UTC)", values: timeTicks, size: 60 },
      { label, size: 80, values: log ? (u, vals) => vals.map((v) => v.toExponential(0)) : ticks }] },
  [x, y], box);
}
