// FIMI (foreign information manipulation and interference): the incidents the user may see, paged and filtered by
// the server with the API's own filters; an incident opens with its fields, techniques, attribution, merges and
// the response options of the FIMI toolbox; the narratives (clusters) and the surges of the latest analysis run the
// user may see, a surge with the incidents behind it and its response options. Every row and panel shows its own
// marking, and the banner is raised for anything before it is put on screen.
import { all, esc, request, showMarkings } from "../api.js";
import { utc, utcDay } from "../format.js";
import { serverTable } from "../table.js";

const ATTRIBUTIONS = ["official-state-channel", "state-controlled-outlet", "state-linked", "state-aligned",
  "unattributed"];
const CATEGORIES = { prevention: "Prevention", resilience: "Resilience", disruption: "Disruption",
  regulatory: "Regulatory", diplomatic: "Diplomatic" };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
// the suggestions of the free-text filters: values seen on the pages shown (the API matches them exactly, any case)
const SUGGEST = { target: (i) => i.targets.map((t) => t.name), language: (i) => i.languages,
  outlet: (i) => i.channels.map((c) => c.name), technique: (i) => i.techniques, narrative: (i) => i.narratives };

// a button that reads as a link (it opens an incident in the page rather than going anywhere)
const LINKISH = `style="background:none;border:none;padding:0;font:inherit;color:var(--accent);text-decoration:underline;
  cursor:pointer;text-align:left"`;
const mark = (m) => `<span class="mark">${esc(m?.banner)}</span>`;
const list = (values, max = 3) => esc(values.slice(0, max).join(", ")) + (values.length > max
  ? ` <span class="muted">+${values.length - max}</span>` : "");

/** A link to a web address given in a record (http and https only; anything else is shown as text). */
function link(url, text = url) {
  return /^https?:\/\//i.test(url || "") ? `<a href="${esc(url)}" rel="noopener noreferrer" target="_blank">${esc(text)}</a>`
    : esc(text);
}

/** The host of a web address ("euvsdisinfo.eu"), or the address itself when it has none. */
function host(url) {
  try { return new URL(url).host || url; } catch { return url; }
}

