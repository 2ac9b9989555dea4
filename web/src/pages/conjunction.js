// One conjunction: geometry in the primary's RTN frame, relative distance over time, its CDMs to download.
import uPlot from "uplot";
import { esc, request, showMarkings } from "../api.js";
import { objectNames } from "./conjunctions.js";

// The method behind a conjunction's Pc (chosen as NASA CARA's PcMultiStep; kompas.space.decision.assess).
const BASIS = { pc2d: "Foster's 2D Pc", nc3d: "Hall's 3D Nc", mc: "two-body Monte Carlo" };

export async function renderConjunction(view, id) {
  const c = await request(`/api/v1/conjunctions/${id}`);
  const names = await objectNames([c.primary_id, c.secondary_id]);
  const [r, t, n] = c.rtn_km;
  view.innerHTML = `
    <h1>Conjunction ${esc(names[c.primary_id] || c.primary_id)} – ${esc(names[c.secondary_id] || c.secondary_id)}</h1>
    <div class="card">
      <p>TCA <b>${esc(c.tca_utc)}</b>; miss distance <b>${c.miss_km.toFixed(3)} km</b> at ${c.v_rel_km_s.toFixed(2)} km/s
      ${c.label ? `(${esc(c.label)})` : ""}; Pc <b>${c.pc == null ? "not computed" : c.pc.toExponential(2)}</b>
      ${c.pc_interval ? `(95% interval ${c.pc_interval[0].toExponential(1)} to ${c.pc_interval[1].toExponential(1)})`
        : ""}
      <span class="muted">(${esc(BASIS[c.pc_basis || "pc2d"])}${c.pc_flags && c.pc_flags.length
        ? `; the 2D method's usage checks failed: ${esc(c.pc_flags.join(", "))}` : ""})</span>.</p>
      <p>Primary <a href="#/object/${c.primary_id}">${esc(names[c.primary_id] || "?")} (${c.primary_id})</a>;
      secondary <a href="#/object/${c.secondary_id}">${esc(names[c.secondary_id] || "?")} (${c.secondary_id})</a>.</p>
      <table aria-label="Geometry in the primary's RTN frame"><thead><tr><th>radial (km)</th><th>transverse (km)</th>
        <th>normal (km)</th></tr></thead><tbody><tr><td class="n">${r.toFixed(3)}</td><td class="n">${t.toFixed(3)}</td>
        <td class="n">${n.toFixed(3)}</td></tr></tbody></table>
      <p class="mark">${esc(c.marking.banner)}</p>
    </div>
    <h2>Relative distance around TCA</h2><div id="series" role="img" aria-label="Relative distance over time"></div>
    <h2>Conjunction data messages</h2><div id="cdms"><p class="muted">Loading…</p></div>`;
  const markings = [c.marking];
  try {
    const series = await request(`/api/v1/conjunctions/${id}/series`);
    markings.push(...series.markings);
    const times = series.times_utc.map((s) => Date.parse(s) / 1000);
    new uPlot({ width: Math.min(900, view.clientWidth - 20), height: 260, series: [{},
      { label: "distance (km)", stroke: "#003399", width: 1.5 }], axes: [{}, { label: "km" }] },
    [times, series.distance_km], view.querySelector("#series"));
  } catch (error) {
    view.querySelector("#series").innerHTML = `<p class="muted">No distance series: ${esc(error.message)}</p>`;
  }
  const cdms = (await request(`/api/v1/cdms?norad_id=${c.primary_id}&limit=1000`)).items
    .filter((m) => [m.object1_id, m.object2_id].includes(c.secondary_id));
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
  markings.push(...cdms.map((m) => m.marking));
  await showMarkings(view, markings);
}

export function download(name, content, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}
