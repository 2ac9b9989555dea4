// Intelligence (#/intel, issue 26): the single intelligence analysis capacity's items as the API gives them to the
// signed-in user (GET /api/v1/intel/..., kompas.services.intel): contributed reports graded on the admiralty scale,
// assessments with key judgements in ICD 203 words, Analysis of Competing Hypotheses boards, key assumptions checks
// and intelligence requirements; the scores of the resolved judgements with their reliability diagram; a form to add
// an item.
//
// Every view is its own visit (the tabs, the kind filter and an item are links: #/intel?tab=..., #/intel?kind=...,
// #/intel?item=ID), so the banner shows exactly what that view shows: a listing the combination of its items, an
// item its own marking (raised for the items citing it that are listed with it), the scores the combination of the
// assessments they use. The banner is painted before anything marked is put on screen (api.js, showMarkings); an
// error carries no marking and is shown under the banner of what is on screen.
//
// The reliability diagram is SVG made by the server (matplotlib). It is never put into the page's DOM: it is parsed
// (DOMParser) to check it is one SVG document, then shown as an <img> from a blob: URL, where no script runs and
// its styles cannot reach the page.
import { AuthError, esc, request, showMarkings, token } from "../api.js";
import { count, utc } from "../format.js";
import { download } from "./conjunction.js";

const KINDS = { report: "Report", assessment: "Assessment", board: "ACH board", assumptions: "Key assumptions check",
  requirement: "Requirement" };
const TABS = [["items", "Items"], ["requirements", "Requirements"], ["scores", "Scores"], ["add", "Add an item"]];
const PLURAL = { report: "reports", assessment: "assessments", board: "ACH boards", assumptions: "key assumptions checks",
  requirement: "requirements" };
const RATINGS = { CC: "very consistent", C: "consistent", N: "neutral", I: "inconsistent", II: "very inconsistent",
  NA: "not applicable" };
const STATUSES = { supported: "supported", caveated: "supported with caveats", unsupported: "unsupported" };
const LEVELS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"];
const TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
const SOON_DAYS = 14;  // a requirement due within this many days is highlighted
const MAX_LINKED = 50;  // items cited or citing looked up for their titles and markings (the rest are counted)
const STYLE = `<style>
  .intel-tabs { display: flex; flex-wrap: wrap; gap: .3em; margin: 0 0 1em; border-bottom: 2px solid var(--accent); }
  .intel-tabs a { padding: .3em .8em; text-decoration: none; color: var(--fg); border: 1px solid var(--line);
    border-bottom: none; border-radius: 4px 4px 0 0; background: #f0f0f0; }
  .intel-tabs a[aria-current="page"] { background: var(--accent); color: white; border-color: var(--accent); }
  .intel-banner { border-left: 4px solid var(--accent); background: white; padding: .3em .7em; margin: .4em 0 .8em; }
  .intel-banner .mark { font-size: 1em; color: var(--fg); font-weight: bold; white-space: normal; }
  .intel-text { white-space: pre-wrap; max-width: 60em; }
  .intel-meta { color: var(--muted); margin: .2em 0 .6em; }
  .intel-grade { font-size: 1.6em; font-weight: bold; color: var(--accent); margin-right: .3em; }
  .band { display: inline-block; position: relative; width: 8em; height: .7em; background: #eee; border: 1px solid #bbb;
    vertical-align: middle; margin-left: .4em; }
  .band span { position: absolute; top: 0; bottom: 0; background: var(--accent); }
  .band i { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #c8102e; }
  .outcome-yes { color: #1b7837; font-weight: bold; } .outcome-no { color: #b2182b; font-weight: bold; }
  table.ach th[scope="row"] { font-weight: normal; max-width: 28em; }
  table.ach td.ach-cell { text-align: center; font-weight: bold; min-width: 3.2em; }
  .ach-CC { background: #1b7837; color: white; } .ach-C { background: #a6dba0; color: #111; }
  .ach-N { background: #f2f2f2; color: #111; } .ach-I { background: #f4a582; color: #111; }
  .ach-II { background: #b2182b; color: white; } .ach-NA { background: #ddd; color: #555; font-style: italic; }
  .ach-none { background: white; color: #999; }
  table.ach tr.critical > th, table.ach tr.critical > td:not(.ach-cell) { background: #fff4c2; }
  table.ach tr.critical > th { border-left: 4px solid #c77700; }
  .critical-label { display: inline-block; background: #c77700; color: white; font-size: .8em; font-weight: bold;
    padding: 0 .4em; border-radius: 3px; margin-left: .3em; }
  table.ach tfoot td, table.ach tfoot th { background: #f6f8fc; font-weight: bold; }
  table.ach th.leader, table.ach td.leader { box-shadow: inset 0 -3px 0 #1b7837; }
  .intel-legend { display: flex; flex-wrap: wrap; gap: .3em 1em; font-size: .9em; margin: .4em 0; }
  .intel-legend span { padding: 0 .4em; border-radius: 3px; }
  .status-supported { color: #1b7837; font-weight: bold; } .status-caveated { color: #9a6a00; font-weight: bold; }
  .status-unsupported { color: #b2182b; font-weight: bold; }
  tr.due-soon td { background: #fff8e6; }
  .overdue-label { color: #c8102e; font-weight: bold; }
  .intel-diagram img { max-width: 100%; width: 32em; background: white; border: 1px solid var(--line); }
  #intel-add textarea { width: 100%; font: .9em "DejaVu Sans Mono", monospace; }
  .problems li code { font-family: "DejaVu Sans Mono", monospace; }
  .intel-counts { display: flex; flex-wrap: wrap; gap: .4em 1.6em; margin: .2em 0 .8em; }
  .intel-counts strong { font-size: 1.3em; color: var(--accent); }
</style>`;

