// The maritime picture (#/maritime, issue 25): vessel tracks, maritime events and the undersea assets watched, on
// the web map with a time slider. One answer of the server (GET /api/v1/maritime/map, kompas.services.maritime
// .map_layers) carries the three layers for a window (start and end, UTC) and an area (the Baltic, the map's view or
// the whole world), fused from every AIS or radar contribution the user may see, with their combined marking: the
// banner shows it before any of it is drawn (api.js, showMarkings). An error answer carries no marking: it is shown
// like any answer, the banner painted first (it keeps the marking of what is on screen).
//
// The time slider runs over the first to the last time of the tracks and events: each track is drawn up to the
// slider's time (or only its last hours, "trail"), with a point where each vessel is at that time, and only the
// events started by then. The events are listed under the map; a row zooms to its event. The cable routes are
// TeleGeography's (CC BY-NC-SA 3.0, non-commercial): the attribution of every data set used is shown under the map
// whenever assets are. No network fetch but the API: MapLibre draws GeoJSON on a plain background (no tiles), the
// country boundaries are Natural Earth's, served by Kompas.
import { AuthError, esc, showMarkings, token } from "../api.js";
import { count, typedUtc, utc } from "../format.js";

const BALTIC = [10.0, 53.5, 31.0, 66.5];  // lon_min, lat_min, lon_max, lat_max (kompas.maritime.load.BALTIC_BOX)
const AREAS = { baltic: "The Baltic Sea", view: "The area shown on the map", world: "The whole world" };
const ASSET_CHOICES = { baltic: "Baltic seabed cables and links", all: "Every cable and HVDC link (Europe)",
  none: "None" };
const TRAILS = [[0, "the whole track up to the time"], [3600, "the last hour"], [3 * 3600, "the last 3 hours"],
  [6 * 3600, "the last 6 hours"], [12 * 3600, "the last 12 hours"], [24 * 3600, "the last 24 hours"]];
const EVENT_TYPES = {
  anchor_drag: ["Anchor dragged", "#c8102e"], dark: ["Dark (AIS off in coverage)", "#111111"],
  encounter: ["Encounter (ship to ship)", "#7b2cbf"], loitering: ["Loitering", "#e07000"],
  drift: ["Drift", "#b08900"], stop: ["Stop", "#2e7d32"], identity: ["Identity anomaly", "#0077b6"],
  reception_gap: ["Reception gap (coverage hole)", "#8a8a8a"], position_jump: ["Data error: position jump", "#b0b0b0"],
  speed_glitch: ["Data error: speed glitch", "#b0b0b0"],
};
const OTHER_EVENT = "#555555";
// tracks: solid lines in colours apart from the cables' blue and the power links' orange (dashed)
const VESSEL_COLOURS = ["#6a3d9a", "#e7298a", "#1b7837", "#8c510a", "#222222", "#01665e", "#c51b7d", "#4d4d4d",
  "#762a83", "#b15928"];
const TELECOM = "#0b6e99";
const POWER = "#c77700";
const CONTRIBUTE = `Contribute AIS (NMEA or CSV, plain or .gz) under a marking: <code>kompas maritime ingest FILE
  --contribute --user NAME</code> on the server, or <code>POST /api/v1/maritime/ais</code>; then screen it
  (<code>kompas maritime screen --user NAME --record</code>, or <code>POST /api/v1/maritime/screen</code>) so its
  events are recorded.`;
const DRAWN = "Cable routes are drawn, not surveyed: each asset's route accuracy is given with it; a vessel near a "
  + "route is near it to within that accuracy.";
const RETRIES_429 = 3;  // as api.js: a request refused for rate (429) is sent again after Retry-After
const MAX_WAIT_429_S = 10;
const BUSY_RETRIES = 3;  // a 503 (the server busy) is asked again by itself this many times in a row, then on a click
const MAX_WAIT_503_S = 60;
const PICK_PX = 5;  // a click or hover this near a line or point picks it
const PLAY_STEPS = 200;  // the play button crosses the whole span in this many steps
const PLAY_MS = 100;  // ... one step every this many milliseconds
const LINES = ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false];
const POINTS = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];

