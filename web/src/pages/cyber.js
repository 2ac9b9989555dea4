// Cyber situational awareness (issue 23): the picture of a period (incidents per ISO week, by NIS2 sector, RSIT
// class and member state; surges; NIS2 reporting clocks), the shared incidents (server-paged and filtered; one opens
// with its observables, techniques, the actors its source names, its NIS2 clocks, MISP/STIX export and the links to
// its platform event and to Respond), the members' sightings merged per indicator, the exposure to CISA's Known
// Exploited Vulnerabilities, ATT&CK groups ranked as leads (never attribution), the EU cyber sanctions listings
// linked to ATT&CK groups, and a form to share a MISP event or STIX bundle. Every item shows its marking, and the
// banner is raised for anything before it is put on screen (api.js, showMarkings).
import { AuthError, esc, request, showMarkings, token } from "../api.js";
import { count, utc, utcDay } from "../format.js";
import { serverTable } from "../table.js";
import { download } from "./conjunction.js";
import { remember } from "./reports.js";

// ENISA's Reference Security Incident Taxonomy (the MISP `rsit` taxonomy's 11 classes) and the NIS2 sectors (the
// MISP `nis2` taxonomy, impact-sectors-impacted): the values the API filters on
const RSIT = ["abusive-content", "malicious-code", "information-gathering", "intrusion-attempts", "intrusions",
  "availability", "information-content-security", "fraud", "vulnerable", "other", "test"];
const SECTORS = ["energy", "transport", "banking", "financial", "health", "drinking-water", "waste-water",
  "digital-infrastructure", "ict-services", "public-administration", "space", "courier", "waste-management",
  "chemical", "food", "manufacturing", "digital-providers", "research"];
const REPORTS = { "early-warning": "Early warning (24 h)", "incident-notification": "Notification (72 h)",
  "final-report": "Final report (1 month)" };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;  // the API's longest picture
const DEFAULT_DAYS = 90;
const ATTACK_URL = { G: "groups", S: "software", C: "campaigns" };

const mark = (m) => (m ? `<span class="mark">${esc(m.banner)}</span>` : "");
const list = (values, max = 3) => esc((values || []).slice(0, max).join(", ")) + ((values || []).length > max
  ? ` <span class="muted">+${values.length - max}</span>` : "") || "-";
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
const dayNumber = (day) => Date.parse(`${day}T00:00:00Z`) / 86400000;
const LINKISH = `class="linkish"`;
const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const CLOCK_ORDER = ["early-warning", "incident-notification", "final-report"];

/** A link to ATT&CK's page of a technique, group, software or campaign id (T1566.002, G0034, S1125, C0034). */
function attackLink(id) {
  const text = String(id);
  if (/^T\d{4}(\.\d{3})?$/.test(text)) {
    return `<a href="https://attack.mitre.org/techniques/${esc(text.replace(".", "/"))}/" rel="noopener noreferrer"
      target="_blank">${esc(text)}</a>`;
  }
  const kind = ATTACK_URL[text[0]];
  return kind && /^[GSC]\d{4}$/.test(text) ? `<a href="https://attack.mitre.org/${kind}/${esc(text)}/"
    rel="noopener noreferrer" target="_blank">${esc(text)}</a>` : esc(text);
}

/** "2026-W42" for a day "2026-10-12" (ISO 8601 week, as the API counts). */
function isoWeek(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3);  // the Thursday of its week holds the week's year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d - Date.UTC(year, 0, 1)) / (7 * 86400000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Every ISO week touching [since, until], in order. */
function weeksOf(since, until) {
  const weeks = [];
  for (let n = dayNumber(since); n <= dayNumber(until); n += 1) {
    const week = isoWeek(new Date(n * 86400000).toISOString().slice(0, 10));
    if (weeks[weeks.length - 1] !== week) weeks.push(week);
  }
  return weeks;
}

/** The period of the page's link (?since=&until=), else the last DEFAULT_DAYS days to today; a bad one is said. */
function periodFromLink() {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const fallback = { since: daysAgo(DEFAULT_DAYS), until: daysAgo(0) };
  if (!own.has("since") && !own.has("until")) return { ...fallback, problem: "" };
  const since = own.get("since") || fallback.since;
  const until = own.get("until") || fallback.until;
  const problem = periodProblem(since, until);
  return problem ? { ...fallback, problem: `The link's period was not used (${problem}).` }
    : { since, until, problem: "" };
}

function periodProblem(since, until) {
  if (!DAY.test(since) || !DAY.test(until) || Number.isNaN(dayNumber(since)) || Number.isNaN(dayNumber(until))) {
    return "days are YYYY-MM-DD";
  }
  const days = dayNumber(until) - dayNumber(since);
  if (days < 0) return "the last day is before the first";
  if (days > MAX_DAYS) return `at most ${MAX_DAYS} days`;
  return "";
}

