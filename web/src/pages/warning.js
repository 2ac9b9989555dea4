// Early warning (#/warning, issue 26): conflict forecasts evaluated as the VIEWS prediction challenge evaluates them,
// the warnings a forecast raises, and the climate-security watchlist (GET /api/v1/warning/..., kompas.services.warning).
//
// - Evaluation: per model (the four challenge benchmarks Kompas rebuilds, and Kompas's own model trained only on data
//   before the window's cut-off), the mean CRPS, ignorance score and mean interval score over the window's
//   country-months, and Kompas's CRPS over the conflictology benchmark's.
// - Forecast: the chosen model's forecast per country (expected deaths, the probabilities the warnings use) and the
//   warnings raised under the default thresholds.
// - Watchlist: the edition's countries ranked by ND-GAIN vulnerability and readiness, IPC acute food insecurity and
//   UCDP conflict, each explained, and what changed since the previous edition.
// - A map (MapLibre, GeoJSON only: the Natural Earth boundaries Kompas serves) coloured by the watchlist score or the
//   forecast's probability.
//
// The data are open research data, not contributions: the answers carry no marking and the banner shows what the
// page draws (the boundaries' public marking); it is painted before anything is drawn (api.js, showMarkings). Every
// answer's sources are listed on the page. The forecasts are computed on the server behind a gate (one at a time):
// a request answered 503 is sent again after its Retry-After, saying so.
import { AuthError, esc, showMarkings, signOut, token } from "../api.js";
import { count } from "../format.js";

// The windows come from the data (every GET /api/v1/warning/evaluate answer carries `windows`: {evaluate: the years
// whose 12 months of outcomes are known, forecast: the years whose cut-off lies within the data}). Without a window in
// the address the page shows the latest evaluable one. A window the server cannot serve is said to be so, never
// replaced by another. The windows are learnt from a cheap probe (the zero benchmark) when the window asked for is
// not itself evaluable; PROBE is the first window tried, and the 422 of a window that cannot be evaluated names the
// span that can ("windows that can be evaluated: 2018-2023"), which is tried next.
const PROBE = 2018;  // the API's lowest window
const WINDOW_RANGE = [2018, 2030];  // what GET /api/v1/warning/evaluate accepts at all
const MODELS = {
  conflictology: "Conflictology benchmark: each month of the window drawn from the country's last 12 months",
  poisson: "Last-historical Poisson benchmark: Poisson draws around the last month before the cut-off",
  bootstrap: "Bootstrap benchmark: draws from the pool of all country-months before the cut-off",
  zero: "Zero benchmark: no deaths anywhere",
  kompas: "Kompas: gradient boosting on conflict history, neighbours, UCDP status, ND-GAIN and IPC, trained only on "
    + "data dated before the cut-off",
};
const METRICS = [["crps", "CRPS (deaths)"], ["ign", "Ignorance (bits)"], ["mis", "MIS, 90 % interval (deaths)"]];
const COMPONENTS = { vulnerability: "#b35806", readiness: "#f1a340", food: "#998ec3", conflict: "#542788" };
// Natural Earth ADM0_A3 codes that are not the ISO3 code of the country they are counted under (as
// kompas.context.countries.NATURAL_EARTH_CODES)
const NATURAL_EARTH = { KOS: "XKX", SDS: "SSD", SAH: "ESH", SOL: "SOM", CYN: "CYP", ALD: "ALA", IOA: "AUS", ATC: "AUS" };
const SHOWN_ROWS = 20;
const FORECAST_ROWS = 30;
const RETRIES = 40;  // a 503 (another forecast being computed) or 429 is sent again, at most this many times
const SIPRI_NOTE = "Military expenditure (SIPRI Military Expenditure Database 2024, https://www.sipri.org/databases/"
  + "milex) is in the integrated threat analysis report: this page shows no SIPRI figures.";
