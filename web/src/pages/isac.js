// The Space ISAC (issue 29): members' incident reports as far as you may see them (server-paged and filtered by
// time, interference type, band, object and cluster), the clusters of similar reports ("me too" surges) with a plot
// of where the reports were, one report's detail (its SATIS elements, the enrichment from the element sets you may
// see: sets before and after, orbit, sub-satellite point, objects nearby, events of those objects; ENISA's
// resilience practices for its threats; "seen it too"; STIX 2.1 and MISP downloads), and a form to report. The
// contributor is shown as other members see it: anonymous, a pseudonym, or the organisation when named. Markings
// first: the banner is raised for anything before it is put on screen (api.js, showMarkings).
import { AuthError, esc, request, showMarkings } from "../api.js";
import { count, typedUtc, utc } from "../format.js";
import { serverTable } from "../table.js";
import { download } from "./conjunction.js";

const TYPES = { "jamming": "Jamming", "spoofing": "Spoofing", "unknown-emi": "EMI (not attributed)",
  "laser": "Laser", "kinetic": "Kinetic", "cyber-intrusion": "Cyber intrusion", "physical": "Physical",
  "rpo": "Rendezvous and proximity", "space-weather": "Space weather" };
const LETTERS = ["HF", "VHF", "UHF", "L", "S", "C", "X", "Ku", "K", "Ka", "V", "W", "mm"];
const LEVELS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"];
const TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
const PAPS = ["CLEAR", "GREEN", "AMBER", "RED"];
const MAX_DAYS = 31;  // the API's longest clustering window
const mark = (m) => (m ? `<span class="mark">${esc(m.banner)}</span>` : "");
const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const number = (v, digits = 1, unit = "") => (v === null || v === undefined ? "-"
  : `${Number(v).toFixed(digits)}${unit ? ` ${unit}` : ""}`);
const SOURCES = `Sources: the reporting elements and their STIX 2.1 mapping follow the OASIS Space Automated Threat
  Intelligence Sharing (SATIS) TC work (the Space ISAC's contribution “RF EMI to STIX Notional Mapping”, 2025); technique
  ids are SPARTA's (Space Attack Research and Tactic Analysis, © The Aerospace Corporation, sparta.aerospace.org);
  resilience practices are ENISA's (Space Threat Landscape, 2025, control framework, CC BY 4.0; Kompas maps its
  interference types to ENISA's threats); reports are contributed by platform members under their own markings.`;

