// Space exercises (#/exercise, issue 29): the running exercise of the tab's context, the multi-annual plan, and the
// break-up explorer. Everything comes from the API (kompas.api.routers.exercises, kompas.services.exercise):
//
// - in an exercise's context (the header's selector; api.js sends X-Kompas-Exercise and paints the EXERCISE band):
//   its master scenario events list (GET /api/v1/exercises/{code}/msel: serial, time, from, to, method, inject,
//   expected action, released / due / pending), "Release due injects" (POST .../release: the injects due by now
//   become platform events, marked EXERCISE), and the after-action review (POST .../review: per inject when the
//   platform raised it, per expected response step on time / late / missed, per objective met / partly / not met,
//   the totals; lessons become proposed entries of the commitments register);
// - the multi-annual plan (GET /api/v1/exercises/plan): ILLUSTRATIVE (no EU plan is public), a table by year and
//   level with each exercise's code, kind, scenario, objectives (workflow steps; Article 42(7) flagged) and
//   participants; the real precedents, verified or not; the plan-level findings;
// - the break-up explorer (POST /api/v1/exercises/breakup): the NASA Standard Breakup Model (Johnson et al. 2001,
//   "NASA's new breakup model of EVOLVE 4.0", Adv. Space Res. 28(9)) on an object of the catalogue the user may see:
//   the model's expected count against the fragments drawn, their fates, the Gabbard diagram (orbital period,
//   minutes, against apogee and perigee altitude, km: each fragment in orbit gives one point of each) in plain SVG,
//   and the first fragments. Nothing is stored.
//
// Markings first (api.js): the page resolves only once the banner shows the markings of the MSEL and the review;
// what it adds later (a release, a break-up, lessons) awaits its marking on the banner before it is drawn. The
// break-up answer carries no marking yet (REQUESTS.md): until it does, the banner takes the markings of every element
// set of the object the user may see (GET /api/v1/objects/{id}/elements), never lower than the one the model used.
// Every text from the server goes through esc().
import { EXERCISE_BANNER, esc, exercise, myExercises, request, showMarkings } from "../api.js";
import { count, utc } from "../format.js";

const LEVELS = [["technical", "Technical"], ["operational", "Operational"],
  ["political-strategic", "Political / strategic"]];
const STATUS_WORDS = { "on-time": "on time", late: "late", missed: "missed", "before-inject": "before the inject",
  raised: "raised", "not-raised": "not raised", met: "met", partly: "partly met", "not met": "not met" };
const GABBARD = { width: 760, height: 440, left: 64, right: 16, top: 16, bottom: 46 };  // SVG user units

/** A number with `digits` decimals and thin-space thousands (the whole part only); "-" for nothing. */
function num(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return "-";
  const [whole, fraction] = Number(v).toFixed(digits).split(".");
  return fraction === undefined ? count(whole) : `${count(whole)}.${fraction}`;
}

/** A duration in seconds, readable (s, min, h or d); negative ones keep their sign; "-" for nothing. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return "-";
  const s = Number(seconds);
  const sign = s < 0 ? "\u2212" : "";
  const a = Math.abs(s);
  if (a < 60) return `${sign}${a.toFixed(0)} s`;
  if (a < 3600) return `${sign}${(a / 60).toFixed(1)} min`;
  if (a < 2 * 86400) return `${sign}${(a / 3600).toFixed(2)} h`;
  return `${sign}${(a / 86400).toFixed(2)} d`;
}

const mark = (marking) => (marking ? `<span class="mark">${esc(marking.banner)}</span>` : "");

/** The MSEL and the review of exercise `code`, with their markings; `missing` (the server's reason) when the
 * exercise has no scenario yet. */
async function loadRun(code) {
  const path = `/api/v1/exercises/${encodeURIComponent(code)}`;
  let msel;
  try {
    msel = await request(`${path}/msel`);
  } catch (error) {
    if (/^404/.test(error.message)) return { code, missing: error.message.replace(/^404: /, ""), markings: [] };
    throw error;
  }
  const review = await request(`${path}/review`, { method: "POST", body: { lessons: [] } });
  return { code, msel, review, markings: [msel.marking, review.marking] };
}

