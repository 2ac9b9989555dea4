// Critical infrastructure (#/infra, issue 24): what a member state's international connectivity rests on
// (submarine cables per neighbour, landing stations, power interconnection, internet exchanges, supplier and owner
// concentration with coverage, single points of failure, redundancy), stress tests (remove named elements, a
// supplier's or an owner's, or everything in an area or along an anchor track drawn on the map), the elements of a
// country ranked by the damage their loss causes, the two cable-map vintages compared, and the map of the
// infrastructure layers (kompas.services.infra_map). Every answer carries the combined marking of the public data
// and the contributions the user may see: the banner shows it before the answer is drawn (api.js, showMarkings).
// TeleGeography's data is CC BY-NC-SA 3.0 (non-commercial) and PyPSA-Eur's CC-BY-4.0: their attribution is shown
// wherever their data is. An error answer carries no marking: it is shown like any answer, the banner painted first
// (it keeps the marking of what is on screen). The server computes assessments, rankings and area stress tests a few
// at a time and answers 503 with Retry-After to the others: the page says so and asks again after that many seconds
// (BUSY_RETRIES times in a row, then on a click).
import { AuthError, esc, request, showMarkings, token } from "../api.js";
import { count } from "../format.js";
import { remember } from "./reports.js";

const EU = { AT: "Austria", BE: "Belgium", BG: "Bulgaria", HR: "Croatia", CY: "Cyprus", CZ: "Czechia", DK: "Denmark",
  EE: "Estonia", FI: "Finland", FR: "France", DE: "Germany", GR: "Greece", HU: "Hungary", IE: "Ireland", IT: "Italy",
  LV: "Latvia", LT: "Lithuania", LU: "Luxembourg", MT: "Malta", NL: "Netherlands", PL: "Poland", PT: "Portugal",
  RO: "Romania", SK: "Slovakia", SI: "Slovenia", ES: "Spain", SE: "Sweden" };
const DEFAULT_COUNTRY = "FI";
const TELEGEOGRAPHY = "Submarine cables, landing points and internet exchanges: TeleGeography, Submarine Cable Map "
  + "(2021 and 2022 vintages) and Internet Exchange Map (2020), CC BY-NC-SA 3.0, non-commercial use only.";
const PYPSA = "Power grid: PyPSA-Eur (HVDC links, links_p_nom.csv; GridKit extract of the ENTSO-E map, unofficial, not "
  + "endorsed by ENTSO-E), © The PyPSA-Eur Authors, CC-BY-4.0.";
const DRAWN = "Cable routes are drawn, not surveyed, and landing points are city-level: any distance to a cable (an "
  + "area, a buffer around an anchor track) is approximate by kilometres.";
const MEASURES = { cables: "Cables", hvdc_mw: "HVDC (MW, rated)", ac_mw: "AC (MW, estimated)",
  pipeline_gwh_d: "Pipelines (GWh/d)", ixp: "Internet exchanges" };
const EUROPE = "-35,25,50,75";  // the map's layers are read for this box (min_lon,min_lat,max_lon,max_lat)
const POLYGONS = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
const LINES = ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false];
const POINTS = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
const REGION = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;
const BUSY_RETRIES = 3;  // a 503 (the server busy) is asked again by itself this many times in a row, then on a click
const MAX_WAIT_503_S = 60;  // ... after the server's Retry-After, at most this long (seconds)
const RETRIES_429 = 3;  // as api.js: a request refused for rate (429) is sent again after Retry-After
const MAX_WAIT_429_S = 10;

const mark = (m) => (m ? `<span class="mark">${esc(m.banner)}</span>` : "");
const named = (code) => {
  if (!code) return "?";
  let name = EU[code];
  try { name ||= REGION?.of(code); } catch { /* not a region code */ }
  return name && name !== code ? `${name} (${code})` : code;
};
const number = (v, digits = 0) => (v === null || v === undefined ? "-" : count(Number(v).toFixed(digits)));
const lines = (text) => String(text || "").split("\n").map((s) => s.trim()).filter(Boolean);
const list = (text, sep = /[;,]/) => String(text || "").split(sep).map((s) => s.trim()).filter(Boolean);

/** The licence notice of the data sets an answer used (its `sources`), else of all of them. */
function licence(sources, id = "") {
  const texts = (sources || []).map((s) => s.attribution).filter(Boolean);
  const shown = texts.length ? texts : [TELEGEOGRAPHY, PYPSA];
  return `<p class="licence"${id ? ` id="${id}"` : ""}><strong>Sources and licences:</strong> ${shown.map(esc)
    .join(" ")}</p>`;
}

/** A 503: the server is computing other analyses; `retryAfter` seconds is its Retry-After. */
export class BusyError extends Error {
  constructor(retryAfter) {
    super(busyText(retryAfter, false));
    this.retryAfter = retryAfter;
  }
}

function busyText(seconds, automatic) {
  return `The server is computing other analyses (assessments, rankings and area stress tests are computed a few at
    a time); ${automatic ? "trying again in" : "try again in"} ${seconds} s${automatic ? "…" : "."}`;
}

const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** The server's reason, readable: its text, or each validation problem as "field: message". */
function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && typeof d === "object" ? `${(d.loc || []).filter((x) => !["body", "query"]
      .includes(x)).join(".")}: ${d.msg ?? ""}` : String(d))).join("; ");
  }
  return JSON.stringify(detail);
}

/** A JSON call of the infrastructure API, as api.js `request` (429 sent again after Retry-After, 401 AuthError), with
 * the server busy (503) as a BusyError carrying its Retry-After and the reason of an error answer readable. */
async function ask(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${token() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status !== 429 || attempt === RETRIES_429) break;
    await pause(Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), MAX_WAIT_429_S));
  }
  if (response.status === 401) throw new AuthError("sign in again");
  if (response.status === 503) {
    throw new BusyError(Math.min(Math.max(Math.ceil(Number(response.headers.get("Retry-After"))) || 2, 1),
      MAX_WAIT_503_S));
  }
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = reason((await response.json()).detail); } catch { /* not JSON */ }
    throw new Error(`${detail} (HTTP ${response.status})`);
  }
  return response.json();
}

function countryFromLink() {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const code = (own.get("country") || "").toUpperCase();
  return EU[code] ? code : DEFAULT_COUNTRY;
}