/** A 503: the server is busy; `retryAfter` seconds is its Retry-After. */
class BusyError extends Error {
  constructor(retryAfter) {
    super(`The server is busy; try again in ${retryAfter} s.`);
    this.retryAfter = retryAfter;
  }
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

/** A JSON GET of the API, as api.js `request` (429 sent again after Retry-After, 401 AuthError), with a busy server
 * (503) as a BusyError carrying its Retry-After and the reason of an error answer readable. */
async function ask(path) {
  const headers = { Authorization: `Bearer ${token() ?? ""}` };
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { headers });
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

/** Unix seconds of an ISO UTC text (nanoseconds allowed), NaN for nothing. */
const unix = (text) => (text ? Date.parse(utc(text)) / 1000 : NaN);
const when = (seconds) => utc(seconds * 1000, 0);
const vesselColour = (mmsi) => VESSEL_COLOURS[Math.abs(Number(mmsi) || 0) % VESSEL_COLOURS.length];
const eventColour = (type) => (EVENT_TYPES[type] || [null, OTHER_EVENT])[1];
const eventName = (type) => (EVENT_TYPES[type] || [String(type || "event").replace(/_/g, " ")])[0];
const assetColour = (kind) => (/telecom/i.test(String(kind || "")) ? TELECOM : POWER);

/** The vessel an event concerns: its name or MMSI as the server gives them, else as its title names it ("anchor
 * drag: NAME near ASSET"). */
function vesselOf(p) {
  if (p.vessel) return String(p.vessel);
  if (p.name) return String(p.name);
  if (p.mmsi) return `MMSI ${p.mmsi}`;
  let text = String(p.title || "");
  const colon = text.indexOf(": ");
  if (colon >= 0) text = text.slice(colon + 2);
  if (p.asset && text.endsWith(` near ${p.asset}`)) text = text.slice(0, -` near ${p.asset}`.length);
  return text || "-";
}

/** The index of the last value of the sorted `values` at or below `x` (-1 when none is). */
function lastAtOrBelow(values, x) {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export async function renderMaritime(view) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const state = { loading: 0, stopped: false, answer: null, data: null, map: null, time: null, trail: 0, timer: null,
    popup: null };
  view.innerHTML = `
    <h1>Maritime: vessel tracks, events and undersea assets</h1>
    <p class="muted">The vessel positions contributed to the platform that you may see (AIS, a navy's own radar
      tracks), fused into one track per vessel, the maritime events recorded from them, and the undersea cables and
      links watched. Every answer carries the combined marking of what it used. Times are UTC.</p>
    <form class="filters card" id="maritime-form" aria-label="Window, area and assets">
      <label>From (UTC)<input name="start_utc" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2024-12-25T00:00:00Z" title="ISO 8601, UTC: a day, or a day and time; empty: from the first"
        ></label>
      <label>Until (UTC)<input name="end_utc" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2024-12-26" title="ISO 8601, UTC: a day, or a day and time; empty: to the last"></label>
      <label>Area<select name="area">${Object.entries(AREAS).map(([k, v]) => `<option value="${k}">${esc(v)}
        </option>`).join("")}</select></label>
      <label>Assets<select name="assets">${Object.entries(ASSET_CHOICES).map(([k, v]) => `<option value="${k}">${esc(
        v)}</option>`).join("")}</select></label>
      <button type="submit">Show</button>
      <span id="maritime-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <div id="maritime-summary" aria-live="polite"><p class="muted">Loading…</p></div>
    <section aria-labelledby="maritime-map-title">
      <h2 id="maritime-map-title">Map</h2>
      <div class="maritime-map-wrap">
        <div class="map" id="maritime-map" role="application" aria-label="Map of the vessel tracks, events and undersea
          assets"></div>
        <aside class="card maritime-map-side" aria-label="Layers and legend">
          <fieldset><legend>Layers</legend><div id="maritime-layers"><p class="muted">Loading the map…</p></div>
          </fieldset>
          <h3>Events</h3>
          <ul class="map-legend" id="maritime-legend"></ul>
          <p class="muted">Point at an item for its name; click it for its details. Tracks are coloured by vessel; the
            dot at a track's end is where the vessel was last seen by the slider's time.</p>
        </aside>
      </div>
      <div class="card maritime-time" id="maritime-time-box">
        <div class="filters">
          <label class="maritime-slider">Time (UTC)<input type="range" id="maritime-slider" name="time" min="0"
            max="1" step="1" value="1" disabled aria-describedby="maritime-time"></label>
          <output id="maritime-time" for="maritime-slider" class="time">-</output>
          <label>Each track shows<select id="maritime-trail" name="trail">${TRAILS.map(([s, text]) => `<option
            value="${s}">${esc(text)}</option>`).join("")}</select></label>
          <button type="button" id="maritime-play" disabled>Play</button>
          <button type="button" id="maritime-end" disabled>To the end</button>
        </div>
        <p id="maritime-visible" class="muted" aria-live="off"></p>
      </div>
      <div id="maritime-licence"></div>
    </section>
    <section aria-labelledby="maritime-events-title">
      <h2 id="maritime-events-title">Events</h2>
      <p class="muted">The maritime events recorded in the window that you may see, by start time. A row zooms the map
        to its event (and moves the slider to it when it starts later); events not yet started at the slider's time are
        greyed.</p>
      <table id="maritime-events"><thead><tr><th scope="col">Type</th><th scope="col">Vessel</th>
        <th scope="col">Start (UTC)</th><th scope="col">End (UTC)</th><th scope="col">Asset</th>
        <th scope="col">Severity</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
    </section>`;

  const form = view.querySelector("#maritime-form");
  const status = view.querySelector("#maritime-status");
  const summary = view.querySelector("#maritime-summary");
  const slider = view.querySelector("#maritime-slider");
  const trail = view.querySelector("#maritime-trail");
  const play = view.querySelector("#maritime-play");
  for (const element of form.elements) {  // the window from the link (#/maritime?start_utc=...&area=world)
    if (element.name && own.has(element.name)) element.value = own.get(element.name);
  }
  if (!form.elements.area.value) form.elements.area.value = "baltic";
  if (!form.elements.assets.value) form.elements.assets.value = "baltic";
  if (own.has("trail")) trail.value = own.get("trail");
  state.trail = Number(trail.value) || 0;

  // --- errors and a busy server -------------------------------------------------------------------------------
  // An error answer carries no marking: like any answer, the banner is painted first (for what is on screen: it
  // leaves its neutral state, never drops), then the text. A 503 is asked again after Retry-After, BUSY_RETRIES
  // times in a row, then when the user asks.
  const failed = async (error, again, tries) => {
    if (error instanceof AuthError) throw error;
    let painted = true;
    await showMarkings(view, []).catch(() => { painted = false; });
    if (state.stopped || !view.isConnected) return;
    if (!painted) {
      status.innerHTML = `<span class="error" role="alert">Not shown: the marking could not be checked; reload the
        page.</span>`;
    } else if (error instanceof BusyError) {
      const automatic = tries < BUSY_RETRIES;
      status.innerHTML = `<span class="muted busy" role="status">The server is busy; ${automatic ? "trying again"
        : "try again"} in ${error.retryAfter} s${automatic ? "…" : "."} <button type="button" class="retry">${
        automatic ? "Try now" : "Try again"}</button></span>`;
      const mine = state.loading;
      const timer = automatic ? setTimeout(() => {
        if (mine === state.loading && !state.stopped) again(tries + 1);
      }, error.retryAfter * 1000) : null;
      status.querySelector("button.retry").addEventListener("click", () => {
        clearTimeout(timer);
        again(automatic ? tries + 1 : 0);
      });
    } else {
      status.innerHTML = `<span class="error" role="alert">Not shown: ${esc(error.message)}</span>`;
    }
  };

  // --- the answer ----------------------------------------------------------------------------------------------
  const query = () => {
    const params = new URLSearchParams();
    const f = form.elements;
    for (const name of ["start_utc", "end_utc"]) {
      const text = f[name].value.trim();
      f[name].removeAttribute("aria-invalid");
      if (!text) continue;
      const time = typedUtc(text);
      if (!time) { f[name].setAttribute("aria-invalid", "true"); return null; }
      params.set(name, time);
    }
    const area = f.area.value;
    const box = area === "baltic" ? BALTIC : area === "view" ? viewBox() : null;
    if (box) params.set("bbox", box.join(","));
    params.set("assets", f.assets.value);
    return params;
  };
  const viewBox = () => {
    if (!state.map) return BALTIC;
    const b = state.map.map.getBounds();
    const clamp = (v, lo, hi) => Number(Math.min(hi, Math.max(lo, v)).toFixed(3));
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90)];
  };
  const remember = () => {
    const f = form.elements;
    const link = new URLSearchParams();
    for (const name of ["start_utc", "end_utc"]) if (f[name].value.trim()) link.set(name, f[name].value.trim());
    if (f.area.value !== "baltic") link.set("area", f.area.value);
    if (f.assets.value !== "baltic") link.set("assets", f.assets.value);
    if (state.trail) link.set("trail", String(state.trail));
    history.replaceState(null, "", `#/maritime${link.toString() ? `?${link}` : ""}`);
  };

  const load = async (tries = 0) => {
    const params = query();
    if (!params) {
      status.innerHTML = `<span class="error" role="alert">A time is ISO 8601 UTC: 2024-12-25 or
        2024-12-25T09:30:00Z.</span>`;
      return;
    }
    const mine = ++state.loading;
    remember();
    status.textContent = "Loading…";
    let answer;
    try {
      answer = await ask(`/api/v1/maritime/map?${params}`);
    } catch (error) {
      if (mine !== state.loading) return;
      await failed(error, (next) => load(next), tries);
      if (mine === state.loading && !state.answer) {
        summary.innerHTML = "";
        view.querySelector("#maritime-events tbody").innerHTML = `<tr><td colspan="7" class="muted">Nothing shown.
          </td></tr>`;
      }
      return;
    }
    if (mine !== state.loading || state.stopped) return;
    await showMarkings(view, [answer.marking]);  // the banner first
    if (mine !== state.loading || state.stopped || !view.isConnected) return;
    status.textContent = "";
    state.answer = answer;
    state.data = prepare(answer);
    summary.innerHTML = summaryOf(answer, state.data, form.elements.assets.value);
    view.querySelector("#maritime-licence").innerHTML = licence(answer, form.elements.assets.value);
    view.querySelector("#maritime-legend").innerHTML = legend(state.data);
    eventRows();
    setUpSlider();
    state.map?.show(state.data, answer);
    moved();
  };

  // --- the events table ----------------------------------------------------------------------------------------
  const table = view.querySelector("#maritime-events");
  const eventRows = () => {
    const { events } = state.data;
    table.tBodies[0].innerHTML = events.map((e, k) => {
      const p = e.properties;
      return `<tr class="link" tabindex="0" data-k="${k}" data-id="${esc(p.id)}" data-type="${esc(p.type)}">
        <td><span class="swatch point" style="background:${esc(eventColour(p.type))}" aria-hidden="true"></span>${esc(
          eventName(p.type))}</td><td>${esc(vesselOf(p))}</td><td class="time">${esc(when(e.start))}</td>
        <td class="time">${esc(Number.isNaN(e.end) ? "-" : when(e.end))}</td><td>${esc(p.asset || "-")}</td>
        <td class="sev-${esc(p.severity)}">${esc(p.severity || "-")}</td><td><span class="mark">${esc(p.banner)}
        </span></td></tr>`;
    }).join("") || `<tr><td colspan="7" class="muted">No maritime event recorded in this window that you may see.
      </td></tr>`;
    table.dataset.rows = String(events.length);  // for tests
  };
  const openRow = (tr) => {
    const k = Number(tr?.dataset.k);
    if (!tr || Number.isNaN(k)) return;
    const event = state.data.events[k];
    if (state.time !== null && event.start > state.time) setTime(onStep(event.start));
    view.querySelector("#maritime-map").scrollIntoView({ block: "center" });
    state.map?.focusEvent(k);
  };
  table.addEventListener("click", (event) => openRow(event.target.closest("tr[data-k]")));
  table.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      const tr = event.target.closest("tr[data-k]");
      if (tr) { event.preventDefault(); openRow(tr); }
    }
  });

  // --- the time slider -----------------------------------------------------------------------------------------
  const setUpSlider = () => {
    stopPlaying();
    const { first, last } = state.data;
    const usable = Number.isFinite(first) && Number.isFinite(last);
    for (const control of [slider, play, view.querySelector("#maritime-end")]) control.disabled = !usable;
    if (!usable) {
      state.time = null;
      slider.min = "0"; slider.max = "1"; slider.value = "1";
      view.querySelector("#maritime-time").textContent = "-";
      return;
    }
    const span = Math.max(1, Math.ceil(last - first));
    const step = span > 100_000 ? 60 : span > 5_000 ? 10 : 1;  // seconds: an arrow key moves by a sensible amount
    slider.min = String(Math.floor(first));
    slider.step = String(step);
    slider.max = String(Math.floor(first) + Math.ceil(span / step) * step);
    slider.value = slider.max;
    state.time = Number(slider.max);
  };
  /** The first slider position at or after `seconds` (the slider moves by whole steps from its minimum). */
  const onStep = (seconds) => {
    const [lo, step] = [Number(slider.min), Number(slider.step) || 1];
    return Math.min(Number(slider.max), lo + Math.ceil((seconds - lo) / step) * step);
  };
  const setTime = (seconds) => {
    slider.value = String(seconds);
    state.time = Number(slider.value);
    moved();
  };
  let frame = null;
  const moved = () => {  // the layers cut to the slider's time, once per frame however fast the slider moves
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      if (state.stopped || !state.data) return;
      const shown = cut(state.data, state.time, state.trail);
      view.querySelector("#maritime-time").textContent = state.time === null ? "-" : when(state.time);
      slider.setAttribute("aria-valuetext", state.time === null ? "no time" : `${when(state.time)} UTC`);
      view.querySelector("#maritime-visible").textContent = state.time === null ? "" : `Up to ${when(state.time)}:
        ${count(shown.vertices)} of ${count(state.data.vertices)} track points (${count(shown.vessels)} of
        ${count(state.data.tracks.length)} vessels), ${count(shown.events.length)} of ${count(
        state.data.events.length)} events started.`
        .replace(/\s*\n\s*/g, " ");
      for (const tr of table.tBodies[0].querySelectorAll("tr[data-k]")) {
        const event = state.data.events[Number(tr.dataset.k)];
        tr.classList.toggle("later", state.time !== null && event.start > state.time);
      }
      state.map?.cut(shown);
    });
  };
  slider.addEventListener("input", () => { state.time = Number(slider.value); moved(); });
  trail.addEventListener("change", () => { state.trail = Number(trail.value) || 0; remember(); moved(); });
  const stopPlaying = () => {
    clearInterval(state.timer);
    state.timer = null;
    play.textContent = "Play";
  };
  play.addEventListener("click", () => {
    if (state.timer) { stopPlaying(); return; }
    const [lo, hi] = [Number(slider.min), Number(slider.max)];
    if (state.time >= hi) setTime(lo);
    const stride = Math.max(Number(slider.step) || 1, (hi - lo) / PLAY_STEPS);
    play.textContent = "Pause";
    state.timer = setInterval(() => {
      if (state.stopped || !view.isConnected) { stopPlaying(); return; }
      const next = Math.min(hi, state.time + stride);
      setTime(next);
      if (next >= hi) stopPlaying();
    }, PLAY_MS);
  });
  view.querySelector("#maritime-end").addEventListener("click", () => { stopPlaying(); setTime(Number(slider.max)); });

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });

  // --- the first view: the answer (its marking on the banner first), then the map -----------------------------
  const mapping = mountMap(view, state).then((map) => {
    if (state.stopped) { map?.remove(); return; }
    state.map = map;
    if (map && state.data) { map.show(state.data, state.answer); moved(); }
  }).catch(async (error) => {
    if (error instanceof AuthError) return;
    await showMarkings(view, []).catch(() => {});  // the banner first (an error carries no marking)
    const box = view.querySelector("#maritime-layers");
    if (box && view.isConnected) {
      box.innerHTML = `<p class="error" role="alert">The map could not be drawn: ${esc(error.message)}</p>`;
    }
  });
  mapping.catch(() => {});
  await load();
  return () => {
    state.stopped = true;
    stopPlaying();
    if (frame !== null) cancelAnimationFrame(frame);
    state.map?.remove();
  };
}

