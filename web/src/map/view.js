// The 2D map: every layer the server registers (GET /api/v1/map/layers), each a GeoJSON FeatureCollection the
// server builds for the signed-in user, drawn by MapLibre GL. No tile server and no internet: the style holds a
// background and GeoJSON sources only; the country boundaries are Natural Earth's, served by Kompas.
//
// Names: MapLibre draws text only from glyph (PBF) files, which no npm package ships for offline use, so the map
// has no text labels: names show on hover (tooltip), on click (popup or the item's page) and in the side panel,
// which also holds the legend.
//
// Markings first: a layer's data goes onto the map only after its combined marking is on the banner
// (showMarkings), on first load and when it is switched on later; a popup likewise. The worker MapLibre parses
// GeoJSON in is served by Kompas itself (a same-origin module worker: no blob: code, no CDN).
import { Map as MapLibre, NavigationControl, Popup, ScaleControl, setWorkerUrl } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "./map.css";
import { esc, request, showMarkings } from "../api.js";
import { utc } from "../format.js";

setWorkerUrl(workerUrl);

const SEA = "#cddbe6";
const KINDS = { areas: "areas", lines: "lines", points: "points", tracks: "over the span in the layer list" };
const POLYGONS = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
const LINES = ["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false];
const POINTS = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
const PICK_PX = 5;  // a click or hover this near a line or point picks it

export async function mountMap(view) {
  const options = new URLSearchParams(location.hash.split("?")[1] || "");
  const { layers } = await request("/api/v1/map/layers");
  view.innerHTML = `
    <h1>Map <span class="muted">(earth-bound domains; times UTC)</span></h1>
    <div class="map-wrap">
      <div class="map" id="map" role="application"
        aria-label="Map of the layers switched on; the lists beside it open the same details"></div>
      <aside class="side-panel card map-side" aria-label="Map layers and legend">
        <fieldset><legend>Layers</legend>
          ${layers.map((layer) => `
            <div class="map-layer" data-layer="${esc(layer.id)}">
              <label><input type="checkbox" name="layer" value="${esc(layer.id)}" ${layer.visible ? "checked" : ""}
                aria-describedby="status-${esc(layer.id)}">${swatch(layer)} ${esc(layer.title)}</label>
              <div class="status muted" id="status-${esc(layer.id)}" aria-live="polite">
                ${layer.visible ? "Loading…" : "Off"}</div>
            </div>`).join("")}
        </fieldset>
        <h2>Legend</h2>
        <ul class="map-legend">${layers.map(legend).join("")}</ul>
        <div id="map-items"></div>
        <p class="map-attribution">Sources: ${[...new Set(layers.map((l) => l.attribution))].map(esc).join("; ")}.
          Map data is drawn without text labels; point at an item for its name.</p>
      </aside>
    </div>`;
  const wrap = view.querySelector(".map-wrap");
  const element = view.querySelector("#map");
  let map = null;
  const fit = () => {  // the map fills the viewport down to the bottom banner: nothing under the fixed banners
    const bottom = document.getElementById("banner-bottom")?.offsetHeight || 0;
    const top = wrap.getBoundingClientRect().top + window.scrollY;
    wrap.style.height = `${Math.max(320, window.innerHeight - top - bottom - 14)}px`;
    map?.resize();
  };
  fit();
  window.addEventListener("resize", fit);
  // the menu bar above may grow after the first fit (the signed-in name, a wrapped menu): fit again when it does
  const bar = document.querySelector(".bar");
  if (bar && typeof ResizeObserver !== "undefined") new ResizeObserver(fit).observe(bar);
  // the router removes its "Loading…" note above the view once the banner is painted: the map moves up, so fit again
  const moved = new MutationObserver(fit);
  if (view.parentElement) moved.observe(view.parentElement, { childList: true });

  map = new MapLibre({
    container: element,
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background", paint: { "background-color": SEA } }] },
    bounds: [[-170, -60], [170, 78]],
    attributionControl: { compact: false },
    dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 12,
    fadeDuration: 0,
  });
  map.keyboard.enable();
  map.addControl(new NavigationControl({ showCompass: false }), "top-left");
  map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
  element.__map = map;  // for tests and benchmarks
  await new Promise((resolve, reject) => {
    map.once("load", resolve);
    map.once("error", (event) => reject(new Error(`the map could not start: ${event.error?.message || event}`)));
  });

  // --- layers ------------------------------------------------------------------------------------------------
  const entries = layers.map((layer) => ({ layer, data: null, loading: null, on: false }));
  const byId = Object.fromEntries(entries.map((e) => [e.layer.id, e]));
  element.__layers = byId;

  function query(layer) {  // page options for the layer: "#/map?ids=..." or "#/map?ground-tracks.ids=..."
    const wanted = new URLSearchParams();
    for (const name of Object.keys(layer.parameters?.properties || {})) {
      const value = options.get(`${layer.id}.${name}`) ?? options.get(name);
      if (value !== null) wanted.set(name, value);
    }
    const text = wanted.toString();
    return text ? `?${text}` : "";
  }

  function subLayers(id) { return [`${id}-fill`, `${id}-outline`, `${id}-line`, `${id}-point`]; }

  function addToMap(entry) {
    const { layer, data } = entry;
    const id = layer.id;
    // drawn in registry order whatever the order they are switched on: under the first later layer on the map
    const later = entries.slice(entries.indexOf(entry) + 1).find((e) => map.getSource(e.layer.id));
    const before = later ? subLayers(later.layer.id)[0] : undefined;
    map.addSource(id, { type: "geojson", data, attribution: esc(layer.attribution) });
    map.addLayer({ id: `${id}-fill`, type: "fill", source: id, filter: POLYGONS,
      paint: { "fill-color": layer.fill || layer.colour, "fill-opacity": layer.fill ? 1 : 0.3 } }, before);
    map.addLayer({ id: `${id}-outline`, type: "line", source: id, filter: POLYGONS,
      paint: { "line-color": layer.colour, "line-width": 0.8 } }, before);
    map.addLayer({ id: `${id}-line`, type: "line", source: id, filter: LINES,
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": layer.colour, "line-width": 1.8, "line-opacity": 0.85 } }, before);
    map.addLayer({ id: `${id}-point`, type: "circle", source: id, filter: POINTS,
      paint: { "circle-radius": 5, "circle-color": layer.colour, "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1.5 } }, before);
  }

  function setVisible(entry, on) {
    entry.on = on;
    for (const sub of subLayers(entry.layer.id)) {
      if (map.getLayer(sub)) map.setLayoutProperty(sub, "visibility", on ? "visible" : "none");
    }
    listItems();
  }

  async function show(entry) {
    entry.loading ||= request(entry.layer.href + query(entry.layer)).then((data) => { entry.data = data; });
    try {
      await entry.loading;
    } catch (error) {
      entry.loading = null;
      throw error;
    }
    if (!view.isConnected) return;
    await showMarkings(view, [entry.data.marking]);  // the banner covers the layer before it is drawn
    if (!view.isConnected) return;
    if (!map.getSource(entry.layer.id)) addToMap(entry);
    status(entry);
    setVisible(entry, true);
  }

  function status(entry) {
    const box = view.querySelector(`#status-${CSS.escape(entry.layer.id)}`);
    const data = entry.data;
    const p = data.properties || {};
    const parts = [];
    if (!data.features.length) parts.push("nothing you may see");
    else parts.push(p.objects !== undefined ? `${p.objects} objects` : `${data.features.length} items`);
    if (p.start_utc && data.features.length) parts.push(`${utc(p.start_utc)} to ${utc(p.end_utc)}`);
    if (p.skipped?.length) {
      parts.push(`not drawn (element set more than 366 days from the start): ${p.skipped.join(", ")}`);
    }
    box.innerHTML = `${esc(parts.join("; "))}<span class="mark">${esc(data.marking.banner)}</span>`;
  }

  // items with a page of their own, listed for keyboard and screen-reader users (and to read their names)
  function listItems() {
    const lists = entries.filter((e) => e.on && e.data).map((e) => {
      const seen = new Map();
      for (const f of e.data.features) {
        if (f.properties.href && !seen.has(f.properties.href)) seen.set(f.properties.href, f.properties);
      }
      if (!seen.size) return "";
      return `<h2>${esc(e.layer.title)}</h2><ul class="map-items">${[...seen.values()].map((p) => `
        <li><a href="${esc(p.href)}">${esc(p.name)}</a>
          ${p.norad_id ? `<span class="muted">${esc(p.norad_id)}</span>` : ""}
          <span class="mark">${esc(p.marking.banner)}</span></li>`).join("")}</ul>`;
    });
    view.querySelector("#map-items").innerHTML = lists.join("");
  }

  const initial = entries.filter((e) => e.layer.visible);
  await Promise.all(initial.map((e) => e.loading ||= request(e.layer.href + query(e.layer))
    .then((data) => { e.data = data; })));
  for (const entry of initial) await show(entry);  // one after another: registry order is drawing order

  for (const box of view.querySelectorAll('input[name="layer"]')) {
    box.addEventListener("change", async () => {
      const entry = byId[box.value];
      const line = view.querySelector(`#status-${CSS.escape(entry.layer.id)}`);
      if (!box.checked) {
        setVisible(entry, false);
        return;
      }
      box.setAttribute("aria-busy", "true");
      if (!entry.data) line.textContent = "Loading…";
      try {
        await show(entry);
        if (!box.checked) setVisible(entry, false);  // switched off again while it loaded
      } catch (error) {
        box.checked = false;
        line.textContent = `Could not load: ${error.message}`;
      } finally {
        box.removeAttribute("aria-busy");
      }
    });
  }

  // --- hover, click, popups -------------------------------------------------------------------------------------
  const tooltip = Object.assign(document.createElement("div"), { className: "map-tooltip", hidden: true });
  element.append(tooltip);
  const pick = (point) => {
    const ids = entries.filter((e) => e.on).flatMap((e) => subLayers(e.layer.id)).filter((id) => map.getLayer(id));
    if (!ids.length) return null;
    const found = map.queryRenderedFeatures([[point.x - PICK_PX, point.y - PICK_PX],
      [point.x + PICK_PX, point.y + PICK_PX]], { layers: ids });
    // lines and points over areas; an item with a page of its own first
    const rank = (f) => (f.properties.href ? 0 : 2)
      + (f.layer.type === "fill" || f.layer.id.endsWith("-outline") ? 1 : 0);
    return found.sort((a, b) => rank(a) - rank(b))[0] || null;
  };
  map.on("mousemove", (event) => {
    const f = pick(event.point);
    tooltip.hidden = !f;
    map.getCanvas().style.cursor = f ? "pointer" : "";
    if (!f) return;
    const p = f.properties;
    tooltip.textContent = p.norad_id ? `${p.name} (${p.norad_id})` : p.name || f.layer.source;
    tooltip.style.left = `${event.point.x + 12}px`;
    tooltip.style.top = `${event.point.y + 12}px`;
  });
  map.getCanvas().addEventListener("mouseleave", () => { tooltip.hidden = true; });
  let popup = null;
  map.on("click", async (event) => {
    const f = pick(event.point);
    if (!f) return;
    const p = f.properties;
    if (p.href) { location.hash = p.href; return; }
    const marking = typeof p.marking === "string" ? JSON.parse(p.marking) : p.marking;
    await showMarkings(view, [marking]);  // the popup's marking is on the banner before the popup is
    if (!view.isConnected) return;
    popup?.remove();
    const facts = Object.entries(p).filter(([k]) => !["marking", "name", "href"].includes(k) && p[k] !== null
      && p[k] !== "null" && typeof p[k] !== "object");
    popup = new Popup({ maxWidth: "320px", focusAfterOpen: true }).setLngLat(event.lngLat).setHTML(`
      <strong>${esc(p.name || "")}</strong>
      <div class="muted">${facts.map(([k, v]) => `${esc(label(k))}: ${esc(k.endsWith("_utc") ? utc(v) : v)}`)
        .join("<br>")}</div>
      <span class="mark">${esc(marking.banner)}</span>`).addTo(map);
  });
  element.__screenOf = (noradId) => {  // where an object's start position is drawn (tests)
    for (const e of entries) {
      const f = e.data?.features.find((x) => x.properties.norad_id === noradId && x.geometry?.type === "Point");
      if (f) {
        const { x, y } = map.project(f.geometry.coordinates);
        const box = element.getBoundingClientRect();
        return { x: box.left + x, y: box.top + y };
      }
    }
    return null;
  };

  return () => {
    window.removeEventListener("resize", fit);
    moved.disconnect();
    map.remove();
  };
}

function label(key) {
  return { adm0_a3: "ISO 3166-1 alpha-3 (Natural Earth ADM0_A3)", iso_a2: "ISO 3166-1 alpha-2" }[key]
    || key.replace(/_/g, " ");
}

function swatch(layer) {
  const shape = layer.kind === "areas" ? "area" : layer.kind === "points" ? "point" : "line";
  const style = shape === "area" ? `background:${layer.fill || layer.colour};border-color:${layer.colour}`
    : shape === "point" ? `background:${layer.colour}` : `border-top-color:${layer.colour}`;
  return `<span class="swatch ${shape}" style="${esc(style)}" aria-hidden="true"></span>`;
}

function legend(layer) {
  const kind = KINDS[layer.kind] || layer.kind;
  const rows = [`<li>${swatch(layer)} <span>${esc(layer.title)} <span class="muted">(${esc(kind)})</span></span></li>`];
  if (layer.kind === "tracks") {
    rows.push(`<li>${swatch({ ...layer, kind: "points" })} <span>Position at the start of each track</span></li>`);
  }
  return rows.join("");
}