export async function renderIsac(view) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  view.innerHTML = `
    <h1>Space ISAC: incident reports, “me too” surges and resilience practices</h1>
    <p class="muted">Reports members share with the Space ISAC, as far as you may see them, each with its own marking,
      TLP and PAP. Who reported is known to the platform; other members see “anonymous”, a pseudonym, or the
      organisation when it asked to be named. Times are UTC (ISO 8601), frequencies in MHz.</p>
    <form class="filters card" id="isac-filters" aria-label="Filter the reports">
      <label>Started from (UTC)<input name="since" data-utc placeholder="2026-05-01T00:00:00Z" size="22"
        maxlength="30"></label>
      <label>Started before (UTC)<input name="until" data-utc placeholder="2026-05-08T00:00:00Z" size="22"
        maxlength="30"></label>
      <label>Interference<select name="interference"><option value="">any</option>${Object.entries(TYPES)
        .map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join("")}</select></label>
      <label>Band (IEEE 521)<select name="band"><option value="">any</option>${LETTERS.map((l) =>
        `<option>${l}</option>`).join("")}</select></label>
      <label>NORAD id<input name="norad_id" inputmode="numeric" pattern="\\d{1,9}" size="9" maxlength="9"></label>
      <input type="hidden" name="cluster">
      <button type="submit">Apply</button><button type="reset">Clear</button>
      <span id="isac-count" class="muted" aria-live="polite"></span>
    </form>
    <section aria-labelledby="isac-clusters-title">
      <h2 id="isac-clusters-title">Clusters of similar reports (“me too”)</h2>
      <p class="muted">Same interference family, within 6 h, overlapping bands, within 500 km; a surge is at least 3
        reports from 2 members within 6 h. Over the period of the filters (at most ${MAX_DAYS} days; without one, the
        last ${MAX_DAYS} days).</p>
      <div id="isac-clusters" aria-live="polite"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="isac-reports-title">
      <h2 id="isac-reports-title">Reports</h2>
      <table id="isac-reports"><thead></thead><tbody></tbody></table>
      <section id="isac-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section class="card" aria-labelledby="isac-report-title">
      <h2 id="isac-report-title">Report an incident</h2>
      <p class="muted">Kompas ISAC JSON (a report, a list, or {"reports": [...]}) or one report in the Space ISAC
        notional reporting format (TITLE:, SUMMARY:, ANOMALY DETAILS:, SATELLITE/SENSOR DETAILS:). The marking, PAP
        and disclosure below apply to reports that state none; your organisation is the originator. Records that
        cannot be read are listed with their reason; the others are shared.</p>
      <form id="isac-report" class="filters" aria-label="Report an incident">
        <label style="flex-basis:100%">Report (text)<textarea name="content" rows="8" cols="100" maxlength="200000"
          required></textarea></label>
        <label>…or read it from a file<input type="file" name="file" accept=".json,.txt,.md,application/json,text/plain">
        </label>
        <label>Format<select name="format"><option value="">recognise it</option><option value="json">Kompas ISAC
          JSON</option><option value="notional">notional format</option></select></label>
        <label>Classification<select name="classification">${LEVELS.map((l) => `<option>${l}</option>`).join("")}
          </select></label>
        <label>TLP<select name="tlp">${TLPS.map((t) => `<option${t === "AMBER" ? " selected" : ""}>${t}</option>`)
          .join("")}</select></label>
        <label>PAP<select name="pap">${PAPS.map((t) => `<option${t === "AMBER" ? " selected" : ""}>${t}</option>`)
          .join("")}</select></label>
        <label>Need-to-know communities (comma-separated)<input name="communities" size="18" maxlength="300"></label>
        <label>Disclosure<select name="disclosure"><option value="anonymous">anonymous</option>
          <option value="pseudonymous">pseudonymous (your organisation's pseudonym)</option>
          <option value="named">named</option></select></label>
        <button type="submit">Report</button>
      </form>
      <div id="isac-report-result" role="status" aria-live="polite"></div>
    </section>
    <p class="muted" id="isac-sources">${SOURCES}</p>`;

  const form = view.querySelector("#isac-filters");
  const clustersBox = view.querySelector("#isac-clusters");
  let clustering = 0;
  const loadClusters = async () => {
    const mine = ++clustering;
    const since = typedUtc(form.elements.since.value || "");
    const until = typedUtc(form.elements.until.value || "");
    const params = new URLSearchParams();
    if (since) params.set("since", since);
    if (until) params.set("until", until);
    if (since && until && (Date.parse(until) - Date.parse(since)) / 86400000 > MAX_DAYS) {
      clustersBox.innerHTML = `<p class="muted">Clusters are looked for over at most ${MAX_DAYS} days: narrow the
        period to see them.</p>`;
      return;
    }
    let found;
    try {
      found = await request(`/api/v1/isac/clusters?${params}`);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (mine === clustering) clustersBox.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
      return;
    }
    if (mine !== clustering) return;
    await showMarkings(view, [found.marking, ...found.clusters.map((c) => c.marking)]);  // the banner first
    if (mine !== clustering) return;
    clustersBox.innerHTML = clustersSection(found);
    clustersBox.dataset.loaded = String(mine);
  };

  const table = await serverTable({
    view, path: "/api/v1/isac/reports", table: view.querySelector("#isac-reports"), form,
    status: view.querySelector("#isac-count"), defaultSort: "-start", limit: 25,
    rowAttributes: (r) => `class="link" tabindex="0" data-id="${esc(r.id)}"`,
    columns: [
      { label: "Start (UTC)", sort: ["start", "-start"], descFirst: true,
        cell: (r) => `<span class="time">${esc(utc(r.start_utc, 0))}</span>` },
      { label: "Title", sort: null, cell: (r) => esc(r.title) },
      { label: "Interference", sort: null, cell: (r) => esc(TYPES[r.interference] || r.interference) },
      { label: "Segment", sort: null, cell: (r) => esc(r.segment) },
      { label: "Band", sort: null, cell: (r) => esc(bandText(r.band)) },
      { label: "Objects", sort: null, cell: (r) => esc((r.satellites || []).map((s) => s.name || s.norad_id)
        .join(", ") || "-") },
      { label: "Contributor", sort: null, cell: (r) => esc(r.contributor) + (r.yours
        ? ` <span class="muted">(your organisation)</span>` : "") },
      { label: "Seen too", sort: null, numeric: true, cell: (r) => count(r.seen_count) },
      { label: "TLP / PAP", sort: null, cell: (r) => `${esc(r.marking.tlp)} / ${esc(r.pap)}` },
      { label: "Marking", sort: null, cell: (r) => mark(r.marking) },
    ],
  });
  form.addEventListener("submit", () => { loadClusters().catch(() => {}); });
  form.addEventListener("reset", () => setTimeout(() => { form.elements.cluster.value = ""; form.requestSubmit(); }));
  clustersBox.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-cluster]");
    if (button) {
      form.elements.cluster.value = button.dataset.cluster;
      form.requestSubmit();
      view.querySelector("#isac-reports-title").scrollIntoView({ block: "start" });
      return;
    }
    const report = event.target.closest("button[data-report]");
    if (report) openReport(report.dataset.report);
  });

  // one report's panel
  const detail = view.querySelector("#isac-detail");
  let opening = 0;
  const openReport = async (id) => {
    const mine = ++opening;
    detail.hidden = false;
    detail.innerHTML = `<p class="muted">Loading the report…</p>`;
    try {
      const [report, controls] = await Promise.all([
        request(`/api/v1/isac/reports/${encodeURIComponent(id)}`),
        request(`/api/v1/isac/reports/${encodeURIComponent(id)}/controls`)]);
      if (mine !== opening) return;
      await showMarkings(view, [report.answer_marking, report.marking, controls.marking]);  // the banner first
      if (mine !== opening) return;
      detail.innerHTML = reportPanel(report, controls);
      detail.dataset.id = report.id;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (mine !== opening) return;
      detail.innerHTML = `<p class="error" role="alert">Could not open the report: ${esc(error.message)}</p>`;
    }
    detail.focus({ preventScroll: true });
    detail.scrollIntoView({ block: "nearest" });
  };
  const body = view.querySelector("#isac-reports tbody");
  body.addEventListener("click", (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (tr && !event.target.closest("a, button")) openReport(tr.dataset.id);
  });
  body.addEventListener("keydown", (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (tr && event.key === "Enter") { event.preventDefault(); openReport(tr.dataset.id); }
  });
  detail.addEventListener("click", async (event) => {
    const exporting = event.target.closest("button[data-export]");
    if (exporting) { await exportReport(detail, exporting); return; }
    const seen = event.target.closest("button#isac-seen");
    if (seen) {
      const status = detail.querySelector("#isac-seen-status");
      const note = detail.querySelector("#isac-seen-note").value.trim();
      try {
        await request(`/api/v1/isac/reports/${encodeURIComponent(detail.dataset.id)}/seen`, { method: "POST",
          body: { note } });
        await openReport(detail.dataset.id);
        table.reload();
      } catch (error) {
        if (error instanceof AuthError) throw error;
        status.innerHTML = `<span class="error" role="alert">Not recorded: ${esc(error.message)}</span>`;
      }
    }
  });

  // reporting
  const reportForm = view.querySelector("#isac-report");
  reportForm.elements.file.addEventListener("change", async () => {
    const file = reportForm.elements.file.files[0];
    if (file) reportForm.elements.content.value = await file.text();
  });
  reportForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = reportForm.elements;
    const result = view.querySelector("#isac-report-result");
    const communities = f.communities.value.split(",").map((c) => c.trim().toLowerCase()).filter(Boolean);
    const sent = { content: f.content.value, pap: f.pap.value, disclosure: f.disclosure.value,
      marking: { classification: f.classification.value, tlp: f.tlp.value, communities } };
    if (f.format.value) sent.format = f.format.value;
    result.innerHTML = `<p class="muted">Reporting…</p>`;
    try {
      const done = await request("/api/v1/isac/reports", { method: "POST", body: sent });
      result.innerHTML = reportedResult(done);
      await Promise.all([table.reload(), loadClusters()]);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      result.innerHTML = `<p class="error" role="alert">Refused: ${esc(error.message)}</p>`;
    }
  });
  result(view).addEventListener("click", (event) => {
    const button = event.target.closest("button[data-report]");
    if (button) openReport(button.dataset.report);
  });

  await loadClusters().catch((error) => {
    if (error instanceof AuthError) throw error;
    clustersBox.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
  });
  if (own.get("report")) await openReport(own.get("report"));
}

