// The manoeuvre trade space of a conjunction (GET /api/v1/conjunctions/{id}/avoidance): Pc after a radial or
// along-track burn of the primary, by burn size and burn time before TCA, drawn as heat maps (log10 Pc; the
// threshold's contour is where the colour turns from red to blue), with the smallest burn per direction that brings
// Pc under the threshold. The secondary conjunctions those burns would cause are screened in a job (POST).
import { esc, request, showMarkings } from "../api.js";
import { utc } from "../format.js";

const DIRECTION = { radial: "radial", "along-track": "along-track" };

/** Render the trade space of conjunction `id` into `box` (a section of the conjunction page). */
export async function renderAvoidance(view, box, id) {
  let trade;
  try {
    trade = await request(`/api/v1/conjunctions/${id}/avoidance`);
  } catch (error) {
    box.innerHTML = `<p class="muted">No trade space: ${esc(error.message)}</p>`;
    return;
  }
  await showMarkings(view, [trade.marking]);  // the banner covers it before it is drawn
  const minimum = trade.minimum.length ? `<table id="avoidance-minimum"><thead><tr><th scope="col">Burn</th>
      <th scope="col" class="n">Δv (m/s)</th><th scope="col" class="n">Before TCA (orbits)</th><th scope="col">Burn at (UTC)</th>
      <th scope="col" class="n">Pc after</th><th scope="col" class="n">Miss after (m)</th></tr></thead><tbody>${trade.minimum
    .map((b) => `<tr><td>${esc(b.label)}</td><td class="n">${b.dv_m_s.toFixed(4)}</td><td class="n">${b.lead_orbits.toFixed(2)}</td>
      <td class="time">${esc(b.burn_utc)}</td><td class="n">${b.pc === null ? "-" : b.pc.toExponential(2)}</td>
      <td class="n">${b.miss_m.toFixed(0)}</td></tr>`).join("")}</tbody></table>`
    : `<p>Pc is already under ${trade.threshold.toExponential(0)}: no manoeuvre needed.</p>`;
  box.innerHTML = `
    <p>Without a burn: Pc ${trade.pc0 === null ? "-" : trade.pc0.toExponential(2)}, miss ${trade.miss0_m.toFixed(0)} m.
      Threshold ${trade.threshold.toExponential(0)}; hard-body radius ${trade.hbr_m.toFixed(1)} m; the primary's period
      ${(trade.period_s / 60).toFixed(1)} min. Smallest burns that bring Pc under the threshold:</p>
    ${minimum}
    ${trade.leads_left_out_orbits?.length ? `<p class="muted" id="avoidance-earliest">No burn before
      ${esc(utc(trade.earliest_burn_utc))} (the data time, or now while TCA is ahead): leads of
      ${trade.leads_left_out_orbits.join(", ")} orbits are left out.</p>` : ""}
    <div class="plots">${trade.directions.map((d, k) => `<div><h3>${esc(DIRECTION[d] || d)} burn: log10 Pc</h3>
      <canvas id="trade-${k}" width="560" height="300" role="img" aria-label="log10 Pc after a ${esc(d)} burn, by burn
        size (m/s, horizontal) and burn time before TCA (orbits, vertical)"></canvas></div>`).join("")}</div>
    <p class="muted">Colours: red where Pc stays at or above the threshold, blue where the burn brings it under; the
      paler, the nearer the threshold (full colour six decades away).
      Pc2D (Foster) with the CDM's covariances after an impulsive burn; two-body motion from the burn
      to TCA (kompas.space.avoidance). Screen the smallest burns against the catalogue:
      <button type="button" id="avoidance-job">Screen the secondary conjunctions (job)</button>
      <span id="avoidance-job-status" role="status" aria-live="polite"></span></p>
    <p class="mark">${esc(trade.marking.banner)}</p>`;
  trade.directions.forEach((d, k) => heatmap(box.querySelector(`#trade-${k}`), trade, k));
  box.querySelector("#avoidance-job").addEventListener("click", async (event) => {
    event.target.disabled = true;
    const status = box.querySelector("#avoidance-job-status");
    try {
      const job = await request(`/api/v1/conjunctions/${id}/avoidance`, { method: "POST", body: {} });
      status.textContent = `Queued: follow it on the Reports page or at ${job.href}`;
    } catch (error) {
      status.textContent = `Refused: ${error.message}`;
      event.target.disabled = false;
    }
  });
}

/** log10 Pc over (size, lead): one cell each, blue under the threshold, red over it, darker further from it. */
function heatmap(canvas, trade, direction) {
  const context = canvas.getContext("2d");
  const left = 60;
  const bottom = 40;
  const width = canvas.width - left - 10;
  const height = canvas.height - bottom - 10;
  const sizes = trade.sizes_m_s;
  const leads = trade.leads_orbits;
  const grid = trade.pc[direction];
  const cellW = width / sizes.length;
  const cellH = height / leads.length;
  const limit = Math.log10(trade.threshold);
  context.font = "11px sans-serif";
  for (let j = 0; j < leads.length; j += 1) {
    for (let i = 0; i < sizes.length; i += 1) {
      const pc = grid[j][i];
      const v = pc && pc > 0 ? Math.log10(pc) : -12;
      const t = Math.max(0, Math.min(1, Math.abs(v - limit) / 6));
      const shade = Math.round(235 - 185 * t);
      context.fillStyle = v >= limit ? `rgb(235, ${shade}, ${shade})` : `rgb(${shade}, ${shade}, 235)`;
      context.fillRect(left + i * cellW, 10 + (leads.length - 1 - j) * cellH, Math.ceil(cellW), Math.ceil(cellH));
    }
  }
  context.fillStyle = "#222";
  context.textAlign = "center";
  for (const i of [0, Math.floor(sizes.length / 4), Math.floor(sizes.length / 2), Math.floor(3 * sizes.length / 4),
    sizes.length - 1]) {
    context.fillText(sizes[i].toPrecision(2), left + (i + 0.5) * cellW, canvas.height - bottom + 14);
  }
  context.fillText("burn size (m/s; + outward / prograde)", left + width / 2, canvas.height - 6);
  context.textAlign = "right";
  for (let j = 0; j < leads.length; j += Math.max(1, Math.floor(leads.length / 5))) {
    context.fillText(leads[j].toFixed(2), left - 6, 10 + (leads.length - 1 - j + 0.5) * cellH + 4);
  }
  context.save();
  context.translate(14, 10 + height / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = "center";
  context.fillText("orbits before TCA", 0, 0);
  context.restore();
}
