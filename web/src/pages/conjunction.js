// One conjunction: geometry in the primary's RTN frame, relative distance over time, its CDMs to download.
import uPlot from "uplot";
import { esc, request, showMarkings } from "../api.js";
import { ticks, timeTicks, uplotUtc, utc } from "../format.js";
import { renderAvoidance } from "./avoidance.js";
import { objectNames, pcText } from "./conjunctions.js";

// The method behind a conjunction's Pc (chosen as NASA CARA's PcMultiStep; kompas.space.decision.assess).
const BASIS = { pc2d: "Foster's 2D Pc", nc3d: "Hall's 3D Nc", mc: "two-body Monte Carlo" };

export async function renderConjunction(view, id) {
  const c = await request(`/api/v1/conjunctions/${id}`);
  const names = c.primary_name === undefined ? await objectNames([c.primary_id, c.secondary_id])
    : { [c.primary_id]: c.primary_name, [c.secondary_id]: c.secondary_name };
  const [r, t, n] = c.rtn_km;
  const age = (epoch) => (epoch ? `${esc(utc(epoch))} (${((Date.parse(c.tca_utc.slice(0, 23) + "Z")
    - Date.parse(epoch.slice(0, 23) + "Z")) / 86400000).toFixed(2)} d before TCA)` : "-");
  const who = (k) => `<a href="#/object/${c[`${k}_id`]}">${esc(names[c[`${k}_id`]] || "?")} (${c[`${k}_id`]})</a>${c[`${k}_owner`]
    ? ` <span class="muted">${esc(c[`${k}_owner`])}</span>` : ""}`;
  const series = await request(`/api/v1/conjunctions/${id}/series`).catch((error) => ({ error }));
  const half = Math.min(60, Math.max(1, 10 * c.miss_km / Math.max(c.v_rel_km_s, 1e-3)));
  const zoom = await request(`/api/v1/conjunctions/${id}/series?half_window_s=${half.toPrecision(3)}`
    + `&step_s=${(half / 150).toPrecision(3)}`).catch(() => null);
  const markings = [c.marking, ...(series.markings || []), ...(zoom?.markings || [])];
  await showMarkings(view, markings);  // the banner first, then the content
  view.innerHTML = `
    <h1>Conjunction ${esc(names[c.primary_id] || c.primary_id)} – ${esc(names[c.secondary_id] || c.secondary_id)}</h1>
    <div class="card">
      <dl class="evidence">
        <dt>TCA (UTC)</dt><dd><b>${esc(utc(c.tca_utc))}</b></dd>
        <dt>Miss distance</dt><dd><b>${c.miss_km.toFixed(3)} km</b> at a relative speed of ${c.v_rel_km_s.toFixed(3)} km/s
          ${c.label ? `(${esc(c.label)})` : ""}</dd>
        <dt>Pc</dt><dd><b>${pcText(c)}</b>
          ${c.pc_interval ? `(95% interval ${c.pc_interval[0].toExponential(1)} to ${c.pc_interval[1].toExponential(1)})`
            : ""}
          <span class="muted">${c.pc === null ? "not computed" : `(${esc(BASIS[c.pc_basis || "pc2d"])}${c.pc_flags && c.pc_flags.length
            ? `; the 2D method's usage checks failed: ${esc(c.pc_flags.join(", "))}` : ""})`}</span></dd>
        <dt>Primary</dt><dd>${who("primary")}</dd>
        <dt>Secondary</dt><dd>${who("secondary")}</dd>
        ${c.relation ? `<dt>Relation</dt><dd>${esc(c.relation === "formation" ? "formation: the two fly together"
          : "same owner: their operator plans this approach")}</dd>` : ""}
        <dt>Element sets (epoch)</dt><dd>primary ${age(c.primary_epoch_utc)}; secondary ${age(c.secondary_epoch_utc)}</dd>
      </dl>
      <table aria-label="Geometry in the primary's RTN frame"><thead><tr><th>radial (km)</th><th>transverse (km)</th>
        <th>normal (km)</th></tr></thead><tbody><tr><td class="n">${r.toFixed(3)}</td><td class="n">${t.toFixed(3)}</td>
        <td class="n">${n.toFixed(3)}</td></tr></tbody></table>
      <p class="mark">${esc(c.marking.banner)}</p>
    </div>
    <div class="plots">
      <div><h2>Relative distance, TCA ± 10 min</h2><div id="series" role="img" aria-label="Relative distance over time, UTC"></div></div>
      <div><h2>Around TCA, ± ${half.toPrecision(2)} s</h2><div id="zoom" role="img" aria-label="Relative distance in the seconds around TCA"></div></div>
    </div>
    <p class="mark">Plots: ${esc([...new Set((series.markings || []).map((m) => m.banner))].join("; ") || "-")}</p>
    <h2>Conjunction data messages</h2><div id="cdms"><p class="muted">Loading…</p></div>
    <section aria-labelledby="avoidance-title"><h2 id="avoidance-title">Manoeuvre trade space</h2>
      <div id="avoidance"><p class="muted">Loading…</p></div></section>`;
  const tca = Date.parse(utc(c.tca_utc));
  if (series.error) {
    view.querySelector("#series").innerHTML = `<p class="muted">No distance series: ${esc(series.error.message)}</p>`;
  } else {
    const box = view.querySelector("#series");
    new uPlot({ width: Math.max(320, box.clientWidth - 10), height: 260, tzDate: uplotUtc(uPlot),
      series: [{ label: "UTC", value: (u, v) => (v == null ? "-" : utc(v * 1000)) },
        { label: "distance (km)", stroke: "#003399", width: 1.5, value: (u, v) => (v == null ? "-" : `${v.toFixed(3)} km`) }],
      axes: [{ label: "UTC", values: timeTicks, size: 60 }, { label: "distance (km)", size: 70, values: ticks }],
      hooks: { draw: [(u) => markTimes(u, [tca / 1000])] } },
    [series.times_utc.map((s) => Date.parse(s) / 1000), series.distance_km], box);
  }
  if (zoom) {
    const box = view.querySelector("#zoom");
    new uPlot({ width: Math.max(320, box.clientWidth - 10), height: 260, scales: { x: { time: false } },
      series: [{ label: "t - TCA (s)", value: (u, v) => (v == null ? "-" : `${v.toFixed(3)} s`) },
        { label: "distance (km)", stroke: "#c8102e", width: 1.5, value: (u, v) => (v == null ? "-" : `${v.toFixed(4)} km`) }],
      axes: [{ label: "t - TCA (s)", values: ticks }, { label: "distance (km)", size: 70, values: ticks }] },
    [zoom.times_utc.map((s) => (Date.parse(s) - tca) / 1000), zoom.distance_km], box);
  } else {
    view.querySelector("#zoom").innerHTML = "<p class='muted'>No series around TCA.</p>";
  }
  const trade = renderAvoidance(view, view.querySelector("#avoidance"), id);
  const cdms = (await request(`/api/v1/cdms?norad_id=${c.primary_id}&limit=1000`)).items
    .filter((m) => [m.object1_id, m.object2_id].includes(c.secondary_id));
  await showMarkings(view, cdms.map((m) => m.marking));
  const derived = c.has_cdm ? `<li><button type="button" data-derived="${esc(c.id)}">Download the CDM Kompas derived
    (KVN)</button> <span class="mark">${esc(c.marking.banner)}</span></li>` : "";
  view.querySelector("#cdms").innerHTML = cdms.length || derived ? `<ul>${derived}${cdms.map((m) => `<li><button
    type="button" data-cdm="${esc(m.id)}">Download ${esc(m.message_id)} (${esc(m.format)}, Pc ${esc(m.pc ?? "-")})</button>
    <span class="mark">${esc(m.marking.banner)}</span></li>`).join("")}</ul>`
    : "<p class='muted'>No CDM you may see for this pair.</p>";
  view.querySelector("#cdms").addEventListener("click", async (event) => {
    const own = event.target.closest("button[data-derived]");
    if (own) {
      const response = await request(`/api/v1/conjunctions/${own.dataset.derived}/cdm`, { raw: true });
      download(`${own.dataset.derived}.cdm`, await response.text(), "text/plain");
      return;
    }
    const button = event.target.closest("button[data-cdm]");
    if (!button) return;
    const cdm = await request(`/api/v1/cdms/${button.dataset.cdm}`);
    download(`${cdm.message_id}.${cdm.format.endsWith("xml") ? "xml" : "kvn"}`, cdm.content, "text/plain");
  });
  await trade;
}

/** Vertical lines at `times` (seconds) on a uPlot chart (TCA, manoeuvres). */
export function markTimes(u, times) {
  const { ctx } = u;
  ctx.save();
  ctx.strokeStyle = "#d62728";
  for (const t of times) {
    const x = u.valToPos(t, "x", true);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

export function download(name, content, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}
