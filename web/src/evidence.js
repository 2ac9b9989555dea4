// Evidence and payloads as people read them: a definition list with units from the field names (delta_v_m_s ->
// "delta v (m/s)"), times in UTC, numbers rounded, nested values indented; never raw JSON.
import { esc } from "./api.js";
import { utc } from "./format.js";

const UNITS = [["_km_s", "km/s"], ["_m_s", "m/s"], ["_km", "km"], ["_m", "m"], ["_deg", "deg"], ["_s", "s"],
  ["_days", "d"], ["_min", "min"], ["_kg", "kg"], ["_utc", "UTC"], ["_pct", "%"]];

/** "delta_v_rtn_m_s" -> ["delta v rtn", "m/s"]. */
export function label(key) {
  for (const [suffix, unit] of UNITS) {
    if (key.endsWith(suffix) && key.length > suffix.length) return [key.slice(0, -suffix.length).replace(/_/g, " "), unit];
  }
  return [key.replace(/_/g, " "), ""];
}

function value(v, unit, depth) {
  if (v === null || v === undefined) return "-";
  if (typeof v === "number") {
    const text = Number.isInteger(v) ? String(v) : Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)
      ? v.toExponential(3) : String(Number(v.toPrecision(6)));
    return esc(text);
  }
  if (typeof v === "string") return esc(unit === "UTC" || /^\d{4}-\d{2}-\d{2}T/.test(v) ? utc(v) : v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) {
    if (v.length > 12 && v.every((x) => typeof x === "number")) return sparkline(v, unit);
    if (v.every((x) => typeof x !== "object" || x === null)) return v.map((x) => value(x, unit, depth + 1)).join(", ");
    return `<ol>${v.slice(0, 50).map((x) => `<li>${value(x, unit, depth + 1)}</li>`).join("")}</ol>${v.length > 50
      ? `<p class="muted">and ${v.length - 50} more</p>` : ""}`;
  }
  if (typeof v === "object") return depth > 4 ? "…" : describe(v, depth + 1);
  return esc(String(v));
}

/** A dict as a definition list. */
export function describe(record, depth = 0) {
  const entries = Object.entries(record || {});
  if (!entries.length) return "<p class='muted'>None recorded.</p>";
  return `<dl class="evidence">${entries.map(([k, v]) => {
    const [name, unit] = label(k);
    return `<dt>${esc(name)}${unit && unit !== "UTC" ? ` (${esc(unit)})` : ""}</dt><dd>${value(v, unit, depth)}</dd>`;
  }).join("")}</dl>`;
}

/** A long series of numbers as a small line and its range, not a wall of digits. */
function sparkline(values, unit) {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const [w, h] = [160, 28];
  const y = (v) => (high === low ? h / 2 : h - 2 - (h - 4) * (v - low) / (high - low));
  const points = values.map((v, k) => `${(k * (w / (values.length - 1))).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const fmt = (v) => value(v, unit, 0);
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${values.length}
    values from ${fmt(values[0])} to ${fmt(values[values.length - 1])}"><polyline points="${points}" fill="none"
    stroke="#003399" stroke-width="1.5"/></svg> <span class="muted">${values.length} values: first ${fmt(values[0])},
    last ${fmt(values[values.length - 1])}, range ${fmt(low)} to ${fmt(high)}${unit && unit !== "UTC" ? ` ${esc(unit)}` : ""}</span>`;
}
