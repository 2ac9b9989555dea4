// Military mobility (#/mobility, issue 27): can this force package move from A to B by a date, over which roads,
// railways, airfields and ports, and what stops it. The form (a named network, from/to with the network's corridors
// as presets, the package, the start and the "by" date, the modes and the aircraft) asks the server for the fastest
// feasible plan (POST /api/v1/mobility/route, kompas.services.mobility): its legs with waits and transfers, every
// obstacle on the ideal route named and costed (a bridge below the package's MLC, a gauge break, a runway too short,
// a border's lead time), the narrowest element's throughput and the best plan for each set of modes. "What if it is
// lost?" beside each obstacle and leg re-plans without that element (POST .../stress); the ranking panel lists the
// elements whose loss breaks or slows the corridors most (POST .../rank). The map draws the network layer
// (GET .../network.geojson), the plan (POST .../route.geojson) and the obstacles as markers.
//
// Markings first: every answer carries the marking of the network as the user sees it (the public data combined with
// the contributions applied, e.g. a bridge's military load class contributed as SECRET); the banner shows it before
// the answer is drawn (api.js, showMarkings). An error answer carries no marking: the banner is painted first (for
// what is on screen), then the reason, always through esc(). The server computes plans a few at a time and one per
// user: this page sends its computing requests one after another, and a 503 is asked again after its Retry-After.
// The sources' attribution and licence (RINF/RInfData MIT, OpenStreetMap ODbL, OurAirports, the ILLUSTRATIVE test
// network) are shown beside the answers and on the map; ILLUSTRATIVE inputs (packages, lead times, the gauge-break
// test network) are labelled as such wherever they are used.
import { AuthError, esc, request, showMarkings, token } from "../api.js";
import { count, typedUtc, utc } from "../format.js";

const PACKAGES = { "mech-battalion": "Mechanised infantry battalion (ILLUSTRATIVE)",
  "light-company": "Light / airmobile company (ILLUSTRATIVE)" };
const AIRCRAFT = ["A400M", "C-17A", "C-130J-30"];
const MODES = { road: "Road", rail: "Rail", air: "Air", sea: "Sea" };
const OBSTACLES = { mlc: "Bridge below the package's MLC", weight: "Weight limit", axle: "Axle-load limit",
  height: "Too low (tunnel, bridge clearance)", width: "Too narrow", electric: "Not electrified",
  gauge: "Gauge break", border: "Border lead time", runway: "Runway too short" };
const LEG_KINDS = { link: "section", transfer: "transfer", wait: "wait", air: "flight", sea: "sea passage" };
const COLOURS = { road: "#7a6a53", rail: "#0b6e99", air: "#7b2cbf", sea: "#2e7d32", plan: "#e07000",
  obstacle: "#c8102e", removed: "#111111", detour: "#d6338a", ends: "#111111" };
const DEFAULT_NETWORK = "gauge-test";
const RETRIES = 3;  // a 429 or 503 is sent again after the server's Retry-After this many times, then shown
const MAX_WAIT_S = 30;
const PICK_PX = 6;
const LINES = ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false];
const POINTS = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
const STYLE = `<style>
  .mob-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 19em; gap: 1em; height: 560px; }
  .mob-wrap .map { position: relative; border: 1px solid var(--line, #ccc); border-radius: 4px; overflow: hidden;
    background: #cddbe6; }
  .mob-side { overflow: auto; margin: 0; } .mob-side .mark { overflow-wrap: anywhere; }
  .mob-form .modes { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2em .8em; }
  .mob-form .modes legend { font-size: .9em; color: var(--muted); padding: 0; }
  .mob-verdict { font-size: 1.1em; } .mob-verdict .ok { color: #007a33; font-weight: 600; }
  .mob-verdict .no { color: #c8102e; font-weight: 600; }
  .mob-illustrative { border-left: 4px solid #e07000; background: #fff6ea; padding: .4em .8em; }
  table.mob-obstacles tr.obstacle td:first-child { border-left: 4px solid #c8102e; }
  table.mob-obstacles tr.blocks { background: #fde7ea; }
  table.mob-obstacles td.cost { font-weight: 600; color: #a00d25; }
  table.mob-legs tr.wait, table.mob-legs tr.transfer { background: #fff4c2; }
  table.mob-legs tr.chosen, table.mob-rank tr.chosen { outline: 2px solid #111; }
  .mob-scroll { max-height: 28em; overflow: auto; }
  .mob-outcome.failed { color: #c8102e; font-weight: 600; }
  @media (max-width: 900px) { .mob-wrap { grid-template-columns: 1fr; height: auto; }
    .mob-wrap .map { height: 420px; } }
</style>`;

const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const num = (v, digits = 1) => (v === null || v === undefined ? "-" : count(Number(v).toFixed(digits)));
/** Hours as the planner gives them, with days beside when long: "182.7 h (7.6 d)". */
const hours = (v) => {
  if (v === null || v === undefined) return "-";
  if (Math.abs(v) < 1) return `${Math.round(v * 60)} min`;
  return Math.abs(v) >= 48 ? `${num(v, 1)} h (${num(v / 24, 1)} d)` : `${num(v, 1)} h`;
};
const plus = (startUtc, h) => (startUtc && h !== null && h !== undefined
  ? `${utc(Date.parse(startUtc) + h * 3600e3, 0).slice(0, 16)}Z` : "-");

/** The server's reason, readable: its text, or each validation problem as "field: message". */
function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && typeof d === "object" ? `${(d.loc || []).filter((x) => !["body", "query"]
      .includes(x)).join(".")}: ${d.msg ?? ""}` : String(d))).join("; ");
  }
  return JSON.stringify(detail);
}

/** A JSON call of the API (429 and 503 sent again after Retry-After, RETRIES times; 401 AuthError), the reason of
 * an error answer readable. */
async function ask(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${token() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if ((response.status !== 429 && response.status !== 503) || attempt === RETRIES) break;
    await pause(Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), MAX_WAIT_S));
  }
  if (response.status === 401) throw new AuthError("sign in again");
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = reason((await response.json()).detail); } catch { /* not JSON */ }
    if (response.status === 503) {
      detail = `the server is computing as many mobility plans as it allows at once (${detail}); try again`;
    }
    throw new Error(`${detail} (HTTP ${response.status})`);
  }
  return response.json();
}

/** The sources' attribution and licence, one per data set (deduplicated by text). */
function licence(sources, id) {
  const seen = new Map();
  for (const s of sources || []) {
    const text = `${s.attribution || s.name}${s.licence ? ` (${s.licence})` : ""}${s.note ? `; ${s.note}` : ""}`;
    seen.set(s.attribution || s.name, text);
  }
  const texts = [...seen.values()];
  return `<p class="licence" id="${id}"><strong>Sources and licences:</strong> ${texts.length ? texts.map(esc)
    .join(" · ") : "none given"}</p>`;
}