export async function renderInfra(view) {
  const state = { country: countryFromLink(), loading: 0, stressing: 0, map: null, stopped: false, removed: [],
    area: null };
  view.innerHTML = `
    <h1>Critical infrastructure: cables, internet exchanges and the power grid</h1>
    <p class="muted">What each member state's international connectivity rests on, where its single points of failure
      are, who builds and owns it, and what a given loss would cost. Computed on the public data and the elements
      contributed under markings you may see; every answer carries their combined marking. Countries are ISO 3166
      alpha-2 codes.</p>
    <p class="licence card" id="infra-licence"><strong>Data sources and licences.</strong> ${esc(TELEGEOGRAPHY)}
      ${esc(PYPSA)} ${esc(DRAWN)}</p>
    <form class="filters card" id="infra-country" aria-label="Choose a member state">
      <label>Member state<select name="country">${Object.entries(EU).sort((a, b) => a[1].localeCompare(b[1]))
        .map(([code, name]) => `<option value="${code}"${code === state.country ? " selected" : ""}>${esc(name)}
          (${code})</option>`).join("")}</select></label>
      <button type="submit">Show</button>
      <button type="button" id="infra-report" title="The report's stress test is the last one run on this page, else
        the Baltic cases of 2024">Dependency report for this state (PDF)</button>
      <span id="infra-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <section aria-labelledby="assess-title">
      <h2 id="assess-title">Assessment</h2>
      <div id="assessment"><p class="muted">Loading the assessment…</p></div>
    </section>
    <section class="card" aria-labelledby="stress-title">
      <h2 id="stress-title">Stress test</h2>
      <p class="muted">Remove elements by name or reference (one per line: a cable, an HVDC link, a landing station, a
        building; <code>cable:c-lion1</code>), everything a supplier built or an owner owns, or everything in an area:
        a GeoJSON polygon, or a line (an anchor track) with a corridor half-width, pasted or drawn on the map below.
        ${esc(DRAWN)}</p>
      <form id="stress-form" aria-label="Stress test">
        <div class="filters">
          <label>Remove (one name or reference per line)<textarea name="remove" rows="3" cols="34"
            placeholder="C-Lion1&#10;Estlink 2"></textarea></label>
          <label>Suppliers (separated by ;)<input name="suppliers" size="20" maxlength="2000" placeholder="ASN"></label>
          <label>Owners (separated by ;)<input name="owners" size="20" maxlength="2000" placeholder="Cinia Oy"></label>
          <label>Alternatives avoid (codes)<input name="avoid" size="10" maxlength="200" placeholder="RU, BY"></label>
        </div>
        <div class="filters">
          <label>Area (GeoJSON: a polygon, or a line with a corridor)<textarea name="area" rows="3" cols="60"
            spellcheck="false" placeholder='{"type": "LineString", "coordinates": [[24.5, 59.8], [25.5, 59.6]]}'
            ></textarea></label>
          <label>Corridor half-width (km)<input name="buffer_km" type="number" min="0.1" max="500" step="0.1"
            style="width:7em"></label>
          <button type="button" id="draw-track">Draw a track on the map</button>
        </div>
        <div class="filters">
          <label class="check"><input type="checkbox" name="focus" checked> rows from the selected state's side</label>
          <label class="check"><input type="checkbox" name="record"> record it as a stress-test event</label>
          <button type="submit">Run the stress test</button>
          <button type="reset">Clear</button>
        </div>
      </form>
      <div id="stress-result" aria-live="polite"></div>
    </section>
    <section aria-labelledby="rank-title">
      <h2 id="rank-title">Elements ranked by the damage their loss causes</h2>
      <div id="ranking"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="vintages-title">
      <h2 id="vintages-title">The cable map in June 2021 and late 2022</h2>
      <div id="vintages"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="infra-map-title">
      <h2 id="infra-map-title">Map</h2>
      <div class="infra-map-wrap">
        <div class="map" id="infra-map" role="application" aria-label="Map of the infrastructure layers"></div>
        <aside class="card infra-map-side" aria-label="Layers and legend">
          <fieldset><legend>Layers</legend><div id="infra-layers"><p class="muted">Loading the map…</p></div>
          </fieldset>
          <p id="draw-help" class="muted" hidden>Click on the map to add the track's points; then
            <button type="button" id="draw-done">Use this track</button> <button type="button" id="draw-cancel">
            Cancel</button></p>
          <p class="muted">Point at an item for its name; click it for its details. The element removed by the last
            stress test is drawn in black, the area in red.</p>
          ${licence([], "map-licence")}
          <p class="muted">${esc(DRAWN)}</p>
        </aside>
      </div>
    </section>`;

  const status = view.querySelector("#infra-status");
  const countryForm = view.querySelector("#infra-country");

  // --- errors and a busy server -------------------------------------------------------------------------------
  // An error answer carries no marking: like any answer, the banner is painted first (for what is on screen: it
  // leaves its neutral state, never drops), then the text. A 503 says the server is busy and when to try again:
  // `again(tries)` runs after Retry-After seconds, BUSY_RETRIES times in a row, then when the user asks.
  const failed = async (box, error, what, again, tries = 0, still = () => true) => {
    if (error instanceof AuthError) throw error;
    const tag = box.tagName === "SPAN" ? "span" : "p";
    let painted = true;
    await showMarkings(view, []).catch(() => { painted = false; });
    if (state.stopped || !view.isConnected || !still()) return;
    if (!painted) {
      box.innerHTML = `<${tag} class="error" role="alert">${esc(what)}: the marking could not be checked; reload the
        page.</${tag}>`;
    } else if (error instanceof BusyError) {
      busy(box, tag, error.retryAfter, again, tries, still);
    } else {
      box.innerHTML = `<${tag} class="error" role="alert">${esc(what)}: ${esc(error.message)}</${tag}>`;
    }
  };
  const busy = (box, tag, seconds, again, tries, still) => {
    const automatic = tries < BUSY_RETRIES;
    box.innerHTML = `<${tag} class="muted busy" role="status">${automatic ? `The server is computing other analyses
      (assessments, rankings and area stress tests are computed a few at a time); trying again in <span
      class="countdown" aria-live="off">${seconds}</span> s… ` : `${esc(busyText(seconds, false))} `}<button
      type="button" class="retry">${automatic ? "Try now" : "Try again"}</button></${tag}>`;
    const note = box.querySelector(".busy");
    let left = seconds;
    let timer = null;
    const go = (next) => {
      clearInterval(timer);
      if (!note.isConnected || state.stopped || !still()) return;
      note.outerHTML = `<${tag} class="muted">Trying again…</${tag}>`;
      again(next);
    };
    note.querySelector("button.retry").addEventListener("click", () => go(automatic ? tries + 1 : 0));
    if (automatic) {
      timer = setInterval(() => {
        if (!note.isConnected || state.stopped || !still()) { clearInterval(timer); return; }
        left -= 1;
        if (left <= 0) go(tries + 1);
        else note.querySelector(".countdown").textContent = String(left);
      }, 1000);
    }
  };

  // --- the assessment and the ranking of the selected state (one after the other: the server computes one at a
  // time) and the vintages ---------------------------------------------------------------------------------------
  const loadRanking = async (mine, code, tries = 0) => {
    const box = view.querySelector("#ranking");
    if (!tries) box.innerHTML = `<p class="muted">Ranking ${esc(named(code))}'s elements…</p>`;
    try {
      const ranked = await ask(`/api/v1/infra/rank?country=${code}&limit=25`);
      if (mine !== state.loading) return;
      await showMarkings(view, [ranked.marking]);  // the banner first
      if (mine !== state.loading) return;
      box.innerHTML = ranking(ranked, code);
    } catch (error) {
      if (mine !== state.loading) return;
      await failed(box, error, "No ranking", (next) => loadRanking(mine, code, next), tries,
        () => mine === state.loading);
    }
  };
  const loadCountry = async (tries = 0) => {
    const mine = ++state.loading;
    const code = state.country;
    const box = view.querySelector("#assessment");
    let assessed;
    try {
      assessed = await ask(`/api/v1/infra/assess?country=${code}`);
    } catch (error) {
      if (mine !== state.loading) return;
      await failed(box, error, "No assessment", (next) => loadCountry(next), tries, () => mine === state.loading);
      if (mine === state.loading) {
        view.querySelector("#ranking").innerHTML = `<p class="muted">Not ranked: the assessment comes first (see
          above).</p>`;
      }
      return;
    }
    if (mine !== state.loading) return;
    await showMarkings(view, [assessed.marking]);  // the banner first
    if (mine !== state.loading) return;
    box.innerHTML = assessment(assessed);
    await loadRanking(mine, code);
    if (mine === state.loading) state.map?.focusOn(code);
  };
  const loadVintages = async (tries = 0) => {
    const box = view.querySelector("#vintages");
    try {
      const found = await ask("/api/v1/infra/vintages");
      await showMarkings(view, [found.marking]);
      if (!view.isConnected) return;
      box.innerHTML = vintages(found, state.country);
      state.vintages = found;
    } catch (error) {
      await failed(box, error, "No comparison of the vintages", (next) => loadVintages(next), tries);
    }
  };

  countryForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    state.country = countryForm.elements.country.value;
    history.replaceState(null, "", `#/infra?country=${state.country}`);
    status.textContent = "Loading…";
    try {
      await loadCountry();
      if (state.vintages) view.querySelector("#vintages").innerHTML = vintages(state.vintages, state.country);
      status.textContent = "";
    } catch (error) {
      await failed(status, error, "Not loaded", () => Promise.resolve(countryForm.requestSubmit()), BUSY_RETRIES);
    }
  });
  countryForm.elements.country.addEventListener("change", () => countryForm.requestSubmit());
  view.querySelector("#infra-report").addEventListener("click", async () => {
    const body = { countries: [state.country], format: "pdf", ...(state.scenario ? { scenarios: [state.scenario] } : {}) };
    status.textContent = "";
    try {
      const job = await ask("/api/v1/reports/infra", { method: "POST", body });
      remember({ title: "Critical infrastructure dependencies", asked: `${named(state.country)}, ${state.scenario
        ? `stress test: ${state.scenario.title}` : "the Baltic cases of 2024"}, PDF`, href: job.href });
      location.hash = "#/reports";  // the Reports page follows the job and offers the file
    } catch (error) {
      // no automatic retry for a report: the button says when to try again
      await failed(status, error, "Report refused", () => Promise.resolve(view.querySelector("#infra-report")
        .click()), BUSY_RETRIES);
    }
  });

  // a single point of failure or a ranked element goes into the stress form
  view.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-stress]");
    if (!button) return;
    const form = view.querySelector("#stress-form");
    form.reset();
    form.elements.remove.value = button.dataset.stress;
    form.requestSubmit();
    view.querySelector("#stress-title").scrollIntoView({ block: "start" });
  });

  // --- stress tests --------------------------------------------------------------------------------------------
  const stressForm = view.querySelector("#stress-form");
  const result = view.querySelector("#stress-result");
  stressForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    state.stressing += 1;  // an earlier stress test still to come is not shown over this one
    const f = stressForm.elements;
    const body = { remove: lines(f.remove.value), suppliers: list(f.suppliers.value, ";"),
      owners: list(f.owners.value, ";"), avoid: list(f.avoid.value).map((c) => c.toUpperCase()),
      countries: f.focus.checked ? [state.country] : [], record: f.record.checked };
    const areaText = f.area.value.trim();
    if (areaText) {
      try {
        body.area = JSON.parse(areaText);
      } catch (error) {
        result.innerHTML = `<p class="error" role="alert">The area is not JSON: ${esc(error.message)}</p>`;
        return;
      }
      if (f.buffer_km.value) body.buffer_km = Number(f.buffer_km.value);
    } else if (f.buffer_km.value) {
      result.innerHTML = `<p class="error" role="alert">A corridor needs an area: a line (an anchor track) or a
        polygon.</p>`;
      return;
    }
    if (!body.remove.length && !body.suppliers.length && !body.owners.length && !body.area) {
      result.innerHTML = `<p class="error" role="alert">Name something to remove, a supplier, an owner or an area.</p>`;
      return;
    }
    await runStress(body);
  });
  const runStress = async (body, tries = 0) => {
    const mine = ++state.stressing;
    if (!tries) result.innerHTML = `<p class="muted">Computing…</p>`;
    try {
      const found = await ask("/api/v1/infra/stress", { method: "POST", body });
      if (mine !== state.stressing) return;
      await showMarkings(view, [found.marking]);  // the banner first
      if (!view.isConnected || mine !== state.stressing) return;
      result.innerHTML = stressSection(found);
      state.removed = found.removed.map((r) => r.ref);
      state.scenario = { title: String(found.scenario || "").slice(0, 200), remove: body.remove.slice(0, 50),
        suppliers: body.suppliers.slice(0, 50), owners: body.owners.slice(0, 50), avoid: body.avoid.slice(0, 50),
        ...(body.area ? { area: body.area } : {}), ...(body.buffer_km ? { buffer_km: body.buffer_km } : {}) };
      state.area = body.area || null;
      state.map?.highlight(state.removed, state.area);
    } catch (error) {
      if (mine !== state.stressing) return;
      await failed(result, error, "No stress test", (next) => runStress(body, next), tries,
        () => mine === state.stressing);
    }
  };
  stressForm.addEventListener("reset", () => {
    state.stressing += 1;  // an answer still to come is not shown
    result.innerHTML = "";
    state.scenario = null;
    state.removed = [];
    state.area = null;
    state.map?.highlight([], null);
  });

  // --- the first view: the assessment and the vintages, then the map (each layer marked before it is drawn) ------
  await Promise.all([loadCountry(), loadVintages()]);
  const started = mountInfraMap(view, state).then((map) => {
    if (state.stopped) { map?.remove(); return; }
    state.map = map;
    map?.focusOn(state.country);
    map?.highlight(state.removed, state.area);
  }).catch(async (error) => {
    if (error instanceof AuthError) return;
    const box = view.querySelector("#infra-layers");
    await showMarkings(view, []).catch(() => {});  // the banner first (an error carries no marking)
    if (box && view.isConnected) {
      box.innerHTML = `<p class="error" role="alert">The map could not be drawn: ${esc(error.message)}</p>`;
    }
  });
  started.catch(() => {});
  return () => {
    state.stopped = true;
    state.map?.remove();
  };
}