// --- the data, cut to the slider's time ---------------------------------------------------------------------------

/** The answer's features with what the slider needs: each track's times, each event's start and end (Unix s), the
 * span of both, an index on every feature (MapLibre flattens arrays in properties; popups read the originals). */
function prepare(answer) {
  const tracks = (answer.tracks?.features || []).map((f, k) => {
    const coordinates = f.geometry.type === "Point" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const times = (f.properties.times || []).map(Number);
    return { k, properties: f.properties, coordinates, times, colour: vesselColour(f.properties.mmsi) };
  });
  const events = (answer.events?.features || []).map((f, k) => ({ k, properties: f.properties,
    coordinates: f.geometry.coordinates, start: unix(f.properties.start_utc), end: unix(f.properties.end_utc) }))
    .sort((a, b) => a.start - b.start || a.k - b.k);
  events.forEach((e, k) => { e.k = k; });
  const assets = (answer.assets?.features || []).map((f, k) => ({ k, feature: f }));
  let first = Infinity;
  let last = -Infinity;
  for (const t of tracks) {
    if (t.times.length) { first = Math.min(first, t.times[0]); last = Math.max(last, t.times[t.times.length - 1]); }
  }
  for (const e of events) {
    if (Number.isFinite(e.start)) { first = Math.min(first, e.start); last = Math.max(last, e.start); }
  }
  const vertices = tracks.reduce((n, t) => n + t.coordinates.length, 0);
  return { tracks, events, assets, first, last, vertices };
}