export async function renderFimi(view) {
  view.innerHTML = `
    <h1>FIMI: foreign information manipulation and interference</h1>
    <p class="muted">Incidents, narratives and coordinated surges that you may see, each with its own marking. Dates
      are UTC days (ISO 8601).</p>
    <p class="muted" id="fimi-sources">Sources: incidents imported from the EUvsDisinfo database, EEAS East StratCom
      Task Force (cited as its terms of reuse ask; not for commercial reuse); techniques and countermeasures from the
      DISARM framework (DISARM Foundation, CC BY-SA 4.0); incidents contributed by platform members under their own
      markings.</p>
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <form class="filters" id="incident-filters" aria-label="Filter incidents">
        <label>First seen from (UTC day)<input name="since" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}"
          placeholder="YYYY-MM-DD" maxlength="10" size="11"></label>
        <label>First seen before (UTC day)<input name="until" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}"
          placeholder="YYYY-MM-DD" maxlength="10" size="11"></label>
        <label>Target<input name="target" list="fimi-target" maxlength="300" size="14"></label>
        <label>Language<input name="language" list="fimi-language" maxlength="300" size="12"></label>
        <label>Outlet<input name="outlet" list="fimi-outlet" maxlength="300" size="16"></label>
        <label>DISARM technique<input name="technique" list="fimi-technique" pattern="T\\d{4}(\\.\\d{3})?"
          placeholder="T0022" maxlength="9" size="9"></label>
        <label>Narrative<input name="narrative" list="fimi-narrative" maxlength="300" size="16"></label>
        <label>Attribution<select name="attribution" aria-label="Attribution"><option value="">any</option>${ATTRIBUTIONS.map((a) =>
          `<option>${esc(a)}</option>`).join("")}</select></label>
        <label>Title words<input name="q" type="search" maxlength="200" size="16"></label>
        <button type="submit">Apply</button><button type="reset">Clear</button>
        <span id="incident-count" class="muted" aria-live="polite"></span>
        ${Object.keys(SUGGEST).map((k) => `<datalist id="fimi-${k}"></datalist>`).join("")}
      </form>
      <p class="muted">Target, language, outlet, technique and narrative match a whole value (any case); the title
        matches words anywhere.</p>
      <table id="incidents"><thead></thead><tbody></tbody></table>
      <section id="incident-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="narratives-title">
      <h2 id="narratives-title">Narratives</h2>
      <p id="narratives-note" class="muted"></p>
      <table id="narratives"><thead><tr><th scope="col">Narrative (top terms)</th><th scope="col" class="n">Incidents
        </th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Outlets</th>
        <th scope="col">Languages</th><th scope="col">Marking</th></tr></thead><tbody></tbody></table>
      <section id="narrative-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="surges-title">
      <h2 id="surges-title">Surges</h2>
      <p id="surges-note" class="muted"></p>
      <table id="surges"><thead><tr><th scope="col">Window (UTC days, end excluded)</th><th scope="col">Narrative</th>
        <th scope="col" class="n">Cases</th><th scope="col" class="n">Expected per window</th>
        <th scope="col" class="n">Score (−log₁₀ p)</th><th scope="col">Targets</th><th scope="col">Outlets</th>
        <th scope="col">Marking</th></tr></thead><tbody></tbody></table>
      <section id="surge-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>`;
  const form = view.querySelector("#incident-filters");
  const seen = Object.fromEntries(Object.keys(SUGGEST).map((k) => [k, new Set()]));
  const narrativesAndSurges = Promise.all([all("/api/v1/fimi/clusters", 1000), all("/api/v1/fimi/surges", 1000)]);
  narrativesAndSurges.catch(() => {});  // awaited below; an early failure must not be an unhandled rejection
  await serverTable({
    view, path: "/api/v1/fimi/incidents", table: view.querySelector("#incidents"), form,
    status: view.querySelector("#incident-count"), defaultSort: "-first_seen", limit: 50,
    rowAttributes: (i) => `class="link" tabindex="0" data-id="${esc(i.id)}"`,
    // a day or technique still being typed is not sent (the API would refuse it); the field shows it is invalid
    adjust: (params) => {
      for (const name of ["since", "until"]) if (params.has(name) && !DAY.test(params.get(name))) params.delete(name);
      if (params.has("technique") && !TECHNIQUE.test(params.get("technique").toUpperCase())) params.delete("technique");
      else if (params.has("technique")) params.set("technique", params.get("technique").toUpperCase());
    },
    columns: [
      { label: "First seen (UTC)", sort: ["first_seen", "-first_seen"], descFirst: true,
        cell: (i) => `<span class="time">${esc(utcDay(i.first_seen))}</span>` },
      { label: "Title", sort: null, cell: (i) => esc(i.title) },
      { label: "Targets", sort: null, cell: (i) => list(i.targets.map((t) => t.name)) },
      { label: "Languages", sort: null, cell: (i) => list(i.languages) },
      { label: "Outlets", sort: null, cell: (i) => list(i.channels.map((c) => c.name), 2) },
      { label: "Techniques", sort: null, cell: (i) => list(i.techniques) },
      { label: "Attribution", sort: null, cell: (i) => esc(i.attribution) },
      { label: "Marking", sort: null, cell: (i) => mark(i.marking) },
    ],
    drawn: (items) => {
      for (const [name, values] of Object.entries(SUGGEST)) {
        const set = seen[name];
        const before = set.size;
        for (const item of items) for (const v of values(item)) if (set.size < 500) set.add(v);
        if (set.size !== before) {
          view.querySelector(`#fimi-${name}`).innerHTML = [...set].sort().map((v) => `<option value="${esc(v)}">`)
            .join("");
        }
      }
    },
  });
  form.addEventListener("reset", () => setTimeout(() => form.requestSubmit()));

  const detail = view.querySelector("#incident-detail");
  let opening = 0;
  const openIncident = async (id) => {
    const mine = ++opening;
    detail.hidden = false;
    detail.innerHTML = `<p class="muted">Loading the incident…</p>`;
    try {
      const [incident, response] = await Promise.all([request(`/api/v1/fimi/incidents/${encodeURIComponent(id)}`),
        request(`/api/v1/fimi/incidents/${encodeURIComponent(id)}/response`)]);
      if (mine !== opening) return;
      await showMarkings(view, [incident.marking, response.marking]);  // the banner first, then the panel
      if (mine !== opening) return;
      detail.innerHTML = incidentPanel(incident, response);
    } catch (error) {
      if (mine !== opening) return;
      detail.innerHTML = `<p class="error" role="alert">Could not open the incident: ${esc(error.message)}</p>`;
    }
    detail.focus({ preventScroll: true });
    detail.scrollIntoView({ block: "nearest" });
  };
  rowsOpen(view.querySelector("#incidents tbody"), (tr) => openIncident(tr.dataset.id));
  view.addEventListener("click", (event) => {  // an incident named in a narrative or a surge
    const button = event.target.closest("button[data-incident]");
    if (button) openIncident(button.dataset.incident);
  });

  const [narratives, surges] = await narrativesAndSurges;
  await showMarkings(view, [...narratives, ...surges].map((x) => x.marking));  // before either table is filled
  drawNarratives(view, narratives);
  drawSurges(view, surges);
}