// --- the assessment ---------------------------------------------------------------------------------------------

function assessment(answer) {
  const notes = (answer.notes || []).map((n) => `<p class="error" role="alert">${esc(n)}</p>`).join("");
  const contributed = answer.contributions ? `<p class="muted">Includes ${count(answer.contributions)} contributed
    element(s) from ${esc((answer.contributors || []).join(", "))}, under the marking above.</p>` : "";
  return notes + contributed + answer.countries.map((c) => country(c, answer)).join("") + licence(answer.sources,
    "assess-licence");
}

function country(c, answer) {
  const cables = c.cables || {};
  const power = c.power || {};
  const neighbours = [...new Set([...Object.keys(cables.neighbours || {}), ...Object.keys(c.redundancy || {}),
    ...Object.keys(power.hvdc_mw || {}), ...Object.keys(power.ac_mw || {}), ...Object.keys(power.pipeline_gwh_d || {})])];
  neighbours.sort((a, b) => ((cables.neighbours || {})[b] || 0) - ((cables.neighbours || {})[a] || 0)
    || ((power.hvdc_mw || {})[b] || 0) + ((power.ac_mw || {})[b] || 0) - ((power.hvdc_mw || {})[a] || 0)
    - ((power.ac_mw || {})[a] || 0) || a.localeCompare(b));
  const pipelines = Object.keys(power.pipeline_gwh_d || {}).length > 0;
  const busiest = cables.busiest_station;
  const x = c.exchanges || {};
  return `<div class="infra-country" data-country="${esc(c.country)}">
    <h3>${esc(c.name)} (${esc(c.country)}) ${mark(answer.marking)}</h3>
    <div class="infra-figures">
      ${figure(cables.international ?? 0, "international cables", `${count(cables.domestic ?? 0)} domestic`)}
      ${figure(cables.distinct_neighbours ?? 0, "neighbour countries by cable")}
      ${figure(cables.landing_stations ?? 0, "landing stations", busiest ? `busiest: ${busiest.name}, ${busiest.cables}
        cables (${busiest.share_pct}%)` : "")}
      ${figure(x.count ?? 0, "internet exchanges", x.count ? `in ${count(x.buildings)} buildings` : "")}
      ${figure((c.single_points || []).length, "single points of failure")}
    </div>
    <div class="infra-grid">
      <div class="card wide">
        <table id="neighbours" class="infra-neighbours">
          <caption>International connections per neighbour</caption>
          <thead><tr><th scope="col">Neighbour</th><th scope="col" class="n">Cables</th>
            <th scope="col" class="n" title="Paths to the neighbour that share no carrier">Disjoint paths</th>
            <th scope="col" class="n">HVDC (MW, rated)</th><th scope="col" class="n">AC (MW, estimated)</th>
            ${pipelines ? `<th scope="col" class="n">Pipelines (GWh/d)</th>` : ""}</tr></thead>
          <tbody>${neighbours.map((n) => `<tr data-neighbour="${esc(n)}"><th scope="row">${esc(named(n))}</th>
            <td class="n cables">${number((cables.neighbours || {})[n] ?? 0)}</td>
            <td class="n redundancy">${number((c.redundancy || {})[n] ?? null)}</td>
            <td class="n hvdc">${number((power.hvdc_mw || {})[n] ?? null)}</td>
            <td class="n ac">${(power.ac_mw || {})[n] ? `≈ ${number(power.ac_mw[n])}` : "-"}</td>
            ${pipelines ? `<td class="n pipeline">${number((power.pipeline_gwh_d || {})[n] ?? null, 1)}</td>` : ""}
            </tr>`).join("") || `<tr><td colspan="6" class="muted">No international connection in the data.</td></tr>`}
          </tbody>
        </table>
        <p class="muted">Disjoint paths: routes to the neighbour that share no carrier (cables and links). HVDC
          capacities are published ratings; AC capacities are estimated from voltage and circuits (thermal ratings, not
          transfer capacities) and are only an order of magnitude.</p>
      </div>
      <div class="card">
        <h4>Cables (${count((cables.cables || []).length)})</h4>
        <ul class="infra-list">${(cables.cables || []).map((k) => `<li>${esc(k.name)} <span class="muted">${esc(
          k.countries.join(", "))}</span></li>`).join("") || "<li class=\"muted\">None.</li>"}</ul>
        <h4>HVDC links and pipelines</h4>
        <ul class="infra-list">${(power.links || []).map((k) => `<li>${esc(k.name)} <span class="muted">${esc(
          k.countries.join("-"))}: ${number(k.capacity)} ${esc(k.measure === "pipeline_gwh_d" ? "GWh/d" : "MW")}
          </span></li>`).join("") || "<li class=\"muted\">None.</li>"}</ul>
      </div>
      <div class="card">
        <h4>Internet exchanges</h4>
        ${x.count ? `<p>${count(x.count)} exchanges in ${count(x.buildings)} buildings; ${count(x.buildings_per_exchange
          ?.mean)} buildings per exchange on average (at most ${count(x.buildings_per_exchange?.max)});
          ${count(x.single_building)} in a single building.</p>
          <p>${esc(x.top_city?.city)} holds ${count(x.top_city?.exchanges)} of them (${x.top_city?.share_pct}%).
          ${x.top_building ? `The building hosting the most: ${esc(x.top_building.name)} (${count(
            x.top_building.exchanges)}).` : ""}</p>
          ${hbars("exchange-cities", "Exchanges per city", Object.entries(x.cities || {}), (v) => count(v))}`
          : `<p class="muted">No internet exchange in the data.</p>`}
      </div>
      ${concentration("suppliers", "Cable suppliers", c.suppliers, answer.eu_coverage)}
      ${concentration("owners", "Cable owners", c.owners)}
    </div>
    <h4>Single points of failure</h4>
    <p class="muted">An element whose loss alone leaves two countries unable to reach each other, leaves a pair
      without any direct carrier, removes more than ${Math.round(100 * (answer.share ?? 0.5))}% of a pair's direct
      capacity, or cuts off an internet exchange.</p>
    <table id="single-points"><thead><tr><th scope="col">Element</th><th scope="col">Kind</th>
      <th scope="col">Why</th><th scope="col"></th></tr></thead><tbody>${(c.single_points || []).map((p) => `
      <tr data-ref="${esc(p.ref)}"><td>${esc(p.name)}${p.origin !== "public" ? ` <span class="muted">(contributed by
        ${esc(p.origin)})</span>` : ""}</td><td>${esc(p.kind)}</td><td>${p.reasons.map(esc).join("<br>")}</td>
        <td><button type="button" class="linkish" data-stress="${esc(p.ref)}">Stress test</button></td></tr>`)
      .join("") || `<tr><td colspan="4" class="muted">None found.</td></tr>`}</tbody></table>
  </div>`;
}