export async function renderCyber(view) {
  const period = periodFromLink();
  view.innerHTML = `
    <h1>Cyber: shared incidents, indicators, exposure and actors</h1>
    <p class="muted">What members share as MISP events or STIX 2.1 bundles, as far as you may see it, each item with its
      own marking. Days are UTC (YYYY-MM-DD); weeks are ISO 8601 weeks. Every incident is also a platform event: it
      can be opened on the Events page and answered from Respond.</p>
    <form class="filters card" id="period" aria-label="Period of the picture">
      <label>From (UTC day)<input name="since" ${dayField(period.since)}></label>
      <label>To (UTC day, included)<input name="until" ${dayField(period.until)}></label>
      <button type="submit">Show</button>
      <button type="button" id="period-report">Cyber threat report for this period</button>
      <span id="period-status" class="muted" role="status" aria-live="polite">${esc(period.problem)}</span>
    </form>
    <section aria-labelledby="picture-title">
      <h2 id="picture-title">The picture</h2>
      <div id="picture"><p class="muted">Loading the picture…</p></div>
    </section>
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <form class="filters" id="incident-filters" aria-label="Filter incidents">
        <label>RSIT class<select name="rsit_class"><option value="">any</option>${RSIT.map((c) =>
          `<option>${esc(c)}</option>`).join("")}</select></label>
        <label>NIS2 sector<select name="sector"><option value="">any</option>${SECTORS.map((s) =>
          `<option>${esc(s)}</option>`).join("")}</select></label>
        <label>Member state (ISO code)<input name="member_state" pattern="[A-Za-z]{2}" maxlength="2" size="4"
          placeholder="DE"></label>
        <input type="hidden" name="since"><input type="hidden" name="until">
        <button type="submit">Apply</button><button type="reset">Clear</button>
        <span id="incident-count" class="muted" aria-live="polite"></span>
      </form>
      <p class="muted">Dated within the period above, newest first. NIS2 clocks (Directive (EU) 2022/2555 art. 23(4))
        run from when the entity became aware, for significant incidents or those not yet assessed.</p>
      <table id="incidents"><thead></thead><tbody></tbody></table>
      <section id="incident-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="sightings-title">
      <h2 id="sightings-title">Sightings: “we saw it too”</h2>
      <p class="muted">Members' sightings merged per indicator. You see the observers you may know; the others are counted
        as undisclosed, never named.</p>
      <form class="filters" id="sighting-lookup" aria-label="Look up an indicator">
        <label>Type<input name="type" list="cyber-types" maxlength="32" size="12" placeholder="ipv4-addr" required></label>
        <label>Value<input name="value" maxlength="2048" size="34" placeholder="198.51.100.23" required></label>
        <button type="submit">Look up</button><button type="button" id="sightings-all">Most recent</button>
        <datalist id="cyber-types">${["ipv4-addr", "ipv6-addr", "domain-name", "hostname", "url", "email-addr", "md5",
          "sha1", "sha256", "file-name"].map((t) => `<option value="${t}">`).join("")}</datalist>
      </form>
      <p id="sightings-note" class="muted" aria-live="polite"></p>
      <table id="sightings"><thead><tr><th scope="col">Type</th><th scope="col">Indicator</th>
        <th scope="col" class="n">Seen (times)</th><th scope="col" class="n">Sighting reports</th>
        <th scope="col">First seen (UTC)</th><th scope="col">Last seen (UTC)</th><th scope="col">Observers</th>
        <th scope="col">Marking</th></tr></thead><tbody></tbody></table>
    </section>
    <section aria-labelledby="exposure-title">
      <h2 id="exposure-title">Exposure to known exploited vulnerabilities</h2>
      <div id="exposure"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="actors-title">
      <h2 id="actors-title">Actors: ranked ATT&amp;CK groups (leads, not attribution)</h2>
      <p class="muted">Groups whose documented techniques and software overlap with what you give, best first, with
        what each ranking rests on. A lead for an analyst, never an attribution: attribution is a decision of the member
        states, recorded in Respond.</p>
      <form class="filters" id="actors-form" aria-label="Rank ATT&amp;CK groups">
        <label>Techniques (ATT&amp;CK ids, comma-separated)<input name="techniques" size="28" maxlength="4000"
          placeholder="T1566.002, T1078"></label>
        <label>Software (names or S-ids, comma-separated)<input name="software" size="22" maxlength="4000"
          placeholder="AcidRain"></label>
        <label>How many<input name="limit" type="number" min="1" max="100" value="10" style="width:5em"></label>
        <label class="check"><input type="checkbox" name="campaigns"> campaigns instead of groups</label>
        <button type="submit">Rank</button>
      </form>
      <div id="actors" aria-live="polite"></div>
    </section>
    <section aria-labelledby="sanctions-title">
      <h2 id="sanctions-title">EU cyber sanctions and the ATT&amp;CK groups they concern</h2>
      <div id="sanctions"><p class="muted">Loading…</p></div>
    </section>
    <section class="card" aria-labelledby="share-title">
      <h2 id="share-title">Share a MISP event or a STIX 2.1 bundle</h2>
      <p class="muted">The file keeps its own markings (MISP tags such as tlp:amber and the Kompas marking tag, STIX
        marking definitions); your organisation is added as originator. A record that cannot be read or marked is
        listed with its reason; the others are shared. Kompas incident JSON without a marking takes the one below.</p>
      <form class="filters" id="share" aria-label="Share a file">
        <label>File (JSON)<input type="file" name="file" accept=".json,application/json" required></label>
        <label>Format<select name="format"><option value="">recognise it</option><option value="misp">MISP event</option>
          <option value="stix">STIX 2.1 bundle</option><option value="json">Kompas JSON</option></select></label>
        <label>Classification (Kompas JSON)<select name="classification">${["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL",
          "SECRET", "TOP_SECRET"].map((l) => `<option>${l}</option>`).join("")}</select></label>
        <label>TLP (Kompas JSON)<select name="tlp">${["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"].map((t) =>
          `<option${t === "AMBER" ? " selected" : ""}>${t}</option>`).join("")}</select></label>
        <button type="submit">Share</button>
      </form>
      <div id="share-result" role="status" aria-live="polite"></div>
    </section>
    <p class="muted" id="cyber-sources">Sources: MITRE ATT&amp;CK® v18.1 Enterprise and ICS (© The MITRE Corporation,
      used under the ATT&amp;CK licence); CISA Known Exploited Vulnerabilities catalogue (CC0 1.0); MISP taxonomies
      (RSIT, NIS2, PAP, admiralty scale, estimative language; CC0 1.0 or BSD-2-Clause) and the MISP threat-actor galaxy
      (CC0 1.0 or BSD-2-Clause); EU cyber sanctions listings under Council Regulation (EU) 2019/796; incidents,
      sightings and inventories contributed by platform members under their own markings.</p>`;

  const state = { since: period.since, until: period.until, sightings: [], loading: 0 };
  const form = view.querySelector("#incident-filters");
  if (period.problem) {  // the link's own period was refused: the table must not read it from the link either
    const own = new URLSearchParams(location.hash.split("?")[1] || "");
    own.set("since", state.since);
    own.set("until", state.until);
    history.replaceState(null, "", `${location.hash.split("?")[0]}?${own}`);
  }
  form.elements.since.value = state.since;
  form.elements.until.value = state.until;

  // the picture, the exposure and the sightings: the banner first, then all three are drawn
  const loadPicture = async () => {
    const mine = ++state.loading;
    const q = `since=${state.since}&until=${state.until}`;
    const [picture, exposure, sightings] = await Promise.all([
      request(`/api/v1/cyber/picture?${q}`), request(`/api/v1/cyber/exposure?as_of=${state.until}`),
      request("/api/v1/cyber/sightings?limit=100")]);
    if (mine !== state.loading) return;
    await showMarkings(view, [picture.marking, exposure.declarations ? exposure.marking : null,
      ...sightings.items.map((s) => s.marking)]);
    if (mine !== state.loading) return;
    view.querySelector("#picture").innerHTML = pictureSection(picture, state);
    view.querySelector("#exposure").innerHTML = exposureSection(exposure);
    view.querySelector("#sanctions").innerHTML = sanctionsSection(picture);
    state.sightings = sightings.items;
    drawSightings(view, sightings.items, `${plural(sightings.items.length, "indicator")} you may see, most recently
      sighted first.`);
  };
  const picturing = loadPicture();
  picturing.catch(() => {});  // awaited below (after the table): an early failure is not an unhandled rejection

  const table = await serverTable({
    view, path: "/api/v1/cyber/incidents", table: view.querySelector("#incidents"), form,
    status: view.querySelector("#incident-count"), defaultSort: "-date", limit: 25,
    rowAttributes: (i) => `class="link" tabindex="0" data-id="${esc(i.id)}"`,
    adjust: (params) => {  // a member state still being typed is not sent (the API takes two capitals)
      if (params.has("member_state")) {
        const code = params.get("member_state").toUpperCase();
        if (/^[A-Z]{2}$/.test(code)) params.set("member_state", code); else params.delete("member_state");
      }
    },
    columns: [
      { label: "Date (UTC)", sort: null, cell: (i) => `<span class="time">${esc(i.date)}</span>` },
      { label: "Title", sort: null, cell: (i) => esc(i.title) },
      { label: "RSIT", sort: null, cell: (i) => esc(i.rsit_class ? `${i.rsit_class}/${i.rsit_type || "-"}` : "-") },
      { label: "NIS2 sectors", sort: null, cell: (i) => list(i.nis2?.sectors) },
      { label: "Member states", sort: null, cell: (i) => list(i.member_states, 4) },
      { label: "Techniques", sort: null, cell: (i) => list(i.techniques) },
      { label: "NIS2 clocks", sort: null, cell: (i) => clocksCell(i.nis2_clocks) },
      { label: "Shared by", sort: null, cell: (i) => esc(i.shared_by) },
      { label: "Marking", sort: null, cell: (i) => mark(i.marking) },
    ],
    drawn: (_items, answer) => {  // the listing has no total: on its last page the total is the last row's number
      const status = view.querySelector("#incident-count");
      if (!answer.next) status.textContent = status.textContent.replace(/^0 of \?$/, "0 of 0")
        .replace(/–([\d\u2009]+) of \?$/, "–$1 of $1");
    },
  });
  form.addEventListener("reset", () => setTimeout(() => {
    form.elements.since.value = state.since;  // the period stays: it is the form above
    form.elements.until.value = state.until;
    form.requestSubmit();
  }));

  // the period: the picture and the incident table follow it
  const periodForm = view.querySelector("#period");
  const periodStatus = view.querySelector("#period-status");
  periodForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const since = periodForm.elements.since.value.trim();
    const until = periodForm.elements.until.value.trim();
    const problem = periodProblem(since, until);
    if (problem) { periodStatus.innerHTML = `<span class="error" role="alert">${esc(problem)}</span>`; return; }
    Object.assign(state, { since, until });
    form.elements.since.value = since;
    form.elements.until.value = until;
    periodStatus.textContent = "Loading…";
    try {
      await Promise.all([loadPicture(), table.reload()]);
      periodStatus.textContent = "";
    } catch (error) {
      periodStatus.innerHTML = `<span class="error" role="alert">${esc(error.message)}</span>`;
    }
  });
  view.querySelector("#period-report").addEventListener("click", async () => {
    try {
      const job = await request("/api/v1/reports/cyber", { method: "POST",
        body: { since: state.since, until: state.until, format: "pdf" } });
      remember({ title: "Cyber threat report", asked: `${state.since} to ${state.until} (included), PDF`,
        href: job.href });
      location.hash = "#/reports";  // the Reports page follows the job and offers the file
    } catch (error) {
      periodStatus.innerHTML = `<span class="error" role="alert">Report refused: ${esc(error.message)}</span>`;
    }
  });

  // an incident's panel, from a row, a surge or a shared file
  const detail = view.querySelector("#incident-detail");
  let opening = 0;
  const openIncident = async (id) => {
    const mine = ++opening;
    detail.hidden = false;
    detail.innerHTML = `<p class="muted">Loading the incident…</p>`;
    try {
      const incident = await request(`/api/v1/cyber/incidents/${encodeURIComponent(id)}`);
      // an attribute marked on its own (e.g. a victim's mailbox under TLP:RED) is shown with the incident's marking
      // combined with its own, and the banner covers it
      const own = [...(incident.observables || []), ...(incident.annotations || [])].filter((o) => o.marking);
      const keys = [...new Set(own.map((o) => JSON.stringify(o.marking)))];
      const combined = await Promise.all(keys.map((k) => request("/api/v1/markings/combine", { method: "POST",
        body: { markings: [incident.marking, JSON.parse(k)] } })));
      if (mine !== opening) return;
      const banners = new Map(keys.map((k, n) => [k, combined[n]]));
      await showMarkings(view, [incident.marking, incident.shared_under, ...combined]);  // the banner first
      if (mine !== opening) return;
      detail.innerHTML = incidentPanel(incident, banners, state.sightings);
      detail.dataset.id = incident.id;
    } catch (error) {
      if (mine !== opening) return;
      detail.innerHTML = `<p class="error" role="alert">Could not open the incident: ${esc(error.message)}</p>`;
    }
    detail.focus({ preventScroll: true });
    detail.scrollIntoView({ block: "nearest" });
  };
  rowsOpen(view.querySelector("#incidents tbody"), (tr) => openIncident(tr.dataset.id));
  view.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-incident]");
    if (button) openIncident(button.dataset.incident);
  });
  detail.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-export]");
    if (button) { exportIncident(detail, button); return; }
    if (event.target.closest("button#rank-incident")) {
      const incident = JSON.parse(detail.querySelector("#rank-incident").dataset.evidence);
      const actorsForm = view.querySelector("#actors-form");
      actorsForm.elements.techniques.value = incident.techniques.join(", ");
      actorsForm.elements.software.value = incident.software.join(", ");
      actorsForm.requestSubmit();
      view.querySelector("#actors-title").scrollIntoView({ block: "start" });
    }
  });

  // sightings: the most recent, or one indicator
  const lookup = view.querySelector("#sighting-lookup");
  lookup.addEventListener("submit", async (event) => {
    event.preventDefault();
    const type = lookup.elements.type.value.trim();
    const value = lookup.elements.value.value.trim();
    try {
      const found = await request(`/api/v1/cyber/sightings?type=${encodeURIComponent(type)}&value=${
        encodeURIComponent(value)}`);
      await showMarkings(view, found.items.map((s) => s.marking));
      drawSightings(view, found.items, found.items.length ? `The sightings of ${type} ${value} you may see.`
        : `No sighting of ${type} ${value} that you may see.`);
    } catch (error) {
      view.querySelector("#sightings-note").innerHTML = `<span class="error" role="alert">${esc(error.message)}</span>`;
    }
  });
  view.querySelector("#sightings-all").addEventListener("click", () => {
    drawSightings(view, state.sightings, `${plural(state.sightings.length, "indicator")} you may see, most recently
      sighted first.`);
  });

  // actors
  const actorsForm = view.querySelector("#actors-form");
  actorsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = view.querySelector("#actors");
    const f = actorsForm.elements;
    const params = new URLSearchParams({ techniques: splitList(f.techniques.value).map((t) => t.toUpperCase())
      .join(","), software: splitList(f.software.value).join(","), limit: String(Number(f.limit.value) || 10) });
    if (f.campaigns.checked) params.set("campaigns", "true");
    box.innerHTML = `<p class="muted">Ranking…</p>`;
    try {
      box.innerHTML = actorsSection(await request(`/api/v1/cyber/actors?${params}`), f.campaigns.checked);
    } catch (error) {
      box.innerHTML = `<p class="error" role="alert">No ranking: ${esc(error.message)}</p>`;
    }
  });

  // sharing a file
  const share = view.querySelector("#share");
  share.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = view.querySelector("#share-result");
    const file = share.elements.file.files[0];
    if (!file) return;
    const params = new URLSearchParams({ classification: share.elements.classification.value,
      tlp: share.elements.tlp.value });
    if (share.elements.format.value) params.set("format", share.elements.format.value);
    result.innerHTML = `<p class="muted">Sharing ${esc(file.name)}…</p>`;
    try {
      const done = await upload(`/api/v1/cyber/incidents?${params}`, await file.text());
      result.innerHTML = shareResult(file.name, done);
      await Promise.all([loadPicture(), table.reload()]);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      result.innerHTML = `<p class="error" role="alert">Refused: ${esc(error.message)}</p>`;
    }
  });

  await picturing.catch((error) => {
    if (error instanceof AuthError) throw error;
    view.querySelector("#picture").innerHTML = `<p class="error" role="alert">Could not load the picture:
      ${esc(error.message)}</p>`;
    for (const id of ["#exposure", "#sanctions"]) {
      view.querySelector(id).innerHTML = `<p class="muted">Not loaded (see the picture above).</p>`;
    }
  });
}