export async function renderExercise(view) {
  const code = exercise();
  const [plan, mine, run] = await Promise.all([request("/api/v1/exercises/plan"), myExercises(),
    code ? loadRun(code) : null]);
  await showMarkings(view, run ? run.markings : []);  // the banner (and the EXERCISE band) first
  view.innerHTML = `
    <h1>Space exercises</h1>
    <p class="muted">The space strategy conclusions ask for a multi-annual plan of regular space security and defence
      exercises at several levels, testing the EU's response to large-scale space security incidents. Here: the
      exercise you work in (choose it in the header, "Context"), the plan, and break-ups drawn with the NASA Standard
      Breakup Model on the catalogue you may see. Everything an exercise makes is marked EXERCISE and reaches only
      its participants working in its context; times are UTC.</p>
    <section id="exr-run" aria-labelledby="exr-run-title"></section>
    <section id="exr-plan" aria-labelledby="exr-plan-title">${planSection(plan)}</section>
    <section id="exr-breakup" aria-labelledby="exr-breakup-title">${breakupForm()}</section>`;
  const box = view.querySelector("#exr-run");
  if (run) drawRun(view, box, run);
  else drawOutside(box, mine);
  wireBreakup(view);
}

// --- the exercise of the tab's context -----------------------------------------------------------------------------

function drawOutside(box, mine) {
  box.innerHTML = `<h2 id="exr-run-title">Running an exercise</h2>
    <p id="exr-context-note">You work in the real world: no exercise item is shown or counted.
    ${mine.length ? `Your organisation takes part in ${mine.map((x) => `<strong>${esc(x.code)}</strong>
      (${esc(x.title)})`).join(", ")}: choose it under "Context" in the header to see its master scenario events
      list, release its injects and review the response.`
    : "Your organisation takes part in no exercise. An exercise's scenario is built with <code>kompas exercise build"
      + "</code> or <code>POST /api/v1/exercises/build</code>; its participants then choose it here."}</p>`;
}

function drawRun(view, box, run) {
  const { code } = run;
  if (run.missing) {
    box.innerHTML = `<h2 id="exr-run-title">Exercise ${esc(code)}</h2>
      <p id="exr-context-note">Exercise ${esc(code)} has no scenario yet: ${esc(run.missing)}</p>`;
    return;
  }
  const { msel, review } = run;
  box.innerHTML = `<h2 id="exr-run-title">Exercise ${esc(code)}: master scenario events list</h2>
    <p class="exr-illustrative" id="exr-run-label" role="note"><strong>${EXERCISE_BANNER}</strong> —
      ${esc(msel.label)}</p>
    <p class="exr-marked">Marking of the list: ${mark(msel.marking)}</p>
    <p class="muted">Exercise clock from ${esc(utc(msel.start_utc))}. An inject is <em>due</em> once its time has
      come on the exercise clock, <em>released</em> once the platform raised it as an event (marked EXERCISE, seen
      only in this exercise's context), <em>pending</em> before its time.</p>
    <p class="actions"><button type="button" id="exr-release">Release due injects</button>
      <span id="exr-release-status" role="status" aria-live="polite" class="muted"></span></p>
    <div id="exr-msel-box"></div>
    ${msel.breakup ? breakupOfScenario(msel.breakup, msel.conjunctions) : ""}
    ${msel.notes?.length ? `<ul class="muted" id="exr-notes">${msel.notes.map((n) => `<li>${esc(n)}</li>`).join("")}
      </ul>` : ""}
    <h2 id="exr-review-title">After-action review</h2>
    <div id="exr-review-box"></div>
    ${lessonsForm(review)}`;
  drawMsel(box.querySelector("#exr-msel-box"), msel);
  drawReview(box.querySelector("#exr-review-box"), review);
  const status = box.querySelector("#exr-release-status");
  const button = box.querySelector("#exr-release");
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Releasing…";
    try {
      const done = await request(`/api/v1/exercises/${encodeURIComponent(code)}/release`, { method: "POST",
        body: {} });
      const again = await loadRun(code);  // the list and the review as they are now
      if (again.missing) throw new Error(again.missing);
      await showMarkings(view, [done.marking, ...again.markings]);  // the banner first
      if (!view.isConnected) return;
      drawMsel(box.querySelector("#exr-msel-box"), again.msel);
      drawReview(box.querySelector("#exr-review-box"), again.review);
      status.textContent = `Released ${done.released.length} inject(s) now${done.released.length ? ` (${done.released
        .join(", ")})` : ""}; ${done.already} already out; ${done.pending} not yet due.${done.rejections.length
        ? ` ${done.rejections.length} refused: ${done.rejections.map((r) => r.reason).join("; ")}` : ""}`;
      status.className = "";
    } catch (error) {
      await showMarkings(view, []).catch(() => {});
      status.textContent = `Could not release: ${error.message}`;
      status.className = "error";
    } finally {
      button.disabled = false;
    }
  });
  wireLessons(view, box, code);
}

