// What the forces pages (#/forces, issue 28) share: the API call, the ILLUSTRATIVE label and the data statement,
// numbers, the bar charts (HTML, every text escaped) and the error box (the banner first, then the reason).
import { AuthError, esc, showMarkings, token } from "../api.js";
import { count } from "../format.js";

export const RETRIES = 3;  // a 429 or 503 is sent again after the server's Retry-After this many times, then shown
const MAX_WAIT_S = 30;

/** Said on every view: where the numbers come from. */
export const DATA_STATEMENT = `No open data exists on national force offers or personnel, and none is invented as
  if real: every answer here is computed only from the register contributions you may see (each member state's offers
  under its own marking). The example set shipped with Kompas is ILLUSTRATIVE: public facts (published EU Battlegroup
  rosters, MILEX 23, the CSDP Strategic Warehouse, EUMM Georgia 2008) split into invented modules, every value that
  is not public invented or assumed (each row's notes say which), and a synthetic civilian roster; it is not any
  member state's offer.`;

export const STYLE = `<style>
  .frc-tabs { display: flex; flex-wrap: wrap; gap: .3em; margin: 0 0 .8em; border-bottom: 2px solid var(--accent); }
  .frc-tabs a { padding: .3em .8em; text-decoration: none; color: var(--fg); border: 1px solid var(--line);
    border-bottom: none; border-radius: 4px 4px 0 0; background: #f0f0f0; }
  .frc-tabs a[aria-current="page"] { background: var(--accent); color: white; border-color: var(--accent); }
  .frc-illustrative { border-left: 6px solid #e07000; background: #fff3e0; padding: .5em .9em; font-size: 1.05em; }
  .frc-illustrative strong { color: #b35900; letter-spacing: .04em; }
  .frc-statement { font-size: .9em; }
  .frc-marked { border-left: 4px solid var(--accent); background: white; padding: .3em .7em; margin: .4em 0 .8em; }
  .frc-marked .mark { font-size: 1em; color: var(--fg); font-weight: bold; white-space: normal; }
  .frc-figures { display: flex; flex-wrap: wrap; gap: .4em 1.8em; margin: .3em 0 .8em; }
  .frc-figures div { display: flex; flex-direction: column; }
  .frc-figures strong { font-size: 1.4em; color: var(--accent); font-variant-numeric: tabular-nums; }
  .frc-figures span { color: var(--muted); font-size: .9em; }
  .frc-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(24em, 1fr)); gap: .2em 2em; }
  .frc-chart { margin: .4em 0 1em; max-width: 52em; }
  .frc-chart .row { display: grid; grid-template-columns: 14em 1fr 9em; gap: .6em; align-items: center;
    margin: 2px 0; }
  .frc-chart .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: right; }
  .frc-chart .track { position: relative; background: #eef1f6; height: 1.1em; border-radius: 2px; }
  .frc-chart .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 2px; }
  .frc-chart .value { font-variant-numeric: tabular-nums; }
  .frc-chart.grouped .track { height: auto; display: flex; flex-direction: column; gap: 1px; background: none; }
  .frc-chart.grouped .track span.fill { position: relative; display: block; height: .55em; }
  .frc-chart.grouped .track i { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #c8102e; }
  .frc-chart .e0 { background: #9bb0d9; } .frc-chart .e1 { background: #003399; } .frc-chart .e2 { background: #e07000; }
  .frc-chart .e3 { background: #2e7d32; } .frc-chart .e4 { background: #7b2cbf; }
  .frc-legend { display: flex; flex-wrap: wrap; gap: .3em 1.2em; font-size: .9em; margin: .3em 0; }
  .frc-legend i { display: inline-block; width: 1.2em; height: .7em; margin-right: .3em; vertical-align: middle; }
  tr.frc-sev-critical td { background: #fbd5da; } tr.frc-sev-critical td.sev { color: #8b0a1f; font-weight: bold; }
  tr.frc-sev-partial td { background: #fde9cf; } tr.frc-sev-partial td.sev { color: #a34f00; font-weight: bold; }
  tr.frc-sev-readiness td { background: #fff7c2; } tr.frc-sev-readiness td.sev { color: #6d5a00; font-weight: bold; }
  tr.frc-sev-none td.sev { color: #1b7837; }
  .frc-legend .frc-sev-critical { background: #fbd5da; } .frc-legend .frc-sev-partial { background: #fde9cf; }
  .frc-legend .frc-sev-readiness { background: #fff7c2; } .frc-legend .frc-sev-none { background: white;
    border: 1px solid var(--line); }
  tr.short td { background: #fde7ea; }
  .frc-verdict { font-size: 1.1em; } .frc-verdict .ok { color: #007a33; font-weight: 600; }
  .frc-verdict .no { color: #c8102e; font-weight: 600; } .frc-verdict .so { color: #9a6a00; font-weight: 600; }
  #frc-body p.no, #frc-body strong.no { color: #c8102e; font-weight: 600; } #frc-body p.ok { color: #007a33; }
  .frc-scroll { max-height: 30em; overflow: auto; }
  .frc-scenario dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .3em 0; }
  .frc-scenario dt { color: var(--muted); } .frc-scenario dd { margin: 0; }
  .frc-plot { background: white; border: 1px solid var(--line); padding: .3em; max-width: 60em; }
  .frc-prob { font-size: 1.6em; font-weight: bold; color: var(--accent); }
  td.caps, td.notes { font-size: .9em; }
</style>`;