function result(view) { return view.querySelector("#isac-report-result"); }

function bandText(band) {
  if (!band) return "-";
  const range = band.low_mhz === null || band.low_mhz === undefined ? ""
    : band.low_mhz === band.high_mhz ? ` ${band.low_mhz} MHz` : ` ${band.low_mhz}–${band.high_mhz} MHz`;
  return `${band.letter || ""}${range}`.trim() || "-";
}

// --- clusters -----------------------------------------------------------------------------------------------------

function clustersSection(found) {
  const notes = (found.notes || []).map((n) => `<p class="muted">${esc(n)}</p>`).join("");
  if (!found.clusters.length) {
    return `<p class="muted">No two similar reports you may see between ${esc(utc(found.since_utc, 0))} and
      ${esc(utc(found.until_utc, 0))} (${plural(found.reports, "report")} read).</p>${notes}`;
  }
  return `<p>${plural(found.clusters.length, "cluster")}, ${plural(found.surges, "surge")} among
    ${plural(found.reports, "report")} you may see between ${esc(utc(found.since_utc, 0))} and
    ${esc(utc(found.until_utc, 0))}.</p>${notes}
    <div class="isac-clusters">${plot(found.clusters)}
    <ul class="isac-cluster-list">${found.clusters.map((c) => `<li class="card${c.surge ? " surge" : ""}"
      data-cluster-id="${esc(c.id)}"><strong>${c.surge ? "SURGE: " : ""}${esc(c.family)} family,
      ${plural(c.members.length, "report")} from ${plural(c.reporters, "member")}</strong>
      <span class="muted">${esc(utc(c.start_utc, 0))} to ${esc(utc(c.stop_utc, 0))}; band ${esc(bandText(c.band))};
      ${c.centroid_lat_deg === null ? "no place" : `near ${number(c.centroid_lat_deg, 2)}°, ${
        number(c.centroid_lon_deg, 2)}°`}${c.regions.length ? `; ${esc(c.regions.join(", "))}` : ""}</span>
      ${mark(c.marking)}
      <ul>${c.members.map((m) => `<li><button type="button" class="linkish" data-report="${esc(m.id)}">${esc(
        m.title)}</button> <span class="muted">${esc(utc(m.start_utc, 0))}, ${esc(m.contributor)}</span></li>`)
        .join("")}</ul>
      <button type="button" data-cluster="${esc(c.id)}">List these reports</button></li>`).join("")}</ul></div>`;
}

