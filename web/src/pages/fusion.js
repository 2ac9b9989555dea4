// The fused picture (#/fusion, issue 26): every event of every domain the user may see (space, FIMI, cyber,
// infrastructure, maritime, intelligence, ...) on one timeline and one map, filtered by time, domain, severity,
// country or region and actor, and the situations they form (kompas.intel.situations: events naming the same actor,
// placed near each other, or concerning a common country, within a time window). One answer of the server
// (GET /api/v1/fusion/picture, kompas.services.fusion) carries the events, the situations and the combined marking
// of the events: the banner shows it before any of it is drawn (api.js, showMarkings). An error answer carries no
// marking: the banner is painted first (for what is on screen), then the reason.
//
// The timeline is an SVG drawn here (no chart library): a lane per domain, a dot per event coloured by its domain
// (its size by severity, a line over its span when it lasts), each situation a shaded band over its time span across
// the lanes of its domains. The map is MapLibre with GeoJSON only (no tiles, no text: names show on hover): the
// events with a place, each situation's hull and centroid (as the server computed them). Choosing a situation (in its list, on the timeline or on
// the map) outlines its events everywhere and opens its links (which rule joined whom).
import { AuthError, esc, showMarkings, token } from "../api.js";
import { count, typedUtc, utc } from "../format.js";

const DOMAINS = ["space", "fimi", "cyber", "infra", "maritime", "intel", "mobility", "forces", "isac"];
const COLOURS = { space: "#1f77b4", fimi: "#d6338a", cyber: "#7b2cbf", infra: "#c77700", maritime: "#0b6e99",
  intel: "#2e7d32", mobility: "#8c564b", forces: "#c8102e", isac: "#5f6b7a" };
const NAMES = { space: "Space", fimi: "FIMI", cyber: "Cyber", infra: "Infrastructure", maritime: "Maritime",
  intel: "Intelligence", mobility: "Military mobility", forces: "Forces", isac: "ISAC" };
const REGIONS = { "": "Anywhere", baltic: "The Baltic Sea (box)", "north-sea": "The North Sea (box)",
  "black-sea": "The Black Sea (box)", mediterranean: "The Mediterranean (box)", eu: "The EU member states" };
const RADIUS = { high: 6, medium: 4.5, low: 3 };
const PICK_PX = 5;
const RETRIES_429 = 3;
const POINTS = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
const LINES = ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false];
const POLYGONS = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
const STYLE = `<style>
  .fusion-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 18em; gap: 1em; height: 520px; }
  .fusion-wrap .map { position: relative; border: 1px solid var(--line, #ccc); border-radius: 4px; overflow: hidden;
    background: #cddbe6; }
  .fusion-side { overflow: auto; margin: 0; }
  .fusion-timeline svg { width: 100%; background: white; border: 1px solid var(--line, #ccc); display: block; }
  .fusion-timeline .band { cursor: pointer; } .fusion-timeline .dot { cursor: pointer; }
  .fusion-situations tr.chosen, .fusion-events tr.chosen { background: #fff4c2; }
  .fusion-reasons { margin: .3em 0; padding-left: 1.2em; } .fusion-reasons li { margin: .15em 0; }
  .fusion-domains { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2em .8em; }
  .fusion-domains legend { font-size: .9em; color: var(--muted); padding: 0; }
  @media (max-width: 900px) { .fusion-wrap { grid-template-columns: 1fr; height: auto; }
    .fusion-wrap .map { height: 420px; } }
</style>`;

const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const colour = (domain) => COLOURS[domain] || "#555555";
const ms = (text) => Date.parse(utc(text));

/** The server's reason, readable: its text, or each problem as "field: reason" (the service's) or "where: message"
 * (the query's validation). */
function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && typeof d === "object" ? (d.field ? `${d.field}: ${d.reason}`
      : `${(d.loc || []).filter((x) => x !== "query").join(".")}: ${d.msg ?? ""}`) : String(d))).join("; ");
  }
  return JSON.stringify(detail);
}

/** A JSON GET of the API (429, and 503 while the server's fused-picture gate is busy, sent again after Retry-After;
 * 401 AuthError), the reason of an error readable. */