function nowMinute() {
  return `${new Date().toISOString().slice(0, 16)}Z`;
}

export async function renderMobility(view) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const state = { stopped: false, networks: [], layer: null, answer: null, body: null, routing: 0, stressing: 0,
    ranking: 0, queue: Promise.resolve(), map: null, layerFor: null, layerReady: Promise.resolve(), names: new Map(),
    planGeo: null };
  view.innerHTML = `${STYLE}
    <h1>Military mobility: can this force move there, by when, and what stops it</h1>
    <p class="muted">The fastest feasible plan for a force package over roads, railways, airfields and ports, with
      every obstacle on the ideal route named and costed (a bridge below the package's military load class, a rail
      gauge break, a runway too short, a tunnel too low, a border's lead time for movement permission), the waits and
      transfers, the throughput of the narrowest element and the alternatives by mode. Unknown limits are taken as
      passable and said so. Answers carry the marking of the network as you see it (the open data and the
      contributions you may see). Times are UTC.</p>
    <p class="mob-illustrative" id="mob-illustrative-note"><strong>ILLUSTRATIVE inputs.</strong> The force packages
      and the border lead times shipped with Kompas are ILLUSTRATIVE (no open force data or member-state lead-time
      table exists; vehicle figures are cited from public sources), and the gauge-test network is a small hand-built
      test network (no open extract of a gauge-break border exists), not real data.</p>
    <form class="filters card mob-form" id="mob-form" aria-label="Plan a movement">
      <label>Network<select name="network"><option value="${DEFAULT_NETWORK}">${DEFAULT_NETWORK}</option></select>
      </label>
      <label>Corridor<select name="corridor"><option value="">(type the places)</option></select></label>
      <label>From<input name="from" size="22" maxlength="200" list="mob-places" required
        title="A place id (rinf:EU00004), a name or 'lat,lon'"></label>
      <label>To<input name="to" size="22" maxlength="200" list="mob-places" required
        title="A place id, a name or 'lat,lon'"></label>
      <label>Package<select name="package">${Object.entries(PACKAGES).map(([k, v]) => `<option value="${k}">${esc(v)}
        </option>`).join("")}</select></label>
      <label>Start (UTC)<input name="start" size="18" data-utc inputmode="numeric" placeholder="2026-12-01T06:00"
        title="ISO 8601, UTC: when the movement starts and permissions are asked for"></label>
      <label>By (UTC)<input name="by" size="18" data-utc inputmode="numeric" placeholder="2026-12-10"
        title="ISO 8601, UTC: must the whole package be there by then? (empty: no deadline)"></label>
      <fieldset class="modes"><legend>Modes (none ticked: all)</legend>${Object.entries(MODES).map(([k, v]) => `<label
        class="check"><input type="checkbox" name="mode" value="${k}"> ${esc(v)}</label>`).join("")}</fieldset>
      <label>Aircraft<select name="aircraft"><option value="">any that fits</option>${AIRCRAFT.map((a) => `<option
        value="${a}">${esc(a)}</option>`).join("")}</select></label>
      <button type="submit">Plan the movement</button>
      <span id="mob-status" class="muted" role="status" aria-live="polite"></span>
      <datalist id="mob-places"></datalist>
    </form>
    <section aria-labelledby="mob-plan-title">
      <h2 id="mob-plan-title">Plan</h2>
      <div id="mob-summary" aria-live="polite"><p class="muted">Loading…</p></div>
      <h3 id="mob-obstacles-title">Obstacles on the ideal route, with what each costs</h3>
      <p class="muted">The cost of an obstacle is the time it adds when it alone is enforced; "blocks" when there is
        no way round it.</p>
      <table id="mob-obstacles" class="mob-obstacles" aria-labelledby="mob-obstacles-title"><thead><tr>
        <th scope="col">Obstacle</th><th scope="col">Element</th><th scope="col">Why</th>
        <th scope="col" class="n">Costs</th><th scope="col">What if</th></tr></thead>
        <tbody><tr><td colspan="5" class="muted">Loading…</td></tr></tbody></table>
      <h3 id="mob-legs-title">Legs, waits and transfers</h3>
      <div class="mob-scroll"><table id="mob-legs" class="mob-legs" aria-labelledby="mob-legs-title"><thead><tr>
        <th scope="col">#</th><th scope="col">Kind</th><th scope="col">Mode</th><th scope="col">Name</th>
        <th scope="col">From</th><th scope="col">To</th><th scope="col" class="n">km</th>
        <th scope="col">Starts (UTC)</th><th scope="col" class="n">Takes</th><th scope="col">What if</th></tr></thead>
        <tbody><tr><td colspan="10" class="muted">Loading…</td></tr></tbody></table></div>
      <div id="mob-details"></div>
      <h3 id="mob-alternatives-title">Alternatives by mode</h3>
      <table id="mob-alternatives" aria-labelledby="mob-alternatives-title"><thead><tr><th scope="col">Modes</th>
        <th scope="col">Feasible</th><th scope="col" class="n">Lead vehicle</th><th scope="col" class="n">Whole
        package</th><th scope="col" class="n">km</th><th scope="col" class="n">Legs</th><th scope="col"></th></tr>
        </thead><tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
      <div id="mob-licence-wrap"></div>
    </section>
    <section class="card" aria-labelledby="mob-whatif-title">
      <h2 id="mob-whatif-title">What if it is lost?</h2>
      <p class="muted">"What if it is lost?" beside an obstacle, a leg or a ranked element plans this movement again
        without it (a bridge, a junction, a transfer, the border crossing, an airfield): whether it still gets
        through, and what the detour costs. The detour is drawn on the map.</p>
      <div id="mob-whatif" aria-live="polite"><p class="muted">Nothing removed yet.</p></div>
    </section>
    <section aria-labelledby="mob-rank-title">
      <h2 id="mob-rank-title">The most critical elements</h2>
      <form class="filters" id="mob-rank-form" aria-label="Rank the critical elements">
        <label>Corridors<select name="scope"><option value="network">the network's corridors</option>
          <option value="plan">this plan's origin and destination</option></select></label>
        <label>Elements at most<input name="limit" type="number" min="1" max="500" value="15" style="width:5em">
        </label>
        <button type="submit">Rank the elements</button>
      </form>
      <div id="mob-rank" aria-live="polite"><p class="muted">The elements whose loss breaks the most corridors, then
        adds the most hours (computed when you ask: about two seconds on the German rail network).</p></div>
    </section>
    <section aria-labelledby="mob-map-title">
      <h2 id="mob-map-title">Map</h2>
      <div class="mob-wrap">
        <div class="map" id="mob-map" role="application" aria-label="Map of the network, the plan and its
          obstacles"></div>
        <aside class="card mob-side" aria-label="Legend">
          <h3>Legend</h3>
          <ul class="map-legend">
            <li><span class="swatch line" style="border-top-color:${COLOURS.road}" aria-hidden="true"></span>Road</li>
            <li><span class="swatch line" style="border-top-color:${COLOURS.rail}" aria-hidden="true"></span>Rail</li>
            <li><span class="swatch line" style="border-top-color:${COLOURS.plan}" aria-hidden="true"></span>The plan
              (waits and transfers as points)</li>
            <li><span class="swatch point" style="background:${COLOURS.obstacle}" aria-hidden="true"></span>Obstacle
              (larger: blocks)</li>
            <li><span class="swatch point" style="background:${COLOURS.removed}" aria-hidden="true"></span>Removed in
              the last "what if"</li>
            <li><span class="swatch line" style="border-top-color:${COLOURS.detour}" aria-hidden="true"></span>The
              detour after the loss</li>
          </ul>
          <p class="muted" id="mob-layer-status" aria-live="polite">Network layer: loading…</p>
          <p class="muted">Point at an item for its name; click it for its details (an obstacle's popup offers "what
            if it is lost?").</p>
          <div id="mob-map-licence"></div>
        </aside>
      </div>
    </section>`;

  const form = view.querySelector("#mob-form");
  const status = view.querySelector("#mob-status");
  const f = form.elements;

  // --- errors: the banner first (an error carries no marking), then the reason, escaped ----------------------------
  const failed = async (box, error, what) => {
    if (error instanceof AuthError) throw error;
    await showMarkings(view, []).catch(() => {});
    if (state.stopped || !view.isConnected) return;
    const tag = ["SPAN", "P"].includes(box.tagName) ? "span" : "p";
    box.innerHTML = `<${tag} class="error" role="alert">${esc(what)}: ${esc(error.message)}</${tag}>`;
  };
  /** Computing requests one after another (the server computes one per user at a time). */
  const serial = (work) => {
    const run = state.queue.then(work, work);
    state.queue = run.catch(() => {});
    return run;
  };

  // --- the networks and their corridors ------------------------------------------------------------------------------
  state.networks = await ask("/api/v1/mobility/networks");
  const byName = Object.fromEntries(state.networks.map((n) => [n.name, n]));
  f.network.innerHTML = state.networks.map((n) => `<option value="${esc(n.name)}"${n.available ? "" : " disabled"}>
    ${esc(n.name)}: ${esc(n.about)}${n.available ? ` (${count(n.counts.places)} places, ${count(n.counts.links)}
    links)` : " (its data is not on this server)"}</option>`).join("");
  const fillCorridors = (name) => {
    const corridors = byName[name]?.corridors || [];
    f.corridor.innerHTML = `<option value="">(type the places)</option>${corridors.map((c, k) => `<option
      value="${k}">${esc(c.name)}</option>`).join("")}`;
    f.corridor.disabled = !corridors.length;
    view.querySelector("#mob-rank-form").elements.scope.value = corridors.length ? "network" : "plan";
    return corridors;
  };
  const pickCorridor = (k) => {
    const c = (byName[f.network.value]?.corridors || [])[Number(k)];
    if (!c) return;
    f.from.value = c.from;
    f.to.value = c.to;
  };
  const wanted = own.get("network");
  f.network.value = wanted && byName[wanted]?.available ? wanted : (byName[DEFAULT_NETWORK]?.available
    ? DEFAULT_NETWORK : (state.networks.find((n) => n.available)?.name || DEFAULT_NETWORK));
  const corridors = fillCorridors(f.network.value);
  f.from.value = own.get("from") || "";
  f.to.value = own.get("to") || "";
  if ((!f.from.value || !f.to.value) && corridors.length) { f.corridor.value = "0"; pickCorridor(0); }
  const linked = corridors.findIndex((c) => c.from === f.from.value && c.to === f.to.value);
  if (linked >= 0) f.corridor.value = String(linked);
  f.package.value = PACKAGES[own.get("package")] ? own.get("package") : "mech-battalion";
  f.start.value = own.get("start") || nowMinute();
  f.by.value = own.get("by") || "";
  for (const box of form.querySelectorAll("input[name=mode]")) box.checked = own.getAll("mode").includes(box.value);
  f.aircraft.value = AIRCRAFT.includes(own.get("aircraft")) ? own.get("aircraft") : "";

  f.corridor.addEventListener("change", () => pickCorridor(f.corridor.value));
  f.network.addEventListener("change", () => {
    const list = fillCorridors(f.network.value);
    f.from.value = "";
    f.to.value = "";
    if (list.length) { f.corridor.value = "0"; pickCorridor(0); }
    // what was shown was for the other network: cleared (the banner keeps what was on screen: it never drops)
    state.routing += 1;
    state.stressing += 1;
    state.ranking += 1;
    state.answer = null;
    state.planGeo = null;
    clearPlan();
    view.querySelector("#mob-licence-wrap").innerHTML = "";
    view.querySelector("#mob-whatif").innerHTML = `<p class="muted">Nothing removed yet.</p>`;
    view.querySelector("#mob-rank").innerHTML = `<p class="muted">Not ranked yet for ${esc(f.network.value)}.</p>`;
    state.map?.clear();
    state.layerReady = loadLayer(f.network.value).catch(() => {});
  });

  // --- the plan ------------------------------------------------------------------------------------------------------
  const bodyOf = () => {
    for (const name of ["start", "by"]) f[name].removeAttribute("aria-invalid");
    const body = { network: f.network.value, from: f.from.value.trim(), to: f.to.value.trim(),
      package_name: f.package.value, alternatives: true };
    for (const [name, key] of [["start", "start_utc"], ["by", "by_utc"]]) {
      const text = f[name].value.trim();
      if (!text) continue;
      const time = typedUtc(text);
      if (!time) { f[name].setAttribute("aria-invalid", "true"); return null; }
      body[key] = time;
    }
    if (!body.start_utc) body.start_utc = `${nowMinute().slice(0, 16)}:00Z`;  // one start for the plan and its map
    const modes = [...form.querySelectorAll("input[name=mode]:checked")].map((b) => b.value);
    if (modes.length) body.modes = modes;
    if (f.aircraft.value) body.aircraft = f.aircraft.value;
    return body;
  };
  const remember = (body) => {
    const link = new URLSearchParams({ network: body.network, from: body.from, to: body.to,
      package: body.package_name, start: f.start.value.trim() });
    if (f.by.value.trim()) link.set("by", f.by.value.trim());
    for (const m of body.modes || []) link.append("mode", m);
    if (body.aircraft) link.set("aircraft", body.aircraft);
    history.replaceState(null, "", `#/mobility?${link}`);
  };

  const plan = async () => {
    const body = bodyOf();
    if (!body) {
      status.innerHTML = `<span class="error" role="alert">A time is ISO 8601 UTC: 2026-12-01 or
        2026-12-01T06:00Z.</span>`;
      return;
    }
    if (!body.from || !body.to) {
      status.innerHTML = `<span class="error" role="alert">Give where from and where to (a corridor, a place id, a
        name or "lat,lon").</span>`;
      return;
    }
    const mine = ++state.routing;
    remember(body);
    status.textContent = "Planning…";
    let answer;
    try {
      answer = await serial(() => ask("/api/v1/mobility/route", { method: "POST", body }));
    } catch (error) {
      if (mine !== state.routing) return;
      await failed(status, error, "No plan");
      if (!state.answer) clearPlan();
      const previous = view.querySelector("#mob-verdict");
      if (previous && !view.querySelector("#mob-stale")) {
        previous.insertAdjacentHTML("beforebegin", `<p id="mob-stale" class="no">The plan below is the previous one,
          not an answer to the form as it is now.</p>`);
      }
      return;
    }
    await state.layerReady;  // the places' names for the legs
    if (mine !== state.routing || state.stopped) return;
    await showMarkings(view, [answer.marking]);  // the banner first
    if (mine !== state.routing || state.stopped || !view.isConnected) return;
    status.textContent = "";
    state.answer = answer;
    state.body = body;
    drawPlan(answer);
    // the plan on the map (its own answer, the same start: the same plan), after the table
    serial(() => ask("/api/v1/mobility/route.geojson", { method: "POST", body })).then(async (geo) => {
      if (mine !== state.routing || state.stopped) return;
      await showMarkings(view, [geo.marking]);
      if (mine !== state.routing || state.stopped || !view.isConnected) return;
      state.planGeo = geo;
      state.map?.plan(geo, answer);
    }).catch((error) => failed(view.querySelector("#mob-layer-status"), error, "The plan could not be drawn"));
  };

  const clearPlan = () => {
    view.querySelector("#mob-summary").innerHTML = `<p class="muted">No plan shown.</p>`;
    for (const id of ["#mob-obstacles", "#mob-legs", "#mob-alternatives"]) {
      const table = view.querySelector(id);
      table.tBodies[0].innerHTML = `<tr><td colspan="${table.tHead.rows[0].cells.length}" class="muted">Nothing
        shown.</td></tr>`;
    }
  };

  const placeName = (answer, id) => {
    const p = answer.plan;
    if (p.origin.id === id) return p.origin.name;
    if (p.destination.id === id) return p.destination.name;
    return state.names?.get(id) || id;
  };

  const drawPlan = (answer) => {
    const p = answer.plan;
    const pkg = answer.package;
    const used = [...new Set(p.legs.map((leg) => leg.mode).filter(Boolean))];
    const late = p.by_utc && p.complete_hours !== null ? (Date.parse(p.start_utc) + p.complete_hours * 3600e3
      - Date.parse(p.by_utc)) / 3600e3 : null;
    const illustrative = [answer.illustrative?.package ? `the package (${pkg.name})` : "",
      answer.illustrative?.lead_times ? "the border lead times" : "",
      answer.illustrative?.network ? "the network (the hand-built gauge-break test network)" : ""].filter(Boolean);
    const leads = answer.lead_times || {};
    const leadText = Object.entries(leads.days || {}).map(([c, d]) => `${c} ${num(d, 1)} d`).join(", ");
    const throughput = p.throughput;
    const narrowest = throughput?.elements?.find((e) => e.id === throughput.narrowest);
    view.querySelector("#mob-summary").innerHTML = `
      <p class="mob-verdict" id="mob-verdict">${p.feasible ? `${p.meets_by === false
        ? `<span class="no">Feasible, but not there by ${esc(utc(p.by_utc, 0))}</span>`
        : `<span class="ok">Feasible</span>`}: ${esc(
        p.origin.name)} → ${esc(p.destination.name)}, ${num(p.km, 1)} km by ${esc(used.join(" and "))}; the lead
        vehicle arrives after <strong>${esc(hours(p.hours))}</strong> (${esc(plus(p.start_utc, p.hours))}), the
        whole package after <strong>${esc(hours(p.complete_hours))}</strong> (${esc(plus(p.start_utc,
        p.complete_hours))}); ${esc(hours(p.ideal_hours))} without the obstacles.` : `<span class="no">No feasible
        plan</span> from ${esc(p.origin.name)} to ${esc(p.destination.name)} by ${esc(p.modes.join(", "))}: ${
        esc(p.why_none || "blocked by the obstacles below")}.`}
        <span class="mark">${esc(answer.banner)}</span></p>
      ${p.by_utc ? `<p id="mob-by">${p.meets_by ? `<span class="ok">Arrives by ${esc(utc(p.by_utc, 0))}</span>`
        : `<span class="no">Not there by ${esc(utc(p.by_utc, 0))}</span>${late !== null && late > 0 ? `: the last
        vehicle is ${esc(hours(late))} late` : ""}`}.</p>` : ""}
      <p id="mob-package">Package: ${esc(pkg.name)}: ${count(pkg.vehicles)} vehicles, ${count(pkg.personnel)}
        personnel; heaviest ${num(pkg.heaviest_t, 1)} t, MLC ${esc(pkg.max_mlc)}, axle ${num(pkg.max_axle_t, 1)} t,
        ${num(pkg.max_height_m, 2)} m high, ${num(pkg.max_width_m, 2)} m wide${answer.aircraft ? `; aircraft
        ${esc(answer.aircraft)}${answer.aircraft_chosen_by === "fewest sorties"
          ? " (the type needing the fewest sorties)" : ""}` : ""}. <span class="muted">${esc(pkg.source)}</span></p>
      ${Object.keys(p.unable || {}).length ? `<p id="mob-unable">${Object.entries(p.unable).map(([m, why]) =>
        `The package cannot go by ${esc(m)}: ${esc(why)}.`).join(" ")}</p>` : ""}
      ${pkg.estimated?.length ? `<details><summary>${count(pkg.estimated.length)} figure(s) estimated or
        computed</summary><ul>${pkg.estimated.map((e) => `<li>${esc(e)}</li>`).join("")}</ul></details>` : ""}
      ${throughput?.narrowest ? `<p id="mob-throughput">Throughput: ${count(throughput.vehicles_per_day)} vehicles a
        day, limited by ${esc(narrowest?.name || throughput.narrowest)}.</p>` : ""}
      <p id="mob-leads">Border lead times (calendar days the planner waits for permission${leads.unit === "working"
        ? `, from the table's working days` : ""}): ${esc(leadText || "none on this network")}. The Compass's target:
        cross-border procedures harmonised by ${esc(leads.target_year ?? "-")}${leads.target_days !== null
        && leads.target_days !== undefined ? ` (${num(leads.target_days, 0)} days)` : " (no number of days set)"}.
        <span class="muted">${esc(leads.target_source || "")}</span></p>
      ${illustrative.length ? `<p class="mob-illustrative" id="mob-illustrative">ILLUSTRATIVE: ${esc(
        illustrative.join("; "))} — not real data.</p>` : ""}
      ${p.assumptions.length ? `<p id="mob-assumptions">Assumptions: ${p.assumptions.map(esc).join("; ")}.</p>` : ""}
      ${answer.rejections?.length ? `<p class="error">Rejected input: ${answer.rejections.map((r) => esc(
        `${r.source} ${r.line ?? ""} ${r.field ?? ""}: ${r.reason}`)).join("; ")}</p>` : ""}`;

    const obstacles = view.querySelector("#mob-obstacles");
    obstacles.tBodies[0].innerHTML = p.obstacles.map((o, k) => `<tr class="obstacle${o.blocks ? " blocks" : ""}"
      data-k="${k}" data-kind="${esc(o.kind)}" data-element="${esc(o.element)}"><td>${esc(OBSTACLES[o.kind]
      || o.kind)}</td><td>${esc(o.name)} <span class="muted">${esc(o.element)}</span></td><td>${esc(o.reason)}</td>
      <td class="n cost">${o.blocks ? "blocks" : o.cost_hours === null ? "not costed" : `+${esc(hours(o.cost_hours))}`}
      </td><td><button type="button" class="linkish whatif" data-element="${esc(o.element)}" data-label="${esc(
      o.name)}">What if it is lost?</button></td></tr>`).join("") || `<tr><td colspan="5" class="muted">None: nothing
      on the ideal route stops or slows this package (unknown limits are taken as passable: see the assumptions).
      </td></tr>`;
    obstacles.dataset.rows = String(p.obstacles.length);

    const legs = view.querySelector("#mob-legs");
    legs.tBodies[0].innerHTML = p.legs.map((leg, k) => {
      const element = leg.kind === "wait" ? leg.from : ["air", "sea"].includes(leg.kind) ? leg.to : leg.id;
      const label = leg.kind === "wait" ? `the crossing at ${placeName(answer, leg.from)}`
        : ["air", "sea"].includes(leg.kind) ? placeName(answer, leg.to) : leg.name;
      return `<tr class="${esc(leg.kind)}" data-k="${k}" data-id="${esc(leg.id)}"><td>${k + 1}</td>
        <td>${esc(LEG_KINDS[leg.kind] || leg.kind)}</td><td>${esc(leg.mode || "-")}</td><td>${esc(leg.name)}</td>
        <td>${esc(placeName(answer, leg.from))}</td><td>${esc(placeName(answer, leg.to))}</td>
        <td class="n">${leg.km ? num(leg.km, 1) : "-"}</td><td class="time">${esc(plus(p.start_utc, leg.start_h))}</td>
        <td class="n">${esc(hours(leg.end_h - leg.start_h))}</td><td><button type="button" class="linkish whatif"
        data-element="${esc(element)}" data-label="${esc(label)}">What if it is lost?</button></td></tr>`;
    }).join("") || `<tr><td colspan="10" class="muted">No legs: no feasible plan.</td></tr>`;
    legs.dataset.rows = String(p.legs.length);

    const alternatives = view.querySelector("#mob-alternatives");
    alternatives.tBodies[0].innerHTML = (answer.alternatives || []).map((a) => `<tr data-modes="${esc(
      a.modes.join(","))}"><td>${esc(a.modes.join(" + "))}</td><td>${a.feasible ? "yes" : "no"}</td>
      <td class="n">${esc(hours(a.hours))}</td><td class="n">${esc(hours(a.complete_hours))}</td>
      <td class="n">${a.feasible ? num(a.km, 1) : "-"}</td><td class="n">${a.feasible ? count(a.legs) : "-"}</td>
      <td>${a.feasible ? `<button type="button" class="linkish use-modes" data-modes="${esc(a.modes.join(","))}">Plan
      with these modes</button>` : ""}</td></tr>`).join("") || `<tr><td colspan="7" class="muted">None asked for.
      </td></tr>`;
    view.querySelector("#mob-licence-wrap").innerHTML = licence(answer.sources, "mob-licence");
  };

  // --- "what if it is lost?" -----------------------------------------------------------------------------------------
  const whatIf = async (element, label) => {
    const answer = state.answer;
    const box = view.querySelector("#mob-whatif");
    if (!answer) return;
    const mine = ++state.stressing;
    box.innerHTML = `<p class="muted">Planning again without ${esc(label || element)}…</p>`;
    view.querySelector("#mob-whatif-title").scrollIntoView({ block: "start" });
    const body = { network: answer.network, remove: [element], package_name: state.body.package_name,
      corridors: [[answer.plan.origin.id, answer.plan.destination.id]] };
    let found;
    try {
      found = await serial(() => ask("/api/v1/mobility/stress", { method: "POST", body }));
    } catch (error) {
      if (mine === state.stressing) await failed(box, error, "No answer");
      return;
    }
    if (mine !== state.stressing || state.stopped) return;
    await showMarkings(view, [found.marking]);  // the banner first
    if (mine !== state.stressing || state.stopped || !view.isConnected) return;
    const names = found.removed.map((id) => (id === element && label ? `${label} (${id})` : id));
    box.innerHTML = `<p id="mob-removed">Removed: ${names.map(esc).join(", ")}. <span class="mark">${esc(
      found.banner)}</span></p>
      <table id="mob-outcomes"><thead><tr><th scope="col">Corridor</th><th scope="col" class="n">Before</th>
        <th scope="col" class="n">After</th><th scope="col" class="n">Added</th><th scope="col">Outcome</th></tr>
      </thead><tbody>${found.outcomes.map((o) => `<tr data-failed="${o.failed}"><td>${esc(o.corridor)}</td>
        <td class="n">${esc(hours(o.before_hours))}</td><td class="n">${esc(hours(o.after_hours))}</td>
        <td class="n">${o.failed ? "-" : `+${esc(hours(o.added_hours))}`}</td><td class="mob-outcome${o.failed
        ? " failed" : ""}">${o.failed ? "fails: no feasible plan without it" : o.added_hours > 0
        ? "gets through, by a detour" : o.lost.length ? "gets through, no slower" : "not on this plan's route: no change"
        }</td></tr>`).join("")}</tbody></table>
      <p class="muted">The package (${esc(found.package?.name || "")}) is planned again with every mode; the
        plan above is unchanged.</p>
      ${licence(found.sources, "mob-whatif-licence")}`;
    const after = Object.values(found.plans || {})[0];
    state.map?.stressed(found.removed, after);
  };
  view.addEventListener("click", (event) => {
    const button = event.target.closest("button.whatif");
    if (button && view.contains(button)) { whatIf(button.dataset.element, button.dataset.label); return; }
    const use = event.target.closest("button.use-modes");
    if (use) {
      const modes = use.dataset.modes.split(",");
      for (const box of form.querySelectorAll("input[name=mode]")) box.checked = modes.includes(box.value);
      plan();
      return;
    }
    const row = event.target.closest("#mob-legs tbody tr[data-id], #mob-rank-table tbody tr[data-element]");
    if (row) {
      for (const tr of view.querySelectorAll("tr.chosen")) tr.classList.remove("chosen");
      row.classList.add("chosen");
      state.map?.focus(row.dataset.id || row.dataset.element);
    }
  });

  // --- the ranking ---------------------------------------------------------------------------------------------------
  const rankForm = view.querySelector("#mob-rank-form");
  rankForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = view.querySelector("#mob-rank");
    const network = f.network.value;
    const body = { network, package_name: f.package.value, limit: Number(rankForm.elements.limit.value) || 15 };
    if (rankForm.elements.scope.value === "plan" || !(byName[network]?.corridors || []).length) {
      const from = state.answer?.network === network ? state.answer.plan.origin.id : f.from.value.trim();
      const to = state.answer?.network === network ? state.answer.plan.destination.id : f.to.value.trim();
      if (!from || !to) {
        box.innerHTML = `<p class="error" role="alert">This network has no corridors: give where from and where to
          above.</p>`;
        return;
      }
      body.corridors = [[from, to]];
    }
    const mine = ++state.ranking;
    box.innerHTML = `<p class="muted">Ranking…</p>`;
    let found;
    try {
      found = await serial(() => ask("/api/v1/mobility/rank", { method: "POST", body }));
    } catch (error) {
      if (mine === state.ranking) await failed(box, error, "Not ranked");
      return;
    }
    if (mine !== state.ranking || state.stopped) return;
    await showMarkings(view, [found.marking]);  // the banner first
    if (mine !== state.ranking || state.stopped || !view.isConnected) return;
    box.innerHTML = `<p>${count(found.ranking.length)} element(s) ranked over ${count(found.corridors.length)}
      corridor(s) of ${esc(found.network)} for ${esc(found.package?.name || "")}. <span class="mark">${esc(
      found.banner)}</span></p>
      <details><summary>The corridors</summary><ul>${found.corridors.map((c) => `<li>${esc(c.name)} <span
        class="muted">${esc(c.from)} → ${esc(c.to)}</span></li>`).join("")}</ul></details>
      <div class="mob-scroll"><table id="mob-rank-table" class="mob-rank"><thead><tr><th scope="col">#</th>
        <th scope="col">Element</th><th scope="col">Kind</th><th scope="col">Section</th>
        <th scope="col" class="n">Corridors broken</th><th scope="col" class="n">Hours added</th>
        <th scope="col">What if</th></tr></thead><tbody>${found.ranking.map((r, k) => `<tr data-element="${esc(
        r.element)}" title="${esc(r.failed.join("; "))}"><td>${k + 1}</td><td>${esc(r.name)} <span class="muted">${esc(
        r.element)}</span></td><td>${esc(r.kind)}</td><td>${esc(r.section || "-")}</td><td class="n">${count(
        r.failed.length)}</td><td class="n">${r.failed.length && !r.added_hours ? "-" : `+${esc(hours(r.added_hours))}`}</td><td><button type="button"
        class="linkish whatif" data-element="${esc(r.element)}" data-label="${esc(r.name)}">What if it is lost?
        </button></td></tr>`).join("") || `<tr><td colspan="7" class="muted">Nothing ranked: no element's loss
        breaks or slows these corridors.</td></tr>`}</tbody></table></div>
      ${licence(found.sources, "mob-rank-licence")}`;
  });

  // --- the network layer ---------------------------------------------------------------------------------------------
  const loadLayer = async (name) => {
    state.layerFor = name;
    const line = view.querySelector("#mob-layer-status");
    line.textContent = `Network layer (${name}): loading…`;
    let layer;
    try {
      layer = await ask(`/api/v1/mobility/network.geojson?network=${encodeURIComponent(name)}`);
    } catch (error) {
      if (state.layerFor === name) await failed(line, error, "Network layer");
      return;
    }
    if (state.layerFor !== name || state.stopped) return;
    await showMarkings(view, [layer.marking]);  // the banner first
    if (state.layerFor !== name || state.stopped || !view.isConnected) return;
    state.layer = layer;
    state.names = new Map(layer.features.filter((x) => x.properties.id && x.properties.name)
      .map((x) => [x.properties.id, x.properties.name]));
    const places = layer.features.filter((x) => x.properties.kind !== "link" && x.properties.name);
    view.querySelector("#mob-places").innerHTML = places.slice(0, 10000).map((x) => `<option value="${esc(
      x.properties.id)}">${esc(x.properties.name)}</option>`).join("");
    const links = layer.features.filter((x) => x.properties.kind === "link").length;
    line.innerHTML = `Network layer (${esc(name)}): ${count(links)} links, ${count(layer.features.length - links)}
      places and airfields${layer.truncated ? " (more links than drawn)" : ""}. <span class="mark">${esc(
      layer.banner)}</span>`;
    view.querySelector("#mob-map-licence").innerHTML = licence(layer.kompas?.sources, "mob-map-sources");
    state.map?.network(layer);
  };

  form.addEventListener("submit", (event) => { event.preventDefault(); plan(); });

  // --- first view: the plan (its marking on the banner first), the network layer and the map -------------------------
  const mapping = mountMap(view, state, whatIf).then((map) => {
    if (state.stopped) { map?.remove(); return; }
    state.map = map;
    if (!map) return;
    if (state.layer) map.network(state.layer);
    if (state.planGeo && state.answer) map.plan(state.planGeo, state.answer);
  }).catch((error) => failed(view.querySelector("#mob-layer-status"), error, "The map could not be drawn"));
  mapping.catch(() => {});
  state.layerReady = loadLayer(f.network.value).catch(() => {});
  if (f.from.value && f.to.value) await plan();
  else clearPlan();
  return () => {
    state.stopped = true;
    state.map?.remove();
  };
}