/** What is shown at `time` (null: everything) with a trail of `trail` seconds (0: the whole track): each track's
 * vertices in [time - trail, time], a point at the last of them (where the vessel was last seen by then), the
 * events started by then. */
function cut(data, time, trail) {
  const lines = [];
  const heads = [];
  let vertices = 0;
  for (const t of data.tracks) {
    let lo = 0;
    let hi = t.coordinates.length - 1;
    if (time !== null && t.times.length === t.coordinates.length) {
      hi = lastAtOrBelow(t.times, time);
      if (trail > 0) lo = lastAtOrBelow(t.times, time - trail) + 1;
    }
    if (hi < lo) continue;
    vertices += hi - lo + 1;
    const part = t.coordinates.slice(lo, hi + 1);
    const properties = { k: t.k, colour: t.colour, name: t.properties.name || `MMSI ${t.properties.mmsi}` };
    lines.push({ type: "Feature", properties, geometry: part.length > 1 ? { type: "LineString", coordinates: part }
      : { type: "Point", coordinates: part[0] } });
    heads.push({ type: "Feature", properties, geometry: { type: "Point", coordinates: part[part.length - 1] } });
  }
  const events = data.events.filter((e) => time === null || !(e.start > time));
  return { lines, heads, events, vertices, vessels: lines.length };
}