function injectStatus(row) {
  if (row.released_utc) return ["released", `released ${utc(row.released_utc)}`];
  return row.due ? ["due", "due (not released)"] : ["pending", "pending"];
}

function drawMsel(box, msel) {
  const counts = { released: 0, due: 0, pending: 0 };
  for (const row of msel.injects) counts[injectStatus(row)[0]] += 1;
  box.innerHTML = `<p id="exr-msel-counts">${msel.injects.length} injects: ${counts.released} released,
      ${counts.due} due, ${counts.pending} pending.</p>
    <div class="exr-scroll"><table id="exr-msel" aria-label="Master scenario events list of ${esc(msel.exercise)}">
    <thead><tr><th scope="col" class="n">Serial</th><th scope="col">Time (UTC)</th><th scope="col">From</th>
      <th scope="col">To</th><th scope="col">Method</th><th scope="col">Inject</th><th scope="col">Expected action</th>
      <th scope="col">Status</th></tr></thead>
    <tbody>${msel.injects.map((r) => {
      const [key, text] = injectStatus(r);
      return `<tr data-inject="${esc(r.inject_id)}" data-status="${key}" class="inject-${key}">
        <td class="n">${esc(r.serial)}</td><td class="time">${esc(utc(r.time))}</td><td>${esc(r.from)}</td>
        <td>${esc(r.to)}</td><td>${esc(r.method)}</td><td>${esc(r.inject)}</td><td>${esc(r["expected action"])}</td>
        <td class="status">${esc(text)}</td></tr>`;
    }).join("")}</tbody></table></div>`;
}

function breakupOfScenario(b, conjunctions) {
  return `<div class="card" id="exr-scenario-breakup"><h3>The scenario's break-up</h3>
    <p>${esc(b.parent_name)} (NORAD ${esc(b.parent_norad_id)}), ${esc(b.kind)} at ${esc(utc(b.epoch_utc))}:
      ${num(b.generated)} fragments of at least ${num(b.min_size_m, 2)} m drawn (the model expects
      ${num(b.expected_count, 1)}); ${num(conjunctions.length)} conjunctions of fragments with protected assets in
      the screening.</p></div>`;
}