const STYLE = `<style>
  .warning-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 1.5em; }
  @media (max-width: 1100px) { .warning-grid { grid-template-columns: 1fr; } }
  #warning-evaluation td.best { font-weight: bold; background: #eaf5ea; }
  #warning-evaluation tr.kompas th { border-left: 4px solid var(--accent); }
  .warning-ratio { font-size: 1.1em; margin: .4em 0; }
  .warning-ratio strong { color: var(--accent); font-size: 1.2em; }
  .stack { display: flex; height: .95em; width: 14em; background: #f2f2f2; border: 1px solid var(--line);
    border-radius: 2px; overflow: hidden; }
  .stack span { display: block; height: 100%; }
  .warning-legend { display: flex; flex-wrap: wrap; gap: .3em 1em; font-size: .9em; margin: .3em 0; }
  .warning-legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: middle; }
  .warning-map-wrap { position: relative; height: 430px; border: 1px solid var(--line); border-radius: 4px;
    overflow: hidden; background: #cddbe6; }
  .warning-map-wrap .map { position: absolute; inset: 0; }
  .warning-scale { height: .8em; width: 16em; border: 1px solid var(--line); display: inline-block;
    vertical-align: middle; margin: 0 .4em; }
  .map-tooltip { position: absolute; z-index: 2; pointer-events: none; background: rgba(0,0,0,.78); color: white;
    padding: 2px 6px; border-radius: 3px; font-size: 12px; }
  .warning-changes ul { margin: .2em 0 .6em; padding-left: 1.2em; }
  .warning-changes h4 { margin: .5em 0 .2em; }
  tr.warned td { background: #fdecee; }
  .sources li { margin: .3em 0; }
  #watchlist td.explanation { max-width: 40em; }
</style>`;
// colour ramps of the map (value 0..1 after scaling)
const RAMP = [[0, "#fff5eb"], [0.25, "#fdd0a2"], [0.5, "#fd8d3c"], [0.75, "#d94801"], [1, "#7f2704"]];

const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const fixed = (v, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? "-" : Number(v).toFixed(digits));
const percent = (p) => (p === null || p === undefined ? "-" : `${Math.round(p * 100)}\u202f%`);
const deaths = (v) => (v === null || v === undefined ? "-" : count(Math.round(v)));
const error = (text) => `<p class="error" role="alert">${esc(text)}</p>`;
/** Show ``text`` (a server's or the browser's message) as an alert in ``element``, escaped by error(). */
const showError = (element, text) => { element.innerHTML = error(text); };

function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => (d && typeof d === "object"
    ? `${(d.loc || []).filter((x) => x !== "query").join(".")}: ${d.msg ?? ""}` : String(d))).join("; ");
  return JSON.stringify(detail);
}