// --- the text around the map ----------------------------------------------------------------------------------

function summaryOf(answer, data, assets) {
  const mark = `<span class="mark">${esc(answer.banner || answer.marking?.banner)}</span>`;
  const vessels = data.tracks.length;
  const notes = [];
  if (answer.truncated) {
    notes.push("More positions match than one answer reads: the newest contributions were read first and older ones "
      + "left out; narrow the window or the area to see them.");
  }
  if (answer.thinned) {
    notes.push(`The tracks are thinned evenly to ${count(answer.vertices ?? data.vertices)} points in all for the map; `
      + "the events were detected on every position.");
  }
  const nothing = !vessels && !data.events.length;
  return `<p id="maritime-counts"><strong>${count(vessels)}</strong> vessel track(s), ${count(data.vertices)} points,
    <strong>${count(data.events.length)}</strong> event(s)${assets !== "none" ? `, ${count(data.assets.length)} undersea
    asset(s) watched` : ""}${data.tracks.length ? `, from ${esc(when(data.first))} to ${esc(when(data.last))}` : ""}.
    ${mark}</p>
    ${notes.map((n) => `<p class="muted maritime-note">${esc(n)}</p>`).join("")}
    ${nothing ? `<div class="card maritime-empty" id="maritime-empty"><p><strong>No vessel positions or maritime events
      you may see in this window and area.</strong> Widen the window or the area, or, if nothing has been contributed
      yet:</p><p>${CONTRIBUTE}</p></div>` : !vessels ? `<p class="muted maritime-empty" id="maritime-empty">No vessel
      positions you may see in this window and area (the events were recorded from positions you may not see, or
      outside it). ${CONTRIBUTE}</p>` : ""}`;
}