// illustrative examples of each kind, for the add form (as examples/intel/*.yaml; invented, not intelligence)
const EXAMPLES = {
  report: { title: "ILLUSTRATIVE: merchant vessel dragged anchor across a Baltic cable route",
    text: "ILLUSTRATIVE TEXT. A liaison source reports that the crew was instructed to keep its anchor lowered.",
    date: "2024-12-27", reliability: "B", credibility: "3", source: "liaison service, indirect access (ILLUSTRATIVE)",
    countries: ["FI", "EE"], actors: ["ILLUSTRATIVE vessel operator"], tags: ["subsea-infrastructure"] },
  assessment: { title: "ILLUSTRATIVE: threats to Baltic subsea infrastructure", product_line: "hybrid-threats",
    team: "ILLUSTRATIVE-team-north", date: "2025-01-10", summary: "ILLUSTRATIVE SUMMARY.",
    key_judgements: [{ text: "ILLUSTRATIVE: another Baltic subsea cable will be reported damaged before 1 July 2025.",
      likelihood: "likely", confidence: "moderate", resolution_date: "2025-06-30",
      criterion: "a Baltic state's authorities publicly report anchor damage to a subsea cable" }],
    citations: [] },
  board: { title: "ILLUSTRATIVE: why was the cable damaged?",
    hypotheses: [{ id: "H1", text: "Accident" }, { id: "H2", text: "Negligence" }, { id: "H3", text: "Deliberate" }],
    evidence: [{ id: "E1", text: "Calm weather (ILLUSTRATIVE)", credibility: "high", relevance: "high" },
      { id: "E2", text: "Anchor dragged for about 90 km (ILLUSTRATIVE)", credibility: "high", relevance: "high" }],
    ratings: { E1: { H1: "II", H2: "C", H3: "C" }, E2: { H1: "I", H2: "I", H3: "CC" } } },
  assumptions: { title: "ILLUSTRATIVE: assumptions behind the Baltic subsea assessment",
    assumptions: [{ text: "ILLUSTRATIVE: AIS positions are complete enough to reconstruct the routes.",
      basis: "Coastal AIS coverage is dense.", status: "caveated", undermined_by: "reception gaps longer than an hour" }] },
  requirement: { question: "ILLUSTRATIVE: which vessels with AIS gaps call at ports near cable landings?",
    owner: "ILLUSTRATIVE-team-north", due: "2025-03-31", priority: "high", status: "open" },
};

const mark = (banner) => `<span class="mark">${esc(banner)}</span>`;
const today = () => new Date().toISOString().slice(0, 10);
const dayNumber = (day) => Date.parse(`${day}T00:00:00Z`) / 86400000;
const percent = (p) => `${Math.round(p * 100)}\u202f%`;
const fixed = (v, digits = 4) => (v === null || v === undefined || Number.isNaN(v) ? "-" : Number(v).toFixed(digits));
const score = (v) => (Number.isInteger(v) ? String(v) : Number(v).toFixed(2));
const itemLink = (id, text) => `<a href="#/intel?item=${encodeURIComponent(id)}">${esc(text)}</a>`;
const shortId = (id) => String(id).slice(0, 8);

/** The server's reason, readable: a text, or each problem as "place: reason". */
function reason(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => (d && typeof d === "object" ? `${place(d.loc)}: ${d.msg ?? ""}`
    : String(d))).join("; ");
  return JSON.stringify(detail);
}

/** "item.key_judgements[1].likelihood" from a validation error's loc (["body", "item", "key_judgements[1]..."]). */
function place(loc) {
  return (loc || []).filter((x, k) => !(k === 0 && x === "body")).map((x, k) => (typeof x === "number" ? `[${x}]`
    : `${k ? "." : ""}${x}`)).join("") || "(the request)";
}

function errorBox(text) {
  return `<p class="error" role="alert">${esc(text)}</p>`;
}

/** Show ``text`` (a server's or the browser's message) as an alert in ``element``, escaped by errorBox(). */
function showError(element, text) {
  element.innerHTML = errorBox(text);
}

export async function renderIntel(view) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const id = own.get("item");
  const tab = id ? "" : TABS.some(([t]) => t === own.get("tab")) ? own.get("tab") : "items";
  view.innerHTML = `${STYLE}
    <h1>Intelligence: contributions, assessments and structured analysis</h1>
    <p class="muted">The single intelligence analysis capacity: member states' reports graded on the admiralty scale,
      assessments whose key judgements carry an ICD 203 likelihood and a confidence level, ACH boards, key assumptions
      checks and requirements, as far as you may see them. Every item is marked at least as high as everything it
      cites; the banner shows the marking of what this view shows. Days and times are UTC.</p>
    <div class="intel-tabs" role="navigation" aria-label="Intelligence views">${TABS.map(([t, label]) =>
      `<a href="#/intel${t === "items" ? "" : `?tab=${t}`}"${t === tab ? ' aria-current="page"' : ""}>${esc(label)}</a>`)
      .join("")}</div>
    <div id="intel-body"></div>`;
  const body = view.querySelector("#intel-body");
  if (id) return showItem(view, body, id);
  if (tab === "requirements") return showRequirements(view, body);
  if (tab === "scores") return showScores(view, body, own);
  if (tab === "add") return showAdd(view, body);
  return showItems(view, body, own);
}