function figure(value, label, detail = "") {
  return `<div class="infra-figure"><strong>${count(value)}</strong> ${esc(label)}${detail ? `<br><span class="muted">
    ${esc(detail)}</span>` : ""}</div>`;
}

/** Rows [key, value] as horizontal bars (largest first), readable as a table without the bars. */
function hbars(id, caption, rows, shown = (v) => `${v}%`, most = 8) {
  if (!rows.length) return `<p class="muted">None.</p>`;
  const max = Math.max(...rows.map(([, v]) => v)) || 1;
  return `<table class="hbars" id="${id}"><caption>${esc(caption)}</caption><colgroup><col class="key">
    <col class="fill"><col class="n"></colgroup><tbody>${rows.slice(0, most).map(([k, v]) => `<tr><th scope="row"
    title="${esc(k)}">${esc(k)}</th><td class="fill"><span style="width:${(100 * v / max).toFixed(1)}%"></span></td>
    <td class="n">${esc(shown(v))}</td></tr>`).join("")}</tbody></table>${rows.length > most
    ? `<p class="muted">and ${rows.length - most} more</p>` : ""}`;
}

function concentration(id, title, data, eu) {
  if (!data) return "";
  const cov = data.coverage || {};
  const groups = data.groups ? `<p>Suppliers' home countries: EU27 ${data.groups.EU27}%, like-minded partners
    ${data.groups.like_minded}%, other ${data.groups.other}%, not attributed ${data.groups.unattributed}%.</p>` : "";
  const euLine = eu ? `<p class="muted">Across the EU: ${count(eu.without_supplier)} of the ${count(eu.cables)} cables
    landing in a member state have no supplier recorded.</p>` : "";
  return `<div class="card" id="${id}">
    <h4>${esc(title)}</h4>
    <p class="coverage">Coverage: ${count(cov.recorded ?? 0)} of ${count(cov.total ?? 0)} cables have one recorded
      (${cov.pct ?? "-"}%). ${data.hhi !== null && data.hhi !== undefined ? `HHI ${number(data.hhi)} (0-10 000; above
      2 500 is highly concentrated), on the recorded ones only.` : ""}</p>
    ${hbars(`${id}-shares`, `Shares of the cables with one recorded`, Object.entries(data.shares || {}))}
    ${groups}${euLine}
  </div>`;
}