/** Rows open with a click or with Enter (a link in a row keeps its own meaning). */
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

function incidentPanel(i, response) {
  const rows = [
    ["Reference", link(i.ref)],
    ["Source", esc(i.source)],
    ["First seen (UTC)", esc(utcDay(i.first_seen))],
    ["Last seen (UTC)", esc(i.last_seen ? utcDay(i.last_seen) : "-")],
    ["Confidence", esc(i.confidence)],
    ["Attribution", esc(i.attribution)],
    ["Actors", i.actors.map((a) => `${esc(a.name)} <span class="muted">(${esc(a.category)}${a.state
      ? `, ${esc(a.state)}` : ""})</span>`).join("; ") || "-"],
    ["Outlets and channels", i.channels.map((c) => `${c.url ? link(c.url, c.name) : esc(c.name)} <span class="muted">
      (${esc(c.kind)}, ${esc(c.category)})</span>`).join("; ") || "-"],
    ["Languages", esc(i.languages.join(", ")) || "-"],
    ["Targets", i.targets.map((t) => `${esc(t.name)} <span class="muted">(${esc(t.kind)})</span>`).join("; ") || "-"],
    ["Narratives", esc(i.narratives.join("; ")) || "-"],
    ["DISARM techniques", esc(i.techniques.join(", ")) || "none recorded"],
    ["Stored (UTC)", esc(utc(i.created_utc))],
  ];
  const evidence = i.evidence.length ? `<ul>${i.evidence.map((e) => `<li>${link(e.url)}${e.archive_url
    ? ` (${link(e.archive_url, "archived copy")})` : ""}${e.date ? ` <span class="muted">${esc(e.date)}</span>` : ""}
    </li>`).join("")}</ul>` : "<p class='muted'>None recorded.</p>";
  const merges = i.merges.length ? `<table class="merges"><thead><tr><th scope="col">Merged (UTC)</th>
    <th scope="col">Reference</th><th scope="col">Source</th><th scope="col">Why the same case</th>
    <th scope="col">By</th></tr></thead><tbody>${i.merges.map((m) => `<tr><td class="time">${esc(utc(m.time_utc))}</td>
    <td>${link(m.ref)}</td><td>${esc(m.source)}</td><td>${esc(m.reason)}</td><td>${esc(m.by)}</td></tr>`).join("")}
    </tbody></table>` : "<p class='muted'>No later copy of this case has been merged into it.</p>";
  return `<h3>${esc(i.title)}</h3>
    <p>${mark(i.marking)}</p>
    ${i.summary ? `<p>${esc(i.summary)}</p>` : ""}
    <dl class="evidence">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>
    <h4>Evidence</h4>${evidence}
    <h4>Merges</h4>${merges}
    <h4>Response options ${mark(response.marking)}</h4>${responseOptions(response)}`;
}

