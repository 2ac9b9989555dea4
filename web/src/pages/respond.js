// Respond: for one event, the response options of the EU toolboxes ranked by cited rules (why, basis, who decides,
// precedents, countermeasures), the attribution state computed from the member states' records you may see, your
// state's own assessment recorded under your marking, the responses opened on the event with their steps, owners
// and deadlines, and the options paper (a job). Everything shown carries its marking; the banner covers them all.
import { esc, request, showMarkings } from "../api.js";
import { utc } from "../format.js";
import { download } from "./conjunction.js";

const CONFIDENCE = ["", "remote", "very-unlikely", "unlikely", "roughly-even", "likely", "very-likely", "almost-certain"];
const FINDING_FIELDS = ["cause", "techniques", "software", "sectors", "services", "kinds"];
const LEVELS = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"];
const TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
const TOOLBOXES = { space: "Space", hybrid: "Hybrid", cyber: "Cyber diplomacy", fimi: "FIMI" };

const mark = (m) => `<span class="mark">${esc(m.banner)}</span>`;
const oneLine = (t) => String(t).split(/\s+/).join(" ");

function markingFields(prefix) {
  return `<label>Classification<select name="${prefix}classification">${LEVELS.map((l) => `<option${l === "RESTRICTED" ? " selected" : ""}>${l}</option>`).join("")}</select></label>
    <label>TLP<select name="${prefix}tlp">${TLPS.map((t) => `<option${t === "AMBER" ? " selected" : ""}>${t}</option>`).join("")}</select></label>
    <label>Releasable to (codes, comma-separated; empty: no restriction)<input name="${prefix}releasable_to" size="16"></label>
    <label>Need-to-know (comma-separated)<input name="${prefix}communities" size="10"></label>`;
}

function markingOf(form, prefix = "") {
  const list = (v) => (v || "").split(",").map((s) => s.trim()).filter(Boolean);
  const releasable = list(form[`${prefix}releasable_to`]);
  return { classification: form[`${prefix}classification`], tlp: form[`${prefix}tlp`],
    releasable_to: releasable.length ? releasable : null, communities: list(form[`${prefix}communities`]) };
}

function optionCard(p, k) {
  const [low, high] = p.lead_time_days;
  return `<article class="card option" data-id="${esc(p.id)}">
    <h3>${k}. ${esc(oneLine(p.name))} <span class="muted">(${esc(p.category_name)}; ${esc(p.toolbox)} toolbox)</span></h3>
    <dl class="facts"><dt>Instrument</dt><dd>${esc(p.instrument)}</dd><dt>Legal basis</dt><dd>${esc(p.basis)}</dd>
      <dt>Who decides</dt><dd>${esc(p.decides)} (${esc(p.rule)})</dd><dt>Lead time</dt><dd>${low}-${high} days</dd>
      <dt>Escalation</dt><dd>${p.escalation} of 5</dd><dt>Score</dt><dd>${p.score}</dd><dt>Cited</dt><dd>${esc(p.citation)}</dd></dl>
    <p><b>Why</b></p><ul>${p.why.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>
    ${p.precedents.length ? `<p><b>Precedents</b></p><ul>${p.precedents.slice(0, 2).map((m) => `<li>${esc(m.done)}${m.source_url ? ` <a href="${esc(m.source_url)}" rel="noreferrer noopener" target="_blank">source</a>` : ""}</li>`).join("")}</ul>` : ""}
    ${p.countermeasures.length ? `<p><b>Countermeasures</b>: ${p.countermeasures.slice(0, 5).map((c) => esc(`${c.framework} ${c.id} ${c.name}`)).join("; ")}</p>` : ""}
  </article>`;
}

function responseCard(r) {
  return `<article class="card response" data-id="${esc(r.id)}">
    <h3>${esc(r.workflow)}: ${esc(r.state)}, at “${esc(r.step_name)}” ${r.overdue ? '<span class="error">overdue</span>' : ""} ${mark(r.marking)}</h3>
    <p>Owner: ${esc(r.owner)}; deadline ${esc(r.deadline_utc ? utc(r.deadline_utc, 0) : "-")}. Options: ${r.decisions.map((d) => `${esc(d.name || d.option)} (${esc(d.decides)}, ${esc(d.rule)}${d.awaiting ? ", awaited" : ""})`).join("; ") || "-"}</p>
    <table><thead><tr><th scope="col">Step</th><th scope="col">Owner</th><th scope="col">Deadline</th><th scope="col">Reached</th></tr></thead>
      <tbody>${r.steps.map((s) => `<tr${s.current ? ' class="current"' : ""}><td>${esc(s.name)}${s.current ? " (current)" : ""}</td><td>${esc(s.owner)}</td>
        <td class="time">${esc(s.deadline_utc ? utc(s.deadline_utc, 0) : "-")}</td><td>${s.reached ? "yes" : ""}</td></tr>`).join("")}</tbody></table>
    <details><summary>History (${r.history.length})</summary><ul>${r.history.map((h) => `<li>${esc(utc(h.at_utc, 0))} ${esc(h.step_name)} by ${esc(h.by)}: ${esc(h.note)}${h.skipped && h.skipped.length ? ` <span class="muted">(passed over: ${esc(h.skipped.join(", "))})</span>` : ""} ${mark(h.marking)}</li>`).join("")}</ul></details>
    <form class="move filters" aria-label="Move this response to a step">
      <label>Step<select name="step">${r.steps.filter((s) => !s.current).map((s) => `<option value="${esc(s.id)}">${esc(s.name)}</option>`).join("")}</select></label>
      <label>Note<input name="note" required maxlength="4000" size="30"></label>
      <button type="submit">Move</button><span class="muted move-status" role="status"></span>
    </form>
  </article>`;
}