// --- the stress test ---------------------------------------------------------------------------------------------

function stressSection(r) {
  const caveats = (r.caveats || []).length ? r.caveats : [DRAWN];  // the server's own words when it gives them
  const removed = r.removed || [];
  const rows = r.rows || [];
  return `<div class="infra-stress">
    <p><strong>${esc(r.scenario || "")}</strong> ${mark(r.marking)}${r.event_id ? ` <span class="muted">Recorded as
      event <a href="#/event/${esc(r.event_id)}">${esc(r.event_id)}</a>.</span>` : ""}</p>
    <ul class="caveats">${caveats.map((c) => `<li>${esc(c)}</li>`).join("")}</ul>
    <h3>Removed (${count(removed.length)})</h3>
    <ul class="infra-list" id="stress-removed">${removed.slice(0, 100).map((x) => `<li data-ref="${esc(x.ref)}">${esc(
      x.name)} <span class="muted">${esc(x.kind)}${x.link_kind ? ` (${esc(x.link_kind)})` : ""}: ${esc(x.why)}</span>
      </li>`).join("")}${removed.length > 100 ? `<li class="muted">and ${removed.length - 100} more</li>` : ""}</ul>
    <h3>Before and after, per country pair</h3>
    <table id="stress-rows" class="stress-rows"><thead><tr><th scope="col">From</th><th scope="col">To</th>
      <th scope="col">Measure</th><th scope="col" class="n">Before</th><th scope="col" class="n">After</th>
      <th scope="col">Unit</th><th scope="col" class="bars">Kept (of before)</th></tr></thead>
      <tbody>${rows.map((row) => `<tr data-pair="${esc(row.from_country)}-${esc(row.to_country)}"
        data-kind="${esc(row.kind)}"><td>${esc(row.from_country)}</td><td>${esc(row.to_country)}</td>
        <td>${esc(MEASURES[row.kind] || row.kind)}</td><td class="n before">${number(row.before, row.before % 1 ? 1
          : 0)}</td><td class="n after">${number(row.after, row.after % 1 ? 1 : 0)}</td><td>${esc(row.unit)}</td>
        <td class="bars">${keptBar(row)}</td></tr>`).join("")
        || `<tr><td colspan="7" class="muted">No country pair loses anything.</td></tr>`}</tbody></table>
    <p class="muted">Rows: from_country, to_country, kind, before, after, unit (as the command line and the API give
      them). AC capacities are estimates.</p>
    ${(r.disconnected || []).length ? `<h3>Pairs that can no longer reach each other</h3><ul class="infra-list"
      id="stress-disconnected">${r.disconnected.map((d) => `<li>${esc(named(d.from_country))} and ${esc(
      named(d.to_country))} <span class="muted">(${esc(d.group || "")})</span></li>`).join("")}</ul>` : ""}
    ${alternatives(r.alternatives || {})}
    <h3>Internet exchanges cut off</h3>
    ${(r.exchanges_cut || []).length ? `<ul class="infra-list" id="stress-exchanges">${r.exchanges_cut.map((x) =>
      `<li>${esc(x.name)} <span class="muted">${esc([x.city, x.country].filter(Boolean).join(", "))}</span></li>`)
      .join("")}</ul>` : `<p class="muted">None.</p>`}
    ${licence(r.sources, "stress-licence")}
  </div>`;
}

