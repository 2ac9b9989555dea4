// The events timeline: manoeuvres, proximity, fragmentations, re-entries, GEO moves, with their evidence.
import { all, esc, showMarkings } from "../api.js";

const KIND_COLOURS = { manoeuvre: "#1f77b4", proximity: "#d62728", fragmentation: "#9467bd", reentry: "#8c564b",
  geo: "#2ca02c" };

export async function renderEvents(view) {
  const events = await all("/api/v1/events?domain=space");
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  view.innerHTML = `
    <h1>Events</h1>
    <form class="filters" id="event-filters" aria-label="Filter events">
      <label>Kind<select name="kind"><option value="">all</option>${kinds.map((k) => `<option>${esc(k)}</option>`)
        .join("")}</select></label>
      <label>Object (NORAD id or words of the title)<input name="text" type="search"></label>
      <span id="event-count" class="muted" aria-live="polite"></span>
    </form>
    <div class="timeline" role="img" aria-label="Events over time by kind"><svg id="timeline"></svg></div>
    <table id="events"><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">Title</th>
      <th scope="col">Objects</th><th scope="col">Marking</th></tr></thead><tbody></tbody></table>
    <div id="evidence" class="card" hidden></div>`;
  const form = view.querySelector("#event-filters");
  const draw = () => {
    const f = Object.fromEntries(new FormData(form));
    const text = f.text.trim().toLowerCase();
    const shown = events.filter((e) => (!f.kind || e.kind === f.kind) && (!text || e.title.toLowerCase().includes(text)
      || e.norad_ids.some((id) => String(id) === text)));
    view.querySelector("#event-count").textContent = `${shown.length} of ${events.length} events`;
    view.querySelector("tbody").innerHTML = shown.slice(0, 2000).map((e) => `<tr class="link" tabindex="0"
      data-id="${esc(e.id)}"><td>${esc(e.time_utc.slice(0, 19))}</td><td>${esc(e.kind)}</td><td>${esc(e.title)}</td>
      <td>${e.norad_ids.map((id) => `<a href="#/object/${esc(id)}">${esc(id)}</a>`).join(", ")}</td>
      <td class="mark">${esc(e.marking.banner)}</td></tr>`).join("");
    timeline(view.querySelector("#timeline"), shown, kinds);
  };
  form.addEventListener("input", draw);
  const open = (tr) => {
    if (!tr) return;
    const e = events.find((x) => x.id === tr.dataset.id);
    const box = view.querySelector("#evidence");
    box.hidden = false;
    box.innerHTML = `<h2>${esc(e.title)}</h2><p class="mark">${esc(e.marking.banner)} · source ${esc(e.source)}</p>
      <h3>Evidence</h3><pre class="evidence">${esc(JSON.stringify(e.detail, null, 1))}</pre>`;
    box.scrollIntoView({ block: "nearest" });
  };
  view.querySelector("tbody").addEventListener("click", (ev) => { if (!ev.target.closest("a")) open(ev.target.closest("tr")); });
  view.querySelector("tbody").addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(ev.target.closest("tr")); });
  draw();
  await showMarkings(view, events.map((e) => e.marking));
}

function timeline(svg, events, kinds) {
  const width = svg.clientWidth || 900;
  const height = 160;
  if (!events.length) { svg.innerHTML = ""; return; }
  const times = events.map((e) => Date.parse(e.time_utc));
  const day = 86400000;
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const [t0, t1] = last - first < day ? [first - day / 2, last + day / 2] : [first, last];  // one event: centred
  const row = (k) => 20 + (kinds.indexOf(k) + 0.5) * ((height - 40) / kinds.length);
  const x = (t) => 90 + (width - 110) * (t - t0) / (t1 - t0);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.innerHTML = kinds.map((k) => `<text x="4" y="${row(k) + 4}" font-size="11">${esc(k)}</text>`).join("")
    + events.slice(0, 5000).map((e, i) => `<circle cx="${x(times[i]).toFixed(1)}" cy="${row(e.kind).toFixed(1)}" r="3"
      fill="${KIND_COLOURS[e.kind] || "#555"}" fill-opacity="0.6"><title>${esc(e.title)}</title></circle>`).join("")
    + `<text x="90" y="${height - 4}" font-size="11">${new Date(t0).toISOString().slice(0, 10)}</text>
       <text x="${width - 90}" y="${height - 4}" font-size="11">${new Date(t1).toISOString().slice(0, 10)}</text>`;
}
