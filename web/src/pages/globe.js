// The 3D globe: protected assets (and every object in a conjunction or event with them), their orbits over the next
// revolutions, markers for conjunctions and events. Positions come from the server's SGP4 (kompas.space) in the
// Earth-fixed frame; the page animates them along the computed tracks. Click an object to open its page.
import { esc, request, showMarkings } from "../api.js";
import { count, utc, utcMinute } from "../format.js";

const EARTH_KM = 6371.0;
const DEG = Math.PI / 180;
const SPEED = 60;  // simulated seconds per real second
const STEP_S = 120;  // seconds between track points
const TRACK_OBJECTS = 500;  // the API's limits per /tracks request (kompas.core.picture)
const TRACK_VALUES = 100000;

let THREE = null;  // three.js, loaded with the first globe

export async function renderGlobe(view) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const query = new URLSearchParams();
  for (const key of ["set", "limit"]) if (params.get(key)) query.set(key, params.get(key));
  // the 3D code (globe.gl and three.js, most of the site's code) loads while the picture is computed
  const [picture, globeModule, three] = await Promise.all([request(`/api/v1/picture?${query}`), import("globe.gl"),
    import("three")]);
  const Globe = globeModule.default;
  THREE = three;
  const href = (m) => (m.kind === "conjunction" ? `#/conjunction/${m.id}` : `#/event/${m.id}`);
  const ordered = [...picture.markers].sort((a, b) => b.rank - a.rank || a.time_utc.localeCompare(b.time_utc));
  const html = `
    <h1>Situational picture <span class="muted">${count(picture.objects.length)} of ${count(picture.total_objects)}
      objects, from ${esc(utcMinute(picture.start_utc))}</span></h1>
    <p class="muted" id="rule">Drawn: ${esc(picture.rule)}.${params.get("set") === "all" ? ""
      : ` <a href="#/globe?set=all&amp;limit=1000">Draw the catalogue (1,000 objects)</a>`}</p>
    <div class="legend" aria-label="Legend">
      <span><i style="background:#ffd400"></i>protected asset (yellow orbit)</span>
      <span><i style="background:#ff5a5a"></i>object in a conjunction or event with one</span>
      <span><i style="background:#ff9d9d"></i>other catalogue object</span>
      <span><i style="border:2px solid #ff2020"></i>conjunction at TCA</span>
      <span><i style="border:2px solid #20a0ff"></i>event</span>
      <span class="muted">Labels: the highest Pc and severity first; overlapping ones are hidden. Positions by SGP4,
        animated at ${SPEED}x.</span>
    </div>
    <div class="globe-wrap">
      <div id="globe" role="application" aria-label="Globe with the protected assets and related objects"></div>
      <aside class="side card" aria-label="Objects on the globe">
        <p class="muted" id="clock"></p>
        <h2>Conjunctions and events <span class="muted">(${ordered.length})</span></h2><ul id="marker-list">${ordered.map((m) => `<li>
          <span class="time">${esc(utcMinute(m.time_utc))}</span> <a href="${esc(href(m))}">${esc(m.label)}</a>
          <span class="mark">${esc(m.banner)}</span></li>`).join("") || "<li class='muted'>None you may see.</li>"}</ul>
        <h2>Objects <span class="muted">(${picture.objects.length})</span></h2><ul id="object-list">${picture.objects.map((o) => `<li><a href="#/object/${esc(o.norad_id)}">
          ${esc(o.name)}</a> <span class="muted">${o.norad_id}${o.role === "asset" ? ", protected" : ""}</span></li>`)
          .join("")}</ul>
      </aside>
    </div>`;
  // First screen from the picture alone: every object at its position at the start (computed with the picture);
  // the tracks over two revolutions follow, and then the objects move and the orbits are drawn.
  await showMarkings(view, picture.markings);  // banner first
  view.innerHTML = html;
  const sats = picture.objects.filter((o) => o.lat !== null && o.lat !== undefined).map((o) => ({ ...o,
    lat: [], lon: [], alt_km: [], latNow: o.lat, lngNow: o.lon, altNow: (o.alt_km ?? 0) / EARTH_KM }));
  const element = view.querySelector("#globe");
  const globe = new Globe(element, { animateIn: false })
    .width(element.clientWidth).height(element.clientHeight)
    .globeImageUrl(`${import.meta.env.BASE_URL}earth-day.jpg`).backgroundColor("#000010")
    .showAtmosphere(false)  // the glow costs a full-screen transparent pass: a third of a frame without a GPU
    .pathPoints("points").pathPointLat((p) => p[0]).pathPointLng((p) => p[1]).pathPointAlt((p) => p[2])
    .pathColor((p) => (p.role === "asset" ? "rgba(255,212,0,0.6)" : "rgba(255,90,90,0.45)")).pathStroke(null)  // thin GL lines: fat ones cost 4x the frame without a GPU
    .ringsData(picture.markers).ringLat("lat").ringLng("lon").ringAltitude((m) => m.alt_km / EARTH_KM)
    .ringColor((m) => (m.kind === "conjunction" ? "#ff2020" : "#20a0ff")).ringMaxRadius(4).ringRepeatPeriod(1500);
  // The objects: one point cloud per role (one draw call each, positions rewritten in place every frame), so that
  // thousands of objects animate smoothly; picked with a ray for hover labels and clicks.
  const clouds = ["asset", "related", "object"].map((role) => pointCloud(globe, sats.filter((s) => s.role === role),
    { asset: ["#ffd400", 7], related: ["#ff5a5a", 5], object: ["#ff7b7b", 3] }[role]));
  element.__drawn = () => clouds.reduce((n, c) => n + c.sats.length, 0);
  element.__globe = globe;  // for tests and benchmarks
  element.__clouds = clouds;
  element.__screenOf = (noradId) => {
    const s = sats.find((x) => x.norad_id === noradId);
    return s && globe.getScreenCoords(s.latNow, s.lngNow, s.altNow);
  };
  const tooltip = Object.assign(document.createElement("div"), { className: "tooltip", hidden: true });
  element.append(tooltip);
  const pick = (event) => {
    const box = element.getBoundingClientRect();
    const mouse = new THREE.Vector2(((event.clientX - box.left) / box.width) * 2 - 1,
      -((event.clientY - box.top) / box.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.params.Points.threshold = 2.5;
    ray.setFromCamera(mouse, globe.camera());
    for (const cloud of clouds) {
      const hit = ray.intersectObject(cloud.points)[0];
      if (hit) return cloud.sats[hit.index];
    }
    return null;
  };
  element.addEventListener("mousemove", (event) => {
    const sat = pick(event);
    tooltip.hidden = !sat;
    if (sat) {
      tooltip.textContent = `${sat.name} (${sat.norad_id})`;
      tooltip.style.left = `${event.offsetX + 12}px`;
      tooltip.style.top = `${event.offsetY + 12}px`;
    }
  });
  element.addEventListener("click", (event) => {
    const sat = pick(event);
    if (sat) location.hash = `#/object/${sat.norad_id}`;
  });
  // the canvas follows its box (the page is laid out while still hidden, and windows are resized)
  const fit = new ResizeObserver(() => {
    if (element.clientWidth && element.clientHeight) globe.width(element.clientWidth).height(element.clientHeight);
  });
  fit.observe(element);
  globe.controls().autoRotate = false;
  globe.pointOfView({ altitude: 8 });  // far enough to see the GEO belt and the Galileo orbits whole
  const labels = labelLayer(globe, element, [
    ...ordered.map((m) => ({ text: m.label, href: href(m), kind: m.kind, rank: 1 + m.rank, at: () => [m.lat, m.lon,
      m.alt_km / EARTH_KM] })),
    ...sats.filter((x) => x.role === "asset").map((x) => ({ text: x.name, href: `#/object/${x.norad_id}`, kind: "asset",
      rank: 0, at: () => [x.latNow, x.lngNow, x.altNow] }))]);
  element.__labels = labels;
  labels.update(true);
  let times = [];
  const clock = view.querySelector("#clock");
  let started = performance.now();
  let running = true;
  const tick = () => {
    if (!running) return;
    if (times.length < 2) { requestAnimationFrame(tick); return; }
    const simulated = times[0] + ((performance.now() - started) * SPEED) % (times[times.length - 1] - times[0]);
    const k = Math.min(times.length - 2, Math.max(0, Math.floor((simulated - times[0]) / (times[1] - times[0]))));
    const f = (simulated - times[k]) / (times[k + 1] - times[k]);
    for (const s of sats) {
      if (s.lat[k] === null || s.lat[k] === undefined || s.lat[k + 1] === null || s.lat[k + 1] === undefined) continue;
      s.latNow = s.lat[k] + f * (s.lat[k + 1] - s.lat[k]);
      const dl = ((s.lon[k + 1] - s.lon[k] + 540) % 360) - 180;
      s.lngNow = s.lon[k] + f * dl;
      s.altNow = (s.alt_km[k] + f * (s.alt_km[k + 1] - s.alt_km[k])) / EARTH_KM;
    }
    for (const cloud of clouds) cloud.update();
    labels.update();
    const shown = `Simulated time ${utcMinute(simulated)} (${SPEED}x)`;
    if (clock.textContent !== shown) clock.textContent = shown;  // once a simulated minute: no relayout per frame
    requestAnimationFrame(tick);
  };
  clock.textContent = `Positions at ${utcMinute(picture.start_utc)}; loading the tracks…`;
  // the tracks, after the first screen: the API bounds each /tracks request (TRACK_OBJECTS objects, TRACK_VALUES
  // positions), so they are asked for in parts
  const ids = sats.map((o) => o.norad_id);
  const steps = Math.floor(picture.minutes * 60 / STEP_S) + 1;
  const per = Math.max(1, Math.min(TRACK_OBJECTS, Math.floor(TRACK_VALUES / steps)));
  const parts = [];
  for (let i = 0; i < ids.length; i += per) parts.push(ids.slice(i, i + per));
  const leaving = new AbortController();  // a user who moves on stops the download
  Promise.all(parts.map((part) => request(`/api/v1/tracks?ids=${part.join(",")}`
    + `&minutes=${picture.minutes}&step_s=${STEP_S}&start=${encodeURIComponent(picture.start_utc)}`,
  { signal: leaving.signal })))
    .then(async (answers) => {
      if (!running) return;
      await showMarkings(view, answers.flatMap((a) => a.markings || []));  // before anything of them is drawn
      if (!running || !answers.length) return;
      const byId = Object.fromEntries(sats.map((x) => [x.norad_id, x]));
      for (const t of answers.flatMap((a) => a.tracks)) Object.assign(byId[t.norad_id] || {}, t);
      const trackTimes = answers[0].times_utc;
      // orbits for a picture of up to 150 objects (the protected assets and theirs); a larger set moves without
      if (sats.length <= 150) {
        globe.pathsData(sats.filter((x) => x.lat.length).map((x) => splitAtDateLine(x, revolutions(x, trackTimes)))
          .flat());
      }
      times = trackTimes.map((t) => Date.parse(t));
      started = performance.now();
      element.__animated = true;
    })
    .catch((error) => { if (running) clock.textContent = `No tracks: ${error.message}`; });
  requestAnimationFrame(tick);
  return () => { running = false; leaving.abort(); fit.disconnect(); globe._destructor?.(); };
}

/** A THREE.Points cloud of `sats` on the globe, with `update()` moving every point to its current position.
 * The positions are written straight into the GPU buffer with three-globe's polar-to-Cartesian convention
 * (checked against globe.getCoords once): a function call per object and frame costs a sixth of the frame. */
function pointCloud(globe, sats, [colour, size]) {
  const positions = new Float32Array(sats.length * 3);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
  const points = new THREE.Points(geometry, new THREE.PointsMaterial({ color: colour, size, sizeAttenuation: false }));
  points.frustumCulled = false;
  globe.scene().add(points);
  const radius = globe.getGlobeRadius();
  const toXYZ = (lat, lng, alt, out, k) => {
    const phi = (90 - lat) * DEG;
    const theta = (90 - lng) * DEG;
    const r = radius * (1 + alt);
    const sinPhi = Math.sin(phi);
    out[k] = r * sinPhi * Math.cos(theta);
    out[k + 1] = r * Math.cos(phi);
    out[k + 2] = r * sinPhi * Math.sin(theta);
  };
  const probe = new Float32Array(3);
  toXYZ(10, 20, 0.1, probe, 0);
  const reference = globe.getCoords(10, 20, 0.1);
  const same = Math.hypot(probe[0] - reference.x, probe[1] - reference.y, probe[2] - reference.z) < 1e-3;
  const update = () => {
    for (let k = 0; k < sats.length; k++) {
      const s = sats[k];
      if (same) toXYZ(s.latNow, s.lngNow, s.altNow, positions, 3 * k);
      else {
        const { x, y, z } = globe.getCoords(s.latNow, s.lngNow, s.altNow);
        positions.set([x, y, z], 3 * k);
      }
    }
    geometry.attributes.position.needsUpdate = true;
  };
  update();
  return { sats, points, update };
}

/** How many track points two revolutions of the object take (its whole track when the period is unknown). */
function revolutions(s, times) {
  if (!s.period_min || times.length < 2) return s.lat.length;
  const step = (Date.parse(times[1]) - Date.parse(times[0])) / 60000;
  return Math.min(s.lat.length, Math.ceil((2 * s.period_min) / step) + 1);
}

/** The first `count` points of a track as path segments that do not wrap across the date line. */
function splitAtDateLine(s, count) {
  const paths = [];
  let current = [];
  for (let k = 0; k < count; k++) {
    if (s.lat[k] === null) continue;
    const point = [s.lat[k], s.lon[k], s.alt_km[k] / EARTH_KM];
    if (current.length && Math.abs(point[1] - current[current.length - 1][1]) > 180) {
      paths.push(current);
      current = [];
    }
    current.push(point);
  }
  if (current.length) paths.push(current);
  return paths.map((points) => ({ points, role: s.role }));
}

/** Labels over the globe as links (a conjunction, an event, an asset), decluttered: every 200 ms each label is
 * placed at its point's screen position unless the point is behind the Earth, off screen, or its box overlaps a
 * label of higher rank already placed. */
function labelLayer(globe, element, items) {
  const layer = Object.assign(document.createElement("div"), { className: "globe-labels" });
  for (const item of items) {
    item.el = Object.assign(document.createElement("a"), { href: item.href, className: `glabel ${item.kind}`,
      textContent: item.text });
    item.el.style.visibility = "hidden";  // laid out unseen, to measure its width (a hidden element has none)
    layer.append(item.el);
  }
  element.append(layer);
  for (const item of items) {
    item.w = item.el.offsetWidth;  // 0 if the page is not laid out yet: measured again once shown
    item.el.hidden = true;
    item.el.style.visibility = "";
  }
  items.sort((a, b) => b.rank - a.rank);
  const radius = globe.getGlobeRadius();
  let last = 0;
  const update = (force = false) => {
    const now = performance.now();
    if (!force && now - last < 200) return;
    last = now;
    const camera = globe.camera().position;
    const [width, height] = [element.clientWidth, element.clientHeight];
    for (const item of items) {  // the widths of the labels shown, read before anything is moved (one layout)
      if (!item.el.hidden && item.el.offsetWidth) item.w = item.el.offsetWidth;
    }
    const placed = [];
    let shown = 0;
    for (const item of items) {
      const [lat, lng, alt] = item.at();
      const p = globe.getCoords(lat, lng, alt);
      const d = { x: p.x - camera.x, y: p.y - camera.y, z: p.z - camera.z };
      const a = d.x * d.x + d.y * d.y + d.z * d.z;
      const b = 2 * (camera.x * d.x + camera.y * d.y + camera.z * d.z);
      const c = camera.x * camera.x + camera.y * camera.y + camera.z * camera.z - radius * radius;
      const disc = b * b - 4 * a * c;
      const hit = disc > 0 ? (-b - Math.sqrt(disc)) / (2 * a) : -1;
      const behind = hit > 0 && hit < 0.999;  // the line of sight meets the Earth first
      const s = globe.getScreenCoords(lat, lng, alt);
      const w = item.w || 7 * item.text.length;  // an estimate until measured
      const box = { x: s.x + 6, y: s.y - 8, w, h: 16 };
      const visible = !behind && box.x >= 0 && box.y >= 0 && box.x + w <= width && box.y + 16 <= height
        && !placed.some((o) => box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h);
      if (visible) {
        placed.push(box);
        item.el.style.transform = `translate(${box.x.toFixed(0)}px, ${box.y.toFixed(0)}px)`;
        shown += 1;
      }
      if (item.el.hidden === visible) item.el.hidden = !visible;
    }
    layer.dataset.shown = String(shown);
  };
  return { update, items, boxes: () => items.filter((i) => !i.el.hidden).map((i) => i.el.getBoundingClientRect()) };
}