/** Where the clusters' reports were (their centroids), on an equirectangular grid (30° graticule). */
function plot(clusters) {
  const placed = clusters.filter((c) => c.centroid_lat_deg !== null);
  if (!placed.length) return "";
  const [W, H] = [360, 180];
  const x = (lon) => lon + 180;
  const y = (lat) => 90 - lat;
  const grid = [];
  for (let lon = -180; lon <= 180; lon += 30) grid.push(`<line class="grid" x1="${x(lon)}" x2="${x(lon)}" y1="0" y2="${H}"></line>`);
  for (let lat = -90; lat <= 90; lat += 30) grid.push(`<line class="grid" x1="0" x2="${W}" y1="${y(lat)}" y2="${y(lat)}"></line>`);
  const said = placed.map((c) => `${c.family} ${c.members.length} reports near ${number(c.centroid_lat_deg, 1)}°,
    ${number(c.centroid_lon_deg, 1)}°`).join("; ");
  return `<svg id="isac-plot" class="card" viewBox="0 0 ${W} ${H}" width="360" height="180" role="img"
    aria-label="Cluster centroids on a latitude-longitude grid (30° lines): ${esc(said)}">
    <rect x="0" y="0" width="${W}" height="${H}" fill="#cddbe6"></rect>${grid.join("")}
    ${placed.map((c) => `<circle cx="${x(c.centroid_lon_deg).toFixed(2)}" cy="${y(c.centroid_lat_deg).toFixed(2)}"
      r="${Math.min(9, 2 + c.members.length)}" fill="${c.surge ? "#c8102e" : "#8e44ad"}" stroke="white"
      stroke-width="0.8"><title>${esc(`${c.family}: ${c.members.length} reports`)}</title></circle>`).join("")}
  </svg>`;
}

// --- one report ---------------------------------------------------------------------------------------------------