function dayField(value) {
  return `value="${esc(value)}" pattern="\\d{4}-\\d{2}-\\d{2}" inputmode="numeric" placeholder="YYYY-MM-DD"
    maxlength="10" size="11" required`;
}

function splitList(text) {
  return String(text || "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** Rows open with a click or with Enter (a link or button in a row keeps its own meaning). */
function rowsOpen(body, open) {
  body.addEventListener("click", (event) => {
    if (event.target.closest("a, button")) return;
    const tr = event.target.closest("tr[data-id]");
    if (tr) open(tr);
  });
  body.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.closest("a, button")) return;
    const tr = event.target.closest("tr[data-id]");
    if (tr) { event.preventDefault(); open(tr); }
  });
}

/** POST a file's text as the body (the API reads MISP, STIX or Kompas JSON as sent). */
async function upload(path, text) {
  const response = await fetch(path, { method: "POST", body: text,
    headers: { Authorization: `Bearer ${token() ?? ""}`, "Content-Type": "application/json" } });
  if (response.status === 401) throw new AuthError("sign in again");
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = JSON.stringify((await response.json()).detail); } catch { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response.json();
}

// --- the picture ----------------------------------------------------------------------------------------------

function clockStatus(status) {
  return status === "overdue" ? `<span class="clock-overdue">overdue</span>`
    : status === "late" ? `<span class="clock-late">late</span>` : esc(status);
}