async function ask(path) {
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { headers: { Authorization: `Bearer ${token() ?? ""}` } });
    if ((response.status !== 429 && response.status !== 503) || attempt === RETRIES_429) break;
    await pause(Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), 10));
  }
  if (response.status === 401) throw new AuthError("sign in again");
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = reason((await response.json()).detail); } catch { /* not JSON */ }
    throw new Error(`${detail} (HTTP ${response.status})`);
  }
  return response.json();
}

export async function renderFusion(view) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const state = { loading: 0, stopped: false, answer: null, map: null, chosen: null };
  view.innerHTML = `${STYLE}
    <h1>Fused picture: every domain, linked into situations</h1>
    <p class="muted">The events of every domain that you may see, on one timeline and one map, and the situations
      they form: events are linked when they name the same actor, are placed near each other at about the same
      time, or concern a common country at about the same time (the rule is stated under the situations). Each
      situation carries the combined marking of its events. Times are UTC.</p>
    <form class="filters card" id="fusion-form" aria-label="Filters of the fused picture">
      <label>From (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="20"
        placeholder="2024-12-01" title="ISO 8601, UTC: a day, or a day and time; empty: from the first"></label>
      <label>Until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="20"
        placeholder="2025-01-01" title="ISO 8601, UTC: a day, or a day and time; empty: to the last"></label>
      <fieldset class="fusion-domains"><legend>Domains (none ticked: all)</legend>${DOMAINS.map((d) => `<label
        class="check"><input type="checkbox" name="domain" value="${d}"> ${esc(NAMES[d])}</label>`).join("")}
      </fieldset>
      <label>Severity at least<select name="severity"><option value="">any</option><option>low</option>
        <option>medium</option><option>high</option></select></label>
      <label>Region<select name="region">${Object.entries(REGIONS).map(([k, v]) => `<option value="${k}">${esc(v)}
        </option>`).join("")}</select></label>
      <label>Countries<input name="country" type="text" size="14" maxlength="300" placeholder="FI, EE"
        title="ISO 3166 codes or English names, separated by commas"></label>
      <label>Actor<input name="actor" type="search" size="16" maxlength="200" placeholder="EAGLE S"
        title="An actor's id or name (any case), or kind:id"></label>
      <label>Events at most<input name="limit" type="number" min="1" max="5000" step="1" value="1000"></label>
      <label>Place within (km)<input name="km" type="number" min="0" max="2000" step="any" value="50"></label>
      <label>Time within (h)<input name="hours" type="number" min="0" max="8760" step="any" value="72"></label>
      <button type="submit">Show</button>
      <span id="fusion-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <div id="fusion-summary" aria-live="polite"><p class="muted">Loading…</p></div>
    <section aria-labelledby="fusion-timeline-title">
      <h2 id="fusion-timeline-title">Timeline</h2>
      <div class="fusion-timeline" role="img" aria-label="The events over time, a lane per domain; the situations as
        shaded bands"><svg id="fusion-timeline"></svg></div>
    </section>
    <section aria-labelledby="fusion-map-title">
      <h2 id="fusion-map-title">Map</h2>
      <div class="fusion-wrap">
        <div class="map" id="fusion-map" role="application" aria-label="Map of the events with a place and of the
          situations"></div>
        <aside class="card fusion-side" aria-label="Legend">
          <h3>Domains</h3><ul class="map-legend" id="fusion-legend"></ul>
          <p class="muted">Dots: events (larger: more severe). Shaded areas and ringed dots: situations (the hull and
            the centre of their events' places). Point at an item for its name; click it for its details.</p>
          <p class="muted" id="fusion-boundaries">Country boundaries: loading…</p>
        </aside>
      </div>
    </section>
    <section aria-labelledby="fusion-situations-title">
      <h2 id="fusion-situations-title">Situations</h2>
      <p class="muted" id="fusion-rule"></p>
      <table id="fusion-situations" class="fusion-situations"><thead><tr><th scope="col">#</th>
        <th scope="col">Events</th><th scope="col">Severity</th><th scope="col">From (UTC)</th>
        <th scope="col">To (UTC)</th><th scope="col">Domains</th><th scope="col">Countries</th>
        <th scope="col">Title</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="9" class="muted">Loading…</td></tr></tbody></table>
      <section id="fusion-situation" class="card" hidden aria-live="polite"></section>
    </section>
    <section aria-labelledby="fusion-events-title">
      <h2 id="fusion-events-title">Events</h2>
      <table id="fusion-events" class="fusion-events"><thead><tr><th scope="col">Time (UTC)</th>
        <th scope="col">Severity</th><th scope="col">Domain</th><th scope="col">Type</th><th scope="col">Title</th>
        <th scope="col">Situation</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
    </section>`;

  const form = view.querySelector("#fusion-form");
  const status = view.querySelector("#fusion-status");
  for (const element of form.elements) {  // the filters from the link (#/fusion?domain=maritime&region=baltic)
    if (!element.name || !own.has(element.name)) continue;
    if (element.type === "checkbox") element.checked = own.getAll(element.name).includes(element.value);
    else element.value = own.getAll(element.name).join(", ");
  }

  const query = () => {
    const params = new URLSearchParams();
    const f = form.elements;
    for (const name of ["since", "until"]) {
      const text = f[name].value.trim();
      f[name].removeAttribute("aria-invalid");
      if (!text) continue;
      const time = typedUtc(text);
      if (!time) { f[name].setAttribute("aria-invalid", "true"); return null; }
      params.set(name, time);
    }
    for (const box of form.querySelectorAll("input[name=domain]:checked")) params.append("domain", box.value);
    for (const name of ["severity", "region", "actor"]) if (f[name].value.trim()) params.set(name, f[name].value.trim());
    for (const c of f.country.value.split(",").map((x) => x.trim()).filter(Boolean)) params.append("country", c);
    for (const name of ["limit", "km", "hours"]) if (f[name].value !== "") params.set(name, f[name].value);
    return params;
  };
  const remember = (params) => {
    const link = new URLSearchParams(params);
    for (const [name, fallback] of [["limit", "1000"], ["km", "50"], ["hours", "72"]]) {
      if (link.get(name) === fallback) link.delete(name);
    }
    history.replaceState(null, "", `#/fusion${link.toString() ? `?${link}` : ""}`);
  };

  const failed = async (error) => {
    if (error instanceof AuthError) throw error;
    await showMarkings(view, []).catch(() => {});  // the banner first (an error answer carries no marking)
    if (state.stopped || !view.isConnected) return;
    status.innerHTML = `<span class="error" role="alert">Not shown: ${esc(error.message)}</span>`;
    if (!state.answer) {
      view.querySelector("#fusion-summary").innerHTML = "";
      view.querySelector("#fusion-situations tbody").innerHTML = `<tr><td colspan="9" class="muted">Nothing shown.
        </td></tr>`;
      view.querySelector("#fusion-events tbody").innerHTML = `<tr><td colspan="7" class="muted">Nothing shown.
        </td></tr>`;
    }
  };

  const load = async () => {
    const params = query();
    if (!params) {
      status.innerHTML = `<span class="error" role="alert">A time is ISO 8601 UTC: 2024-12-25 or
        2024-12-25T09:30:00Z.</span>`;
      return;
    }
    const mine = ++state.loading;
    remember(params);
    status.textContent = "Loading…";
    let answer;
    try {
      answer = await ask(`/api/v1/fusion/picture?${params}`);
    } catch (error) {
      if (mine === state.loading) await failed(error);
      return;
    }
    if (mine !== state.loading || state.stopped) return;
    await showMarkings(view, [answer.marking]);  // the banner first
    if (mine !== state.loading || state.stopped || !view.isConnected) return;
    status.textContent = "";
    state.answer = prepare(answer);
    state.chosen = null;
    draw();
  };

  const draw = () => {
    const data = state.answer;
    view.querySelector("#fusion-summary").innerHTML = summaryOf(data);
    view.querySelector("#fusion-legend").innerHTML = DOMAINS.filter((d) => data.counts.domain?.[d]).map((d) => `<li>
      <span class="swatch point" style="background:${colour(d)}" aria-hidden="true"></span>${esc(NAMES[d])}
      (${count(data.counts.domain[d])})</li>`).join("") || `<li class="muted">No event</li>`;
    view.querySelector("#fusion-rule").textContent = `${data.rule.text} Situations of at least ${data.min_events}
      events are listed.`.replace(/\s*\n\s*/g, " ");
    situationRows();
    eventRows();
    timeline();
    state.map?.show(data);
    chosen();
  };

  // --- the tables ------------------------------------------------------------------------------------------------
  const situations = view.querySelector("#fusion-situations");
  const events = view.querySelector("#fusion-events");
  const situationRows = () => {
    const list = state.answer.situations;
    situations.tBodies[0].innerHTML = list.map((s, k) => `<tr class="link" tabindex="0" data-k="${k}"
      data-id="${esc(s.id)}"><td>${k + 1}</td><td>${count(s.size)}</td><td class="sev-${esc(s.severity)}">${esc(
      s.severity)}</td><td class="time">${esc(utc(s.start_utc, 0))}</td><td class="time">${esc(utc(s.end_utc, 0))}</td>
      <td>${s.domains.map((d) => esc(NAMES[d] || d)).join(", ")}</td><td>${esc(s.countries.slice(0, 8).join(", "))}${
      s.countries_total > 8 ? "…" : ""}</td><td>${esc(s.title)}</td><td><span class="mark">${esc(s.marking.banner)}
      </span></td></tr>`).join("") || `<tr><td colspan="9" class="muted">No situation: no two events you may see
      are linked by the rule (widen the window, the place or the time).</td></tr>`;
    situations.dataset.rows = String(list.length);  // for tests
  };
  const eventRows = () => {
    const list = state.answer.events;
    events.tBodies[0].innerHTML = list.map((e, k) => `<tr data-k="${k}" data-id="${esc(e.id)}"
      data-situation="${esc(e.situation_id || "")}"><td class="time">${esc(utc(e.time_utc, 0))}</td>
      <td class="sev-${esc(e.severity)}">${esc(e.severity)}</td><td><span class="swatch point" style="background:${
      colour(e.domain)}" aria-hidden="true"></span> ${esc(NAMES[e.domain] || e.domain)}</td><td>${esc(e.type)}</td>
      <td><a href="#/event/${esc(e.id)}">${esc(e.title)}</a></td><td>${e.situation_id ? `<button type="button"
      class="linkish" data-situation="${esc(e.situation_id)}">#${state.answer.number[e.situation_id]}</button>`
      : "-"}</td><td><span class="mark">${esc(e.marking.banner)}</span></td></tr>`).join("")
      || `<tr><td colspan="7" class="muted">No event you may see matches these filters.</td></tr>`;
    events.dataset.rows = String(list.length);  // for tests
  };
  const choose = (id) => {
    state.chosen = state.chosen === id ? null : id;
    chosen();
  };
  situations.addEventListener("click", (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (tr) choose(tr.dataset.id);
  });
  situations.addEventListener("keydown", (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (tr && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); choose(tr.dataset.id); }
  });
  events.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-situation]");
    if (button) choose(button.dataset.situation);
  });

  /** The chosen situation outlined everywhere, its card open (or everything plain when none is chosen). */
  const chosen = () => {
    const data = state.answer;
    const id = state.chosen;
    for (const tr of situations.querySelectorAll("tr[data-id]")) {
      tr.classList.toggle("chosen", tr.dataset.id === id);
      tr.setAttribute("aria-selected", String(tr.dataset.id === id));
    }
    for (const tr of events.querySelectorAll("tr[data-id]")) tr.classList.toggle("chosen", !!id && tr.dataset.situation === id);
    for (const node of view.querySelectorAll("#fusion-timeline [data-situation]")) {
      node.classList.toggle("chosen", !!id && node.dataset.situation === id);
      if (node.classList.contains("dot")) node.setAttribute("stroke", id && node.dataset.situation === id ? "#000" : "#fff");
      if (node.classList.contains("band")) node.setAttribute("fill-opacity", node.dataset.situation === id ? "0.3" : "0.1");
    }
    state.map?.choose(id);
    const card = view.querySelector("#fusion-situation");
    const situation = id ? data.situations.find((s) => s.id === id) : null;
    card.hidden = !situation;
    card.innerHTML = situation ? situationCard(situation, data) : "";
  };

  // --- the timeline ----------------------------------------------------------------------------------------------
  const svg = view.querySelector("#fusion-timeline");
  const timeline = () => {
    const data = state.answer;
    const width = svg.clientWidth || 900;
    const lanes = DOMAINS.filter((d) => data.counts.domain?.[d]);
    const lane = 30;
    const top = 10;
    const height = top + Math.max(1, lanes.length) * lane + 34;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("height", String(height));
    if (!data.events.length) {
      svg.innerHTML = `<text x="12" y="${top + 18}" font-size="12" fill="#666">No event to draw.</text>`;
      svg.dataset.dots = "0";
      return;
    }
    let [t0, t1] = [data.first, data.last];
    if (t1 - t0 < 3600e3) { t0 -= 1800e3; t1 += 1800e3; }
    const pad = (t1 - t0) * 0.02;
    [t0, t1] = [t0 - pad, t1 + pad];
    const left = 110;
    const x = (t) => left + (width - left - 12) * (t - t0) / (t1 - t0);
    const y = (domain) => top + (lanes.indexOf(domain) + 0.5) * lane;
    const parts = lanes.map((d) => `<text x="6" y="${y(d) + 4}" font-size="12" fill="${colour(d)}">${esc(NAMES[d] || d)}
      </text><line x1="${left}" x2="${width - 12}" y1="${y(d)}" y2="${y(d)}" stroke="#e3e6ea"/>`);
    data.situations.forEach((s) => {  // a band over its span, across the lanes of its domains
      const rows = s.domains.map((d) => lanes.indexOf(d)).filter((i) => i >= 0);
      const [a, b] = [Math.min(...rows), Math.max(...rows)];
      const x0 = x(ms(s.start_utc));
      const w = Math.max(6, x(ms(s.end_utc)) - x0);
      parts.push(`<rect class="band" data-situation="${esc(s.id)}" x="${(x0 - 3).toFixed(1)}" y="${top + a * lane + 3}"
        width="${(w + 6).toFixed(1)}" height="${(b - a + 1) * lane - 6}" rx="4" fill="#f0a000" fill-opacity="0.1"
        stroke="#c08000" stroke-dasharray="3 2"><title>Situation #${data.number[s.id]}: ${esc(s.title)}</title></rect>`);
    });
    data.events.forEach((e) => {
      const [xs, xe, xt] = [x(ms(e.start_utc)), x(ms(e.end_utc)), x(ms(e.time_utc))];
      if (xe - xs > 2) {
        parts.push(`<line x1="${xs.toFixed(1)}" x2="${xe.toFixed(1)}" y1="${y(e.domain)}" y2="${y(e.domain)}"
          stroke="${colour(e.domain)}" stroke-width="2" stroke-opacity="0.5"/>`);
      }
      parts.push(`<circle class="dot" data-id="${esc(e.id)}" data-situation="${esc(e.situation_id || "")}"
        cx="${xt.toFixed(1)}" cy="${y(e.domain)}" r="${RADIUS[e.severity] || 4}" fill="${colour(e.domain)}"
        stroke="#fff" stroke-width="1.5"><title>${esc(utc(e.time_utc, 0))} ${esc(e.title)} (${esc(e.severity)})
        </title></circle>`);
    });
    const base = top + lanes.length * lane;
    const ticks = 6;
    for (let i = 0; i <= ticks; i += 1) {
      const t = t0 + (t1 - t0) * i / ticks;
      const text = t1 - t0 > 4 * 86400e3 ? utc(t).slice(0, 10) : `${utc(t).slice(0, 16)}Z`;
      const anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
      parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${base}" y2="${base + 5}" stroke="#888"/>
        <text x="${x(t).toFixed(1)}" y="${base + 18}" font-size="11" text-anchor="${anchor}" fill="#444">${esc(text)}
        </text>`);
    }
    svg.innerHTML = parts.join("");
    svg.dataset.dots = String(data.events.length);  // for tests
  };
  svg.addEventListener("click", (event) => {
    const node = event.target.closest("[data-situation]");
    if (node?.dataset.situation) choose(node.dataset.situation);
  });

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });

  // --- first view: the answer (its marking on the banner first), then the map ---------------------------------
  const mapping = mountMap(view, state, choose).then((map) => {
    if (state.stopped) { map?.remove(); return; }
    state.map = map;
    if (map && state.answer) { map.show(state.answer); map.choose(state.chosen); }
  }).catch(async (error) => {
    if (error instanceof AuthError) return;
    await showMarkings(view, []).catch(() => {});
    const line = view.querySelector("#fusion-boundaries");
    if (line && view.isConnected) line.innerHTML = `<span class="error" role="alert">The map could not be drawn: ${esc(
      error.message)}</span>`;
  });
  mapping.catch(() => {});
  await load();
  return () => {
    state.stopped = true;
    state.map?.remove();
  };
}

// --- the data ----------------------------------------------------------------------------------------------------

/** The answer with what the drawings need: each situation's number (its place in the list, from 1), the time span
 * of everything (ms). */
function prepare(answer) {
  const number = {};
  answer.situations.forEach((s, k) => { number[s.id] = k + 1; });
  let first = Infinity;
  let last = -Infinity;
  for (const e of answer.events) {
    first = Math.min(first, ms(e.start_utc), ms(e.time_utc));
    last = Math.max(last, ms(e.end_utc), ms(e.time_utc));
  }
  return { ...answer, number, first, last };
}

function summaryOf(data) {
  const notes = [];
  if (data.truncated) {
    notes.push(`More events match than the ${count(data.events_returned)} used (newest first): narrow the filters or
      raise "Events at most" (up to 5000).`);
  }
  if (data.unplaced) {
    notes.push(`${count(data.unplaced)} event(s) have no place on Earth (e.g. FIMI and cyber incidents, objects in
      orbit): on the timeline and in the tables, not on the map.`);
  }
  if (data.kept_apart_total) {
    notes.push(`${count(data.kept_apart_total)} pair(s) of events the rule links were kept apart: together they would
      carry a marking you could not read (their releasability lists share none of your codes).`);
  }
  return `<p id="fusion-counts"><strong>${count(data.events_returned)}</strong> event(s)${data.events_total !== null
    && data.events_total !== undefined ? ` of ${count(data.events_total)} matching` : ""}, <strong>${count(
    data.situations_total)}</strong> situation(s). <span class="mark">${esc(data.banner)}</span></p>
    ${notes.map((n) => `<p class="muted">${esc(n.replace(/\s*\n\s*/g, " "))}</p>`).join("")}`;
}

/** A link's reasons in words: the same actor, the distance, the common countries, and the hours between. */
function reasonText(r) {
  const apart = r.hours ? `${Number(r.hours).toFixed(1)} h apart` : "at the same time";
  if (r.rule === "actor") return `the same ${r.kind || "actor"}: ${r.name || r.id} (${apart})`;
  if (r.rule === "place") return `${Number(r.km).toFixed(1)} km apart, ${apart}`;
  if (r.rule === "country") return `both concern ${(r.countries || []).join(", ")} (${apart})`;
  return JSON.stringify(r);
}

function situationCard(s, data) {
  const title = Object.fromEntries(data.events.map((e) => [e.id, e.title]));
  const name = (id) => `<a href="#/event/${esc(id)}">${esc(title[id] || id)}</a>`;
  return `<h3>Situation #${data.number[s.id]}: ${esc(s.title)}</h3>
    <p class="mark">${esc(s.marking.banner)}</p>
    <p>${count(s.size)} events, ${esc(utc(s.start_utc, 0))} to ${esc(utc(s.end_utc, 0))}; severity
      <span class="sev-${esc(s.severity)}">${esc(s.severity)}</span>; ${s.domains.map((d) => esc(NAMES[d] || d))
      .join(", ")}${s.countries.length ? `; ${esc(s.countries.join(", "))}` : ""}${s.centroid ? `; centred at
      ${s.centroid.lat.toFixed(3)}° N, ${s.centroid.lon.toFixed(3)}° E` : ""}.</p>
    ${s.actors.length ? `<p>Actors: ${s.actors.slice(0, 12).map((a) => `${esc(a.name || a.id)} <span class="muted">(${
      esc(a.kind)}, ${a.events} event${a.events > 1 ? "s" : ""})</span>`).join(", ")}${s.actors_total > 12 ? "…" : ""}
      </p>` : ""}
    <h4>How its events were linked</h4>
    <ul class="fusion-reasons">${s.links.map((l) => `<li>${name(l.a)} and ${name(l.b)}: ${l.reasons.map(reasonText)
      .map(esc).join("; ")}</li>`).join("")}</ul>`;
}

// --- the map ------------------------------------------------------------------------------------------------------
// MapLibre loads only when this page opens (a separate chunk, shared with the other map pages). The boundaries go on
// the map once their marking is on the banner; the answer's layers once the answer's is.

async function mountMap(view, state, choose) {
  const [{ Map: MapLibre, NavigationControl, Popup, ScaleControl, setWorkerUrl }, worker] = await Promise.all([
    import("maplibre-gl"), import("maplibre-gl/dist/maplibre-gl-worker.mjs?url"),
    import("maplibre-gl/dist/maplibre-gl.css"), import("../map/map.css")]);
  setWorkerUrl(worker.default);
  if (state.stopped || !view.isConnected) return null;
  const { layers } = await ask("/api/v1/map/layers");
  const base = layers.find((l) => l.id === "boundaries");
  const element = view.querySelector("#fusion-map");
  const map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background",
      paint: { "background-color": "#cddbe6" } }] },
    bounds: [[-12, 34], [42, 71]], attributionControl: { compact: false },
    dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 14, fadeDuration: 0,
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
  for (const id of ["fusion-hulls", "fusion-events", "fusion-centres"]) map.addSource(id, { type: "geojson", data: empty() });
  map.addLayer({ id: "hulls-fill", type: "fill", source: "fusion-hulls", filter: POLYGONS,
    paint: { "fill-color": "#f0a000", "fill-opacity": ["case", ["get", "chosen"], 0.35, 0.12] } });
  map.addLayer({ id: "hulls-line", type: "line", source: "fusion-hulls", filter: ["any", POLYGONS, LINES],
    paint: { "line-color": "#c08000", "line-width": ["case", ["get", "chosen"], 4, 2], "line-dasharray": [2, 1] } });
  map.addLayer({ id: "events-point", type: "circle", source: "fusion-events", filter: POINTS,
    paint: { "circle-radius": ["get", "radius"], "circle-color": ["get", "colour"], "circle-opacity": 0.9,
      "circle-stroke-color": ["case", ["get", "chosen"], "#000000", "#ffffff"],
      "circle-stroke-width": ["case", ["get", "chosen"], 2.5, 1.5] } });
  map.addLayer({ id: "centres-point", type: "circle", source: "fusion-centres",
    paint: { "circle-radius": ["case", ["get", "chosen"], 11, 9], "circle-color": "rgba(0,0,0,0)",
      "circle-stroke-color": "#c08000", "circle-stroke-width": 3 } });

  if (base) {  // the country boundaries (public, marked like any layer), under everything else
    ask(base.href).then(async (land) => {
      await showMarkings(view, [land.marking]);  // the banner first
      if (state.stopped || !view.isConnected) return;
      map.addSource("boundaries", { type: "geojson", data: land, attribution: esc(base.attribution) });
      map.addLayer({ id: "boundaries-fill", type: "fill", source: "boundaries",
        paint: { "fill-color": base.fill || "#f3f1ea" } }, "hulls-fill");
      map.addLayer({ id: "boundaries-line", type: "line", source: "boundaries",
        paint: { "line-color": base.colour || "#8a96a3", "line-width": 0.6 } }, "hulls-fill");
      view.querySelector("#fusion-boundaries").textContent = `Country boundaries: ${count(land.features.length)}
        countries (Natural Earth, public domain).`;
    }).catch(async (error) => {
      if (error instanceof AuthError) return;
      await showMarkings(view, []).catch(() => {});
      const line = view.querySelector("#fusion-boundaries");
      if (line) line.innerHTML = `<span class="error">Country boundaries could not be loaded: ${esc(error.message)}</span>`;
    });
  }

  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  const PICKABLE = ["events-point", "centres-point", "hulls-line", "hulls-fill"];
  let data = null;
  let chosenId = null;
  let popup = null;
  const pick = (point) => {
    const found = map.queryRenderedFeatures([[point.x - PICK_PX, point.y - PICK_PX], [point.x + PICK_PX,
      point.y + PICK_PX]], { layers: PICKABLE.filter((id) => map.getLayer(id)) });
    found.sort((a, b) => PICKABLE.indexOf(a.layer.id) - PICKABLE.indexOf(b.layer.id));
    return found[0] || null;
  };
  map.on("mousemove", (event) => {
    const f = data ? pick(event.point) : null;
    tooltip.hidden = !f;
    map.getCanvas().style.cursor = f ? "pointer" : "";
    if (!f) return;
    tooltip.textContent = f.properties.name || "";
    tooltip.style.left = `${event.point.x + 12}px`;
    tooltip.style.top = `${event.point.y + 12}px`;
  });
  map.getCanvas().addEventListener("mouseleave", () => { tooltip.hidden = true; });
  map.on("click", (event) => {
    const f = data ? pick(event.point) : null;
    if (!f) return;
    if (f.layer.id === "events-point") {
      const e = data.events[Number(f.properties.k)];
      popup?.remove();
      popup = new Popup({ maxWidth: "340px", focusAfterOpen: false }).setLngLat(event.lngLat).setHTML(eventPopup(e, data))
        .addTo(map);
      element.__popup = popup;  // for tests
      popup.getElement().querySelector("button[data-situation]")?.addEventListener("click", (ev) => {
        choose(ev.target.dataset.situation);
      });
    } else if (f.properties.situation) {
      choose(f.properties.situation);
    }
  });

  const collections = () => {
    const events = [];
    data.events.forEach((e, k) => {
      const place = e.place || {};
      if (place.lat === undefined || place.lat === null) return;
      events.push({ type: "Feature", geometry: { type: "Point", coordinates: [place.lon, place.lat] }, properties: {
        k, name: e.title, colour: colour(e.domain), radius: (RADIUS[e.severity] || 4) + 1.5,
        situation: e.situation_id || "", chosen: !!chosenId && e.situation_id === chosenId } });
    });
    const hulls = [];
    const centres = [];
    for (const s of data.situations) {
      const properties = { situation: s.id, name: `Situation #${data.number[s.id]}: ${s.title}`, chosen: s.id === chosenId };
      if (s.centroid) centres.push({ type: "Feature", geometry: { type: "Point", coordinates: [s.centroid.lon,
        s.centroid.lat] }, properties });
      if (s.hull && s.hull.type !== "Point") hulls.push({ type: "Feature", geometry: s.hull, properties });
    }
    return { events, hulls, centres };
  };
  const paint = () => {
    const { events, hulls, centres } = collections();
    map.getSource("fusion-events").setData({ type: "FeatureCollection", features: events });
    map.getSource("fusion-hulls").setData({ type: "FeatureCollection", features: hulls });
    map.getSource("fusion-centres").setData({ type: "FeatureCollection", features: centres });
    element.__drawn = { events: events.length, hulls: hulls.length, centres: centres.length,
      chosen: events.filter((f) => f.properties.chosen).length };  // for tests
  };
  return {
    map,
    remove: () => map.remove(),
    /** The answer's events and situations (its marking already on the banner), the map fitted to the events. */
    show(prepared) {
      data = prepared;
      chosenId = null;
      popup?.remove();
      element.__data = prepared;  // for tests
      paint();
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const ev of prepared.events) {
        const p = ev.place || {};
        if (p.lat === undefined || p.lat === null) continue;
        w = Math.min(w, p.lon); s = Math.min(s, p.lat); e = Math.max(e, p.lon); n = Math.max(n, p.lat);
      }
      if (Number.isFinite(w)) map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 7, duration: 0 });
    },
    /** Outline the situation `id` (null: none) and fly to it. */
    choose(id) {
      chosenId = id;
      if (!data) return;
      paint();
      const s = id ? data.situations.find((x) => x.id === id) : null;
      if (s?.bbox) {
        map.fitBounds([[s.bbox[0], s.bbox[1]], [s.bbox[2], s.bbox[3]]], { padding: 80, maxZoom: 7, duration: 400 });
      }
    },
  };
}

function eventPopup(e, data) {
  return `<strong>${esc(e.title)}</strong>
    <div class="muted">${esc(NAMES[e.domain] || e.domain)} / ${esc(e.type)}, severity ${esc(e.severity)}<br>
    ${esc(utc(e.start_utc, 0))}${e.end_utc !== e.start_utc ? ` to ${esc(utc(e.end_utc, 0))}` : ""}<br>
    ${e.situation_id ? `<button type="button" class="linkish" data-situation="${esc(e.situation_id)}">Situation
      #${data.number[e.situation_id]}</button><br>` : ""}<a href="#/event/${esc(e.id)}">The event and its evidence</a>
    </div><span class="mark">${esc(e.marking.banner)}</span>`;
}