export async function renderRespond(view, id) {
  const [options, attributions, responses] = await Promise.all([
    request(`/api/v1/events/${id}/options?top=20`), request(`/api/v1/events/${id}/attributions`),
    request(`/api/v1/responses?event_id=${encodeURIComponent(id)}`)]);
  const items = responses.items || [];
  // the banner first: the event with the attributions (options.marking), the records, every response
  await showMarkings(view, [options.marking, attributions.marking, ...items.map((r) => r.marking)]);
  const e = options.event;
  const c = options.coordination;
  const r = options.ranking;
  const today = new Date().toISOString().slice(0, 10);
  view.innerHTML = `
    <p><a href="#/event/${esc(e.id)}">The event</a> · <a href="#/events">All events</a></p>
    <h1>Respond: ${esc(e.title || e.type)}</h1>
    <p class="muted">${esc(e.domain)} ${esc(e.type)}, ${esc(utc(e.start_utc, 0))} to ${esc(utc(e.end_utc, 0))}, severity
      ${esc(e.severity)} ${mark(e.marking)}. Options from the EU toolboxes (space, hybrid, cyber diplomacy, FIMI), ranked by
      explicit rules, each citing its basis. Kompas never computes an attribution: only member states' own records count.</p>
    <section class="card" aria-labelledby="attr-title">
      <h2 id="attr-title">Attribution state</h2>
      <p id="coordination"><b>${esc(c ? c.sentence : "no attribution you may see")}</b> ${c ? mark(c.marking) : ""}</p>
      ${attributions.items.length ? `<table id="attributions"><thead><tr><th scope="col">State</th><th scope="col">Attributes to</th>
        <th scope="col">Confidence</th><th scope="col">Public</th><th scope="col">Date</th><th scope="col">Basis</th><th scope="col">Marking</th></tr></thead>
        <tbody>${attributions.items.map((a) => `<tr><td>${esc(a.state)}</td><td>${esc(a.actor)}</td><td>${esc(a.confidence || "-")}</td>
          <td>${a.public ? "yes" : "no"}</td><td>${esc(a.date)}</td><td>${esc(a.basis)}</td><td>${mark(a.marking)}</td></tr>`).join("")}</tbody></table>` : ""}
      <form id="attribute" class="filters" aria-label="Record your state's assessment">
        <label>Attributes to<input name="actor" required maxlength="100" size="8" placeholder="RU, none, withheld"></label>
        <label>Confidence<select name="confidence">${CONFIDENCE.map((x) => `<option value="${x}">${x || "(none/withheld)"}</option>`).join("")}</select></label>
        <label>Basis<input name="basis" required maxlength="4000" size="30"></label>
        <label>Date<input name="date" required pattern="\\d{4}-\\d{2}-\\d{2}" value="${today}" size="11"></label>
        <label><input type="checkbox" name="public"> said publicly</label>
        ${markingFields("")}
        <button type="submit">Record</button>
      </form>
      <p id="attribute-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section class="card" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings (${(options.findings || []).length})</h2>
      <p class="muted">Facts the detecting engine cannot know (the cause of a break-up is not in the element sets), recorded
        by analysts with their basis; those you may see enter the ranking below.</p>
      ${(options.findings || []).length ? `<table id="findings"><thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">By</th>
        <th scope="col">Recorded</th><th scope="col">Basis</th><th scope="col">Marking</th></tr></thead>
        <tbody>${options.findings.map((f) => `<tr><td>${esc(f.field)}</td><td>${esc(Array.isArray(f.value) ? f.value.join(", ") : f.value)}</td>
          <td>${esc(f.org)}</td><td class="time">${esc(utc(f.recorded_utc, 0))}</td><td>${esc(f.basis)}</td><td>${mark(f.marking)}</td></tr>`).join("")}</tbody></table>` : ""}
      <form id="finding" class="filters" aria-label="Record a finding">
        <label>Field<select name="field">${FINDING_FIELDS.map((x) => `<option value="${x}">${x}</option>`).join("")}</select></label>
        <label>Value<input name="value" required maxlength="1000" size="22" placeholder="direct-ascent-asat; or a, b"></label>
        <label>Basis<input name="basis" required maxlength="4000" size="30"></label>
        ${markingFields("")}
        <button type="submit">Record</button>
      </form>
      <p id="finding-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section aria-labelledby="options-title">
      <h2 id="options-title">Options (${r.proposals.length}), best first</h2>
      <div id="options">${r.proposals.map((p, k) => optionCard(p, k + 1)).join("") || "<p>No option is proposed for this event.</p>"}</div>
      ${r.excluded.length ? `<details><summary>Left out (${r.excluded.length})</summary><ul id="excluded">${r.excluded.map((x) => `<li><b>${esc(x.id)}</b>: ${esc(x.why.join(" "))}</li>`).join("")}</ul></details>` : ""}
      ${options.notes.length ? `<p class="muted">${options.notes.map(esc).join("; ")}</p>` : ""}
    </section>
    <section class="card" aria-labelledby="responses-title">
      <h2 id="responses-title">Responses (${items.length})</h2>
      <div id="responses">${items.map(responseCard).join("") || "<p>No response opened on this event yet.</p>"}</div>
      <form id="open" class="filters" aria-label="Open a response">
        <label>Toolbox<select name="toolbox">${Object.entries(TOOLBOXES).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join("")}</select></label>
        <label>Options (ids, comma-separated)<input name="options" size="40" value="${esc(r.proposals.slice(0, 2).map((p) => p.id).join(", "))}"></label>
        <label>Note<input name="note" maxlength="4000" size="24"></label>
        ${markingFields("")}
        <button type="submit">Open</button>
      </form>
      <p id="open-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section class="card" aria-labelledby="paper-title">
      <h2 id="paper-title">Options paper</h2>
      <p class="muted">The incident, what is known and unknown, the attribution state you may see, the options by category
        with legal basis, pros, cons, lead time and precedents, and the decision awaited; marked with everything it used.</p>
      <form id="paper" class="filters"><label>Format<select name="format"><option value="pdf">PDF</option><option value="html">HTML</option></select></label>
        <button type="submit">Generate</button></form>
      <p id="paper-status" role="status" aria-live="polite" class="muted"></p>
    </section>`;

  const reload = () => renderRespond(view, id);
  const fields = (form) => Object.fromEntries(new FormData(form));
  view.querySelector("#attribute").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const status = view.querySelector("#attribute-status");
    try {
      await request(`/api/v1/events/${id}/attributions`, { method: "POST", body: {
        actor: f.actor, confidence: f.confidence, basis: f.basis, date: f.date, public: f.public === "on",
        marking: markingOf(f) } });
      await reload();
      view.querySelector("#attribute-status").textContent = "Recorded.";
    } catch (error) { status.textContent = `Refused: ${error.message}`; }
  });
  view.querySelector("#finding").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const status = view.querySelector("#finding-status");
    const values = f.value.split(",").map((x) => x.trim()).filter(Boolean);
    try {
      await request(`/api/v1/events/${id}/findings`, { method: "POST", body: {
        field: f.field, value: f.field === "cause" ? f.value.trim() : values, basis: f.basis, marking: markingOf(f) } });
      await reload();
      view.querySelector("#finding-status").textContent = "Recorded.";
    } catch (error) { status.textContent = `Refused: ${error.message}`; }
  });
  view.querySelector("#open").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const status = view.querySelector("#open-status");
    try {
      await request("/api/v1/responses", { method: "POST", body: { event_id: id, toolbox: f.toolbox,
        options: f.options.split(",").map((s) => s.trim()).filter(Boolean), note: f.note, marking: markingOf(f) } });
      await reload();
      view.querySelector("#open-status").textContent = "Opened.";
    } catch (error) { status.textContent = `Refused: ${error.message}`; }
  });
  for (const form of view.querySelectorAll("form.move")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const f = fields(event.target);
      const rid = event.target.closest(".response").dataset.id;
      try {
        await request(`/api/v1/responses/${rid}/steps`, { method: "POST", body: { step: f.step, note: f.note } });
        await reload();
      } catch (error) { event.target.querySelector(".move-status").textContent = `Refused: ${error.message}`; }
    });
  }
  view.querySelector("#paper").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = view.querySelector("#paper-status");
    try {
      let job = await request(`/api/v1/events/${id}/paper`, { method: "POST", body: fields(event.target) });
      status.textContent = "Queued…";
      for (let wait = 500; view.isConnected && job.status !== "done" && job.status !== "failed"; wait = Math.min(wait * 1.5, 3000)) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        job = await request(job.href);
        status.textContent = job.status === "running" ? "Running…" : status.textContent;
      }
      if (job.status === "failed") { status.textContent = `Failed: ${job.error}`; return; }
      await showMarkings(view, [job.marking]);  // the banner covers the file before it is offered
      status.innerHTML = `Ready ${mark(job.marking)} <button type="button" id="paper-download">Download</button>`;
      view.querySelector("#paper-download").addEventListener("click", async () => {
        const file = await request(job.file, { raw: true });
        download(job.filename || "options-paper", await file.blob());
      });
    } catch (error) { status.textContent = `Refused: ${error.message}`; }
  });
}