function drawReview(box, review) {
  const t = review.totals;
  const steps = review.injects.flatMap((i) => i.steps.map((s) => ({ ...s, serial: i.serial })));
  box.innerHTML = `<p class="exr-marked">Marking of the review: ${mark(review.marking)}</p>
    <div class="exr-figures" id="exr-totals">
      <div data-key="injects"><strong>${num(t.injects)}</strong><span>injects</span></div>
      <div data-key="raised"><strong>${num(t.raised)}</strong><span>raised by the platform</span></div>
      <div data-key="not_raised"><strong>${num(t.not_raised)}</strong><span>not raised</span></div>
      <div data-key="raise_delay_median_s"><strong>${esc(duration(t.raise_delay_median_s))}</strong><span>median
        raise delay</span></div>
      <div data-key="steps_expected"><strong>${num(t.steps_expected)}</strong><span>response steps expected</span></div>
      <div data-key="on_time"><strong>${num(t.on_time)}</strong><span>on time</span></div>
      <div data-key="late"><strong>${num(t.late)}</strong><span>late</span></div>
      <div data-key="missed"><strong>${num(t.missed)}</strong><span>missed</span></div>
      <div data-key="on_time_pct"><strong>${t.on_time_pct === null || t.on_time_pct === undefined ? "-"
        : `${num(t.on_time_pct, 0)}\u202f%`}</strong><span>of expected steps on time</span></div>
    </div>
    <h3>Injects: when the platform raised them</h3>
    <div class="exr-scroll"><table id="exr-review-injects"><thead><tr><th scope="col" class="n">Serial</th>
      <th scope="col">Inject</th><th scope="col">Time (UTC)</th><th scope="col">Raised (UTC)</th>
      <th scope="col" class="n">Raise delay</th><th scope="col">Status</th></tr></thead>
    <tbody>${review.injects.map((i) => `<tr data-inject="${esc(i.inject_id)}" data-status="${esc(i.raise_status)}">
      <td class="n">${esc(i.serial)}</td><td>${esc(i.inject_id)}</td><td class="time">${esc(utc(i.time_utc))}</td>
      <td class="time">${esc(utc(i.raised_utc))}</td><td class="n">${esc(duration(i.raise_delay_s))}</td>
      <td class="st-${esc(i.raise_status)}">${esc(STATUS_WORDS[i.raise_status] ?? i.raise_status)}</td></tr>`)
      .join("")}</tbody></table></div>
    <h3>Expected response steps</h3>
    ${steps.length ? `<div class="exr-scroll"><table id="exr-steps"><thead><tr><th scope="col" class="n">Serial</th>
      <th scope="col">Inject</th><th scope="col">Workflow step</th><th scope="col" class="n">Allowed</th>
      <th scope="col">Taken (UTC)</th><th scope="col" class="n">Delay</th><th scope="col">Status</th></tr></thead>
    <tbody>${steps.map((s) => `<tr data-inject="${esc(s.inject_id)}" data-step="${esc(`${s.workflow}/${s.step}`)}"
      data-status="${esc(s.status)}"><td class="n">${esc(s.serial)}</td><td>${esc(s.inject_id)}</td>
      <td>${esc(s.workflow)}/${esc(s.step)}</td><td class="n">${esc(duration(s.within_s))}</td>
      <td class="time">${esc(utc(s.taken_utc))}</td><td class="n">${esc(duration(s.delay_s))}</td>
      <td class="st-${esc(s.status)}">${esc(STATUS_WORDS[s.status] ?? s.status)}${s.note ? ` <span class="muted">
        ${esc(s.note)}</span>` : ""}</td></tr>`).join("")}</tbody></table></div>`
    : `<p class="muted" id="exr-steps-none">No inject of this list expects a response step.</p>`}
    <h3>Objectives of the plan</h3>
    ${review.objectives.length ? `<table id="exr-objectives"><thead><tr><th scope="col">Objective</th>
      <th scope="col">Workflow steps</th><th scope="col">Art. 42(7)</th><th scope="col">Status</th>
      <th scope="col">Evidence</th></tr></thead>
    <tbody>${review.objectives.map((o) => `<tr data-objective="${esc(o.id)}" data-status="${esc(o.status)}">
      <td><strong>${esc(o.id)}</strong> ${esc(o.text)}</td><td>${esc(o.workflow)}: ${o.steps.map(esc).join(" → ")}</td>
      <td>${o.art_42_7 ? `<span class="art427">Art. 42(7)</span>` : "-"}</td>
      <td class="obj-${esc(o.status.replace(" ", "-"))}">${esc(STATUS_WORDS[o.status] ?? o.status)}</td>
      <td><ul class="evidence">${o.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul></td></tr>`).join("")}
    </tbody></table>`
    : `<p class="muted">This exercise is not in the plan: no objective to measure.</p>`}
    ${review.rejections?.length ? `<p class="error">Refused by the review: ${review.rejections.map((r) => esc(
      `${r.field}: ${r.reason}`)).join("; ")}</p>` : ""}`;
}

function lessonsForm(review) {
  return `<h3>Lessons</h3>
    <form class="filters" id="exr-lessons-form" aria-label="Record a lesson">
      <label>Lesson<input name="text" required maxlength="2000" size="40"></label>
      <label>Owner<input name="owner" required maxlength="200"></label>
      <label>Due (UTC date)<input name="due" type="date" required></label>
      <label>Objective<select name="objective"><option value="">-</option>${review.objectives.map((o) =>
        `<option value="${esc(o.id)}">${esc(o.id)}</option>`).join("")}</select></label>
      <button type="submit">Record as a commitment</button>
    </form>
    <div id="exr-lessons"></div>`;
}