function clocksCell(clocks) {
  if (!clocks || !clocks.length) return `<span class="muted">none running</span>`;
  return clocks.map((c) => `<span class="clock${c.status === "overdue" ? " overdue" : ""}" title="${esc(
    `${c.report} due ${utc(c.due_utc, 0)}${c.provisional ? " (provisional)" : ""}`)}">${esc(
    (REPORTS[c.report] || c.report).split(" (")[0])}: ${clockStatus(c.status)}</span>`).join("<br>");
}

/** A horizontal bar per key, largest first (at most `most`), as a table (readable without the bars). */
function barTable(id, caption, rows, most = 10, label = (k) => k) {
  if (!rows.length) return `<div class="card chart"><h3>${esc(caption)}</h3><p class="muted">None.</p></div>`;
  const max = Math.max(...rows.map((r) => r.count));
  const shown = rows.slice(0, most);
  return `<div class="card chart"><table class="hbars" id="${id}"><caption>${esc(caption)}</caption>
    <colgroup><col class="key"><col class="fill">
    <col class="n"></colgroup><tbody>${shown
    .map((r) => `<tr><th scope="row">${label(r.key)}</th><td class="fill"><span style="width:${(100 * r.count / max)
      .toFixed(1)}%"></span></td><td class="n">${count(r.count)}</td></tr>`).join("")}</tbody></table>${rows.length > most
    ? `<p class="muted">and ${rows.length - most} more</p>` : ""}</div>`;
}

/** Incidents per ISO week over the period, as SVG bars (zero weeks included), with the counts in words. */
function weekChart(byWeek, since, until) {
  const weeks = weeksOf(since, until);
  const counts = new Map(byWeek.map((w) => [w.key, w.count]));
  const values = weeks.map((w) => counts.get(w) || 0);
  const max = Math.max(1, ...values);
  const [W, H, left, right, top, bottom] = [620, 190, 30, 8, 16, 38];
  const step = (W - left - right) / weeks.length;
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const every = Math.ceil(weeks.length / 16);
  const said = weeks.map((w, k) => [w, values[k]]).filter(([, v]) => v).map(([w, v]) => `${w}: ${v}`).join(", ");
  return `<div class="card chart wide"><h3 id="weeks-title">Incidents per ISO week</h3>
    <svg id="weeks" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="weeks-title" aria-describedby="weeks-said">
      ${ticks.map((t) => `<line class="grid" x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}"></line>
        <text class="tick" x="${left - 5}" y="${y(t) + 4}" text-anchor="end">${t}</text>`).join("")}
      ${values.map((v, k) => (v ? `<rect class="week" x="${(left + k * step + 1).toFixed(1)}" y="${y(v).toFixed(1)}"
        width="${Math.max(step - 2, 1).toFixed(1)}" height="${(y(0) - y(v)).toFixed(1)}" data-week="${weeks[k]}"><title>${
        weeks[k]}: ${v} incidents</title></rect>${step > 18 ? `<text class="value" x="${(left + k * step + step / 2)
        .toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle">${v}</text>` : ""}` : "")).join("")}
      ${weeks.map((w, k) => (k % every === 0 ? `<text class="tick" x="${(left + k * step + step / 2).toFixed(1)}"
        y="${H - bottom + 15}" text-anchor="middle">${w.slice(5)}</text>` : "")).join("")}
      <text class="tick" x="${left}" y="${H - 4}">${esc(weeks[0].slice(0, 4))}${weeks[0].slice(0, 4) !== weeks[
        weeks.length - 1].slice(0, 4) ? ` to ${esc(weeks[weeks.length - 1].slice(0, 4))}` : ""} (ISO weeks)</text>
    </svg>
    <p class="muted" id="weeks-said">${said ? esc(said) : "No incident in the period."}</p></div>`;
}

function pictureSection(p, state) {
  const clocks = Object.entries(p.clocks || {}).sort(([a], [b]) => CLOCK_ORDER.indexOf(a.split(" ")[0])
    - CLOCK_ORDER.indexOf(b.split(" ")[0]) || a.localeCompare(b));
  const overdue = clocks.filter(([k]) => k.endsWith(" overdue")).reduce((n, [, v]) => n + v, 0);
  const clockTable = clocks.length ? `<table class="clocks"><thead><tr><th scope="col">NIS2 report</th>
    <th scope="col">Status</th><th scope="col" class="n">Incidents</th></tr></thead><tbody>${clocks.map(([k, v]) => {
      const [report, status] = k.split(" ");
      return `<tr><td>${esc(REPORTS[report] || report)}</td><td>${clockStatus(status)}</td><td class="n">${v}</td></tr>`;
    }).join("")}</tbody></table>` : `<p class="muted">No NIS2 clock runs for the incidents of the period.</p>`;
  const surges = p.surges.length ? `<table id="surges"><thead><tr><th scope="col">RSIT class</th>
    <th scope="col">Days (UTC)</th><th scope="col" class="n">Incidents</th><th scope="col" class="n">Expected per week
    </th><th scope="col" class="n">Score (−log₁₀ p)</th><th scope="col">Reported by</th><th scope="col">Member states
    </th></tr></thead><tbody>${p.surges.map((s) => `<tr><td>${esc(s.rsit_class)}</td>
    <td class="time">${esc(s.first_day)} to ${esc(s.last_day)}</td><td class="n">${s.incidents.map((id, k) =>
      `<button type="button" ${LINKISH} data-incident="${esc(id)}" title="Open incident ${k + 1}">${k + 1}</button>`)
      .join(" ")}</td><td class="n">${esc(s.expected.toFixed(2))}</td><td class="n">${esc(s.score.toFixed(2))}</td>
    <td>${esc(s.reporters.join(", "))}</td><td>${esc(s.member_states.join(", ")) || "-"}</td></tr>`).join("")}
    </tbody></table>` : `<p class="muted">No surge: no RSIT class burst in one week (at least 3 incidents from 2 members
    or hitting 2 member states, 3 times the class's own rate, Poisson p below 10⁻³).</p>`;
  return `<p id="picture-summary"><b>${plural(p.incidents, "incident")}</b> from ${esc(p.since)} to ${esc(p.until)}
      (UTC days, both included), ${count(p.significant)} significant under NIS2${overdue
      ? `; <span class="clock-overdue">${plural(overdue, "NIS2 report")} overdue</span>` : ""}. ${mark(p.marking)}</p>
    ${p.notes.length ? `<p class="muted">${p.notes.map(esc).join("; ")}</p>` : ""}
    <div class="cyber-charts">
      ${weekChart(p.by_week, state.since, state.until)}
      ${barTable("by-sector", "By NIS2 sector", p.by_sector)}
      ${barTable("by-rsit", "By RSIT class", p.by_rsit_class)}
      ${barTable("by-state", "By member state affected", p.by_member_state, 12)}
      ${barTable("by-reporter", "By sharing member", p.by_reporter)}
      ${barTable("by-technique", "ATT&CK techniques most seen", p.techniques, 10, attackLink)}
      ${p.software.length ? barTable("by-software", "Malware and tools most seen", p.software) : ""}
      ${p.actors_named.length ? barTable("by-actor", "Actors named by the sources (their claim)", p.actors_named) : ""}
      <div class="card chart"><h3>NIS2 reporting clocks</h3>${clockTable}</div>
    </div>
    <h3>Surges</h3>${surges}`;
}

// --- incidents ------------------------------------------------------------------------------------------------

function incidentPanel(i, banners, sightings) {
  const n = i.nis2 || {};
  const sighted = new Map(sightings.map((s) => [`${s.type}|${s.value}`, s]));
  const ownMark = (o) => (o.marking ? mark(banners.get(JSON.stringify(o.marking))) : `<span class="muted">as
    shared</span>`);
  const software = [...(i.malware || []), ...(i.tools || [])];
  const rows = [
    ["Date (UTC)", esc(i.date)],
    ["Started, detected, reported (UTC)", `${esc(utc(i.started_utc, 0))}, ${esc(utc(i.detected_utc, 0))},
      ${esc(utc(i.reported_utc, 0))}`],
    ["RSIT", esc(i.rsit_class ? `${i.rsit_class} / ${i.rsit_type || "-"}` : "not classified")],
    ["NIS2 sectors", esc([...(n.sectors || []), ...(n.subsectors || []).map((s) => `(${s})`)].join(" ")) || "-"],
    ["NIS2 entity, significant", `${esc(n.entity_type || "not given")}, ${n.significant === true ? "significant"
      : n.significant === false ? "not significant" : "not yet assessed"}${n.impact_severity
      ? `; impact ${esc(n.impact_severity)}${n.impact_outlook ? `, ${esc(n.impact_outlook)}` : ""}` : ""}${n.root_cause
      ? `; root cause ${esc(n.root_cause)}` : ""}`],
    ["Member states affected", esc((i.member_states || []).join(", ")) || "-"],
    ["ATT&CK techniques", (i.techniques || []).map(attackLink).join(", ") || "none recorded"],
    ["Malware", esc((i.malware || []).join(", ")) || "-"],
    ["Tools", esc((i.tools || []).join(", ")) || "-"],
    ["Actors named by the source", (i.actors || []).length ? `${esc(i.actors.join(", "))} <span class="muted">(the
      source's claim, not an attribution)</span>` : "-"],
    ["Tags", esc((i.tags || []).join("; ")) || "-"],
    ["Threat level, analysis", `${esc(i.threat_level || "-")}, ${esc(i.analysis || "-")}`],
    ["Source", `${esc(i.source_org || "-")}; shared by ${esc(i.shared_by)}`],
  ];
  const observables = (i.observables || []).length ? `<table class="observables"><thead><tr><th scope="col">Type</th>
    <th scope="col">Value</th><th scope="col">For detection</th><th scope="col">Comment</th><th scope="col">Sighted
    </th><th scope="col">Marking</th></tr></thead><tbody>${i.observables.map((o) => {
      const s = sighted.get(`${o.type}|${o.value}`);
      return `<tr><td>${esc(o.type)}</td><td class="ioc">${esc(o.value)}</td><td>${o.to_ids ? "yes" : "no"}</td>
        <td>${esc(o.comment)}</td><td>${s ? `${count(s.count)} times, ${observers(s)}` : "-"}</td><td>${ownMark(o)}</td>
        </tr>`;
    }).join("")}</tbody></table>` : `<p class="muted">No observable you may see.</p>`;
  const annotations = (i.annotations || []).length ? `<details><summary>Other attributes (${i.annotations.length})
    </summary><table><thead><tr><th scope="col">Type</th><th scope="col">Value</th><th scope="col">Comment</th>
    <th scope="col">Marking</th></tr></thead><tbody>${i.annotations.map((a) => `<tr><td>${esc(a.misp_type)}</td>
    <td>${esc(a.value)}</td><td>${esc(a.comment)}</td><td>${ownMark(a)}</td></tr>`).join("")}</tbody></table></details>`
    : "";
  const clocks = (i.nis2_clocks || []).length ? `<table class="clocks"><thead><tr><th scope="col">Report</th>
    <th scope="col">Due (UTC)</th><th scope="col">Status</th><th scope="col">Submitted (UTC)</th><th scope="col">Basis
    </th></tr></thead><tbody>${i.nis2_clocks.map((c) => `<tr${c.status === "overdue" ? ' class="overdue"' : ""}>
    <td>${esc(REPORTS[c.report] || c.report)}</td><td class="time">${esc(utc(c.due_utc, 0))}${c.provisional
      ? ` <span class="muted">(provisional: the notification is not in)</span>` : ""}</td><td>${clockStatus(c.status)}
      ${c.status === "open" ? `<span class="muted">(${Math.round(c.hours_left)} h left)</span>` : ""}</td>
    <td class="time">${esc(utc(c.submitted_utc, 0))}</td><td>${esc(c.basis)}</td></tr>`).join("")}</tbody></table>`
    : `<p class="muted">No NIS2 clock runs: ${i.detected_utc ? "assessed as not significant" : "no time of awareness"
    } given.</p>`;
  const evidence = JSON.stringify({ techniques: i.techniques || [], software });
  const under = i.shared_under && i.shared_under.banner !== i.marking.banner ? ` <span class="muted">(shared under
    </span>${mark(i.shared_under)}<span class="muted">; some of its attributes carry a marking of their own)</span>` : "";
  return `<h3>${esc(i.title)}</h3>
    <p>${mark(i.marking)}${under}</p>
    <p class="actions"><a href="#/event/${esc(i.id)}">The platform event</a> · <a href="#/respond/${esc(i.id)}">Response
      options (Respond)</a> · <button type="button" data-export="misp">Export MISP event</button>
      <button type="button" data-export="stix">Export STIX 2.1 bundle</button>${(i.techniques || []).length
      || software.length ? ` <button type="button" id="rank-incident" data-evidence="${esc(evidence)}">Rank ATT&amp;CK
      groups for it</button>` : ""}
      <span class="export-status muted" role="status" aria-live="polite"></span></p>
    ${i.description ? `<p>${esc(i.description)}</p>` : ""}
    <dl class="evidence">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>
    <h4>Observables (${(i.observables || []).length})</h4>${observables}${annotations}
    <h4>NIS2 reporting clocks</h4>${clocks}`;
}

async function exportIncident(detail, button) {
  const status = detail.querySelector(".export-status");
  const id = detail.dataset.id;
  const format = button.dataset.export;
  button.disabled = true;
  try {
    const response = await request(`/api/v1/cyber/incidents/${encodeURIComponent(id)}/export?format=${format}`,
      { raw: true });
    const name = `${id}.${format}.json`;
    download(name, await response.blob(), response.headers.get("content-type"));
    status.textContent = `Downloaded ${name}, marked ${response.headers.get("X-Kompas-Marking") || "-"}`;
  } catch (error) {
    status.textContent = `Could not export: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

// --- sightings, exposure, actors, sanctions, sharing ----------------------------------------------------------

function observers(s) {
  const named = (s.observers || []).join(", ");
  const hidden = s.undisclosed ? `${s.undisclosed} undisclosed` : "";
  return esc([named, hidden].filter(Boolean).join(" + ") || "-");
}

/** The kinds of report other than "seen" (false positives, expirations), with their counts: " (false-positive 2)". */
function kindsNote(s) {
  const kinds = Array.isArray(s.kinds) ? Object.fromEntries(s.kinds.map((k) => [k, null])) : s.kinds || {};
  const other = Object.entries(kinds).filter(([k]) => k !== "sighting" && k !== "true-positive");
  return other.length ? ` <span class="muted">(${esc(other.map(([k, n]) => (n === null ? k : `${k} ${n}`))
    .join(", "))})</span>` : "";
}

function drawSightings(view, items, note) {
  view.querySelector("#sightings-note").textContent = note.split(/\s+/).join(" ");
  view.querySelector("#sightings tbody").innerHTML = items.map((s) => `<tr><td>${esc(s.type)}</td>
    <td class="ioc">${esc(s.value)}</td><td class="n">${count(s.count)}</td><td class="n">${count(s.sightings)}</td>
    <td class="time">${esc(utc(s.first_seen_utc, 0))}</td><td class="time">${esc(utc(s.last_seen_utc, 0))}</td>
    <td>${observers(s)}${kindsNote(s)}</td><td>${mark(s.marking)}</td></tr>`).join("")
    || `<tr><td colspan="8" class="muted">No sighting you may see.</td></tr>`;
}

function exposureSection(e) {
  const a = e.aggregate;
  const pct = (x) => `${Math.round(100 * x)} %`;
  const head = `<p><b class="exposure-status">Every match is “${esc(e.status)}”</b>: a product declared as a CPE name
    matches a KEV entry's product, not the patch level installed. ${e.declarations ? mark(e.marking) : ""}</p>
    <p class="muted">As of ${esc(e.as_of)} (the period's last day), CISA KEV catalogue ${esc(e.catalogue_version)};
    ${esc(e.rule)}.${(e.notes || []).length ? ` ${e.notes.map(esc).join("; ")}.` : ""}</p>`;
  if (!e.declarations) {
    return `${head}<p class="muted">No product inventory you may see: members declare theirs (CPE 2.3) with
      POST /api/v1/cyber/inventory.</p>`;
  }
  const members = `<table id="exposure-members"><thead><tr><th scope="col">Member</th><th scope="col" class="n">Products
    declared</th><th scope="col" class="n">Matched</th><th scope="col" class="n">KEV CVEs</th><th scope="col" class="n">
    Used in ransomware</th><th scope="col" class="n">Past CISA's due date</th></tr></thead><tbody>${e.members.map((m) =>
    `<tr><td>${esc(m.member)}</td><td class="n">${count(m.declared)}</td><td class="n">${count(m.matched)}</td>
    <td class="n">${count(m.cves)}</td><td class="n">${count(m.ransomware_known)}</td><td class="n">${count(m.overdue)}
    </td></tr>`).join("")}</tbody></table>`;
  const top = a.per_cve.slice().sort((x, y) => (y.ransomware === "Known") - (x.ransomware === "Known")
    || y.members - x.members || String(y.date_added).localeCompare(String(x.date_added))).slice(0, 15);
  const cves = `<table id="exposure-cves"><thead><tr><th scope="col">CVE</th><th scope="col">Vendor</th>
    <th scope="col">Product</th><th scope="col">In KEV since</th><th scope="col">Ransomware use</th>
    <th scope="col" class="n">Members exposed</th><th scope="col" class="n">Assets declared</th></tr></thead>
    <tbody>${top.map((c) => `<tr><td><a href="https://nvd.nist.gov/vuln/detail/${esc(c.cve_id)}"
    rel="noopener noreferrer" target="_blank">${esc(c.cve_id)}</a></td><td>${esc(c.vendor_project)}</td>
    <td>${esc(c.product)}</td><td class="time">${esc(c.date_added)}</td>
    <td>${c.ransomware === "Known" ? `<span class="ransomware">known</span>` : esc(c.ransomware.toLowerCase())}</td>
    <td class="n">${count(c.members)}</td><td class="n">${c.assets === null || c.assets === undefined ? "-"
      : count(c.assets)}</td></tr>`).join("")}</tbody></table>`;
  return `${head}
    <p id="exposure-summary">${count(a.members_exposed)} of ${count(a.members)} members potentially exposed:
      ${count(a.cves)} KEV CVEs, <span class="ransomware">${count(a.ransomware_cves)} known to be used in ransomware
      campaigns</span> (${pct(a.ransomware_share_cves)}), ${count(a.overdue)} exposures past CISA's due date.</p>
    ${members}
    <h3>Top CVEs (ransomware use first, then members exposed; ${top.length} of ${count(a.per_cve.length)})</h3>${cves}`;
}

function actorsSection(r, campaigns) {
  if (!r.leads.length) {
    return `<p class="lead-label">${esc(r.label)}</p><p class="muted">No ATT&amp;CK ${campaigns ? "campaign" : "group"}
      overlaps with this evidence.${r.notes.length ? ` ${r.notes.map(esc).join("; ")}` : ""}</p>`;
  }
  const [head, ...rest] = String(r.label).split(":");
  return `<p class="lead-label"><b>${esc(head.charAt(0).toUpperCase() + head.slice(1))}</b>${rest.length
    ? `: ${esc(rest.join(":").trim())}` : ""}.</p>
    ${r.notes.length ? `<p class="muted">${r.notes.map(esc).join("; ")}</p>` : ""}
    <table id="leads"><thead><tr><th scope="col" class="n">#</th><th scope="col">ATT&amp;CK id</th><th scope="col">Name
    </th><th scope="col" class="n">Score</th><th scope="col">Rests on</th><th scope="col">Shared techniques</th>
    <th scope="col">Shared software</th>${campaigns ? `<th scope="col">Attributed by ATT&amp;CK to</th>` : ""}
    <th scope="col">Why</th></tr></thead><tbody>${r.leads.map((l, k) => {
      const id = l.group_id || l.campaign_id;
      return `<tr><td class="n">${k + 1}</td><td>${attackLink(id)}</td><td>${esc(l.name)}</td>
        <td class="n">${esc(l.score.toFixed(3))}</td><td>${l.evidence.matched} of the ${l.evidence.asked} items given
        matched; ${campaigns ? "the campaign's" : "the group's"} ATT&amp;CK profile has ${count(l.evidence.profile)}
        items</td><td>${l.shared_techniques.map(attackLink).join(", ") || "-"}</td>
        <td>${l.shared_software.map(attackLink).join(", ") || "-"}</td>${campaigns ? `<td>${(l.attributed_to || [])
          .map(attackLink).join(", ") || "-"}</td>` : ""}
        <td><details><summary>${plural(l.why.length, "reason")}</summary><ul>${l.why.map((w) =>
          `<li>${esc(w)}</li>`).join("")}
        </ul></details></td></tr>`;
    }).join("")}</tbody></table>
    <p class="muted">Method: ${esc(r.method || "")}</p>`;
}

function sanctionsSection(p) {
  const note = `<p class="muted">Persons and entities listed by the Council under the EU cyber sanctions regime
    (Regulation (EU) 2019/796), each resolved to the ATT&amp;CK groups behind the attack it was listed for, from
    ATT&amp;CK's and the MISP galaxy's own text and relationships (resolved from the row's own text, or from the other
    rows of its listing). A listing is the Council's decision; the groups are how ATT&amp;CK tracks the activity.
    The last column counts the incidents of the period you may see whose source names one of those groups
    ${mark(p.marking)}.</p>`;
  if (!p.sanctions.length) return `${note}<p class="muted">No listing linked (ATT&amp;CK or the listings are not at hand
    on the server).</p>`;
  return `${note}<table id="sanctions-table"><thead><tr><th scope="col">Listed</th><th scope="col">On</th>
    <th scope="col">For</th><th scope="col">ATT&amp;CK groups</th><th scope="col">Resolved from</th>
    <th scope="col">Incidents naming them</th></tr></thead><tbody>${p.sanctions.map((s) => `<tr><td>${esc(s.name)}</td>
    <td class="time" title="${esc(s.legal_act)}">${esc(s.listed_on)}</td><td>${esc(s.attack)}</td>
    <td>${s.groups.map((g) => `${attackLink(g.group_id)} ${esc(g.name)}`).join("<br>") || "-"}</td>
    <td class="muted">${esc(s.evidence.join("; "))}${s.via ? ` (from the ${esc(s.via === "row" ? "row" : "listing")})`
      : ""}</td>
    <td>${s.incidents.length ? s.incidents.map((id, k) => `<button type="button" ${LINKISH} data-incident="${esc(id)}"
      >${k + 1}</button>`).join(" ") : "-"}</td></tr>`).join("")}</tbody></table>`;
}

function shareResult(name, d) {
  const rejected = d.rejected.length ? `<table class="rejected"><thead><tr><th scope="col">Item</th><th scope="col">Field
    </th><th scope="col">Reason</th><th scope="col">Value</th></tr></thead><tbody>${d.rejected.map((r) => `<tr>
    <td>${esc(r.item ?? r.line ?? "")}</td><td>${esc(r.field)}</td><td>${esc(r.reason)}</td><td>${esc(r.value ?? "")}
    </td></tr>`).join("")}</tbody></table>` : "";
  const opened = (ids) => ids.map((id) => `<button type="button" ${LINKISH} data-incident="${esc(id)}">${esc(id)}
    </button>`).join(", ");
  return `<p><b>${esc(name)}</b> (${esc(d.format)}): ${plural(d.added.length, "incident")} shared${d.added.length
    ? ` (${opened(d.added)})` : ""}, ${d.replaced.length} updated${d.replaced.length ? ` (${opened(d.replaced)})` : ""},
    ${plural(d.sightings, "sighting")} recorded, ${plural(d.rejected.length, "record")} refused.</p>
    ${d.notes.length ? `<p class="muted">${d.notes.map(esc).join("; ")}</p>` : ""}${rejected}`;
}