// --- the listing ---------------------------------------------------------------------------------------------------

async function showItems(view, body, own) {
  const kind = Object.hasOwn(KINDS, own.get("kind") || "") ? own.get("kind") : "";
  const answer = await request(`/api/v1/intel/items?limit=1000${kind ? `&kind=${kind}` : ""}`);
  await showMarkings(view, answer.marking ? [answer.marking] : []);  // the banner first
  const rows = answer.items;
  body.innerHTML = `
    <form class="filters" id="intel-filter" aria-label="Filter the items">
      <label>Kind<select name="kind"><option value="">all kinds</option>${Object.entries(KINDS).map(([k, label]) =>
        `<option value="${k}"${k === kind ? " selected" : ""}>${esc(label)}</option>`).join("")}</select></label>
      <span class="muted" id="intel-count" role="status">${count(rows.length)} item${rows.length === 1 ? "" : "s"} you may
        see${answer.count >= answer.limit ? ` (the newest ${count(answer.limit)})` : ""}, newest first</span>
    </form>
    ${rows.length ? `<p class="intel-banner" id="intel-listing-banner">This listing is marked ${mark(answer.banner)}: the
      combination of the items in it.</p>` : ""}
    <table id="intel-items"><thead><tr><th scope="col">Kind</th><th scope="col">Title</th>
      <th scope="col">Organisation</th><th scope="col">Team / product line</th><th scope="col">Details</th>
      <th scope="col" class="n">Version</th><th scope="col">Updated (UTC)</th><th scope="col" class="n">Cites</th>
      <th scope="col">Marking</th></tr></thead>
      <tbody>${rows.map((i) => `<tr class="link" tabindex="0" data-id="${esc(i.id)}" data-kind="${esc(i.kind)}">
        <td>${esc(KINDS[i.kind] || i.kind)}</td><td>${itemLink(i.id, i.title || i.kind)}</td><td>${esc(i.org)}</td>
        <td>${esc([i.team, i.product_line].filter(Boolean).join(" / ") || "-")}</td><td>${details(i)}</td>
        <td class="n">${i.version}</td><td class="time">${esc(utc(i.updated_utc, 0))}</td>
        <td class="n">${i.citations}</td><td>${mark(i.banner)}</td></tr>`).join("")
        || `<tr><td colspan="9" class="muted">No item you may see${kind ? ` of this kind` : ""}. Add one from “Add an
          item”, or with <code>kompas intel add</code>.</td></tr>`}</tbody></table>`;
  body.querySelector("#intel-filter select").addEventListener("change", (event) => {
    location.hash = `#/intel${event.target.value ? `?kind=${event.target.value}` : ""}`;  // a new view, its banner
  });
  const tbody = body.querySelector("#intel-items tbody");
  const open = (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (!tr || event.target.closest("a")) return;
    if (event.type === "keydown" && event.key !== "Enter") return;
    location.hash = `#/intel?item=${encodeURIComponent(tr.dataset.id)}`;
  };
  tbody.addEventListener("click", open);
  tbody.addEventListener("keydown", open);
}

function details(i) {
  if (i.kind === "report") return `grade <b>${esc(i.grade)}</b>${i.date ? `, ${esc(i.date)}` : ""}`;
  if (i.kind === "assessment") return `${esc(i.date || "")}${i.date ? ", " : ""}${count(i.judgements ?? 0)} key
    judgement${i.judgements === 1 ? "" : "s"}`;
  if (i.kind === "requirement") {
    const overdue = ["open", "in-progress"].includes(i.status) && i.due && i.due < today();
    return `due ${esc(i.due)}${overdue ? ' <span class="overdue-label">overdue</span>' : ""}, ${esc(i.status)},
      ${esc(i.priority)} priority`;
  }
  return "-";
}

// --- one item --------------------------------------------------------------------------------------------------------