function wireLessons(view, box, code) {
  const form = box.querySelector("#exr-lessons-form");
  const out = box.querySelector("#exr-lessons");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lesson = { text: form.elements.text.value, owner: form.elements.owner.value, due: form.elements.due.value,
      objective: form.elements.objective.value };
    try {
      const answer = await request(`/api/v1/exercises/${encodeURIComponent(code)}/review`, { method: "POST",
        body: { lessons: [lesson] } });
      await showMarkings(view, [answer.marking]);  // the banner first
      if (!view.isConnected) return;
      const found = answer.lessons || { register_entries: [], rejections: [] };
      out.innerHTML = `${found.register_entries.length ? `<p>Proposed entries of the commitments register (add them
        to the register with their evidence notes):</p><ul id="exr-lesson-entries">${found.register_entries.map((e) =>
        `<li><strong>${esc(e.id)}</strong> ${esc(e.summary)} — owner ${esc(e.actors.join(", "))}, due
        ${esc(e.deadline)}</li>`).join("")}</ul>` : ""}${found.rejections.length ? `<p class="error">${found.rejections
        .map((r) => esc(`${r.field}: ${r.reason}`)).join("; ")}</p>` : ""}`;
    } catch (error) {
      await showMarkings(view, []).catch(() => {});
      out.innerHTML = `<p class="error" role="alert">Could not record the lesson: ${esc(error.message)}</p>`;
    }
  });
}

// --- the multi-annual plan -----------------------------------------------------------------------------------------

function planSection(plan) {
  const years = [...new Set(plan.exercises.map((e) => e.year))].sort((a, b) => a - b);
  const cell = (year, level) => plan.exercises.filter((e) => e.year === year && e.level === level).map((e) => `
    <div class="exr-ex" data-code="${esc(e.code)}">
      <p><strong>${esc(e.code)}</strong>${e.illustrative ? ` <span class="exr-tag">ILLUSTRATIVE</span>` : ""}
        <span class="muted">${esc(e.kind)} · scenario ${esc(e.scenario)} · from ${esc(utc(e.start_utc, 0))},
        ${num(e.duration_h)} h</span></p>
      <p>${esc(e.title)}</p>
      <ul class="objectives">${e.objectives.map((o) => `<li data-objective="${esc(o.id)}"><strong>${esc(o.id)}</strong>
        ${esc(o.text)} <span class="muted">(${esc(o.workflow)}: ${o.steps.map(esc).join(" → ")})</span>${o.art_42_7
        ? ` <span class="art427">Art. 42(7)</span>` : ""}</li>`).join("")}</ul>
      <p class="muted participants">${e.participants.map((p) => `${esc(p.org)} (${esc(p.role)})`).join(", ")}</p>
    </div>`).join("") || `<span class="muted">-</span>`;
  return `<h2 id="exr-plan-title">The multi-annual plan</h2>
    <p class="exr-illustrative" id="exr-illustrative" role="note"><strong>ILLUSTRATIVE</strong> — ${esc(plan.title)}.
      No EU multi-annual plan of space exercises is public: the ${plan.exercises.length} exercises below are invented
      to show the model, not any institution's plan. The precedents under them are real exercises (each verified in
      a public source, or not).</p>
    <div class="exr-scroll"><table id="exr-plan-table" aria-label="Exercises by year and level">
      <thead><tr><th scope="col">Year</th>${LEVELS.map(([k, label]) => `<th scope="col" data-level="${k}">${label}</th>`)
        .join("")}</tr></thead>
      <tbody>${years.map((y) => `<tr data-year="${y}"><th scope="row">${y}</th>${LEVELS.map(([k]) =>
        `<td data-level="${k}">${cell(y, k)}</td>`).join("")}</tr>`).join("")}</tbody></table></div>
    <h3>Precedents</h3>
    <table id="exr-precedents"><thead><tr><th scope="col">Exercise</th><th scope="col" class="n">Year</th>
      <th scope="col">Level, kind</th><th scope="col">Art. 42(7)</th><th scope="col">Source checked</th>
      <th scope="col">Summary</th><th scope="col">Sources</th></tr></thead>
    <tbody>${plan.precedents.map((p) => `<tr data-id="${esc(p.id)}" data-verified="${p.verified}">
      <td>${esc(p.name)}</td><td class="n">${esc(p.year)}</td><td>${esc([p.level, p.kind].filter(Boolean).join(", ")
        || "-")}</td><td>${p.art_42_7 === true ? `<span class="art427">Art. 42(7)</span>` : p.art_42_7 === false
        ? "no" : "not known"}</td>
      <td class="${p.verified ? "verified" : "unverified"}">${p.verified ? "verified" : "unverified"}${p.checked
        ? `<br><span class="muted">${esc(p.checked)}</span>` : ""}</td>
      <td>${esc(p.summary)}</td><td>${p.sources.map(source).join("<br>")}</td></tr>`).join("")}</tbody></table>
    <h3>Findings on the plan</h3>
    <div id="exr-findings">${plan.findings.length ? `<ul>${plan.findings.map((f) => `<li data-kind="${esc(f.kind)}">
      ${f.year ? `${esc(f.year)}: ` : ""}${esc(f.text)}</li>`).join("")}</ul>`
    : `<p>None: every level is exercised every year, every year is tied to the annual monitoring of Decision (CFSP)
      2021/698, and the plan exercises Article 42(7).</p>`}
    ${plan.rejections.length ? `<p class="error">Refused in the plan file: ${plan.rejections.map((r) => esc(
      `item ${r.line ?? r.item ?? ""} ${r.field}: ${r.reason}`)).join("; ")}</p>` : ""}</div>`;
}