/** A GET of the API; 503 (the forecast gate busy) and 429 are sent again after Retry-After, `waiting` told. */
async function ask(path, state, waiting = () => {}) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token() ?? ""}` } });
    if (response.status === 401) throw new AuthError("sign in again");
    if ((response.status === 503 || response.status === 429) && attempt < RETRIES && !state.stopped) {
      const wait = Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), 10);
      waiting(wait);
      await pause(wait);
      continue;
    }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = reason((await response.json()).detail); } catch { /* not JSON */ }
      throw Object.assign(new Error(`${detail} (HTTP ${response.status})`), { status: response.status, detail });
    }
    return response.json();
  }
}

function options() {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const asked = own.get("window");
  const window = asked === null || asked.trim() === "" ? null : Number(asked);
  const model = own.get("model");
  const edition = Number(own.get("edition"));
  // window: null (none asked for: the latest evaluable), a number, or NaN (not a year: said so, never replaced)
  return { window, asked,
    model: Object.hasOwn(MODELS, model || "") ? model : "kompas",
    edition: Number.isInteger(edition) && edition >= 1996 && edition <= 2100 ? edition : null };
}

export async function renderWarning(view) {
  const o = options();
  const state = { stopped: false, map: null, land: null, watchlist: null, forecast: null, layer: "watchlist",
    sources: new Map() };
  view.innerHTML = `${STYLE}
    <h1>Early warning: armed conflict and climate security</h1>
    <p class="muted">Country-month forecasts of state-based conflict deaths as probabilistic samples, scored exactly as
      the VIEWS prediction challenge scores them (lower is better), and a climate-security watchlist. A forecast is
      not an observation. No model reads anything dated after its window's cut-off (31 October of the year before).</p>
    <form class="filters card" id="warning-options" aria-label="Window, model and edition">
      <label>Forecast window (year)<select name="window" id="warning-window" data-loaded="false">
        <option value="${esc(o.asked ?? "")}" selected>${o.asked === null ? "the latest evaluable (loading the windows…)"
          : `${esc(o.asked)} (loading the windows…)`}</option></select></label>
      <label>Model for the forecast and the map<select name="model">${Object.keys(MODELS).map((m) =>
        `<option${m === o.model ? " selected" : ""}>${m}</option>`).join("")}</select></label>
      <label>Watchlist edition (year; empty: the latest)<input name="edition" type="number" min="1996" max="2100"
        value="${o.edition ?? ""}" style="width:7em"></label>
      <button type="submit">Show</button>
    </form>
    <section aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Forecast evaluation<span class="window-name"></span></h2>
      <p id="evaluation-status" class="muted" role="status" aria-live="polite">Waiting for the watchlist, then finding
        the windows the data can serve…</p>
      <div id="evaluation"></div>
    </section>
    <div class="warning-grid">
      <section aria-labelledby="watchlist-title">
        <h2 id="watchlist-title">Climate-security watchlist</h2>
        <p id="watchlist-status" class="muted" role="status" aria-live="polite">Loading the watchlist…</p>
        <div id="watchlist-changes" class="warning-changes"></div>
      </section>
      <section aria-labelledby="map-title">
        <h2 id="map-title">Map</h2>
        <div class="filters" role="radiogroup" aria-label="What the map shows">
          <label class="check"><input type="radio" name="warning-layer" value="watchlist" checked> watchlist score
            (0–100)</label>
          <label class="check"><input type="radio" name="warning-layer" value="forecast"> forecast: P(25 or more deaths
            in the peak month), <span id="layer-name">${esc(o.model)}</span></label>
        </div>
        <div class="warning-map-wrap"><div class="map" id="warning-map" role="img"
          aria-label="Countries coloured by the chosen value; the tables hold the same figures"></div></div>
        <p class="muted" id="warning-map-legend"></p>
      </section>
    </div>
    <section aria-labelledby="watchlist-table-title">
      <h3 id="watchlist-table-title">The watchlist, ranked</h3>
      <div id="watchlist-table"></div>
    </section>
    <section aria-labelledby="forecast-title">
      <h2 id="forecast-title">Forecast by country: ${esc(o.model)}<span class="window-name"></span></h2>
      <p id="forecast-status" class="muted" role="status" aria-live="polite">Waiting for the evaluation…</p>
      <div id="forecast"></div>
    </section>
    <section aria-labelledby="sources-title" class="card" id="warning-attributions">
      <h2 id="sources-title">Sources</h2>
      <ul class="sources" id="warning-sources"></ul>
      <p class="muted">${esc(SIPRI_NOTE)} Country boundaries: Natural Earth (public domain).</p>
    </section>`;

  view.querySelector("#warning-options").addEventListener("submit", (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const params = new URLSearchParams({ window: f.window.value, model: f.model.value });
    if (f.edition.value.trim()) params.set("edition", f.edition.value.trim());
    location.hash = `#/warning?${params}`;  // a new visit
  });
  for (const input of view.querySelectorAll('input[name="warning-layer"]')) {
    input.addEventListener("change", () => { state.layer = input.value; paintMap(view, state); });
  }

  await showMarkings(view, []);  // nothing marked: the banner leaves its neutral state before anything is drawn
  // the watchlist first (quick once the context data are read), then the forecasts (one at a time on the server);
  // the map meanwhile. The page opens at once, each section saying what it is waiting for.
  const signIn = (e) => {
    if (!(e instanceof AuthError) || state.stopped) return;
    signOut();
    location.hash = "#/signin";
  };
  loadWatchlist(view, state, o).then(() => (state.stopped ? null : loadForecasts(view, state, o))).catch(signIn);
  startMap(view, state).catch((e) => {
    if (e instanceof AuthError) { signIn(e); return; }
    const legend = view.querySelector("#warning-map-legend");
    if (legend && !state.stopped) showError(legend, `The map could not be drawn: ${e.message}`);
  });
  return () => { state.stopped = true; state.map?.remove(); };
}

/** Add the answer's sources to the list at the foot of the page (a text, or {citation, licence}), once each. */
function addSources(view, state, list) {
  for (const s of list || []) {
    const citation = typeof s === "string" ? s : s.citation;
    if (citation && (!state.sources.has(citation) || (typeof s !== "string" && s.licence))) {
      state.sources.set(citation, typeof s === "string" ? state.sources.get(citation) || "" : s.licence || "");
    }
  }
  const box = view.querySelector("#warning-sources");
  if (box) box.innerHTML = [...state.sources].map(([c, licence]) => `<li>${esc(c)}${licence ? ` <span class="muted">(${
    esc(licence)})</span>` : ""}</li>`).join("");
}

// --- the watchlist --------------------------------------------------------------------------------------------------