/** The candidate responses of the FIMI toolbox: DISARM countermeasures and EU instruments per category. */
function responseOptions(r) {
  const techniques = Object.entries(r.techniques || {});
  const head = techniques.length ? `<p>For the techniques ${techniques.map(([t, n]) => `${esc(t)}${n > 1 ? ` (${esc(n)}
    incidents)` : ""}`).join(", ")}.</p>` : `<p class="muted">No DISARM technique recorded: the EU instruments of each
    category only.</p>`;
  return head + Object.entries(r.categories || {}).map(([key, c]) => {
    const measures = c.countermeasures.map((m) => `<li><strong>${esc(m.id)}</strong> ${esc(m.name)}
      <span class="muted">(counters ${esc(m.counters.join(", "))})</span>${m.summary ? `<br><span class="muted">
      ${esc(m.summary)}</span>` : ""}</li>`).join("");
    const instruments = c.instruments.map((x) => `<li><strong>${esc(x.name)}</strong>: ${esc(x.action)}
      <span class="muted">(${esc(x.citation)})</span></li>`).join("");
    return `<details class="response"${key === "prevention" ? " open" : ""}><summary>${esc(CATEGORIES[key] || key)}:
      ${c.countermeasures.length} countermeasures, ${c.instruments.length} EU instruments</summary>
      ${measures ? `<p>DISARM countermeasures</p><ul>${measures}</ul>` : ""}
      ${instruments ? `<p>EU instruments</p><ul>${instruments}</ul>` : ""}</details>`;
  }).join("");
}

function drawNarratives(view, narratives) {
  const body = view.querySelector("#narratives tbody");
  const note = view.querySelector("#narratives-note");
  note.innerHTML = narratives.length ? `${narratives.length} narratives of the latest analysis run you may see
    (${esc(utcDay(narratives[0].since))} to ${esc(utcDay(narratives[0].until))}, end excluded), largest first.`
    : "No analysis run you may see yet: an analyst runs one with POST /api/v1/fimi/analyses or kompas fimi analyse.";
  body.innerHTML = narratives.map((c, k) => `<tr class="link" tabindex="0" data-id="${k}">
    <td>${esc(c.label)}</td><td class="n">${esc(c.size)}</td><td class="time">${esc(utcDay(c.first_seen))}</td>
    <td class="time">${esc(utcDay(c.last_seen))}</td><td>${list(c.outlets)}</td><td>${list(c.languages)}</td>
    <td>${mark(c.marking)}</td></tr>`).join("");
  const box = view.querySelector("#narrative-detail");
  rowsOpen(body, (tr) => {
    const c = narratives[Number(tr.dataset.id)];
    box.hidden = false;
    box.innerHTML = `<h3>Narrative: ${esc(c.label)}</h3><p>${mark(c.marking)}</p>
      <dl class="evidence"><dt>Terms</dt><dd>${esc(c.terms.join(", "))}</dd>
        <dt>Incidents</dt><dd>${esc(c.size)}</dd>
        <dt>First and last seen (UTC)</dt><dd>${esc(utcDay(c.first_seen))} to ${esc(utcDay(c.last_seen))}</dd>
        <dt>Outlets</dt><dd>${esc(c.outlets.join(", ")) || "-"}</dd>
        <dt>Languages</dt><dd>${esc(c.languages.join(", ")) || "-"}</dd>
        <dt>Analysis run</dt><dd>${esc(utcDay(c.since))} to ${esc(utcDay(c.until))} (end excluded)
          <span class="muted">${esc(c.run_id)}</span></dd></dl>
      <h4>Examples</h4><ul>${c.examples.map((e) => `<li><span class="time">${esc(utcDay(e.first_seen))}</span>
        <button type="button" ${LINKISH} data-incident="${esc(e.id)}">${esc(e.title)}</button></li>`).join("")}</ul>`;
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "nearest" });
  });
}