function reportPanel(r, controls) {
  const places = (r.locations || []).map((p) => `<li>${esc(p.kind)}: ${p.lat_deg === null ? esc(p.region)
    : `${number(p.lat_deg, 4)}°, ${number(p.lon_deg, 4)}°`}${p.radius_km ? ` (radius ${number(p.radius_km, 0)} km)` : ""}
    ${p.label ? `<span class="muted">${esc(p.label)}</span>` : ""}</li>`).join("");
  const rows = [
    ["Interference", `${esc(TYPES[r.interference] || r.interference)} <span class="muted">(${esc(r.family)}
      family)</span>`],
    ["Segment", esc(r.segment) + (r.link ? ` (${esc(r.link)})` : "")],
    ["Start – stop (UTC)", `${esc(utc(r.start_utc))} – ${esc(r.stop_utc ? utc(r.stop_utc) : "not stated")}`],
    ["Reported (UTC)", esc(utc(r.reported_utc))],
    ["Band", `${esc(bandText(r.band))}${r.band_itu ? ` <span class="muted">(ITU ${esc(r.band_itu)})</span>` : ""}`],
    ["Satellites", esc((r.satellites || []).map((s) => (s.norad_id ? `${s.name || ""} (NORAD ${s.norad_id})`
      : s.name).trim()).join(", ") || "-") + (r.norad_ids_obfuscated ? ` <span class="muted">(NORAD ids obfuscated by
      the reporter)</span>` : "")],
    ["Impact", `${esc(r.impact_level)}; after the event: ${esc(r.post_event_status)}${r.payload_impact
      ? `; ${esc(r.payload_impact)}` : ""}`],
    ["SPARTA techniques", (r.sparta_ids || []).map((t) => `<a href="https://sparta.aerospace.org/technique/${
      esc(t.replace(".", "/"))}/" rel="noopener noreferrer" target="_blank">${esc(t)}</a>`).join(", ") || "-"],
    ["ATT&amp;CK techniques", esc((r.attack_ids || []).join(", ") || "-")],
    ["Contributor", r.yours ? `${esc(r.reporter)} <span class="muted">(your organisation; other members see “${
      esc(r.contributor)}”)</span>` : esc(r.contributor)],
    ["TLP / PAP", `TLP:${esc(r.marking.tlp)} / PAP:${esc(r.pap)}`],
  ];
  const seen = r.seen.length ? `<ul>${r.seen.map((x) => `<li>${esc(x.by)}${x.yours ? " (you)" : ""}, ${esc(utc(
    x.at_utc, 0))}${x.note ? `: ${esc(x.note)}` : ""} ${mark(x.marking)}</li>`).join("")}</ul>`
    : `<p class="muted">No other member you may see has said so yet.</p>`;
  return `<h3>${esc(r.title)} ${mark(r.marking)}</h3>
    ${r.summary ? `<p>${esc(r.summary)}</p>` : ""}
    <table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("")}
    </tbody></table>
    ${places ? `<h4>Places</h4><ul>${places}</ul>` : ""}
    <h4>Enrichment from the element sets you may see</h4>${enrichmentSection(r.enrichment)}
    <h4>Seen it too (${count(r.seen_count)})</h4>${seen}
    ${r.yours ? "" : `<div class="filters"><label>Your note (optional)<input id="isac-seen-note" maxlength="2000"
      size="40"></label><button type="button" id="isac-seen">Seen it too</button>
      <span id="isac-seen-status" role="status" aria-live="polite"></span></div>`}
    <h4>Resilience practices (ENISA) for ${esc(controls.threats.join(", "))} ${mark(controls.marking)}</h4>
    ${controlsSection(controls)}
    <div class="filters"><button type="button" data-export="stix">Download STIX 2.1 bundle</button>
      <button type="button" data-export="misp">Download MISP event</button>
      <span id="isac-export-status" class="muted" role="status" aria-live="polite"></span></div>
    <p class="muted">Event: <a href="#/event/${esc(r.id)}">this report on the Events page</a>; its STIX mapping follows
      the OASIS SATIS work; SPARTA ids © The Aerospace Corporation.</p>`;
}