/** A source: a link for http(s) addresses (the text before a space), the rest as text. */
function source(text) {
  const m = String(text).match(/^(https?:\/\/\S+)(.*)$/);
  if (!m) return esc(text);
  return `<a href="${esc(m[1])}" rel="noopener noreferrer" target="_blank">${esc(m[1])}</a>${esc(m[2])}`;
}

// --- the break-up explorer -----------------------------------------------------------------------------------------

function breakupForm() {
  return `<h2 id="exr-breakup-title">Break-up explorer</h2>
    <p class="muted">A break-up of an object of the catalogue you may see, drawn with the NASA Standard Breakup Model
      (Johnson et al. 2001): fragment sizes, area-to-mass ratios and delta-v from the model's distributions, each
      fragment's orbit from the parent's state at the epoch (its newest element set) plus its delta-v. ILLUSTRATIVE:
      a model's draw, not an observation; nothing is stored.</p>
    <form class="filters" id="exr-breakup-form" aria-label="Break-up">
      <label>NORAD id<input name="norad_id" type="number" min="1" max="339999" step="1" required placeholder="e.g. 40699"></label>
      <label>Kind<select name="kind"><option value="collision">collision (catastrophic)</option>
        <option value="explosion">explosion</option></select></label>
      <label>Mass (kg)<input name="mass_kg" type="number" min="0.001" max="1000000" step="any" required></label>
      <label>Smallest fragment (m)<input name="min_size_m" type="number" min="0.01" max="10" step="any" value="0.1"
        required></label>
      <label>Seed<input name="seed" type="number" min="0" max="2147483647" step="1" value="0" required></label>
      <button type="submit">Break it up</button>
    </form>
    <p id="exr-breakup-status" role="status" aria-live="polite" class="muted"></p>
    <div id="exr-breakup-result"></div>`;
}

