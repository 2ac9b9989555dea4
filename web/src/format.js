// How times and numbers are shown: UTC, ISO 8601, SI units named. One place, so that no page uses the browser's
// local time or locale.

/** ISO 8601 UTC to the millisecond ("2026-05-05T12:34:56.789Z") from a stored time text (nanoseconds allowed), a
 * Date or epoch milliseconds; `digits` 0 drops the milliseconds. "-" for nothing. */
export function utc(value, digits = 3) {
  if (value === null || value === undefined || value === "") return "-";
  if (typeof value === "string") {
    // stored texts carry up to nanoseconds: cut, do not round (a TCA shown must not move to the next second); a
    // time without seconds or zone is UTC too (never the browser's zone)
    const m = value.match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?)?(Z|[+-]00:?00)?$/);
    if (m) {
      const fraction = digits ? (m[4] || ".").padEnd(digits + 1, "0").slice(0, digits + 1) : "";
      return `${m[1]}T${m[2] || "00:00"}${m[3] || ":00"}${fraction}Z`;
    }
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed)) return value;  // not a time after all: shown as it is
    value = parsed;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const text = date.toISOString();  // always UTC
  return digits ? text : `${text.slice(0, 19)}Z`;
}

/** The day of a time, "2026-05-05". */
export function utcDay(value) {
  return utc(value).slice(0, 10);
}

/** Minutes precision, "2026-05-05T12:34Z" (clocks, plot titles). */
export function utcMinute(value) {
  return `${utc(value).slice(0, 16)}Z`;
}

/** A number with its unit ("1.234 km"), `digits` decimals; "-" for nothing. */
export function withUnit(value, unit, digits = 3) {
  return value === null || value === undefined || Number.isNaN(value) ? "-" : `${Number(value).toFixed(digits)} ${unit}`;
}

/** Thousands grouped with a thin space (SI style), e.g. 67 510. */
export function count(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

/** Tick labels for a uPlot value axis that never repeat: as many decimals as the tick spacing needs. */
export function ticks(_u, values, _axis, _space, increment) {
  const step = increment || (values.length > 1 ? Math.abs(values[1] - values[0]) : 1);
  const magnitude = Math.max(...values.map((v) => Math.abs(v)));
  if (magnitude && (magnitude < 1e-3 || magnitude >= 1e6)) {
    const digits = Math.max(1, Math.min(8, Math.ceil(Math.log10(magnitude / step)) + 1));
    return values.map((v) => (v === 0 ? "0" : v.toExponential(digits - 1)));
  }
  // as many decimals as the step needs to be written exactly (2.5 needs 1, 0.25 needs 2), so no two ticks read alike
  let decimals = 0;
  while (decimals < 10 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6 * step * 10 ** decimals) {
    decimals += 1;
  }
  return values.map((v) => v.toFixed(decimals));
}

/** Tick labels for a uPlot time axis (values in seconds) in UTC, ISO 8601: the time of day to the precision the
 * spacing needs, and the date on the first tick and wherever the day changes (a second line). */
export function timeTicks(_u, values, _axis, _space, increment) {
  const step = increment || (values.length > 1 ? values[1] - values[0] : 1);
  let previous = "";
  return values.map((v) => {
    if (v === null || v === undefined) return "";
    const text = new Date(v * 1000).toISOString();
    const day = text.slice(0, 10);
    const time = step >= 86400 ? "" : step >= 60 ? text.slice(11, 16) : step >= 1 ? text.slice(11, 19)
      : text.slice(11, 23);
    const label = step >= 86400 ? day : day !== previous ? `${time}\n${day}` : time;
    previous = day;
    return label;
  });
}

/** An ISO 8601 UTC time as typed in a filter ("2026-05-05", "2026-05-05T12:00", "...:30Z") made whole
 * ("2026-05-05T12:00:00Z"); null when it is not (yet) one. */
export function typedUtc(text) {
  const m = text.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?)?Z?$/);
  if (!m) return null;
  return `${m[1]}T${m[2] || "00:00"}${m[3] || ":00"}Z`;
}

/** uPlot's time axis in UTC: pass as `tzDate` in uPlot options. */
export function uplotUtc(uPlot) {
  return (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
}