export const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
/** A whole number with thin-space thousands; "-" for nothing. */
export const int = (v) => (v === null || v === undefined ? "-" : count(Math.round(Number(v))));
/** A number with `digits` decimals; "-" for nothing. */
export const num = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(Number(v)) ? "-"
  : count(Number(v).toFixed(digits)));
/** A fraction (0..1) as a percentage. */
export const pct = (v, digits = 0) => (v === null || v === undefined ? "-" : `${(Number(v) * 100).toFixed(digits)}\u202f%`);
export const mark = (banner) => `<span class="mark">${esc(banner)}</span>`;

/** The server's reason, readable: its text, or each validation problem as "field: message". */
export function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && typeof d === "object" ? `${(d.loc || []).filter((x) => !["body", "query"]
      .includes(x)).join(".")}: ${d.msg ?? ""}` : String(d))).join("; ");
  }
  return JSON.stringify(detail);
}

/** A JSON call of the API with the signed-in user's token (429 and 503 sent again after Retry-After, RETRIES times;
 * 401 AuthError). An error answer throws an Error whose `status` is the HTTP status and whose message is the
 * server's reason. */
export async function ask(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${token() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if ((response.status !== 429 && response.status !== 503) || attempt === RETRIES) break;
    await pause(Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), MAX_WAIT_S));
  }
  if (response.status === 401) throw new AuthError("sign in again");
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = reason((await response.json()).detail); } catch { /* not JSON */ }
    if (response.status === 503) detail = `the server is computing as many force plans as it allows at once (${detail}); try again`;
    const error = new Error(`${detail} (HTTP ${response.status})`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

/** Show an error in `box`: the banner painted first for what is on screen (an error carries no marking), then the
 * reason, escaped. An AuthError goes on to the router (sign in again). */
export async function failed(view, box, error, what) {
  if (error instanceof AuthError) throw error;
  await showMarkings(view, []).catch(() => {});
  if (!view.isConnected) return;
  const tag = box.tagName === "SPAN" ? "span" : "p";
  box.innerHTML = `<${tag} class="error" role="alert">${esc(what)}: ${esc(error.message)}</${tag}>`;
}

/** Whether the register data behind `answer` is illustrative (the example set, or rows their contributors labelled
 * illustrative), as against only the shipped scenarios' figures: the server's `illustrative_data` when the answer
 * carries it, else `fallback` (what the view can tell otherwise; true when it cannot: the strong statement). */
export function illustrativeData(answer, fallback = true) {
  if (answer?.example) return true;
  if (typeof answer?.illustrative_data === "boolean") return answer.illustrative_data;
  return Boolean(fallback);
}

/** Said when only the scenarios' figures are illustrative (the register is the contributors' own). */
export const SCENARIOS_ILLUSTRATIVE = "The scenarios' figures are illustrative (assumed where not published)";

/** The ILLUSTRATIVE label of an answer (nothing when nothing in it is illustrative), saying what is: the register
 * data (`data`: the example set or rows labelled illustrative; not any member state's offer), or only the
 * scenarios' figures, the register being the contributions the user may see. */
export function illustrative(answer, id, what = "this answer", data = illustrativeData(answer)) {
  if (!answer?.illustrative) return "";
  if (!data) {
    return `<p class="frc-illustrative" id="${esc(id)}" role="note" data-kind="scenarios"><strong>ILLUSTRATIVE
      SCENARIOS</strong> — ${esc(SCENARIOS_ILLUSTRATIVE)}; otherwise ${esc(what)} is computed from the register
      contributions you may see, under their markings.</p>`;
  }
  return `<p class="frc-illustrative" id="${esc(id)}" role="note" data-kind="data"><strong>ILLUSTRATIVE</strong> —
    ${esc(what)} is built from ILLUSTRATIVE data${answer.example ? " (the example set shipped with Kompas): public"
    + " facts split into invented modules and assumed figures" : " (register rows their contributors labelled"
    + " illustrative)"}, not any member state's offer. Not real data.</p>`;
}

/** A yes/no option of a link ("example=true", "=1", "=yes"; "=false", "=0", "=no"); null when it is neither. */
export function flag(value) {
  const text = String(value ?? "").trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  return null;
}

/** A horizontal bar chart in HTML: rows [{key, label, value, text?}], the bars scaled to the largest value (or
 * `max`). `id` names it; `caption` says what it shows (also its accessible name). */
export function bars(id, rows, { caption, max = null, unit = "" } = {}) {
  const top = max ?? Math.max(0, ...rows.map((r) => Number(r.value) || 0));
  return `<div class="frc-chart" id="${esc(id)}" role="img" aria-label="${esc(caption)}">${rows.map((r) => {
    const width = top > 0 ? Math.max(0, Math.min(100, (Number(r.value) || 0) / top * 100)) : 0;
    return `<div class="row" data-key="${esc(r.key)}" data-value="${esc(r.value)}"><span class="label"
      title="${esc(r.label)}">${esc(r.label)}</span><span class="track"><span class="fill"
      style="width:${width.toFixed(2)}%"></span></span><span class="value">${esc(r.text ?? `${int(r.value)}${unit}`)}
      </span></div>`;
  }).join("") || `<p class="muted">Nothing to draw.</p>`}</div>`;
}

/** A link (only http and https addresses; anything else is shown as text); `short`: its host as the text. */
export function link(url, short = false) {
  const text = String(url ?? "");
  if (!/^https?:\/\//i.test(text)) return esc(text);
  let shown = text;
  if (short) { try { shown = new URL(text).host; } catch { /* shown whole */ } }
  return `<a href="${esc(text)}" title="${esc(text)}" rel="noopener noreferrer" target="_blank">${esc(shown)}</a>`;
}

/** No register to answer from (none visible, or the edition is not): said under the banner, with the way out. */
export async function noRegister(ctx, body, error, what = "No answer") {
  await failed(ctx.view, body, error, what);
  if (error.status === 404 && !ctx.example) {
    body.insertAdjacentHTML("beforeend", `<p><a href="${esc(ctx.href(ctx.tab, { example: "1", edition: null }))}"
      id="frc-use-example">Use the ILLUSTRATIVE example set</a> instead.</p>`);
  }
}