async function loadWatchlist(view, state, o) {
  const status = view.querySelector("#watchlist-status");
  let w;
  try {
    w = await ask(`/api/v1/warning/watchlist${o.edition ? `?year=${o.edition}` : ""}`, state, (s) => {
      status.textContent = `The server is computing a forecast; asking again in ${s} s…`;
    });
  } catch (e) {
    if (e instanceof AuthError) throw e;
    showError(status, `Could not load the watchlist: ${e.message}`);
    return;
  }
  if (state.stopped) return;
  await showMarkings(view, []);
  state.watchlist = w;
  addSources(view, state, w.sources);
  const names = new Map(w.rows.map((r) => [r.iso3, r.name]));
  const name = (code) => `${esc(names.get(code) || code)} <span class="muted">${esc(code)}</span>`;
  const c = w.changes;
  status.innerHTML = `Edition ${w.year}: ${count(w.rows.length)} countries ranked (data: ND-GAIN ${esc(w.data?.ndgain
    || "-")}, UCDP ${esc(w.data?.ucdp || "-")}, IPC ${esc(w.data?.ipc || "-")}). Method: ${esc(w.method?.rule || "-")}.`;
  view.querySelector("#watchlist-changes").innerHTML = c ? `
    <h3>Changes in the top ${c.top_n} since the ${c.previous_year} edition</h3>
    <div id="watchlist-moves">
      <h4>Entered</h4><ul>${c.entered.map((x) => `<li>${name(x)} (now ${names.has(x)
        ? `rank ${w.rows.find((r) => r.iso3 === x).rank}` : "ranked"})</li>`).join("") || "<li class='muted'>none</li>"}</ul>
      <h4>Left</h4><ul>${c.left.map((x) => `<li>${name(x)}${names.has(x) ? ` (now rank ${w.rows.find((r) =>
        r.iso3 === x).rank})` : ""}</li>`).join("") || "<li class='muted'>none</li>"}</ul>
      <h4>Moved up</h4><ul>${c.moved_up.map((m) => `<li>${esc(m.name)}: ${m.previous_rank} → ${m.rank}</li>`).join("")
        || "<li class='muted'>none</li>"}</ul>
      <h4>Moved down</h4><ul>${c.moved_down.map((m) => `<li>${esc(m.name)}: ${m.previous_rank} → ${m.rank}</li>`)
        .join("") || "<li class='muted'>none</li>"}</ul>
    </div>` : `<p class="muted">No previous edition to compare with.</p>`;
  const labels = Object.fromEntries((w.rows[0]?.components || []).map((x) => [x.key, x.label]));
  const weights = w.method?.weights || {};
  const rowHtml = (r) => `<tr data-iso3="${esc(r.iso3)}"${r.rank <= (c?.top_n ?? SHOWN_ROWS) ? "" : ' class="beyond"'}>
    <td class="n">${r.rank}</td><th scope="row">${esc(r.name)} <span class="muted">${esc(r.iso3)}</span></th>
    <td class="n score">${fixed(r.score, 1)}</td>
    <td><span class="stack" role="img" aria-label="${esc(r.components.map((x) => `${x.label} ${fixed(x.contribution, 1)}`)
      .join(", "))}">${r.components.map((x) => `<span style="width:${Math.max(0, x.contribution)}%;background:${
      COMPONENTS[x.key] || "#777"}" title="${esc(`${x.label}: ${fixed(x.contribution, 1)} points (${x.detail})`)}"></span>`)
      .join("")}</span></td>
    <td class="explanation">${esc(r.explanation)}${r.missing?.length ? ` <span class="muted">(no data: ${esc(
      r.missing.join(", "))})</span>` : ""}</td></tr>`;
  const table = view.querySelector("#watchlist-table");
  table.innerHTML = `
    <p class="warning-legend">Score points from: ${Object.entries(COMPONENTS).map(([k, colour]) => `<span><i style="background:${
      colour}"></i>${esc(labels[k] || k)} (weight ${fixed(weights[k], 2)})</span>`).join("")}</p>
    <table id="watchlist"><thead><tr><th scope="col" class="n">Rank</th><th scope="col">Country</th>
      <th scope="col" class="n">Score (0–100)</th><th scope="col">Made of</th><th scope="col">Why</th></tr></thead>
      <tbody>${w.rows.slice(0, SHOWN_ROWS).map(rowHtml).join("")}</tbody></table>
    ${w.rows.length > SHOWN_ROWS ? `<p><button type="button" id="watchlist-all">Show all ${count(w.rows.length)}
      countries</button></p>` : ""}
    ${w.unscored?.length ? `<p class="muted">Not ranked: ${w.unscored.map((u) => `${esc(u.iso3)} (${esc(u.reason)})`)
      .join("; ")}.</p>` : ""}
    ${w.rejections?.length ? `<p class="muted">${count(w.rejections.length)} source records were refused (see
      <code>kompas warning watchlist</code>).</p>` : ""}`;
  table.querySelector("#watchlist-all")?.addEventListener("click", (event) => {
    table.querySelector("#watchlist tbody").innerHTML = w.rows.map(rowHtml).join("");
    event.target.remove();
  });
  paintMap(view, state);
}

// --- evaluation, forecast and warnings ------------------------------------------------------------------------------

/** Years as a span ("2018–2023") when consecutive, else listed; "none" when empty. */
function years(list) {
  if (!list?.length) return "none";
  const consecutive = list.every((y, n) => n === 0 || y === list[n - 1] + 1);
  return consecutive ? (list.length > 1 ? `${list[0]}–${list.at(-1)}` : `${list[0]}`) : list.join(", ");
}

/** The last window of "windows that can be evaluated: 2018-2023" in a 422's reason, or null. */
function evaluableEnd(detail) {
  const found = /windows that can be evaluated: (?:\d{4}-)?(\d{4})/.exec(String(detail ?? ""));
  return found ? Number(found[1]) : null;
}

/** The windows the data serve ({evaluate, forecast}) and, when the window asked for is evaluable, its evaluation
 * (one request). Otherwise the zero benchmark of an evaluable window is asked for, a cheap probe: PROBE first, then
 * the last evaluable window the 422 names. Null when the page was left meanwhile. */
async function findWindows(state, o, waiting) {
  const tried = new Set();
  let next = PROBE;
  if (Number.isInteger(o.window) && o.window >= WINDOW_RANGE[0] && o.window <= WINDOW_RANGE[1]) {
    try {
      const evaluation = await ask(`/api/v1/warning/evaluate?window=${o.window}`, state, waiting);
      if (!evaluation.windows) throw new Error("the server's answer does not say which windows it serves");
      return { windows: evaluation.windows, evaluation };
    } catch (e) {
      if (e instanceof AuthError || e.status !== 422) throw e;
      tried.add(o.window);
      next = evaluableEnd(e.detail) ?? PROBE;
    }
  }
  while (!state.stopped) {
    tried.add(next);
    try {
      const probe = await ask(`/api/v1/warning/evaluate?window=${next}&model=zero`, state, waiting);
      if (!probe.windows) throw new Error("the server's answer does not say which windows it serves");
      return { windows: probe.windows, evaluation: null };
    } catch (e) {
      if (e instanceof AuthError || e.status !== 422) throw e;
      const end = evaluableEnd(e.detail);
      if (end === null || tried.has(end)) throw e;
      next = end;
    }
  }
  return null;
}

/** The window list from the data; a window asked for that is not served stays on show, marked so. */
function fillWindows(view, o, chosen, windows) {
  const select = view.querySelector("#warning-window");
  const evaluate = windows?.evaluate || [];
  const forecast = windows?.forecast || [];
  const all = [...new Set([...evaluate, ...forecast])].sort((a, b) => a - b);
  const label = (w) => (!evaluate.includes(w) ? `${w} (forecast only: outcomes not known yet)`
    : forecast.includes(w) ? `${w}` : `${w} (evaluation only: no data before its cut-off)`);
  let html = all.map((w) => `<option value="${w}"${w === chosen ? " selected" : ""}>${esc(label(w))}</option>`).join("");
  if (!all.includes(chosen)) {
    html = `<option value="${esc(o.asked ?? "")}" selected disabled>${esc(o.asked ?? "-")} (not served)</option>${html}`;
  }
  select.innerHTML = html;
  select.dataset.loaded = "true";
}

async function loadForecasts(view, state, o) {
  const status = view.querySelector("#evaluation-status");
  const fstatus = view.querySelector("#forecast-status");
  const waiting = (box) => (s) => { box.textContent = `Another forecast is being computed on the server; asking again in
    ${s} s…`; };
  const computing = (w) => `Computing the five models' forecasts for ${w} (the Kompas model is fitted on the first
    request for a window: seconds to a minute)…`;
  status.textContent = o.window === null ? "Finding the windows the data can serve…" : computing(o.asked);
  let found;
  try {
    found = await findWindows(state, o, waiting(status));
  } catch (e) {
    if (e instanceof AuthError) throw e;
    showError(status, `Could not find the windows this server can serve: ${e.message}`);
    showError(fstatus, "No forecast: the windows this server can serve are not known.");
    fillWindows(view, o, null, null);
    return;
  }
  if (!found || state.stopped) return;
  const { windows } = found;
  const evaluable = windows.evaluate || [];
  const forecastable = windows.forecast || [];
  const window = o.window ?? evaluable.at(-1) ?? forecastable.at(-1) ?? null;
  fillWindows(view, o, window, windows);
  const served = `this server's data can evaluate the windows ${years(evaluable)} and forecast ${years(forecastable)}`;
  if (window === null || (!evaluable.includes(window) && !forecastable.includes(window))) {
    const asked = o.asked ?? "-";
    for (const span of view.querySelectorAll(".window-name")) span.textContent = `, window ${asked} (not served)`;
    view.querySelector("#layer-name").textContent = `${o.model}, window ${asked} (not served)`;
    showError(status, window === null ? `No window can be served: ${served}.` : `Window ${asked} is not served:
      ${served}. Choose one of those windows above.`);
    state.noForecast = `no forecast: window ${asked} is not served`;
    showError(fstatus, `No forecast: window ${asked} is not served (windows that can be forecast: ${
      years(forecastable)}).`);
    paintMap(view, state);
    return;
  }
  for (const span of view.querySelectorAll(".window-name")) span.textContent = `, window ${window}`;
  view.querySelector("#layer-name").textContent = `${o.model}, window ${window}`;  // one text: the label is a flex box
  if (evaluable.includes(window)) {
    let { evaluation } = found;
    if (!evaluation) {
      status.textContent = computing(window);
      try {
        evaluation = await ask(`/api/v1/warning/evaluate?window=${window}`, state, waiting(status));
      } catch (e) {
        if (e instanceof AuthError) throw e;
        showError(status, `Could not evaluate the window: ${e.message}`);
      }
    }
    if (state.stopped) return;
    if (evaluation) {
      await showMarkings(view, []);
      addSources(view, state, evaluation.sources);
      status.textContent = `Window ${evaluation.window}: every model may use only data dated on or before
        ${evaluation.cutoff} (the cut-off). Means over the window's country-months; lower is better; the best of each
        column is in bold.`;
      view.querySelector("#evaluation").innerHTML = evaluationTable(evaluation);
    }
  } else {
    status.textContent = `Window ${window}: forecast only.`;
    view.querySelector("#evaluation").innerHTML = `<p class="card" id="evaluation-unknown"><b>Window ${window} cannot
      be evaluated yet: its outcomes (the actual deaths of all 12 months) are not known yet</b> in the data this
      server holds. Windows that can be evaluated: ${years(evaluable)}. The forecast and the warnings it raises are
      below.</p>`;
  }
  if (!forecastable.includes(window)) {
    state.noForecast = `no forecast: window ${window} cannot be forecast`;
    showError(fstatus, `Window ${window} cannot be forecast: its cut-off (31 October ${window - 1}) is outside
      the data this server holds (windows that can be forecast: ${years(forecastable)}).`);
    paintMap(view, state);
    return;
  }
  fstatus.textContent = `Computing the ${o.model} forecast for ${window}…`;
  let forecast;
  let warnings;
  try {
    forecast = await ask(`/api/v1/warning/forecast?window=${window}&model=${o.model}&top=500`, state,
      waiting(fstatus));
    if (state.stopped) return;
    warnings = await ask(`/api/v1/warning/warnings?window=${window}&model=${o.model}`, state, waiting(fstatus));
  } catch (e) {
    if (e instanceof AuthError) throw e;
    state.noForecast = "the forecast could not be computed";
    showError(fstatus, `Could not compute the forecast: ${e.message}`);
    paintMap(view, state);
    return;
  }
  if (state.stopped) return;
  await showMarkings(view, []);
  addSources(view, state, [...forecast.sources, ...(warnings.sources || [])]);
  state.forecast = forecast;
  const warned = new Map();
  for (const event of warnings.events) {
    const key = event.payload?.country_id;
    const list = warned.get(key) || [];
    list.push(event);
    warned.set(key, list);
  }
  fstatus.innerHTML = `${esc(forecast.countries)} countries, ${count(forecast.draws)} draws per country-month; cut-off
    ${esc(forecast.cutoff)}. <b>${count(warnings.count)} warning${warnings.count === 1 ? "" : "s"}</b> raised (P(25 or
    more deaths in a month) or P(1,000 or more in the year) at 0.5 or above; severity high from 0.9, medium from
    0.7). ${forecast.notes.length ? `<span class="muted">${esc(forecast.notes.join("; "))}</span>` : ""}`;
  view.querySelector("#forecast").innerHTML = `
    <table id="warning-forecast"><thead><tr><th scope="col" class="n">#</th><th scope="col">Country</th>
      <th scope="col" class="n" data-col="expected-year">Expected deaths, whole year (sum of the 12 months)</th>
      <th scope="col" data-col="peak-month">Peak month (highest P(≥ 25 deaths))</th>
      <th scope="col" class="n" data-col="expected-peak">Expected deaths in the peak month only</th>
      <th scope="col" class="n">P(≥ 25 deaths, peak month)</th>
      <th scope="col" class="n">P(≥ 1,000 deaths, year)</th><th scope="col">Warnings</th></tr></thead>
      <tbody>${forecast.rows.slice(0, FORECAST_ROWS).map((r, n) => {
        const ws = warned.get(r.country_id) || [];
        return `<tr data-iso3="${esc(r.iso3)}"${ws.length ? ' class="warned"' : ""}><td class="n">${n + 1}</td>
          <th scope="row">${esc(r.country)} <span class="muted">${esc(r.iso3)}</span></th>
          <td class="n expected-year">${deaths(r.expected_year)}</td><td class="time peak-month">${esc(r.peak_month)}</td>
          <td class="n expected-peak">${deaths(r.expected_peak_month)}</td><td class="n">${percent(r.p_month_25)}</td>
          <td class="n">${percent(r.p_year_1000)}</td><td>${ws.map((e) => `<span class="sev-${esc(e.severity)}">${
            esc(e.severity)}</span> ${esc(e.payload?.threshold?.span === "year" ? "year" : "month")}`).join(", ")
            || "-"}</td></tr>`;
      }).join("")}</tbody></table>
    <p class="muted">The ${FORECAST_ROWS} countries with the most deaths expected in the whole year, of ${count(
      forecast.countries)}. The peak month is the month of the window with the highest probability of 25 or more
      deaths; its expected deaths are that one month's, the whole year's are the sum over the window's 12 months.
      Warnings go into the event envelope (domain intel, type conflict-warning) when recorded.</p>`;
  paintMap(view, state);
}