function licence(answer, assets) {
  const lines = [...(answer.attribution || [])];
  return `<p class="licence" id="maritime-attribution"><strong>Sources and licences:</strong> ${lines.map(esc)
    .join(" ")} Country boundaries: Natural Earth (public domain).${assets !== "none" ? ` ${esc(DRAWN)}` : ""}</p>`;
}

/** The colours of the event types (those present counted; the behaviours always listed) and of the assets. */
function legend(data) {
  const tally = {};
  for (const e of data.events) tally[e.properties.type] = (tally[e.properties.type] || 0) + 1;
  const always = ["anchor_drag", "dark", "encounter", "loitering", "drift", "stop", "identity"];
  const types = [...new Set([...always, ...Object.keys(tally)])];
  return types.map((t) => `<li${tally[t] ? "" : " class=\"muted\""}><span class="swatch point" style="background:${
    esc(eventColour(t))}" aria-hidden="true"></span>${esc(eventName(t))}${tally[t] ? ` (${count(tally[t])})` : ""}
    </li>`).join("") + `<li><span class="swatch line" style="border-top-color:${TELECOM}" aria-hidden="true"></span>
    Telecom cable</li><li><span class="swatch line" style="border-top-color:${POWER}" aria-hidden="true"></span>
    Power cable or link</li>`;
}

// --- the map ----------------------------------------------------------------------------------------------------
// MapLibre loads only when this page opens (a separate chunk, shared with the Map and Infrastructure pages). The
// boundaries go on the map once their marking is on the banner; the answer's layers once the answer's is.