function wireBreakup(view) {
  const form = view.querySelector("#exr-breakup-form");
  const status = view.querySelector("#exr-breakup-status");
  const out = view.querySelector("#exr-breakup-result");
  let shown = null;  // the break-up on screen
  out.addEventListener("change", (change) => {  // its whole range or its core (the same data: no new marking)
    if (change.target.id !== "exr-gabbard-all" || !shown) return;
    out.querySelector("#exr-gabbard-box").innerHTML = gabbard(shown.gabbard, change.target.checked);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { norad_id: Number(f.norad_id.value), kind: f.kind.value, mass_kg: Number(f.mass_kg.value),
      min_size_m: Number(f.min_size_m.value), seed: Number(f.seed.value), fragments: 50 };
    const button = form.querySelector("button");
    button.disabled = true;
    status.className = "muted";
    status.textContent = "Drawing the fragments…";
    try {
      const answer = await request("/api/v1/exercises/breakup", { method: "POST", body });
      // the marking of what the break-up derives from: the answer's, else every element set of the object
      const markings = answer.marking ? [answer.marking]
        : (await request(`/api/v1/objects/${body.norad_id}/elements`)).map((s) => s.marking);
      await showMarkings(view, markings);  // the banner first
      if (!view.isConnected) return;
      out.innerHTML = breakupResult(answer, markings);
      shown = answer;
      status.textContent = "";
    } catch (error) {
      await showMarkings(view, []).catch(() => {});
      shown = null;
      out.replaceChildren();
      status.className = "error";
      status.textContent = `No break-up: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

function breakupResult(answer, markings) {
  const s = answer.summary;
  const fates = Object.entries(s.fates || {});
  return `<p class="exr-illustrative" id="exr-breakup-label" role="note"><strong>ILLUSTRATIVE</strong> —
      ${esc(answer.label)}</p>
    <p class="exr-marked">Derived from element sets marked ${markings.map(mark).join(" ")}</p>
    <dl class="evidence" id="exr-breakup-summary">
      <dt>Object</dt><dd>${esc(s.parent_name)} (NORAD ${esc(s.parent_norad_id)}), ${esc(s.object_class)}</dd>
      <dt>Event</dt><dd>${esc(s.kind)}${s.catastrophic ? " (catastrophic)" : ""} at ${esc(utc(s.epoch_utc))}</dd>
      <dt>Mass</dt><dd>${num(s.mass_kg, 1)} kg (${esc(s.mass_source)}); fragments ${num(s.fragment_mass_kg, 1)} kg</dd>
      <dt>Fragments ≥ ${num(s.min_size_m, 2)} m</dt><dd id="exr-breakup-counts" data-expected="${esc(s.expected_count)}"
        data-generated="${esc(s.generated)}">model's expected count <strong>${num(s.expected_count, 1)}</strong>,
        generated <strong>${num(s.generated)}</strong>${s.dropped_for_mass ? ` (${num(s.dropped_for_mass)} removed
        to keep within the mass)` : ""}</dd>
      <dt>Fates</dt><dd id="exr-breakup-fates">${fates.map(([k, v]) => `<span data-fate="${esc(k)}">${esc(k)}
        ${num(v)}</span>`).join("; ")}</dd>
      ${s.notes?.length ? `<dt>Notes</dt><dd>${s.notes.map(esc).join("<br>")}</dd>` : ""}
    </dl>
    <h3>Gabbard diagram</h3>
    <div id="exr-gabbard-box">${gabbard(answer.gabbard, false)}</div>
    <h3>Fragments <span class="muted">(the first ${num(answer.fragments.length)} of ${num(answer.fragments_total)})</span></h3>
    <div class="exr-scroll"><table id="exr-fragments"><thead><tr><th scope="col" class="n">#</th>
      <th scope="col" class="n">Number (exercise)</th><th scope="col" class="n">Size (m)</th>
      <th scope="col" class="n">A/M (m²/kg)</th><th scope="col" class="n">Mass (kg)</th>
      <th scope="col" class="n">Δv (m/s)</th><th scope="col" class="n">Perigee (km)</th>
      <th scope="col" class="n">Apogee (km)</th><th scope="col" class="n">Period (min)</th><th scope="col">Fate</th>
    </tr></thead><tbody>${answer.fragments.map((r, k) => `<tr><td class="n">${k + 1}</td>
      <td class="n">${esc(r.norad_id ?? "-")}</td><td class="n">${num(r.size_m, 3)}</td>
      <td class="n">${num(r.area_to_mass_m2_kg, 4)}</td><td class="n">${num(r.mass_kg, 3)}</td>
      <td class="n">${num(r.delta_v_m_s, 1)}</td><td class="n">${num(r.perigee_km, 1)}</td>
      <td class="n">${num(r.apogee_km, 1)}</td><td class="n">${num(r.period_min, 2)}</td><td>${esc(r.status)}</td></tr>`)
      .join("")}</tbody></table></div>`;
}

/** About `n` round tick values covering [low, high] (steps 1, 2 or 5 times a power of ten). */
export function niceTicks(low, high, n = 6) {
  if (!(high > low)) return [low];
  const raw = (high - low) / n;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= raw);
  const out = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The value below which a share `q` (0..1) of `values` lies (nearest rank). */
function quantile(values, q) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The Gabbard diagram in plain SVG: one apogee point and one perigee point per fragment in orbit against its
 * period, the parent starred (periods minutes, altitudes km). `whole`: axes over every fragment; otherwise over the
 * core (periods and apogees up to their 99th percentile, the parent always inside), the fragments beyond said and
 * left out, so a few fragments thrown far out do not squash the cloud into a corner. */
function gabbard(g, whole) {
  const n = g.period_min.length;
  if (!n) return `<p class="muted" id="exr-gabbard-none">No fragment stays in orbit: nothing to draw.</p>`;
  const { width, height, left, right, top, bottom } = GABBARD;
  const parent = g.parent ? { period: g.parent[0], apogee: g.parent[1], perigee: g.parent[2], name: g.parent[3] }
    : null;
  const xMax = Math.max(whole ? Math.max(...g.period_min) : quantile(g.period_min, 0.99), parent?.period ?? -Infinity);
  const yMax = Math.max(whole ? Math.max(...g.apogee_km) : quantile(g.apogee_km, 0.99), parent?.apogee ?? -Infinity);
  const inside = [];
  for (let k = 0; k < n; k += 1) if (g.period_min[k] <= xMax && g.apogee_km[k] <= yMax) inside.push(k);
  const periods = [...inside.map((k) => g.period_min[k]), ...(parent ? [parent.period] : [])];
  let [x0, x1] = [Math.min(...periods), xMax];
  const pad = Math.max((x1 - x0) * 0.03, 0.5);
  [x0, x1] = [x0 - pad, x1 + pad];
  const lowest = Math.min(...inside.map((k) => g.perigee_km[k]), parent?.perigee ?? Infinity);
  const [y0, y1] = [Math.min(0, lowest), yMax * 1.05 + 1];
  const x = (v) => left + (v - x0) / (x1 - x0) * (width - left - right);
  const y = (v) => height - bottom - (v - y0) / (y1 - y0) * (height - top - bottom);
  const dots = (values, cls) => inside.map((k) => `<circle class="${cls}" data-k="${k}"
    cx="${x(g.period_min[k]).toFixed(1)}" cy="${y(values[k]).toFixed(1)}" r="2"></circle>`).join("");
  const xt = niceTicks(x0, x1);
  const yt = niceTicks(y0, y1);
  const star = parent ? [[parent.apogee, "apogee"], [parent.perigee, "perigee"]].map(([alt, which]) =>
    `<path class="parent" d="M ${x(parent.period).toFixed(1)} ${(y(alt) - 7).toFixed(1)} l 2 5 5 0 -4 3 2 6 -5 -4
      -5 4 2 -6 -4 -3 5 0 z"><title>${esc(parent.name)} (${which}) before the break-up</title></path>`).join("") : "";
  const beyond = n - inside.length;
  const far = beyond ? `${num(beyond)} fragment(s) beyond the axes (periods up to ${num(Math.max(...g.period_min),
    1)} min, apogees up to ${num(Math.max(...g.apogee_km))} km) left out` : "";
  return `<figure class="exr-gabbard"><p class="filters"><label class="check"><input type="checkbox"
      id="exr-gabbard-all"${whole ? " checked" : ""}> Whole range (every fragment)</label>
      <span class="muted" id="exr-gabbard-beyond">${whole ? "" : esc(far)}</span></p>
    <svg id="exr-gabbard" viewBox="0 0 ${width} ${height}" role="img" data-fragments="${n}"
      data-drawn="${inside.length}" aria-label="Gabbard diagram: apogee and perigee altitude (km) against orbital
      period (min) of ${inside.length} of the ${n} fragments in orbit">
    <rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" class="frame"></rect>
    ${xt.map((v) => `<line class="grid" x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${top}"
      y2="${height - bottom}"></line><text class="tick" x="${x(v).toFixed(1)}" y="${height - bottom + 16}"
      text-anchor="middle">${esc(num(v, decimals(xt)))}</text>`).join("")}
    ${yt.map((v) => `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}"
      y2="${y(v).toFixed(1)}"></line><text class="tick" x="${left - 6}" y="${(y(v) + 4).toFixed(1)}"
      text-anchor="end">${esc(num(v, decimals(yt)))}</text>`).join("")}
    <text class="axis" x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">Orbital period
      (min)</text>
    <text class="axis" transform="translate(14 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">
      Altitude (km)</text>
    ${dots(g.apogee_km, "apogee")}${dots(g.perigee_km, "perigee")}${star}
  </svg><figcaption class="legend"><span><i class="apogee"></i>apogee</span><span><i class="perigee"></i>perigee</span>
    <span>★ the parent before the break-up</span><span class="muted">${esc(g.title)}</span></figcaption></figure>`;
}

/** As many decimals as tick values `ticks` need to read apart. */
function decimals(ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
}