function keptBar(row) {
  const kept = row.before ? Math.max(0, Math.min(1, row.after / row.before)) : 0;
  return `<span class="kept-bar" role="img" aria-label="${Math.round(100 * kept)}% kept"><span class="kept"
    style="width:${(100 * kept).toFixed(1)}%"></span><span class="lost" style="width:${(100 * (1 - kept)).toFixed(1)}%"
    ></span></span>`;
}

function alternatives(found) {
  const pairs = Object.entries(found);
  if (!pairs.length) return "";
  return `<h3>Alternatives</h3><div id="stress-alternatives">${pairs.map(([pair, a]) => `
    <div class="card alternative" data-pair="${esc(pair)}"><h4>${esc(pair)}: ${a.reachable
      ? `still reachable, in ${count(a.shortest_hops)} hop(s) at least` : `<span class="error">no longer reachable
      </span>`}</h4>
      ${a.exits?.length ? `<p>Exits: ${a.exits.map((c) => esc(named(c))).join(", ")}.
        ${a.entries?.length ? `Entries: ${a.entries.map((c) => esc(named(c))).join(", ")}.` : ""}
        ${a.transit?.length ? `Transit through: ${a.transit.map((c) => esc(named(c))).join(", ")}.` : ""}</p>` : ""}
      ${(a.paths || []).length ? `<ol class="paths">${a.paths.map((p) => `<li><strong>${esc(p.countries.join(" → "))}
        </strong><br><span class="muted">${(p.hops || []).map((h) => `${esc(h.from_country)}-${esc(h.to_country)}:
        ${count(h.carriers)} carrier(s) (${esc((h.names || []).join(", "))}${h.carriers > (h.names || []).length
          ? ", …" : ""})`).join("; ")}</span></li>`).join("")}</ol>` : ""}
    </div>`).join("")}</div>`;
}

// --- ranking and vintages --------------------------------------------------------------------------------------

function ranking(answer, code) {
  const items = answer.ranking || [];
  return `<p class="muted">The elements serving ${esc(named(code))} (carriers, landing stations, buildings), each
    removed alone: the pairs it disconnects first, then the pairs it leaves without a direct carrier, then the share
    of direct capacity it removes (summed over pairs: 1.0 = one pair's whole capacity), then the exchanges it cuts off.
    ${mark(answer.marking)}</p>
    <table id="ranking-table"><thead><tr><th scope="col" class="n">#</th><th scope="col">Element</th>
      <th scope="col">Kind</th><th scope="col" class="n">Pairs disconnected</th>
      <th scope="col" class="n">Pairs left without a direct carrier</th><th scope="col" class="n">Capacity share lost</th>
      <th scope="col" class="n">Exchanges cut</th><th scope="col">Pairs</th><th scope="col"></th></tr></thead>
      <tbody>${items.map((e, k) => `<tr data-ref="${esc(e.ref)}"><td class="n">${k + 1}</td><td>${esc(e.name)}</td>
        <td>${esc(e.kind)}</td><td class="n">${count(e.disconnected)}</td><td class="n">${count(e.pairs_without_direct)}
        </td><td class="n">${number(e.capacity_share_lost, 2)}</td><td class="n">${count(e.exchanges_cut)}</td>
        <td class="muted">${esc((e.pairs || []).join("; "))}</td><td><button type="button" class="linkish"
          data-stress="${esc(e.ref)}">Stress test</button></td></tr>`).join("")
        || `<tr><td colspan="9" class="muted">Nothing whose loss costs anything.</td></tr>`}</tbody></table>
    ${licence(answer.sources, "rank-licence")}`;
}

function vintages(found, code) {
  const c = found.counts || {};
  const mine = (items) => items.filter((x) => (x.countries || []).includes(code));
  const listOf = (items, id) => `<ul class="infra-list" id="${id}">${items.map((x) => `<li>${esc(x.name)}
    <span class="muted">${esc((x.countries || []).join(", "))}${x.rfs_year ? `; ready for service ${x.rfs_year}` : ""}
    ${x.planned ? " (planned)" : ""}</span></li>`).join("") || `<li class="muted">None.</li>`}</ul>`;
  const notes = (found.notes || []).map((n) => `<p class="error" role="alert">${esc(n)}</p>`).join("");
  const renamed = found.renamed || [];
  return `${notes}<p id="vintage-counts">${count(c.old ?? 0)} cables on the June 2021 map, ${count(c.new ?? 0)} on the
    late 2022 map: ${count(c.added ?? 0)} added${c.newly_mapped ? ` (${count(c.newly_mapped)} of them in service
    before, first drawn on the 2022 map)` : ""}, ${count(c.retired ?? 0)} retired, ${count(c.renamed ?? renamed.length)}
    renamed, ${count(c.changed ?? 0)} changed. ${mark(found.marking)}</p>
    <p class="muted">${esc(found.note || "")}</p>
    <div class="infra-grid">
      <div class="card"><h4>Added, landing in ${esc(named(code))}</h4>${listOf(mine(found.added || []),
        "vintage-added")}</div>
      <div class="card"><h4>Retired, landing in ${esc(named(code))}</h4>${listOf(mine(found.retired || []),
        "vintage-retired")}</div>
      <div class="card"><h4>Landings changed in or out of ${esc(named(code))}</h4><ul class="infra-list"
        id="vintage-changed">${(found.changed || []).filter((x) => x.countries && [...(x.countries.before || []),
          ...(x.countries.after || [])].includes(code)).map((x) => `<li>${esc(x.name)} <span class="muted">${esc(
          changeText(x))}</span></li>`).join("") || `<li class="muted">None.</li>`}</ul></div>
    </div>
    <details><summary>Every cable added (${count((found.added || []).length)}), retired (${count(
      (found.retired || []).length)}) and renamed (${count(renamed.length)})</summary><div class="infra-grid"><div>
      <h4>Added</h4>${listOf(found.added || [], "all-added")}</div><div><h4>Retired</h4>${listOf(found.retired || [],
      "all-retired")}</div><div><h4>Renamed (the same landing points)</h4><ul class="infra-list" id="all-renamed">${
      renamed.map((x) => `<li>${esc(x.before?.name)} → ${esc(x.after?.name)} <span class="muted">${esc(
        (x.after?.countries || []).join(", "))}</span></li>`).join("") || `<li class="muted">None.</li>`}</ul></div>
      </div></details>
    ${licence(found.sources, "vintages-licence")}`;
}