async function mountMap(view, state) {
  const [{ Map: MapLibre, NavigationControl, Popup, ScaleControl, setWorkerUrl }, worker] = await Promise.all([
    import("maplibre-gl"), import("maplibre-gl/dist/maplibre-gl-worker.mjs?url"),
    import("maplibre-gl/dist/maplibre-gl.css"), import("../map/map.css")]);
  setWorkerUrl(worker.default);
  if (state.stopped || !view.isConnected) return null;
  const { layers } = await ask("/api/v1/map/layers");
  const base = layers.find((l) => l.id === "boundaries");
  const element = view.querySelector("#maritime-map");
  const map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background",
      paint: { "background-color": "#cddbe6" } }] },
    bounds: [[BALTIC[0], BALTIC[1]], [BALTIC[2], BALTIC[3]]],
    attributionControl: { compact: false },
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
  for (const id of ["maritime-assets", "maritime-tracks", "maritime-heads", "maritime-events"]) {
    map.addSource(id, { type: "geojson", data: empty() });
  }
  map.addLayer({ id: "assets-line", type: "line", source: "maritime-assets", filter: LINES,
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ["get", "colour"], "line-width": 2, "line-opacity": 0.8, "line-dasharray": [3, 1.5] } });
  map.addLayer({ id: "tracks-line", type: "line", source: "maritime-tracks", filter: LINES,
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ["get", "colour"], "line-width": 2, "line-opacity": 0.9 } });
  map.addLayer({ id: "tracks-point", type: "circle", source: "maritime-tracks", filter: POINTS,
    paint: { "circle-radius": 2, "circle-color": ["get", "colour"] } });
  map.addLayer({ id: "heads-point", type: "circle", source: "maritime-heads",
    paint: { "circle-radius": 4, "circle-color": ["get", "colour"], "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5 } });
  map.addLayer({ id: "events-point", type: "circle", source: "maritime-events",
    paint: { "circle-radius": 7, "circle-color": ["get", "colour"], "circle-opacity": 0.85,
      "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });

  const box = view.querySelector("#maritime-layers");
  const toggles = [["assets", "Undersea assets", ["assets-line"]], ["tracks", "Vessel tracks", ["tracks-line",
    "tracks-point", "heads-point"]], ["events", "Events", ["events-point"]]];
  box.innerHTML = toggles.map(([id, title]) => `<div class="map-layer"><label><input type="checkbox"
    name="maritime-layer" value="${id}" checked> ${esc(title)}</label><div class="status muted"
    id="maritime-status-${id}">-</div></div>`).join("") + `<div class="map-layer"><label><input type="checkbox"
    name="maritime-layer" value="boundaries" checked> Country boundaries</label><div class="status muted"
    id="maritime-status-boundaries">Loading…</div></div>`;
  for (const input of box.querySelectorAll('input[name="maritime-layer"]')) {
    input.addEventListener("change", () => {
      const ids = input.value === "boundaries" ? ["boundaries-fill", "boundaries-line"]
        : toggles.find(([id]) => id === input.value)[2];
      for (const id of ids) {
        if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", input.checked ? "visible" : "none");
      }
    });
  }

  // the country boundaries (public, marked like any layer), under everything else
  if (base) {
    ask(base.href).then(async (land) => {
      await showMarkings(view, [land.marking]);  // the banner first
      if (state.stopped || !view.isConnected) return;
      map.addSource("boundaries", { type: "geojson", data: land, attribution: esc(base.attribution) });
      map.addLayer({ id: "boundaries-fill", type: "fill", source: "boundaries",
        paint: { "fill-color": base.fill || "#f3f1ea" } }, "assets-line");
      map.addLayer({ id: "boundaries-line", type: "line", source: "boundaries",
        paint: { "line-color": base.colour || "#8a96a3", "line-width": 0.6 } }, "assets-line");
      view.querySelector("#maritime-status-boundaries").textContent = `${count(land.features.length)} countries`;
    }).catch(async (error) => {
      if (error instanceof AuthError) return;
      await showMarkings(view, []).catch(() => {});
      const line = view.querySelector("#maritime-status-boundaries");
      if (line) line.innerHTML = `<span class="error">Could not load: ${esc(error.message)}</span>`;
    });
  }

  // hover and click
  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  const PICKABLE = ["events-point", "heads-point", "tracks-line", "tracks-point", "assets-line"];
  let data = null;
  const pick = (point) => {
    const ids = PICKABLE.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none");
    const found = map.queryRenderedFeatures([[point.x - PICK_PX, point.y - PICK_PX], [point.x + PICK_PX,
      point.y + PICK_PX]], { layers: ids });
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
  const popup = (lngLat, html) => {
    state.popup?.remove();
    state.popup = new Popup({ maxWidth: "340px", focusAfterOpen: false }).setLngLat(lngLat).setHTML(html).addTo(map);
    element.__popup = state.popup;  // for tests
  };
  map.on("click", (event) => {
    const f = data ? pick(event.point) : null;
    if (!f) return;
    const k = Number(f.properties.k);
    const source = f.layer.source;
    if (source === "maritime-events") popup(event.lngLat, eventPopup(data.events[k]));
    else if (source === "maritime-assets") popup(event.lngLat, assetPopup(data.assets[k].feature.properties));
    else popup(event.lngLat, trackPopup(data.tracks[k].properties));
  });

  const counts = (id, text) => { view.querySelector(`#maritime-status-${id}`).textContent = text; };
  return {
    map,
    remove: () => map.remove(),
    /** The answer's layers (its marking already on the banner): the assets as they are, the tracks and events as
     * the slider cuts them (`cut`), the map fitted to the tracks, else to the area asked for. */
    show(prepared, answer) {
      data = prepared;
      state.popup?.remove();
      element.__data = prepared;  // for tests
      const attribution = shortAttribution(answer.attribution || []);
      const assets = { type: "FeatureCollection", features: prepared.assets.map(({ k, feature }) => ({ type: "Feature",
        geometry: feature.geometry, properties: { k, name: feature.properties.name, kind: feature.properties.kind,
          colour: assetColour(feature.properties.kind) } })) };
      if (map.getSource("maritime-assets")) map.removeLayer("assets-line");
      if (map.getSource("maritime-assets")) map.removeSource("maritime-assets");
      // the source is added again so that its attribution (the cable data's licence) follows the answer's
      map.addSource("maritime-assets", { type: "geojson", data: assets, attribution: prepared.assets.length
        ? attribution : "" });
      map.addLayer({ id: "assets-line", type: "line", source: "maritime-assets", filter: LINES,
        layout: { "line-cap": "round", "line-join": "round", visibility: box.querySelector("input[value=assets]")
          .checked ? "visible" : "none" },
        paint: { "line-color": ["get", "colour"], "line-width": 2, "line-opacity": 0.8, "line-dasharray": [3, 1.5] } },
      "tracks-line");
      counts("assets", `${count(prepared.assets.length)} assets`);
      counts("tracks", `${count(prepared.tracks.length)} vessels, ${count(prepared.vertices)} points`);
      counts("events", `${count(prepared.events.length)} events`);
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of [...prepared.tracks.flatMap((t) => t.coordinates), ...prepared.events.map((v) =>
        v.coordinates)]) {
        w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); n = Math.max(n, y);
      }
      if (Number.isFinite(w)) map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 7, duration: 0 });
    },
    /** The tracks, vessel positions and events shown at the slider's time. */
    cut(shown) {
      map.getSource("maritime-tracks").setData({ type: "FeatureCollection", features: shown.lines });
      map.getSource("maritime-heads").setData({ type: "FeatureCollection", features: shown.heads });
      map.getSource("maritime-events").setData({ type: "FeatureCollection", features: shown.events.map((e) => ({
        type: "Feature", geometry: { type: "Point", coordinates: e.coordinates }, properties: { k: e.k,
          name: e.properties.title, colour: eventColour(e.properties.type) } })) });
      element.__visible = { vertices: shown.vertices, lines: shown.lines.length, heads: shown.heads.length,
        events: shown.events.length };  // for tests
    },
    /** Zoom to event `k` and open its popup. */
    focusEvent(k) {
      const e = data?.events[k];
      if (!e) return;
      map.flyTo({ center: e.coordinates, zoom: Math.max(map.getZoom(), 8), duration: 600 });
      popup(e.coordinates, eventPopup(e));
    },
  };
}

/** The map's own attribution line for the assets (the licences named; the full notices are under the map). */
function shortAttribution(lines) {
  const all = lines.join(" ");
  const named = [];
  if (/TeleGeography/.test(all)) named.push("TeleGeography (CC BY-NC-SA 3.0, non-commercial)");
  if (/PyPSA-Eur/.test(all)) named.push("PyPSA-Eur (CC-BY-4.0)");
  return esc(`Undersea assets: ${named.join(", ") || "see below"}; sources and licences in full under the map`);
}

function eventPopup(e) {
  const p = e.properties;
  return `<strong>${esc(p.title || eventName(p.type))}</strong>
    <div class="muted">${esc(eventName(p.type))}${p.severity ? `, severity ${esc(p.severity)}` : ""}<br>
    From ${esc(when(e.start))}<br>until ${esc(Number.isNaN(e.end) ? "-" : when(e.end))}<br>
    ${p.asset ? `Asset: ${esc(p.asset)}<br>` : ""}<a href="#/event/${esc(p.id)}">The event and its evidence</a></div>
    <span class="mark">${esc(p.banner)}</span>`;
}

function assetPopup(p) {
  const countries = Array.isArray(p.countries) ? p.countries.join(", ") : String(p.countries || "");
  return `<strong>${esc(p.name)}</strong>
    <div class="muted">${esc(p.kind)}${countries ? ` (${esc(countries)})` : ""}<br>
    Route accuracy: about ±${esc(p.route_accuracy_km)} km<br>Route: ${esc(p.route_source)}</div>`;
}

function trackPopup(p) {
  return `<strong>${esc(p.name || `MMSI ${p.mmsi}`)}</strong>
    <div class="muted">MMSI ${esc(p.mmsi)}${p.flag ? `, flag ${esc(p.flag)}` : ""}${p.ship_type ? `, ship type
    ${esc(p.ship_type)}` : ""}<br>${esc(utc(p.start_utc, 0))} to ${esc(utc(p.end_utc, 0))}<br>${count(p.fixes)}
    positions</div><span class="mark">${esc(p.banner)}</span>`;
}