function evaluationTable(e) {
  const scored = e.scores.filter((s) => s.crps !== null && s.crps !== undefined);
  const best = Object.fromEntries(METRICS.map(([k]) => [k, Math.min(...scored.map((s) => s[k]))]));
  const ratio = e.crps_ratio;
  return `
    <table id="warning-evaluation"><thead><tr><th scope="col">Model</th>${METRICS.map(([, label]) =>
      `<th scope="col" class="n">${esc(label)}</th>`).join("")}<th scope="col" class="n">Country-months</th>
      <th scope="col">What it is</th><th scope="col">Notes</th></tr></thead>
      <tbody>${e.scores.map((s) => `<tr data-model="${esc(s.model)}"${s.model === "kompas" ? ' class="kompas"' : ""}>
        <th scope="row">${esc(s.model)}</th>${METRICS.map(([k]) => `<td class="n ${k}${s[k] !== null && s[k] ===
          best[k] ? " best" : ""}">${fixed(s[k], 3)}</td>`).join("")}<td class="n">${count(s.cells)}</td>
        <td class="muted">${esc(MODELS[s.model] || "")}</td>
        <td>${s.error ? `<span class="error">${esc(s.error)}</span>` : `<span class="muted">${esc((s.notes || [])
          .join("; "))}</span>`}</td></tr>`).join("")}</tbody></table>
    <p class="warning-ratio" id="warning-ratio">${ratio === null || ratio === undefined
      ? "Kompas / conflictology CRPS ratio: not available (both models must be scored for the window)."
      : `Kompas / conflictology CRPS ratio: <strong>${fixed(ratio, 3)}</strong> (${ratio < 1
        ? "below 1: Kompas's forecast is better than the conflictology benchmark" : ratio > 1
          ? "above 1: the conflictology benchmark is better than Kompas's forecast" : "equal"}).`}</p>
    <p class="muted">CRPS: continuous ranked probability score of the sample against the actual deaths; ignorance:
      the log score over the challenge's bins; MIS: the mean interval score of the central 90 % interval.</p>`;
}

