// Events of every domain the user may see: paged, sorted (newest first) and filtered by the server, with their
// severity; a row opens the event with its evidence, readable; the timeline plots the events of the page shown.
import { esc, request, showMarkings } from "../api.js";
import { describe } from "../evidence.js";
import { utc, utcDay } from "../format.js";
import { serverTable } from "../table.js";

const KIND_COLOURS = { manoeuvre: "#1f77b4", proximity: "#d62728", fragmentation: "#9467bd", reentry: "#8c564b",
  geo: "#2ca02c", incident: "#e377c2", surge: "#ff7f0e" };
const KINDS = ["manoeuvre", "proximity", "fragmentation", "reentry", "geo", "incident", "surge", "stress-test",
  "anchor_drag", "dark", "drift", "loitering", "stop", "encounter", "identity"];

export async function renderEvents(view) {
  view.innerHTML = `
    <h1>Events</h1>
    <form class="filters" id="event-filters" aria-label="Filter events">
      <label>Domain<select name="domain"><option value="">all</option><option>space</option><option>fimi</option><option>cyber</option><option>infra</option><option>maritime</option>
        </select></label>
      <label>Kind<select name="kind"><option value="">all</option>${KINDS.map((k) => `<option>${k}</option>`).join("")}
        </select></label>
      <label>Severity at least<select name="severity"><option value="">any</option><option>low</option>
        <option>medium</option><option>high</option></select></label>
      <label>Title words<input name="q" type="search" maxlength="100"></label>
      <label>NORAD id<input name="norad_id" type="number" min="1" step="1"></label>
      <label>From (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>Until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <span id="event-count" class="muted" aria-live="polite"></span>
    </form>
    <div class="timeline" role="img" aria-label="The events of this page over time, by kind"><svg id="timeline"></svg>
    </div>
    <table id="events"><thead></thead><tbody></tbody></table>
    <section id="evidence" class="card" hidden aria-live="polite"></section>`;
  let shown = [];
  await serverTable({
    view, path: "/api/v1/events", table: view.querySelector("#events"), form: view.querySelector("#event-filters"),
    status: view.querySelector("#event-count"), defaultSort: "-time",
    rowAttributes: (e) => `class="link" tabindex="0" data-id="${esc(e.id)}"`,
    columns: [
      { label: "Time (UTC)", sort: ["time", "-time"], descFirst: true, cell: (e) => `<span class="time">
        ${esc(utc(e.time_utc, 0))}</span>` },
      { label: "Severity", sort: [null, "-severity"], descFirst: true, cell: (e) => `<span class="sev-${esc(e.severity)}">
        ${esc(e.severity)}</span>` },
      { label: "Domain", sort: null, cell: (e) => esc(e.domain) },
      { label: "Kind", sort: null, cell: (e) => esc(e.kind) },
      { label: "Title", sort: null, cell: (e) => esc(e.title) },
      { label: "Objects", sort: null, cell: (e) => e.norad_ids.map((id) => `<a href="#/object/${esc(id)}">${esc(id)}</a>`)
        .join(", ") },
      { label: "Marking", sort: null, cell: (e) => `<span class="mark">${esc(e.marking.banner)}</span>` },
    ],
    drawn: (items) => { shown = items; timeline(view.querySelector("#timeline"), items); },
  });
  const box = view.querySelector("#evidence");
  const open = async (tr) => {
    if (!tr?.dataset.id) return;
    const e = shown.find((x) => x.id === tr.dataset.id) || await request(`/api/v1/events/${tr.dataset.id}`);
    await showMarkings(view, [e.marking]);
    box.hidden = false;
    box.innerHTML = eventPanel(e);
    box.scrollIntoView({ block: "nearest" });
  };
  const body = view.querySelector("#events tbody");
  body.addEventListener("click", (ev) => { if (!ev.target.closest("a")) open(ev.target.closest("tr")); });
  body.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && !ev.target.closest("a")) open(ev.target.closest("tr")); });
}

/** One event as a panel: what, when, severity, source, its marking, the evidence and payload readable. */
function eventPanel(e) {
  return `<h2>${esc(e.title)}</h2>
      <p class="mark">${esc(e.marking.banner)}</p>
      <dl class="evidence"><dt>Kind</dt><dd>${esc(e.domain)} / ${esc(e.kind)}</dd>
        <dt>Severity</dt><dd class="sev-${esc(e.severity)}">${esc(e.severity)}${e.confidence === null ? ""
          : `, confidence ${(100 * e.confidence).toFixed(0)}%`}</dd>
        <dt>When (UTC)</dt><dd>${esc(utc(e.start_utc, 0))} to ${esc(utc(e.end_utc, 0))}</dd>
        <dt>Objects</dt><dd>${e.norad_ids.map((id) => `<a href="#/object/${esc(id)}">${esc(id)}</a>`).join(", ") || "-"}</dd>
        <dt>Source</dt><dd>${esc(e.source)}</dd></dl>
      <h3>Evidence</h3>${describe(e.evidence)}
      ${Object.keys(e.detail || {}).length ? `<h3>Detail</h3>${describe(e.detail)}` : ""}`;
}

/** One event on a page of its own (#/event/ID: the globe's event markers open it). */
export async function renderEvent(view, id) {
  const e = await request(`/api/v1/events/${id}`);
  await showMarkings(view, [e.marking]);
  view.innerHTML = `<p><a href="#/events">All events</a> · <a href="#/respond/${esc(e.id)}">Response options</a></p>
    <section class="card" id="evidence">${eventPanel(e)}</section>`;
}

function timeline(svg, events) {
  const width = svg.clientWidth || 900;
  const height = 160;
  if (!events.length) { svg.innerHTML = ""; return; }
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  const times = events.map((e) => Date.parse(e.time_utc));
  const day = 86400000;
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const [t0, t1] = last - first < day ? [first - day / 2, last + day / 2] : [first, last];  // one event: centred
  const row = (k) => 20 + (kinds.indexOf(k) + 0.5) * ((height - 40) / kinds.length);
  const x = (t) => 90 + (width - 110) * (t - t0) / (t1 - t0);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.innerHTML = kinds.map((k) => `<text x="4" y="${row(k) + 4}" font-size="11">${esc(k)}</text>`).join("")
    + events.map((e, i) => `<circle cx="${x(times[i]).toFixed(1)}" cy="${row(e.kind).toFixed(1)}" r="3"
      fill="${KIND_COLOURS[e.kind] || "#555"}" fill-opacity="0.6"><title>${esc(e.title)}</title></circle>`).join("")
    + `<text x="90" y="${height - 4}" font-size="11">${utcDay(t0)}</text>
       <text x="${width - 90}" y="${height - 4}" font-size="11">${utcDay(t1)}</text>`;
}