/** What changed between the vintages: landings added or removed, countries and owners before and after. */
function changeText(x) {
  const parts = [];
  for (const [k, v] of Object.entries(x)) {
    if (["ref", "name", "id"].includes(k) || v === null || (Array.isArray(v) && !v.length)) continue;
    const text = Array.isArray(v) ? v.join(", ") : v && typeof v === "object" && "before" in v
      ? `${(v.before || []).join(", ") || "none"} → ${(v.after || []).join(", ") || "none"}` : String(v);
    parts.push(`${k.replace(/_/g, " ")}: ${text}`);
  }
  return parts.join("; ");
}

// --- the map ----------------------------------------------------------------------------------------------------
// MapLibre loads only when this page opens (a separate chunk, shared with the Map page). The infrastructure layers
// are read from /api/v1/map/layers/infra-* for Europe; each goes on the map only after its marking is on the banner.

async function mountInfraMap(view, state) {
  const [{ Map: MapLibre, NavigationControl, Popup, ScaleControl, setWorkerUrl }, worker] = await Promise.all([
    import("maplibre-gl"), import("maplibre-gl/dist/maplibre-gl-worker.mjs?url"),
    import("maplibre-gl/dist/maplibre-gl.css"), import("../map/map.css")]);
  setWorkerUrl(worker.default);
  if (state.stopped || !view.isConnected) return null;
  const { layers } = await request("/api/v1/map/layers");
  const wanted = layers.filter((l) => l.id.startsWith("infra-") || l.id === "boundaries");
  const element = view.querySelector("#infra-map");
  const map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background", paint: { "background-color": "#cddbe6" } }] },
    bounds: [[-12, 34], [35, 71]],
    attributionControl: { compact: false },
    dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 12, fadeDuration: 0,
  });
  map.keyboard.enable();
  map.addControl(new NavigationControl({ showCompass: false }), "top-left");
  map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
  element.__map = map;  // for tests
  await new Promise((resolve, reject) => {
    map.once("load", resolve);
    map.once("error", (event) => reject(new Error(`the map could not start: ${event.error?.message || event}`)));
  });
  const data = {};
  element.__layers = data;
  const box = view.querySelector("#infra-layers");
  box.innerHTML = wanted.map((l) => `<div class="map-layer"><label><input type="checkbox" name="infra-layer"
    value="${esc(l.id)}" checked>${swatch(l)} ${esc(l.title)}</label><div class="status muted"
    id="infra-status-${esc(l.id)}" aria-live="polite">Loading…</div></div>`).join("");

  const sub = (id) => [`${id}-fill`, `${id}-outline`, `${id}-line`, `${id}-point`];
  const add = (layer) => {
    const id = layer.id;
    map.addSource(id, { type: "geojson", data: data[id], attribution: esc(layer.attribution) });
    map.addLayer({ id: `${id}-fill`, type: "fill", source: id, filter: POLYGONS,
      paint: { "fill-color": layer.fill || layer.colour, "fill-opacity": layer.fill ? 1 : 0.3 } }, "highlight-line");
    map.addLayer({ id: `${id}-outline`, type: "line", source: id, filter: POLYGONS,
      paint: { "line-color": layer.colour, "line-width": 0.6 } }, "highlight-line");
    map.addLayer({ id: `${id}-line`, type: "line", source: id, filter: LINES,
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": layer.colour, "line-width": id === "infra-ac" ? 1.2 : 1.8, "line-opacity": 0.85 } },
    "highlight-line");
    map.addLayer({ id: `${id}-point`, type: "circle", source: id, filter: POINTS,
      paint: { "circle-radius": 3.5, "circle-color": layer.colour, "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1 } }, "highlight-line");
  };
  // the highlight of the last stress test (removed elements in black, the area in red) and the track being drawn
  map.addSource("highlight", { type: "geojson", data: empty() });
  map.addSource("area", { type: "geojson", data: empty() });
  map.addSource("drawing", { type: "geojson", data: empty() });
  map.addLayer({ id: "highlight-line", type: "line", source: "highlight", filter: LINES,
    paint: { "line-color": "#111", "line-width": 3, "line-opacity": 0.9 } });
  map.addLayer({ id: "highlight-point", type: "circle", source: "highlight", filter: POINTS,
    paint: { "circle-radius": 5, "circle-color": "#111" } });
  map.addLayer({ id: "area-fill", type: "fill", source: "area", filter: POLYGONS,
    paint: { "fill-color": "#c8102e", "fill-opacity": 0.15 } });
  map.addLayer({ id: "area-line", type: "line", source: "area", paint: { "line-color": "#c8102e", "line-width": 2.5,
    "line-dasharray": [2, 1] } });
  map.addLayer({ id: "drawing-line", type: "line", source: "drawing", paint: { "line-color": "#c8102e",
    "line-width": 2 } });
  map.addLayer({ id: "drawing-point", type: "circle", source: "drawing", filter: POINTS,
    paint: { "circle-radius": 4, "circle-color": "#c8102e" } });

  // the layers: read together, each drawn (in registry order) once the banner covers it
  const reads = wanted.map((l) => request(l.id === "boundaries" ? l.href : `${l.href}?bbox=${EUROPE}`)
    .then((d) => { data[l.id] = d; }).catch((error) => { data[l.id] = error; }));
  for (const [k, layer] of wanted.entries()) {
    await reads[k];
    if (state.stopped || !view.isConnected) return map;
    const line = view.querySelector(`#infra-status-${CSS.escape(layer.id)}`);
    if (data[layer.id] instanceof Error) {
      if (data[layer.id] instanceof AuthError) throw data[layer.id];
      await showMarkings(view, []);  // the banner first (an error carries no marking)
      if (state.stopped || !view.isConnected) return map;
      line.innerHTML = `<span class="error">Could not load: ${esc(data[layer.id].message)}</span>`;
      delete data[layer.id];
      continue;
    }
    await showMarkings(view, [data[layer.id].marking]);  // the banner first
    if (state.stopped || !view.isConnected) return map;
    add(layer);
    const d = data[layer.id];
    const notes = d.properties?.notes || [];
    line.innerHTML = `${d.features.length ? `${count(d.features.length)} items` : "nothing you may see"}${notes.length
      ? `; ${esc(notes.join(" "))}` : ""}<span class="mark">${esc(d.marking.banner)}</span>`;
  }
  for (const input of box.querySelectorAll('input[name="infra-layer"]')) {
    input.addEventListener("change", () => {
      for (const id of sub(input.value)) {
        if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", input.checked ? "visible" : "none");
      }
    });
  }

  // hover and click
  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  const pickable = () => wanted.filter((l) => l.id !== "boundaries").flatMap((l) => sub(l.id))
    .filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none");
  const pick = (point) => {
    const ids = pickable();
    if (!ids.length) return null;
    return map.queryRenderedFeatures([[point.x - 5, point.y - 5], [point.x + 5, point.y + 5]], { layers: ids })[0]
      || null;
  };
  const drawing = { on: false, points: [] };
  map.on("mousemove", (event) => {
    const f = drawing.on ? null : pick(event.point);
    tooltip.hidden = !f;
    map.getCanvas().style.cursor = drawing.on ? "crosshair" : f ? "pointer" : "";
    if (!f) return;
    tooltip.textContent = f.properties.name || f.layer.source;
    tooltip.style.left = `${event.point.x + 12}px`;
    tooltip.style.top = `${event.point.y + 12}px`;
  });
  map.getCanvas().addEventListener("mouseleave", () => { tooltip.hidden = true; });
  let popup = null;
  map.on("click", async (event) => {
    if (drawing.on) {
      drawing.points.push([Number(event.lngLat.lng.toFixed(4)), Number(event.lngLat.lat.toFixed(4))]);
      showDrawing();
      return;
    }
    const f = pick(event.point);
    if (!f) return;
    const p = f.properties;
    const marking = typeof p.marking === "string" ? JSON.parse(p.marking) : p.marking;
    await showMarkings(view, [marking]);  // the popup's marking is on the banner before the popup is
    if (!view.isConnected) return;
    popup?.remove();
    const facts = Object.entries(p).filter(([k, v]) => !["marking", "name", "ref"].includes(k) && v !== null
      && v !== "null" && typeof v !== "object");
    popup = new Popup({ maxWidth: "340px", focusAfterOpen: true }).setLngLat(event.lngLat).setHTML(`
      <strong>${esc(p.name || "")}</strong>
      <div class="muted">${facts.map(([k, v]) => `${esc(k.replace(/_/g, " "))}: ${esc(v)}`).join("<br>")}</div>
      <span class="mark">${esc(marking.banner)}</span>`).addTo(map);
  });

  // drawing an anchor track: clicks add points; "Use this track" puts it into the stress form as a LineString
  const help = view.querySelector("#draw-help");
  const form = view.querySelector("#stress-form");
  const showDrawing = () => {
    const features = drawing.points.map((c) => ({ type: "Feature", geometry: { type: "Point", coordinates: c },
      properties: {} }));
    if (drawing.points.length >= 2) {
      features.push({ type: "Feature", geometry: { type: "LineString", coordinates: drawing.points }, properties: {} });
    }
    map.getSource("drawing").setData({ type: "FeatureCollection", features });
  };
  const stopDrawing = () => {
    drawing.on = false;
    drawing.points = [];
    showDrawing();
    help.hidden = true;
    map.getCanvas().style.cursor = "";
  };
  view.querySelector("#draw-track").addEventListener("click", () => {
    drawing.on = true;
    drawing.points = [];
    showDrawing();
    help.hidden = false;
    element.scrollIntoView({ block: "center" });
  });
  view.querySelector("#draw-cancel").addEventListener("click", stopDrawing);
  view.querySelector("#draw-done").addEventListener("click", () => {
    if (drawing.points.length < 2) { help.querySelector("button").textContent = "Use this track (2 points at least)"; return; }
    form.elements.area.value = JSON.stringify({ type: "LineString", coordinates: drawing.points });
    if (!form.elements.buffer_km.value) form.elements.buffer_km.value = "5";
    stopDrawing();
    form.elements.area.focus();
    view.querySelector("#stress-title").scrollIntoView({ block: "start" });
  });

  const features = () => Object.entries(data).filter(([id]) => id !== "boundaries").flatMap(([, d]) => d.features);
  return {
    remove: () => map.remove(),
    /** Draw the removed elements in black and the stress test's area in red. */
    highlight(refs, area) {
      const wantedRefs = new Set(refs);
      const found = features().filter((f) => wantedRefs.has(f.properties.ref));
      map.getSource("highlight").setData({ type: "FeatureCollection", features: found.map(asSimple).flat() });
      element.__highlighted = found.map((f) => f.properties.ref);  // for tests
      map.getSource("area").setData(area ? asCollection(area) : empty());
    },
    /** Fit the map to the elements serving a country (its landing points, cables, links and buildings). */
    focusOn(code) {
      const points = [];
      for (const f of features()) {
        const p = f.properties;
        if (p.country !== code && !(p.countries || "").split(/[-, ]+/).includes(code)) continue;
        if (f.geometry.type === "Point" && p.country === code) points.push(f.geometry.coordinates);
      }
      if (!points.length) return;
      const xs = points.map((c) => c[0]);
      const ys = points.map((c) => c[1]);
      map.fitBounds([[Math.min(...xs) - 4, Math.min(...ys) - 3], [Math.max(...xs) + 4, Math.max(...ys) + 1]],
        { duration: 0, maxZoom: 6 });
    },
  };
}

function empty() {
  return { type: "FeatureCollection", features: [] };
}

/** A feature split into simple geometries (the highlight layers filter on LineString and Point). */
function asSimple(f) {
  const g = f.geometry;
  if (g.type === "MultiLineString") return g.coordinates.map((c) => ({ type: "Feature", properties: {},
    geometry: { type: "LineString", coordinates: c } }));
  return [{ type: "Feature", properties: {}, geometry: g }];
}

/** A GeoJSON geometry, Feature or FeatureCollection as a FeatureCollection (for the area layer). */
function asCollection(area) {
  if (area.type === "FeatureCollection") return area;
  if (area.type === "Feature") return { type: "FeatureCollection", features: [area] };
  if (area.type === "MultiPolygon") {
    return { type: "FeatureCollection", features: area.coordinates.map((c) => ({ type: "Feature", properties: {},
      geometry: { type: "Polygon", coordinates: c } })) };
  }
  return { type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: area }] };
}

function swatch(layer) {
  const shape = layer.kind === "areas" ? "area" : layer.kind === "points" ? "point" : "line";
  const style = shape === "area" ? `background:${layer.fill || layer.colour};border-color:${layer.colour}`
    : shape === "point" ? `background:${layer.colour}` : `border-top-color:${layer.colour}`;
  return `<span class="swatch ${shape}" style="${esc(style)}" aria-hidden="true"></span>`;
}