// --- the map ---------------------------------------------------------------------------------------------------------
// MapLibre loads only when this page opens (the chunk the Map, Infrastructure and Maritime pages share). The
// boundaries go on the map once their marking is on the banner.

async function startMap(view, state) {
  const [{ Map: MapLibre, NavigationControl, setWorkerUrl }, worker] = await Promise.all([import("maplibre-gl"),
    import("maplibre-gl/dist/maplibre-gl-worker.mjs?url"), import("maplibre-gl/dist/maplibre-gl.css"),
    import("../map/map.css")]);
  setWorkerUrl(worker.default);
  if (state.stopped || !view.isConnected) return;
  const land = await ask("/api/v1/map/boundaries", state);
  if (state.stopped || !view.isConnected) return;
  await showMarkings(view, [land.marking]);  // the banner first
  const element = view.querySelector("#warning-map");
  const map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background",
      paint: { "background-color": "#cddbe6" } }] },
    bounds: [[-120, -40], [150, 62]], attributionControl: { compact: false }, dragRotate: false,
    pitchWithRotate: false, touchPitch: false, maxZoom: 8, fadeDuration: 0,
  });
  state.map = map;
  element.__map = map;  // for tests
  map.addControl(new NavigationControl({ showCompass: false }), "top-left");
  await new Promise((resolve, reject) => {
    map.once("load", resolve);
    map.once("error", (event) => reject(new Error(`the map could not start: ${event.error?.message || event}`)));
  });
  if (state.stopped) { map.remove(); return; }
  state.land = land;
  map.addSource("countries", { type: "geojson", data: { type: "FeatureCollection", features: [] },
    attribution: "Natural Earth (public domain); VIEWS, UCDP, ND-GAIN, IPC (see Sources)" });
  const ramp = ["interpolate", ["linear"], ["get", "scaled"], ...RAMP.flat()];
  map.addLayer({ id: "countries-fill", type: "fill", source: "countries",
    paint: { "fill-color": ["case", ["has", "scaled"], ramp, "#e4e4e4"] } });
  map.addLayer({ id: "countries-line", type: "line", source: "countries",
    paint: { "line-color": "#8a96a3", "line-width": 0.5 } });
  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  map.on("mousemove", "countries-fill", (event) => {
    const f = event.features?.[0];
    if (!f) return;
    tooltip.hidden = false;
    tooltip.textContent = `${f.properties.name}: ${f.properties.label || "no value"}`;
    tooltip.style.left = `${event.point.x + 10}px`;
    tooltip.style.top = `${event.point.y + 10}px`;
  });
  map.on("mouseleave", "countries-fill", () => { tooltip.hidden = true; });
  paintMap(view, state);
}