function drawSurges(view, surges) {
  const body = view.querySelector("#surges tbody");
  view.querySelector("#surges-note").innerHTML = surges.length ? `${surges.length} surges of the latest analysis run
    you may see, by start: more incidents of one narrative in a window than its history leads to expect.`
    : "No surge you may see.";
  body.innerHTML = surges.map((g) => `<tr class="link" tabindex="0" data-id="${esc(g.record_id)}">
    <td class="time">${esc(utcDay(g.start_utc))} to ${esc(utcDay(g.end_utc))}</td><td>${esc(g.label)}</td>
    <td class="n">${esc(g.cases)}</td><td class="n">${esc(g.expected_per_window.toFixed(2))}</td>
    <td class="n">${esc(g.score.toFixed(2))}</td><td>${list(g.targets)}</td><td>${list(g.outlets, 2)}</td>
    <td>${mark(g.marking)}</td></tr>`).join("");
  const box = view.querySelector("#surge-detail");
  let opening = 0;
  rowsOpen(body, async (tr) => {
    const mine = ++opening;
    const g = surges.find((x) => x.record_id === tr.dataset.id);
    box.hidden = false;
    box.innerHTML = `<p class="muted">Loading the surge's response options…</p>`;
    let response = null;
    let failed = "";
    try {
      response = await request(`/api/v1/fimi/surges/${encodeURIComponent(g.record_id)}/response`);
    } catch (error) {
      failed = error.message;
    }
    if (mine !== opening) return;
    await showMarkings(view, [g.marking, response?.marking]);
    if (mine !== opening) return;
    box.innerHTML = `<h3>Surge: ${esc(g.label)}</h3><p>${mark(g.marking)}</p>
      <dl class="evidence"><dt>Window (UTC)</dt><dd>${esc(utc(g.start_utc, 0))} to ${esc(utc(g.end_utc, 0))}
        (end excluded)</dd>
        <dt>Cases</dt><dd>${esc(g.cases)} (expected ${esc(g.expected_per_window.toFixed(2))} per window from the
          narrative's history)</dd>
        <dt>Score</dt><dd>${esc(g.score.toFixed(2))} (−log₁₀ of the Poisson tail probability)</dd>
        <dt>Targets</dt><dd>${esc(g.targets.join(", ")) || "-"}</dd>
        <dt>Languages</dt><dd>${esc(g.languages.join(", ")) || "-"}</dd>
        <dt>Outlets</dt><dd>${esc(g.outlets.join(", ")) || "-"}</dd></dl>
      <h4>Evidence: the incidents behind the surge (${esc(g.evidence.length)} of ${esc(g.incident_ids.length)})</h4>
      <table class="surge-evidence"><thead><tr><th scope="col">First seen (UTC)</th><th scope="col">Incident</th>
        <th scope="col">Outlets</th><th scope="col">Sources</th></tr></thead><tbody>${g.evidence.map((e) => `<tr>
        <td class="time">${esc(utcDay(e.first_seen))}</td>
        <td><button type="button" ${LINKISH} data-incident="${esc(e.id)}">${esc(e.title)}</button></td>
        <td>${esc(e.outlets.join(", "))}</td>
        <td>${[...new Set(e.urls)].map((u) => link(u, host(u))).join(", ")}</td></tr>`).join("")}
      </tbody></table>
      <h4>Response options ${response ? mark(response.marking) : ""}</h4>${response ? responseOptions(response)
        : `<p class="error" role="alert">Could not load the response options: ${esc(failed)}</p>`}`;
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "nearest" });
  });
}