async function showItem(view, body, id) {
  let item;
  try {
    item = await request(`/api/v1/intel/items/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    await showMarkings(view, []);  // nothing marked on screen: the banner first, then the reason
    showError(body, `Could not open the item: ${error.message}`);
    return;
  }
  // the titles of what it cites (covered by its marking, which combines theirs) and of what cites it (which may be
  // marked higher: the banner rises for them); an item that cannot be read is named by its id only
  const lookup = (ids) => Promise.all(ids.slice(0, MAX_LINKED).map((c) => request(
    `/api/v1/intel/items/${encodeURIComponent(c.id)}`).catch((error) => {
    if (error instanceof AuthError) throw error;
    return null;
  })));
  const [cited, citing] = await Promise.all([lookup(item.citations.filter((c) => c.kind !== "event")),
    lookup(item.cited_by)]);
  const found = [...cited, ...citing].filter(Boolean);
  await showMarkings(view, [item.marking, ...found.map((i) => i.marking)]);  // the banner first
  const titles = new Map(found.map((i) => [i.id, i]));
  const k = item.kind;
  const b = item.body;
  body.innerHTML = `
    <p><a href="#/intel${Object.hasOwn(PLURAL, k) ? `?kind=${k}` : ""}">← All ${esc(PLURAL[k] || "items")}</a></p>
    <article id="intel-item" data-id="${esc(item.id)}" data-kind="${esc(k)}">
      <h2>${esc(KINDS[k] || k)}: ${esc(item.title || k)}</h2>
      <p class="intel-banner" id="intel-item-banner">Marked ${mark(item.banner)}${found.some((i) => i.banner !==
        item.banner) ? ` <span class="muted">(the page's banner also covers the linked items listed below)</span>` : ""}</p>
      <p class="intel-meta">${esc(item.org)} · version ${item.version} · added ${esc(utc(item.added_utc, 0))} · updated
        ${esc(utc(item.updated_utc, 0))}${item.team ? ` · team ${esc(item.team)}` : ""}${item.product_line
        ? ` · product line ${esc(item.product_line)}` : ""}</p>
      <p class="actions">Export: <button type="button" data-export="html">HTML (printable)</button>
        <button type="button" data-export="stix">STIX 2.1</button><button type="button" data-export="json">JSON</button>
        <span class="muted export-status" role="status" aria-live="polite"></span></p>
      ${k === "assessment" ? assessment(item, b, titles) : k === "report" ? report(item, b)
        : k === "board" ? board(item, b, titles) : k === "assumptions" ? assumptions(b, titles)
        : k === "requirement" ? requirement(b) : ""}
      <h3>Cites</h3>${citations(item.citations, titles)}
      <h3>Cited by</h3>${citedBy(item.cited_by, titles)}
    </article>`;
  body.querySelector("#intel-item .actions").addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-export]");
    if (!button) return;
    const status = body.querySelector(".export-status");
    const format = button.dataset.export;
    button.disabled = true;
    try {
      const response = await request(`/api/v1/intel/items/${encodeURIComponent(item.id)}/export?format=${format}`,
        { raw: true });
      const name = `intel-${shortId(item.id)}.${format === "stix" ? "stix.json" : format}`;
      download(name, await response.blob(), response.headers.get("content-type"));
      status.textContent = `Downloaded ${name}, marked ${response.headers.get("X-Kompas-Banner") || "-"}`;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      status.textContent = `Could not export: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

function citations(list, titles) {
  if (!list.length) return `<p class="muted">Nothing.</p>`;
  return `<ul id="intel-citations">${list.map((c) => {
    if (c.kind === "event") return `<li>event <a href="#/event/${encodeURIComponent(c.id)}">${esc(c.id)}</a></li>`;
    const found = titles.get(c.id);
    return `<li>${esc(KINDS[c.kind] || c.kind)} ${found ? `${itemLink(c.id, found.title || c.kind)} ${mark(found.banner)}`
      : itemLink(c.id, c.id)}</li>`;
  }).join("")}</ul>`;
}

function citedBy(list, titles) {
  if (!list.length) return `<p class="muted">No item you may see cites it.</p>`;
  const shown = list.filter((c) => titles.has(c.id));
  const rest = list.length - shown.length;
  return `<ul id="intel-cited-by">${shown.map((c) => `<li>${esc(KINDS[c.kind] || c.kind)}
    ${itemLink(c.id, titles.get(c.id).title || c.kind)} ${mark(titles.get(c.id).banner)}</li>`).join("")}</ul>${rest
    ? `<p class="muted">and ${count(rest)} more not listed here.</p>` : ""}`;
}

function assessment(item, b, titles) {
  const analysis = item.analysis?.judgements || [];
  const rows = (b.key_judgements || []).map((kj, n) => {
    const a = analysis[n] || {};
    const [low, high] = a.band || [null, null];
    const p = a.forecast ?? kj.probability;
    const band = low === null ? "" : `<span class="band" role="img" aria-label="band ${percent(low)} to ${percent(high)}${
      p !== null && p !== undefined ? `, scored as ${percent(p)}` : ""}"><span style="left:${low * 100}%;width:${
      (high - low) * 100}%"></span>${p !== null && p !== undefined ? `<i style="left:calc(${p * 100}% - 1px)"></i>` : ""}
      </span>`;
    let outcome;
    if (kj.outcome === true) outcome = `<span class="outcome-yes">happened</span>${kj.resolved_at ? ` (resolved ${esc(kj.resolved_at)})` : ""}`;
    else if (kj.outcome === false) outcome = `<span class="outcome-no">did not happen</span>${kj.resolved_at ? ` (resolved ${esc(kj.resolved_at)})` : ""}`;
    else if (a.scorable) outcome = `open${kj.resolution_date && kj.resolution_date < today() ? ' <span class="overdue-label">due for resolution</span>' : ""}`;
    else outcome = `<span class="muted">not scorable (no resolution date and criterion)</span>`;
    return `<tr data-judgement="${n}"><td class="n">${n + 1}</td><td>${esc(kj.text)}</td>
      <td class="likelihood"><b>${esc(kj.likelihood)}</b>${low === null ? "" : ` <span class="band-text">${percent(low)}–${
        percent(high)}</span>`}${band}${kj.probability !== null && kj.probability !== undefined
        ? `<br><span class="muted">stated probability ${percent(kj.probability)}</span>` : ""}</td>
      <td class="confidence">${esc(kj.confidence)}</td>
      <td>${kj.resolution_date ? `<span class="time">${esc(kj.resolution_date)}</span>` : "-"}${kj.criterion
        ? `<br><span class="muted">${esc(kj.criterion)}</span>` : ""}</td><td class="outcome">${outcome}</td></tr>`;
  });
  return `
    ${b.summary ? `<p class="intel-text">${esc(b.summary)}</p>` : ""}
    <p class="intel-meta">Dated ${esc(b.date || "-")}${b.requirement ? ` · answers requirement ${itemLink(b.requirement,
      titles.get(b.requirement)?.title || b.requirement)}` : ""}</p>
    <h3>Key judgements</h3>
    <table id="intel-judgements"><thead><tr><th scope="col" class="n">#</th><th scope="col">Judgement</th>
      <th scope="col">Likelihood (ICD 203 word and band)</th><th scope="col">Confidence</th>
      <th scope="col">Resolves (UTC day, criterion)</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${rows.join("") || `<tr><td colspan="6" class="muted">No key judgement.</td></tr>`}</tbody></table>
    <p class="muted">Likelihood words and their probability bands are those of ICD 203 (the MISP estimative-language
      taxonomy); the red tick is the probability a judgement is scored with (its stated one, else the band's
      midpoint). Confidence (low, moderate, high) is the analysts' confidence in the sources and reasoning, not a
      probability.</p>`;
}

function report(item, b) {
  const a = item.analysis || {};
  return `
    <p id="intel-grade"><span class="intel-grade">${esc(a.grade || b.grade || "")}</span>${esc(a.grade_meaning || "")}</p>
    <p class="intel-meta">Admiralty scale: the source's reliability (A–F) and the information's credibility (1–6) are
      graded separately. Source: ${esc(b.source || "-")}. Dated ${esc(b.date || "-")}.</p>
    ${b.text ? `<p class="intel-text">${esc(b.text)}</p>` : ""}
    <dl class="evidence"><dt>Countries</dt><dd>${esc((b.countries || []).join(", ") || "-")}</dd>
      <dt>Actors</dt><dd>${esc((b.actors || []).join(", ") || "-")}</dd>
      <dt>Tags</dt><dd>${esc((b.tags || []).join(", ") || "-")}</dd></dl>`;
}

function board(item, b, titles) {
  const a = item.analysis || {};
  const hyps = b.hypotheses || [];
  const evidence = b.evidence || [];
  const critical = new Set(a.critical || []);
  const spread = new Map((a.diagnosticity || []).map((d) => [d.evidence, d]));
  const sensitivity = new Map((a.sensitivity || []).map((s) => [s.evidence, s]));
  const leaders = new Set((a.ranking || []).filter((r) => r[0] === 1).map((r) => r[1]));
  const rank = new Map((a.ranking || []).map((r) => [r[1], r[0]]));
  const names = new Map(hyps.map((h) => [h.id, h.text]));
  const lead = (h) => (leaders.has(h.id) ? ' class="leader"' : "");
  const ratingCell = (e, h) => {
    const r = b.ratings?.[e.id]?.[h.id] || "";
    const known = Object.hasOwn(RATINGS, r) ? r : "";
    return `<td class="ach-cell ach-${known || "none"}" data-h="${esc(h.id)}" data-rating="${esc(r)}"
      title="${esc(`${e.id} × ${h.id}: ${r ? RATINGS[r] || r : "not rated"}`)}">${esc(r || "–")}</td>`;
  };
  const scoreRow = (label, values, attr) => `<tr class="${attr}"><th scope="row" colspan="4">${label}</th>${hyps.map((h) =>
    `<td class="n${leaders.has(h.id) ? " leader" : ""}" data-h="${esc(h.id)}">${values(h)}</td>`).join("")}<td></td></tr>`;
  return `
    <p class="muted">Read the matrix for what refutes: the hypothesis with the least inconsistent evidence leads
      (Heuer). ${esc(a.rule || "")}</p>
    <div class="intel-legend" aria-label="Ratings">${Object.entries(RATINGS).map(([r, word]) =>
      `<span class="ach-${r}">${r}: ${esc(word)}</span>`).join("")}<span class="ach-none">–: not rated</span></div>
    <div style="overflow-x:auto"><table class="ach" id="ach-matrix">
      <caption class="muted" style="text-align:left">Evidence (rows) against hypotheses (columns); rows marked
        <span class="critical-label">critical</span> change the leading hypothesis when removed alone.</caption>
      <thead><tr><th scope="col">Evidence</th><th scope="col">Credibility</th><th scope="col">Relevance</th>
        <th scope="col" class="n">Diagnosticity (spread)</th>${hyps.map((h) => `<th scope="col" data-h="${esc(h.id)}"
        ${lead(h)}><b>${esc(h.id)}</b> ${esc(h.text)}</th>`).join("")}<th scope="col">Without this item</th></tr></thead>
      <tbody>${evidence.map((e) => {
        const s = sensitivity.get(e.id);
        const d = spread.get(e.id);
        const cite = e.citation ? ` <span class="muted">(${e.citation.kind === "event"
          ? `event <a href="#/event/${encodeURIComponent(e.citation.id)}">${esc(e.citation.id)}</a>`
          : `${esc(e.citation.kind)} ${itemLink(e.citation.id, titles.get(e.citation.id)?.title || e.citation.id)}`})</span>` : "";
        return `<tr data-e="${esc(e.id)}"${critical.has(e.id) ? ' class="critical"' : ""}><th scope="row"><b>${esc(e.id)}</b>
          ${esc(e.text)}${cite}${critical.has(e.id) ? '<span class="critical-label">critical</span>' : ""}</th>
          <td>${esc(e.credibility)}</td><td>${esc(e.relevance)}</td><td class="n">${d ? `${score(d.spread)}${d.diagnostic
            ? "" : ' <span class="muted">(not diagnostic)</span>'}` : "-"}</td>${hyps.map((h) => ratingCell(e, h)).join("")}
          <td>${s ? `leads: ${esc(s.leaders_without.join(", ") || "-")}${s.changes_leader ? " <b>(leader changes)</b>"
            : s.changes_order ? " (order changes)" : " (no change)"}` : "-"}</td></tr>`;
      }).join("") || `<tr><td colspan="${5 + hyps.length}" class="muted">No evidence on the board yet.</td></tr>`}</tbody>
      <tfoot>
        ${scoreRow("Inconsistency score (I 1, II 2)", (h) => score(a.inconsistency?.[h.id] ?? 0), "ach-score")}
        ${scoreRow("Weighted inconsistency (× credibility × relevance)", (h) => score(a.weighted?.[h.id] ?? 0),
          "ach-weighted")}
        ${scoreRow("Rank (1 = least inconsistent)", (h) => (rank.has(h.id) ? String(rank.get(h.id)) : "-"), "ach-rank")}
      </tfoot></table></div>
    <h3>Ranking</h3>
    <ol id="ach-ranking">${(a.ranking || []).map(([r, h, v]) => `<li value="${r}" data-h="${esc(h)}">${leaders.has(h)
      ? "<b>" : ""}${esc(h)}: ${esc(names.get(h) || "")}${leaders.has(h) ? "</b>" : ""} <span class="muted">(inconsistency
      ${score(v)}, weighted ${score(a.weighted?.[h] ?? 0)})</span></li>`).join("")}</ol>
    <p id="ach-critical">${critical.size ? `Critical evidence: <b>${esc([...critical].join(", "))}</b>: the conclusion rests
      on ${critical.size === 1 ? "it" : "them"}; check ${critical.size === 1 ? "it" : "them"} first (Heuer's step 6).`
      : "No single item of evidence, removed alone, changes the leading hypothesis."}</p>`;
}

function assumptions(b, titles) {
  const rows = b.assumptions || [];
  const summary = b.summary || {};
  return `
    <p class="intel-counts" id="kac-summary">${Object.entries(STATUSES).map(([s, word]) => `<span><strong>${
      count(summary[s] ?? rows.filter((r) => r.status === s).length)}</strong> ${esc(word)}</span>`).join("")}</p>
    <table id="kac"><thead><tr><th scope="col" class="n">#</th><th scope="col">Assumption</th><th scope="col">Why it is
      believed</th><th scope="col">Status</th><th scope="col">What would undermine it</th><th scope="col">Evidence</th>
      </tr></thead><tbody>${rows.map((r, n) => `<tr data-status="${esc(r.status)}"><td class="n">${n + 1}</td>
      <td>${esc(r.text)}</td><td>${esc(r.basis)}</td><td class="status-${Object.hasOwn(STATUSES, r.status) ? r.status
        : "unknown"}">${esc(STATUSES[r.status] || r.status)}</td><td>${esc(r.undermined_by || "-")}</td>
      <td>${(r.evidence || []).map((c) => (c.kind === "event" ? `event <a href="#/event/${encodeURIComponent(c.id)}">${
        esc(c.id)}</a>` : `${esc(c.kind)} ${itemLink(c.id, titles.get(c.id)?.title || c.id)}`)).join("<br>") || "-"}</td>
      </tr>`).join("")}</tbody></table>
    <p class="muted">Key assumptions check (Heuer and Pherson): an unsupported assumption that carries the conclusion is
      where the line is weakest; what would undermine it is the indicator to watch.</p>`;
}

function requirement(b) {
  const open = ["open", "in-progress"].includes(b.status);
  const overdue = open && b.due && b.due < today();
  return `
    <p class="intel-text">${esc(b.question)}</p>
    <dl class="evidence"><dt>Owner</dt><dd>${esc(b.owner)}</dd><dt>Due (UTC day)</dt><dd>${esc(b.due)}${overdue
      ? ' <span class="overdue-label">overdue</span>' : ""}</dd><dt>Priority</dt><dd>${esc(b.priority)}</dd>
      <dt>Status</dt><dd>${esc(b.status)}</dd></dl>
    <p class="muted">The assessments answering it are listed under “Cited by”.</p>`;
}

// --- requirements ----------------------------------------------------------------------------------------------------

async function showRequirements(view, body) {
  const answer = await request("/api/v1/intel/requirements");
  await showMarkings(view, answer.marking ? [answer.marking] : []);  // the banner first
  const soon = dayNumber(answer.as_of) + SOON_DAYS;
  const rows = answer.requirements;
  body.innerHTML = `
    <p class="intel-counts" id="requirement-counts"><span><strong>${count(answer.open)}</strong> open</span>
      <span><strong>${count(answer.overdue)}</strong> overdue</span><span><strong>${count(answer.answered)}</strong>
      answered by an assessment</span><span class="muted">as of ${esc(answer.as_of)} (UTC); due within ${SOON_DAYS} days
      highlighted</span></p>
    ${rows.length ? `<p class="intel-banner">These requirements are marked ${mark(answer.banner)} together.</p>` : ""}
    <table id="intel-requirements"><thead><tr><th scope="col">Due (UTC day)</th><th scope="col">Question</th>
      <th scope="col">Owner</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Answered by</th>
      <th scope="col">Organisation</th><th scope="col">Marking</th></tr></thead>
      <tbody>${rows.map((r) => {
        const open = ["open", "in-progress"].includes(r.status);
        const dueSoon = open && !r.overdue && dayNumber(r.due) <= soon;
        return `<tr data-id="${esc(r.id)}" class="${r.overdue ? "overdue" : dueSoon ? "due-soon" : ""}">
          <td class="time">${esc(r.due)}${r.overdue ? ' <span class="overdue-label">overdue</span>' : dueSoon
            ? " <b>due soon</b>" : ""}</td><td>${itemLink(r.id, r.question)}</td><td>${esc(r.owner)}</td>
          <td>${esc(r.priority)}</td><td>${esc(r.status)}</td><td>${r.answered_by.map((a, n) =>
            itemLink(a, `assessment ${n + 1}`)).join(", ") || "-"}</td><td>${esc(r.org)}</td><td>${mark(r.banner)}</td></tr>`;
      }).join("") || `<tr><td colspan="8" class="muted">No requirement you may see.</td></tr>`}</tbody></table>`;
}

// --- scores ----------------------------------------------------------------------------------------------------------

async function showScores(view, body, own) {
  const by = own.get("by") === "product_line" ? "product_line" : "team";
  const answer = await request(`/api/v1/intel/scores?by=${by}`);
  // the diagram is checked and turned into an image before the banner is painted for it (nothing shown yet)
  const diagram = answer.judgements ? svgImage(answer.diagram_svg) : null;
  await showMarkings(view, answer.marking ? [answer.marking] : []);  // the banner first
  const groups = Object.entries(answer.groups || {});
  const o = answer.overall;
  const row = (name, d) => `<tr data-group="${esc(name)}"><th scope="row">${esc(name)}</th><td class="n">${count(d.n)}</td>
    <td class="n brier">${fixed(d.brier)}</td><td class="n">${fixed(d.reliability)}</td><td class="n">${fixed(d.resolution)}
    </td><td class="n">${fixed(d.uncertainty)}</td><td class="n">${fixed(d.base_rate, 3)}</td><td class="n">${d.skill ===
    null || d.skill === undefined ? "-" : fixed(d.skill, 3)}</td></tr>`;
  body.innerHTML = `
    <form class="filters" id="scores-by" aria-label="Group the scores"><label>Per<select name="by">
      <option value="team"${by === "team" ? " selected" : ""}>analyst team</option><option value="product_line"${by
      === "product_line" ? " selected" : ""}>product line</option></select></label>
      <span class="muted" role="status">${count(answer.judgements)} resolved key judgement${answer.judgements === 1 ? ""
      : "s"} in ${count(answer.assessments)} assessment${answer.assessments === 1 ? "" : "s"} you may see</span></form>
    ${answer.judgements ? `<p class="intel-banner">These scores are marked ${mark(answer.banner)}: the combination of the
      assessments they use.</p>
    <table id="intel-scores"><thead><tr><th scope="col">${by === "team" ? "Team" : "Product line"}</th>
      <th scope="col" class="n">Judgements</th><th scope="col" class="n">Brier score</th><th scope="col"
      class="n">Reliability</th><th scope="col" class="n">Resolution</th><th scope="col" class="n">Uncertainty</th>
      <th scope="col" class="n">Base rate</th><th scope="col" class="n">Skill</th></tr></thead>
      <tbody>${groups.map(([name, d]) => row(name, d)).join("")}</tbody>
      <tfoot>${o ? row("All", o) : ""}</tfoot></table>
    <p class="muted">${esc(answer.rule)}. Lower Brier and reliability are better, higher resolution is better.</p>
    <h3>Calibration (all judgements)</h3>
    <table id="intel-bins"><thead><tr><th scope="col">Band</th><th scope="col" class="n">Judgements</th>
      <th scope="col" class="n">Mean probability</th><th scope="col" class="n">Observed frequency</th></tr></thead>
      <tbody>${(o?.bins || []).map((bin) => `<tr><td>${percent(bin.low)}–${percent(bin.high)}</td><td class="n">${
        count(bin.count)}</td><td class="n">${fixed(bin.forecast, 3)}</td><td class="n">${fixed(bin.observed, 3)}</td>
        </tr>`).join("")}</tbody></table>
    <h3>Reliability diagram</h3>
    <figure class="intel-diagram" id="intel-diagram"></figure>`
    : `<p class="muted" id="intel-no-scores">No resolved key judgement you may see yet. A judgement with a resolution
      date and a criterion is resolved with <code>kompas intel resolve</code> (or POST
      /api/v1/intel/items/{id}/judgements/{n}) and then counts here.</p>`}`;
  body.querySelector("#scores-by select").addEventListener("change", (event) => {
    location.hash = `#/intel?tab=scores${event.target.value === "team" ? "" : `&by=${event.target.value}`}`;
  });
  if (!diagram) return null;
  const figure = body.querySelector("#intel-diagram");
  if (diagram.error) {
    showError(figure, `The diagram could not be shown: ${diagram.error}`);
    return null;
  }
  const img = document.createElement("img");
  img.src = diagram.url;
  img.alt = `Reliability diagram: observed frequency against the stated probability per band, ${(o?.bins || []).map(
    (bin) => `${percent(bin.low)} to ${percent(bin.high)}: ${bin.count} judgements, observed ${fixed(bin.observed, 2)}`)
    .join("; ")}`;
  const caption = document.createElement("figcaption");
  caption.className = "muted";
  caption.textContent = "Points on the diagonal are perfectly calibrated; above it, what was judged happened more "
    + "often than the words said.";
  figure.replaceChildren(img, caption);
  return () => URL.revokeObjectURL(diagram.url);
}

/** The server's SVG text as a blob: URL for an <img>, after checking that it parses as one SVG document. */
function svgImage(text) {
  const doc = new DOMParser().parseFromString(String(text || ""), "image/svg+xml");
  const root = doc.documentElement;
  if (doc.querySelector("parsererror") || root.localName !== "svg" || root.namespaceURI !== "http://www.w3.org/2000/svg") {
    return { error: "the server's diagram is not an SVG document" };
  }
  const clean = new XMLSerializer().serializeToString(root);
  return { url: URL.createObjectURL(new Blob([clean], { type: "image/svg+xml" })) };
}

// --- add an item -----------------------------------------------------------------------------------------------------

async function showAdd(view, body) {
  await showMarkings(view, []);  // nothing marked on screen yet
  body.innerHTML = `
    <section class="card" id="intel-add" aria-labelledby="intel-add-title">
      <h2 id="intel-add-title">Add an item</h2>
      <p class="muted">The item in its JSON form (as <code>examples/intel/</code>; “Example” fills in an illustrative
        one). Your organisation is its author; it is stored under the marking below combined with the markings of
        everything it cites, never lower. Every problem is named with its place.</p>
      <form id="intel-add-form" aria-label="Add an item">
        <div class="filters">
          <label>Kind<select name="kind">${Object.entries(KINDS).map(([k, label]) =>
            `<option value="${k}">${esc(label)}</option>`).join("")}</select></label>
          <label>Classification<select name="classification">${LEVELS.map((l) =>
            `<option value="${l}">${esc(l.replace("_", " "))}</option>`).join("")}</select></label>
          <label>TLP<select name="tlp">${TLPS.map((t) => `<option${t === "AMBER" ? " selected" : ""}>${t}</option>`)
            .join("")}</select></label>
          <label>Releasable to (codes, comma-separated; empty: no restriction)<input name="releasable_to" size="22"
            maxlength="2000" placeholder="NL, FR"></label>
          <label>Need-to-know communities (comma-separated)<input name="communities" size="16" maxlength="2000"
            placeholder="hybrid"></label>
          <button type="button" id="intel-example">Example</button>
        </div>
        <label for="intel-json">Item (JSON)</label>
        <textarea id="intel-json" name="item_json" rows="16" spellcheck="false" required></textarea>
        <p><button type="submit">Store</button></p>
      </form>
      <div id="intel-add-result" role="status" aria-live="polite"></div>
    </section>`;
  const form = body.querySelector("#intel-add-form");
  const result = body.querySelector("#intel-add-result");
  body.querySelector("#intel-example").addEventListener("click", () => {
    form.elements.namedItem("item_json").value = JSON.stringify(EXAMPLES[form.elements.kind.value], null, 2);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    let item;
    try {
      item = JSON.parse(f.namedItem("item_json").value);
    } catch (error) {
      result.innerHTML = `<p class="error" role="alert">The item is not JSON: ${esc(error.message)}</p>`;
      return;
    }
    const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
    const marking = { classification: f.classification.value, tlp: f.tlp.value,
      releasable_to: list(f.releasable_to.value).length ? list(f.releasable_to.value) : null,
      communities: list(f.communities.value) };
    result.innerHTML = `<p class="muted">Storing…</p>`;
    let response;
    try {
      response = await fetch("/api/v1/intel/items", { method: "POST", body: JSON.stringify({ kind: f.kind.value,
        item, marking }), headers: { Authorization: `Bearer ${token() ?? ""}`, "Content-Type": "application/json" } });
    } catch (error) {
      showError(result, `Not stored: the server could not be reached (${error.message})`);
      return;
    }
    if (response.status === 401) { showError(result, "Sign in again."); throw new AuthError("sign in again"); }
    let answer = null;
    try { answer = await response.json(); } catch { /* not JSON */ }
    if (!response.ok) {
      const detail = answer?.detail ?? response.statusText;
      result.innerHTML = Array.isArray(detail) ? `<div class="error" role="alert"><p>Not stored (HTTP ${
        response.status}): ${count(detail.length)} problem${detail.length === 1 ? "" : "s"}:</p><ul class="problems">${
        detail.map((d) => `<li><code>${esc(place(d.loc))}</code>: ${esc(d.msg ?? String(d))}</li>`).join("")}</ul></div>`
        : errorBox(`Not stored (HTTP ${response.status}): ${reason(detail)}`);
      return;
    }
    try {
      await showMarkings(view, [answer.marking]);  // the banner first: the stored marking is shown below
    } catch (error) {
      showError(result, `Stored as ${answer.id}, but its marking could not be shown: ${error.message}`);
      return;
    }
    result.innerHTML = `<p>Stored ${esc(KINDS[answer.kind] || answer.kind)} ${itemLink(answer.id, answer.id)}, version
      ${answer.version}, marked ${mark(answer.banner)}.</p>${answer.raised ? `<p class="lead-label">The marking was
      raised above the one asked for: ${esc(answer.why)}</p>` : ""}`;
  });
}