/** The country polygons with the chosen value (watchlist score, or the forecast's probability). */
function paintMap(view, state) {
  const map = state.map;
  if (!map || !state.land || !map.getSource("countries")) return;
  const values = new Map();
  let describe;
  if (state.layer === "forecast") {
    for (const r of state.forecast?.rows || []) if (r.iso3) values.set(r.iso3, [r.p_month_25, percent(r.p_month_25)]);
    describe = state.forecast ? `P(25 or more deaths in the peak month), ${state.forecast.model} ${state.forecast.window}`
      : state.noForecast || "the forecast is still being computed";
  } else {
    for (const r of state.watchlist?.rows || []) values.set(r.iso3, [r.score / 100, `${fixed(r.score, 1)} (rank ${r.rank})`]);
    describe = state.watchlist ? `watchlist score, edition ${state.watchlist.year}` : "the watchlist is not loaded";
  }
  const features = state.land.features.map((f) => {
    const code = NATURAL_EARTH[f.properties.adm0_a3] ?? f.properties.adm0_a3;
    const found = values.get(code);
    return { type: "Feature", geometry: f.geometry, properties: { name: f.properties.name, iso3: code,
      ...(found ? { scaled: Math.min(1, Math.max(0, found[0])), label: found[1] } : {}) } };
  });
  map.getSource("countries").setData({ type: "FeatureCollection", features });
  const coloured = features.filter((f) => f.properties.scaled !== undefined).length;
  const box = view.querySelector("#warning-map");
  box.dataset.layer = state.layer;
  box.dataset.coloured = String(coloured);
  const gradient = `linear-gradient(to right, ${RAMP.map(([at, colour]) => `${colour} ${at * 100}%`).join(", ")})`;
  view.querySelector("#warning-map-legend").innerHTML = `${esc(describe)}: ${state.layer === "forecast" ? "0 %" : "0"}
    <span class="warning-scale" style="background:${gradient}"></span>${state.layer === "forecast" ? "100 %" : "100"};
    grey: no value. ${count(coloured)} countries coloured. Point at a country for its value.`;
}
