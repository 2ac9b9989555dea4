// An object: identity, element-set history (semi-major axis, inclination, eccentricity; manoeuvres marked),
// conjunctions and events involving it.
import uPlot from "uplot";
import { esc, request, showMarkings } from "../api.js";
import { count, ticks, timeTicks, uplotUtc, utc } from "../format.js";
import { markTimes } from "./conjunction.js";
import { objectNames, pcText } from "./conjunctions.js";

const MU_KM3_S2 = 398600.8;  // WGS-72, the model of SGP4 element sets
const EARTH_KM = 6378.135;  // equatorial radius (WGS-72, as SGP4), for perigee and apogee heights

export async function renderObject(view, noradId) {
  const sets = (await request(`/api/v1/objects/${noradId}/elements`)).slice().reverse();  // oldest first
  if (!sets.length) {
    view.innerHTML = `<h1>Object ${esc(noradId)}</h1><p>No element set you may see for this object.</p>`;
    return;
  }
  const newest = sets[sets.length - 1];
  const omm = newest.omm;
  // the first page of each (the server sorts: highest Pc first, newest events first) with the true totals; the
  // conjunction and event pages hold the rest, filtered to this object
  const [conjunctionPage, eventPage, known] = await Promise.all([
    request(`/api/v1/conjunctions?norad_id=${noradId}&limit=50`),
    request(`/api/v1/events?norad_id=${noradId}&limit=200`), objectNames([Number(noradId)], true)]);
  const [conjunctions, events] = [conjunctionPage.items, eventPage.items];
  await showMarkings(view, [...sets.map((s) => s.marking), ...conjunctions.map((c) => c.marking),
    ...events.map((e) => e.marking), ...known.markings]);  // the banner first, then the content
  const more = (page, shown, what, link) => (page.total > shown ? `<p class="muted">${count(shown)} of
    ${count(page.total)} ${what}: <a href="${link}">all of them</a>.</p>` : "");
  const semiMajor = Math.cbrt(MU_KM3_S2 / (Number(omm.MEAN_MOTION) * 2 * Math.PI / 86400) ** 2);
  const e0 = Number(omm.ECCENTRICITY);
  const [apogee, perigee] = [semiMajor * (1 + e0) - EARTH_KM, semiMajor * (1 - e0) - EARTH_KM];
  const period = 1440 / Number(omm.MEAN_MOTION);
  const regime = perigee > 30000 && period > 1300 && period < 1580 ? "GEO" : apogee < 2000 ? "LEO"
    : perigee > 2000 && apogee < 35000 ? "MEO" : "HEO/other";
  view.innerHTML = `
    <h1>${esc(newest.name)} <span class="muted">(NORAD ${esc(noradId)})</span></h1>
    <div class="card"><table aria-label="Identity and newest elements"><tbody>
      <tr><th scope="row">International designator</th><td>${esc(omm.OBJECT_ID ?? "-")}</td></tr>
      <tr><th scope="row">Owner</th><td>${esc(known.owners[noradId] ?? "not known to Kompas")}</td></tr>
      <tr><th scope="row">Orbit</th><td>${regime}: perigee ${perigee.toFixed(0)} km, apogee ${apogee.toFixed(0)} km,
        period ${period.toFixed(1)} min</td></tr>
      <tr><th scope="row">Newest epoch (UTC)</th><td>${esc(utc(newest.epoch_utc))} <span class="muted">(element set
        ${((Date.now() - Date.parse(utc(newest.epoch_utc))) / 86400000).toFixed(1)} days old${newest.source
          ? `; source ${esc(newest.source)}` : ""})</span></td></tr>
      <tr><th scope="row">Element sets you may see</th><td>${sets.length}</td></tr>
      <tr><th scope="row">Inclination, eccentricity</th><td>${Number(omm.INCLINATION).toFixed(3)} deg,
        ${Number(omm.ECCENTRICITY).toFixed(6)}</td></tr>
      <tr><th scope="row">Mean motion</th><td>${Number(omm.MEAN_MOTION).toFixed(8)} rev/day</td></tr>
    </tbody></table></div>
    <h2>Element-set history</h2>
    <p class="muted">Mean elements of each element set (SGP4), epochs in UTC. Red lines: manoeuvres detected by Kompas.</p>
    <div class="plots"><div id="plot-a" role="img" aria-label="Semi-major axis over time"></div>
      <div id="plot-i" role="img" aria-label="Inclination over time"></div>
      <div id="plot-e" role="img" aria-label="Eccentricity over time"></div></div>
    <h2>Conjunctions <span class="muted">(highest Pc first)</span></h2>${conjunctions.length ? `<table id="object-conjunctions">
      <thead><tr><th scope="col">TCA (UTC)</th><th scope="col">With</th><th scope="col" class="n">Miss (km)</th>
      <th scope="col" class="n">Pc</th><th scope="col">Marking</th></tr></thead><tbody>${conjunctions.map((c) => {
        const other = c.primary_id == noradId ? c.secondary_id : c.primary_id;
        const name = c.primary_id == noradId ? c.secondary_name : c.primary_name;
        return `<tr><td><a href="#/conjunction/${esc(c.id)}">${esc(utc(c.tca_utc))}</a></td><td><a href="#/object/${esc(other)}">
        ${esc(name || "?")}</a> <span class="muted">${esc(other)}</span></td><td class="n">${c.miss_km.toFixed(3)}</td>
        <td class="n">${pcText(c)}</td><td class="mark">${esc(c.marking.banner)}</td></tr>`;
      }).join("")}</tbody></table>${more(conjunctionPage, conjunctions.length, "conjunctions",
        `#/conjunctions?object=${noradId}`)}` : "<p class='muted'>None you may see.</p>"}
    <h2>Events <span class="muted">(newest first)</span></h2>${events.length ? `<ul>${events.map((e) => `<li>
      <span class="time">${esc(utc(e.time_utc, 0))}</span> ${esc(e.kind)} <span class="sev-${esc(e.severity)}">${esc(e.severity)}</span>:
      ${esc(e.title)} <span class="mark">${esc(e.marking.banner)}</span></li>`).join("")}</ul>${more(eventPage,
        events.length, "events", `#/events?norad_id=${noradId}`)}` : "<p class='muted'>None you may see.</p>"}`;
  const times = sets.map((s) => Date.parse(s.epoch_utc) / 1000);
  const a = sets.map((s) => Math.cbrt(MU_KM3_S2 / (Number(s.omm.MEAN_MOTION) * 2 * Math.PI / 86400) ** 2));
  const manoeuvres = events.filter((e) => e.kind === "manoeuvre").map((e) => Date.parse(e.time_utc) / 1000);
  if (sets.length < 2) {
    view.querySelector(".plots").innerHTML = "<p class='muted'>One element set you may see: no history to plot.</p>";
  } else {
    for (const [id, label, values, format] of [["plot-a", "semi-major axis (km)", a, (v) => v.toFixed(3)],
      ["plot-i", "inclination (deg)", sets.map((s) => Number(s.omm.INCLINATION)), (v) => v.toFixed(4)],
      ["plot-e", "eccentricity", sets.map((s) => Number(s.omm.ECCENTRICITY)), (v) => v.toExponential(3)]]) {
      const box = view.querySelector(`#${id}`);
      new uPlot({ width: Math.max(300, box.clientWidth - 10), height: 220, title: label, tzDate: uplotUtc(uPlot),
        axes: [{ label: "epoch (UTC)", values: timeTicks, size: 60 }, { size: 90, values: ticks }],
        series: [{ label: "epoch (UTC)", value: (u, v) => (v == null ? "-" : utc(v * 1000, 0)) },
          { label, stroke: "#003399", points: { show: true, size: 5 }, value: (u, v) => (v == null ? "-"
          : format(v)) }], hooks: { draw: [(u) => markTimes(u, manoeuvres)] } }, [times, values], box);
    }
  }
}