// --- the map --------------------------------------------------------------------------------------------------------
// MapLibre loads only when this page opens (a separate chunk shared with the other map pages). Each layer goes on the
// map once its marking is on the banner (the caller has painted it: the network layer, the plan and the "what if").

async function mountMap(view, state, whatIf) {
  const [{ Map: MapLibre, NavigationControl, Popup, ScaleControl, setWorkerUrl }, worker] = await Promise.all([
    import("maplibre-gl"), import("maplibre-gl/dist/maplibre-gl-worker.mjs?url"),
    import("maplibre-gl/dist/maplibre-gl.css"), import("../map/map.css")]);
  setWorkerUrl(worker.default);
  if (state.stopped || !view.isConnected) return null;
  const { layers } = await request("/api/v1/map/layers");
  const base = layers.find((l) => l.id === "boundaries");
  const element = view.querySelector("#mob-map");
  const map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background",
      paint: { "background-color": "#cddbe6" } }] },
    bounds: [[5, 47], [30, 60]], attributionControl: { compact: false },
    dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 15, fadeDuration: 0,
  });
  map.keyboard.enable();
  map.addControl(new NavigationControl({ showCompass: false }), "top-left");
  map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
  element.__map = map;  // for tests
  await new Promise((resolve, reject) => {
    map.once("load", resolve);
    map.once("error", (event) => reject(new Error(`the map could not start: ${event.error?.message || event}`)));
  });
  if (state.stopped || !view.isConnected) { map.remove(); return null; }
  const empty = () => ({ type: "FeatureCollection", features: [] });
  for (const id of ["mob-plan", "mob-detour", "mob-removed", "mob-obstacles", "mob-ends",
    "mob-focus"]) {
    map.addSource(id, { type: "geojson", data: empty() });
  }
  /** The network's source (again, so that its attribution follows the network shown) and its layers, under the
   * plan. */
  const networkSource = (data, attribution) => {
    for (const id of ["network-line", "network-point"]) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource("mob-network")) map.removeSource("mob-network");
    map.addSource("mob-network", { type: "geojson", data, attribution });
    map.addLayer({ id: "network-line", type: "line", source: "mob-network", filter: LINES,
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": ["match", ["get", "mode"], "rail", COLOURS.rail, "road", COLOURS.road, "#888888"],
        "line-width": ["case", ["to-boolean", ["get", "bridge"]], 3, 1.4], "line-opacity": 0.75 } }, "plan-line");
    map.addLayer({ id: "network-point", type: "circle", source: "mob-network", filter: POINTS,
      paint: { "circle-radius": ["interpolate", ["linear"], ["zoom"], 5, ["match", ["get", "place_kind"], "border", 3.5,
        "airfield", 3.5, "port", 3.5, 0.8], 11, ["match", ["get", "place_kind"], "border", 6, "airfield", 6, "port", 6, 3]],
        "circle-color": ["match", ["get", "place_kind"], "border", "#444444", "airfield", COLOURS.air, "port", COLOURS.sea,
          "#ffffff"],
        "circle-stroke-color": "#555555", "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 5, 0.3, 11, 1] }
    }, "plan-line");
  };
  map.addLayer({ id: "plan-line", type: "line", source: "mob-plan", filter: LINES,
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": COLOURS.plan, "line-width": 5, "line-opacity": 0.9 } });
  map.addLayer({ id: "plan-point", type: "circle", source: "mob-plan", filter: POINTS,
    paint: { "circle-radius": 6, "circle-color": "#fff4c2", "circle-stroke-color": COLOURS.plan,
      "circle-stroke-width": 3 } });
  map.addLayer({ id: "detour-line", type: "line", source: "mob-detour", filter: LINES,
    paint: { "line-color": COLOURS.detour, "line-width": 3, "line-dasharray": [2, 1] } });
  map.addLayer({ id: "removed-line", type: "line", source: "mob-removed", filter: LINES,
    paint: { "line-color": COLOURS.removed, "line-width": 6 } });
  map.addLayer({ id: "removed-point", type: "circle", source: "mob-removed", filter: POINTS,
    paint: { "circle-radius": 8, "circle-color": COLOURS.removed } });
  map.addLayer({ id: "focus-line", type: "line", source: "mob-focus", filter: LINES,
    paint: { "line-color": "#ffd400", "line-width": 4 } });
  map.addLayer({ id: "focus-point", type: "circle", source: "mob-focus", filter: POINTS,
    paint: { "circle-radius": 9, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#ffd400",
      "circle-stroke-width": 3 } });
  map.addLayer({ id: "ends-point", type: "circle", source: "mob-ends",
    paint: { "circle-radius": 7, "circle-color": ["match", ["get", "end"], "origin", "#ffffff", COLOURS.ends],
      "circle-stroke-color": COLOURS.ends, "circle-stroke-width": 2.5 } });
  map.addLayer({ id: "obstacles-point", type: "circle", source: "mob-obstacles",
    paint: { "circle-radius": ["case", ["get", "blocks"], 10, 8], "circle-color": COLOURS.obstacle,
      "circle-opacity": 0.9, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });

  if (base) {  // the country boundaries (public, marked like any layer), under everything else
    request(base.href).then(async (land) => {
      await showMarkings(view, [land.marking]);  // the banner first
      if (state.stopped || !view.isConnected) return;
      map.addSource("boundaries", { type: "geojson", data: land, attribution: esc(base.attribution) });
      const under = map.getLayer("network-line") ? "network-line" : "plan-line";
      map.addLayer({ id: "boundaries-fill", type: "fill", source: "boundaries",
        paint: { "fill-color": base.fill || "#f3f1ea" } }, under);
      map.addLayer({ id: "boundaries-line", type: "line", source: "boundaries",
        paint: { "line-color": base.colour || "#8a96a3", "line-width": 0.6 } }, under);
    }).catch(() => { /* the map without boundaries: the network is still drawn */ });
  }

  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  const PICKABLE = ["obstacles-point", "ends-point", "plan-point", "plan-line", "removed-point", "network-point",
    "network-line"];
  const pick = (point) => {
    const found = map.queryRenderedFeatures([[point.x - PICK_PX, point.y - PICK_PX], [point.x + PICK_PX,
      point.y + PICK_PX]], { layers: PICKABLE.filter((id) => map.getLayer(id)) });
    found.sort((a, b) => PICKABLE.indexOf(a.layer.id) - PICKABLE.indexOf(b.layer.id));
    return found[0] || null;
  };
  map.on("mousemove", (event) => {
    const hit = pick(event.point);
    tooltip.hidden = !hit;
    map.getCanvas().style.cursor = hit ? "pointer" : "";
    if (!hit) return;
    tooltip.textContent = hit.properties.name || hit.properties.id || "";
    tooltip.style.left = `${event.point.x + 12}px`;
    tooltip.style.top = `${event.point.y + 12}px`;
  });
  map.getCanvas().addEventListener("mouseleave", () => { tooltip.hidden = true; });
  let popup = null;
  let sources = { network: null, plan: null, answer: null };
  map.on("click", (event) => {
    const hit = pick(event.point);
    if (!hit) return;
    const p = hit.properties;
    const banner = hit.layer.id.startsWith("network") ? sources.network?.banner : sources.answer?.banner;
    const facts = Object.entries(p).filter(([k, v]) => !["name", "k", "kind", "blocks"].includes(k) && v !== null
      && v !== "" && typeof v !== "object");
    const target = hit.layer.id === "obstacles-point" ? p.element : p.id;
    popup?.remove();
    popup = new Popup({ maxWidth: "340px", focusAfterOpen: false }).setLngLat(event.lngLat).setHTML(`
      <strong>${esc(p.name || p.id || "")}</strong>
      <div class="muted">${facts.map(([k, v]) => `${esc(k.replace(/_/g, " "))}: ${esc(v)}`).join("<br>")}</div>
      ${target && sources.answer ? `<button type="button" class="linkish map-whatif">What if it is lost?</button>`
        : ""}
      ${banner ? `<span class="mark">${esc(banner)}</span>` : ""}`).addTo(map);
    element.__popup = popup;  // for tests
    popup.getElement().querySelector("button.map-whatif")?.addEventListener("click", () => {
      popup.remove();
      whatIf(target, p.name || target);
    });
  });

  /** Features of the network layer and the plan with these ids (links, places; transfers from the plan's legs). */
  const geometryOf = (ids) => {
    const wanted = new Set(ids);
    const out = [];
    for (const x of sources.network?.features || []) {
      if (wanted.has(x.properties.id) && x.geometry) out.push({ type: "Feature", geometry: x.geometry, properties: {
        id: x.properties.id, name: x.properties.name || x.properties.id } });
    }
    const found = new Set(out.map((x) => x.properties.id));
    for (const x of sources.plan?.features || []) {
      if (wanted.has(x.properties.id) && !found.has(x.properties.id) && x.geometry) {
        out.push({ type: "Feature", geometry: x.geometry, properties: { id: x.properties.id, name: x.properties.name } });
        found.add(x.properties.id);
      }
    }
    // a place the layer does not draw (a junction, a yard): where a link of the layer starts or ends at it
    for (const x of sources.network?.features || []) {
      const p = x.properties;
      if (p.kind !== "link" || x.geometry?.type !== "LineString") continue;
      for (const [end, at] of [[p.u, 0], [p.v, x.geometry.coordinates.length - 1]]) {
        if (wanted.has(end) && !found.has(end)) {
          out.push({ type: "Feature", geometry: { type: "Point", coordinates: x.geometry.coordinates[at] },
            properties: { id: end, name: state.names.get(end) || end } });
          found.add(end);
        }
      }
    }
    return out;
  };
  const fit = (features) => {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    const add = ([x, y]) => { w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); n = Math.max(n, y); };
    for (const x of features) {
      const g = x.geometry;
      if (!g) continue;
      if (g.type === "Point") add(g.coordinates);
      else if (g.type === "LineString") g.coordinates.forEach(add);
    }
    if (Number.isFinite(w)) map.fitBounds([[w, s], [e, n]], { padding: 50, maxZoom: 12, duration: 0 });
  };
  const set = (id, features) => map.getSource(id).setData({ type: "FeatureCollection", features });

  return {
    map,
    remove: () => map.remove(),
    /** The network layer (its marking already on the banner), the map fitted to it. */
    network(layer) {
      sources = { ...sources, network: layer };
      const features = layer.features.filter((x) => x.geometry && (x.properties.kind === "link"
        || x.geometry.type === "Point"));
      const credits = [...new Set((layer.kompas?.sources || []).map((x) => x.attribution || x.name))];
      networkSource({ type: "FeatureCollection", features: features.map((x) => ({ type: "Feature",
        geometry: x.geometry, properties: {
        id: x.properties.id, name: x.properties.name || "", mode: x.properties.mode || "", kind: x.properties.kind,
        place_kind: x.properties.place_kind || x.properties.kind, bridge: !!x.properties.bridge,
        mlc: x.properties.mlc ?? null, gauge_mm: x.properties.gauge_mm ?? null,
        maxweight_t: x.properties.maxweight_t ?? null, maxspeed_kmh: x.properties.maxspeed_kmh ?? null,
        country: x.properties.country || "" } })) }, credits.map(esc).join("; "));
      element.__drawn = { ...(element.__drawn || {}), network: features.length };  // for tests
      if (!sources.plan) fit(features);
    },
    /** The plan (route.geojson: legs as lines, obstacles as points) and its ends (the route answer). */
    plan(geo, answer) {
      sources = { ...sources, plan: geo, answer };
      const legs = geo.features.filter((x) => !("obstacle" in x.properties));
      const lines = [];
      for (const x of legs) {  // waits and transfers (a place, or a line of zero length) are drawn as points
        const c = x.geometry.coordinates;
        const still = x.properties.kind === "wait" || c.every((q) => q[0] === c[0][0] && q[1] === c[0][1]);
        lines.push(still ? { type: "Feature", geometry: { type: "Point", coordinates: c[0] }, properties: x.properties }
          : x);
      }
      set("mob-plan", lines);
      const obstacles = answer.plan.obstacles.map((o, k) => (o.lon === null || o.lat === null ? null : {
        type: "Feature", geometry: { type: "Point", coordinates: [o.lon, o.lat] }, properties: { k, name: o.name,
          element: o.element, obstacle: OBSTACLES[o.kind] || o.kind, reason: o.reason, blocks: !!o.blocks,
          cost_hours: o.blocks ? "blocks" : o.cost_hours } })).filter(Boolean);
      set("mob-obstacles", obstacles);
      const ends = [["origin", answer.plan.origin], ["destination", answer.plan.destination]]
        .filter(([, p]) => p.lon !== null && p.lat !== null)
        .map(([end, p]) => ({ type: "Feature", geometry: { type: "Point", coordinates: [p.lon, p.lat] },
          properties: { end, id: p.id, name: `${end === "origin" ? "From" : "To"}: ${p.name}` } }));
      set("mob-ends", ends);
      set("mob-removed", []);
      set("mob-detour", []);
      element.__drawn = { ...(element.__drawn || {}), legs: legs.length, obstacles: obstacles.length, removed: [],
        detour: 0 };  // for tests
      fit([...lines, ...ends, ...obstacles]);
    },
    /** The elements removed by the last "what if" in black, the plan after the loss dashed. */
    stressed(removed, after) {
      const gone = geometryOf(removed);
      set("mob-removed", gone);
      const detour = after?.feasible ? geometryOf(after.legs.filter((l) => l.kind === "link").map((l) => l.id)) : [];
      set("mob-detour", detour);
      element.__drawn = { ...(element.__drawn || {}), removed: gone.map((x) => x.properties.id),
        detour: detour.length };  // for tests
    },
    /** Nothing but the network: the plan, its obstacles, the removed elements and the outline taken off. */
    clear() {
      sources = { ...sources, plan: null, answer: null };
      for (const id of ["mob-plan", "mob-obstacles", "mob-ends", "mob-removed", "mob-detour", "mob-focus"]) set(id, []);
      element.__drawn = { network: element.__drawn?.network || 0, legs: 0, obstacles: 0, removed: [], detour: 0 };
    },
    /** Outline one element (a leg or a ranked element) and show it. */
    focus(id) {
      const found = geometryOf([id]);
      set("mob-focus", found);
      element.__drawn = { ...(element.__drawn || {}), focus: found.map((x) => x.properties.id) };
      if (found.length) fit(found);
    },
  };
}