function enrichmentSection(e) {
  if (!e) return `<p class="muted">Not asked for.</p>`;
  const notes = (e.notes || []).map((n) => `<p class="muted">${esc(n)}</p>`).join("");
  const objects = (e.objects || []).map((o) => `<div class="card"><strong>NORAD ${esc(o.norad_id)}</strong>
    ${o.note ? `<span class="muted">${esc(o.note)}</span>` : ""}
    <table class="kv"><tbody>
      <tr><th scope="row">Element set before / after (epoch UTC)</th><td>${esc(utc(o.before_epoch_utc, 0))} ${mark(
        o.before_marking)} / ${esc(utc(o.after_epoch_utc, 0))} ${mark(o.after_marking)}</td></tr>
      <tr><th scope="row">Orbit</th><td>${esc(o.regime || "-")}, perigee ${number(o.perigee_km, 1, "km")}, apogee
        ${number(o.apogee_km, 1, "km")}, inclination ${number(o.inclination_deg, 3, "°")}; set ${number(o.set_age_days,
        2, "days")} old at the time</td></tr>
      <tr><th scope="row">Sub-satellite point at the start</th><td>${number(o.subpoint_lat_deg, 3, "°")},
        ${number(o.subpoint_lon_deg, 3, "°")}, height ${number(o.subpoint_height_km, 1, "km")}</td></tr>
      <tr><th scope="row">Objects within ${number(e.radius_km, 0, "km")}</th><td>${(o.neighbours || []).map((n) =>
        `<a href="#/object/${esc(n.norad_id)}">${esc(n.name || n.norad_id)}</a> ${number(n.distance_km, 1, "km")}
        ${mark(n.marking)}`).join("; ") || "none"}</td></tr>
    </tbody></table></div>`).join("");
  const events = (e.events || []).length ? `<p>Events of these objects within ${esc(e.window_days)} days:</p><ul>${
    e.events.map((v) => `<li><a href="#/event/${esc(v.id)}">${esc(v.title)}</a> <span class="muted">${esc(v.domain)}
    ${esc(v.type)}, ${esc(utc(v.time_utc, 0))}</span> ${mark(v.marking)}</li>`).join("")}</ul>` : "";
  return `${objects}${events}${notes}<p class="muted">Marking of the enrichment: ${esc(e.marking.banner)}</p>`;
}

function controlsSection(c) {
  if (!c.controls.length) return `<p class="muted">ENISA lists no control for these threats in the library at hand.</p>`;
  return `<ul class="isac-controls">${c.controls.map((k) => `<li><strong>${esc(k.name)}</strong> <span class="muted">(${
    esc(k.cluster)}; for ${esc(k.threat)})</span><br>${esc(k.statement)}</li>`).join("")}</ul>
    <p class="muted">${esc(c.attribution)} (<a href="https://creativecommons.org/licenses/by/4.0/" rel="noopener
      noreferrer" target="_blank">licence</a>). ${esc(c.mapping)}. Library: ${esc(c.library)}.</p>`;
}

async function exportReport(detail, button) {
  const status = detail.querySelector("#isac-export-status");
  const kind = button.dataset.export;
  try {
    const response = await request(`/api/v1/isac/reports/${encodeURIComponent(detail.dataset.id)}/${kind}`,
      { raw: true });
    const blob = await response.blob();
    download(`isac_${detail.dataset.id}.${kind === "stix" ? "stix.json" : "misp.json"}`, blob,
      kind === "stix" ? "application/stix+json" : "application/json");
    status.textContent = `Downloaded (${response.headers.get("X-Kompas-Marking") || "marking in the file"}).`;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    status.innerHTML = `<span class="error" role="alert">${esc(error.message)}</span>`;
  }
}

function reportedResult(done) {
  const list = (items, title) => (items.length ? `<p>${title}:</p><ul>${items.map((r) => `<li>${esc(r.source)}
    item ${esc(r.line ?? r.item ?? 0)}: ${esc(r.field || "-")}: ${esc(r.reason)}</li>`).join("")}</ul>` : "");
  return `<p>${plural(done.added.length, "report")} shared, ${plural(done.replaced.length, "report")} updated,
    ${plural(done.rejected.length, "record")} rejected${done.pseudonym ? `; your pseudonym: ${esc(done.pseudonym)}`
    : ""}.</p>${[...done.added, ...done.replaced].map((id) => `<button type="button" class="linkish"
    data-report="${esc(id)}">Open ${esc(id)}</button>`).join(" ")}
    ${list(done.rejected, "Rejected")}${list(done.warnings, "Shared with a caution")}
    ${(done.notes || []).map((n) => `<p class="muted">${esc(n)}</p>`).join("")}`;
}
