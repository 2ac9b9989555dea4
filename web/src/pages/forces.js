// Forces and people (#/forces, issue 28): the Rapid Deployment Capacity overview and force generation for a crisis
// (#/forces or #/forces/rdc), rotations for a standing mission (#/forces/rotations), a civilian mission of 200
// experts in 30 days (#/forces/civilian) and capability planning (#/forces/planning), each computed by the server
// (kompas.services.forces, GET and POST /api/v1/forces/...) from the register contributions the signed-in user may
// see, or from the shipped ILLUSTRATIVE example set.
//
// The example set: "?example=1" (also true or yes; the toggle above every view). Without it in the link, the page asks which editions
// of the register the user may see (GET /api/v1/forces/editions) and switches it on when there is none. Every view
// says ILLUSTRATIVE, prominently, when its answer is, and states where the numbers come from.
//
// Markings first: every view is its own visit (the tabs, the example toggle, the edition, the planning case are
// links), every answer carries the combined marking of the register documents it used, and the banner shows it
// (api.js, showMarkings) before the answer is drawn; what a view adds later (a filtered element list, a generation
// run) awaits its marking on the banner first. An error carries no marking: it is shown under the banner of what is
// on screen, escaped. Every text from the server or a contribution goes through esc().
import { esc, showMarkings } from "../api.js";
import { DATA_STATEMENT, STYLE, ask, bars, failed, flag, illustrative, illustrativeData, int, link, mark, noRegister,
  num } from "./forces_common.js";
import { showPlanning } from "./forces_planning.js";
import { showCivilian, showRotations } from "./forces_people.js";

const VIEWS = [["rdc", "Rapid Deployment Capacity"], ["rotations", "Rotations"], ["civilian", "Civilian deployment"],
  ["planning", "Capability planning"]];
const COMPONENTS = { land: "Land", air: "Air", maritime: "Maritime", joint: "Joint", special: "Special operations",
  enabler: "Strategic enablers" };
const BANDS = { "<=5": "≤ 5 days", "6-10": "6–10 days", "11-30": "11–30 days", "31-60": "31–60 days", ">60": "> 60 days" };
const STATUS = { optimal: ["ok", "Optimal"], feasible: ["so", "Feasible (the best found within the time limit; not "
  + "proved optimal)"], infeasible: ["no", "No force covers every requirement"], unknown: ["no", "No force found "
  + "within the time limit"] };
const LIMIT = 200;  // elements listed at once

/** The view's context: the example set on or off, the edition, the editions visible, and links that keep them. */
function context(view, sub) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  const tab = VIEWS.some(([v]) => v === sub) ? sub : "rdc";
  return { view, own, tab, example: null, defaulted: false, editions: [], edition: own.get("edition") || "",
    /** "#/forces/TAB?example=..&edition=.." with `extra` set (null drops a key). */
    href(toTab, extra = {}) {
      const params = new URLSearchParams({ example: this.example ? "1" : "0" });
      if (this.edition) params.set("edition", this.edition);
      for (const [k, v] of Object.entries(extra)) {
        if (v === null || v === undefined || v === "") params.delete(k);
        else params.set(k, v);
      }
      return `#/forces${toTab === "rdc" ? "" : `/${toTab}`}?${params}`;  // the first view on the menu's link
    },
    /** The query giving the register: "example=true&edition=2026". */
    register(edition = this.edition) {
      const params = new URLSearchParams({ example: this.example ? "true" : "false" });
      if (edition) params.set("edition", edition);
      return params.toString();
    } };
}

export async function renderForces(view, sub) {
  const ctx = context(view, sub);
  if (ctx.own.has("example")) ctx.example = flag(ctx.own.get("example"));  // true/1/yes, false/0/no; else asked
  // the editions the user may see: none, and the example set is switched on (said so)
  const visible = await ask("/api/v1/forces/editions");
  if (ctx.example === null) {
    ctx.example = visible.length === 0;
    ctx.defaulted = ctx.example;
  }
  ctx.editions = ctx.example ? await ask("/api/v1/forces/editions?example=true") : visible;
  const names = ctx.editions.map((e) => e.edition);
  if (ctx.edition && !names.includes(ctx.edition)) ctx.edition = "";
  // the picker names the editions only: the /editions answer carries no marking, so what is in them (nations,
  // counts) is shown only by the views, whose answers are marked
  view.innerHTML = `${STYLE}
    <h1>Forces and people: what member states offer, and what it can do</h1>
    <p class="muted">The Strategic Compass's "Act" systems on one register of national offers: the Rapid Deployment
      Capacity's overview of every available element and the best force for a crisis, rotations for a standing
      mission, a civilian mission of 200 experts in 30 days, and capability planning against Headline Goal
      scenarios. Each answer is computed by the server from what you may see and carries its marking; the banner
      shows the marking of what this view shows.</p>
    <div class="frc-tabs" role="navigation" aria-label="Forces views">${VIEWS.map(([t, label]) => `<a href="${esc(ctx.href(t))}"
      data-tab="${t}"${t === ctx.tab ? ' aria-current="page"' : ""}>${esc(label)}</a>`).join("")}</div>
    <form class="filters" id="frc-register" aria-label="Which register">
      <label class="check"><input type="checkbox" name="example" id="frc-example"${ctx.example ? " checked" : ""}>
        Example set (ILLUSTRATIVE)</label>
      <label>Edition<select name="edition"><option value="">newest${names.length ? ` (${esc(names[names.length - 1])})`
        : ""}</option>${names.map((n) => `<option value="${esc(n)}"${n === ctx.edition ? " selected" : ""}>${esc(n)}
        </option>`).join("")}</select></label>
      <span class="muted" id="frc-register-note">${ctx.example ? `${ctx.defaulted ? "No register contribution is "
        + "visible to you, so the ILLUSTRATIVE example set is shown. " : ""}Answers come from the example set shipped `
        + "with Kompas." : `Answers come from the ${int(visible.length)} edition(s) of the register you may see.`}
      </span>
    </form>
    <p class="muted frc-statement" id="frc-statement"><strong>Data:</strong> ${DATA_STATEMENT}</p>
    <div id="frc-body"></div>`;
  const form = view.querySelector("#frc-register");
  form.elements.example.addEventListener("change", (event) => {
    ctx.edition = "";  // the example set's editions are its own
    ctx.example = event.target.checked;
    location.hash = ctx.href(ctx.tab, { edition: null });
  });
  form.elements.edition.addEventListener("change", (event) => {
    ctx.edition = event.target.value;
    location.hash = ctx.href(ctx.tab, { edition: event.target.value || null });
  });
  const body = view.querySelector("#frc-body");
  if (ctx.tab === "planning") return showPlanning(ctx, body);
  if (ctx.tab === "rotations") return showRotations(ctx, body);
  if (ctx.tab === "civilian") return showCivilian(ctx, body);
  return showRdc(ctx, body);
}

// --- the Rapid Deployment Capacity ----------------------------------------------------------------------------------

function elementsPath(ctx, edition, filters) {
  const params = new URLSearchParams(ctx.register(edition));
  if (filters.capability) params.set("capability", filters.capability);
  if (filters.nation) params.set("nation", filters.nation);
  if (filters.ready !== "") params.set("max_readiness_days", filters.ready);
  params.set("limit", String(LIMIT));
  return `/api/v1/forces/elements?${params}`;
}

async function showRdc(ctx, body) {
  const { view, own } = ctx;
  const filters = { capability: own.get("capability") || "", nation: own.get("nation") || "",
    ready: /^\d{1,4}$/.test(own.get("ready") || "") ? own.get("ready") : "" };
  let overview;
  let listed;
  let scenarios;
  try {
    [overview, scenarios] = await Promise.all([ask(`/api/v1/forces/overview?${ctx.register()}`),
      ask("/api/v1/forces/scenarios")]);
    listed = await ask(elementsPath(ctx, overview.edition, filters)).catch((error) => {
      if (error.status !== 422) throw error;
      filters.capability = "";  // a filter from an old link the server refuses: the whole list instead
      filters.nation = "";
      filters.ready = "";
      return ask(elementsPath(ctx, overview.edition, filters));
    });
  } catch (error) {
    await noRegister(ctx, body, error);
    return;
  }
  await showMarkings(view, [overview.marking, listed.marking]);  // the banner first
  const capabilities = Object.entries(overview.by_capability);
  const nations = Object.keys(overview.by_nation);
  body.innerHTML = `
    ${illustrative(overview, "frc-illustrative", `the register shown (edition ${overview.edition})`)}
    <section aria-labelledby="frc-overview-title" id="frc-overview">
      <h2 id="frc-overview-title">Rapid Deployment Capacity: every available element (edition
        ${esc(overview.edition)})</h2>
      <p class="frc-marked" id="frc-overview-marking">This overview is marked ${mark(overview.marking.banner)}: the
        combination of the ${overview.example ? "example set" : `${int(overview.documents.length)} register
        document(s)`} it is computed from.</p>
      <div class="frc-figures" id="frc-figures">
        <div><strong>${int(overview.elements)}</strong><span>force elements</span></div>
        <div><strong>${int(overview.troops)}</strong><span>troops</span></div>
        <div><strong>${int(nations.length)}</strong><span>nations</span></div>
        <div><strong>${int(capabilities.length)}</strong><span>capabilities offered</span></div>
        <div><strong>${int(overview.experts)}</strong><span>civilian experts</span></div>
        <div><strong>${int(overview.pools)}</strong><span>rotation pools</span></div>
        <div><strong>${int(overview.stocks)}</strong><span>stock lines</span></div>
      </div>
      <div class="frc-grid">
        <div>
          <h3 id="frc-components-title">By component (troops)</h3>
          ${bars("frc-components", Object.entries(overview.by_component).map(([k, c]) => ({ key: k,
            label: COMPONENTS[k] || k, value: c.troops, text: `${int(c.troops)} (${int(c.elements)} el.)` })),
            { caption: "Troops by component" })}
        </div>
        <div>
          <h3 id="frc-bands-title">Readiness (elements by days to move)</h3>
          ${bars("frc-bands", Object.entries(overview.readiness_bands).map(([k, n]) => ({ key: k,
            label: BANDS[k] || k, value: n })), { caption: "Elements by readiness band" })}
        </div>
      </div>
      <h3 id="frc-capabilities-title">Capabilities offered</h3>
      <div class="frc-scroll"><table id="frc-capabilities" aria-labelledby="frc-capabilities-title"><thead><tr>
        <th scope="col">Capability</th><th scope="col" class="n">Quantity</th><th scope="col" class="n">Elements</th>
        <th scope="col" class="n">Nations</th><th scope="col" class="n">Fastest (days)</th>
        <th scope="col">Offered by</th></tr></thead>
        <tbody>${capabilities.map(([k, c]) => `<tr data-capability="${esc(k)}"><td>${esc(k)}</td>
          <td class="n">${int(c.quantity)}</td><td class="n">${int(c.elements)}</td>
          <td class="n nations">${int(c.nations.length)}</td><td class="n">${int(c.fastest_days)}</td>
          <td class="muted">${esc(c.nations.join(", "))}</td></tr>`).join("")
          || `<tr><td colspan="6" class="muted">No capability offered.</td></tr>`}</tbody></table></div>
      <details id="frc-nations"><summary>By nation (${int(nations.length)})</summary>
        <table><thead><tr><th scope="col">Nation</th><th scope="col" class="n">Elements</th>
          <th scope="col" class="n">Troops</th><th scope="col" class="n">Civilian experts</th></tr></thead>
          <tbody>${Object.entries(overview.by_nation).map(([n, x]) => `<tr data-nation="${esc(n)}"><td>${esc(n)}</td>
            <td class="n">${int(x.elements)}</td><td class="n">${int(x.troops)}</td><td class="n">${int(x.experts)}</td>
            </tr>`).join("")}</tbody></table></details>
    </section>
    <section aria-labelledby="frc-elements-title">
      <h2 id="frc-elements-title">Force elements</h2>
      <form class="filters" id="frc-element-filter" aria-label="Filter the force elements">
        <label>Capability<select name="capability"><option value="">any</option>${capabilities.map(([k]) =>
          `<option value="${esc(k)}"${k === filters.capability ? " selected" : ""}>${esc(k)}</option>`).join("")}
          </select></label>
        <label>Nation<select name="nation"><option value="">any</option>${nations.map((n) => `<option
          value="${esc(n)}"${n === filters.nation ? " selected" : ""}>${esc(n)}</option>`).join("")}</select></label>
        <label>Ready within (days)<input name="ready" type="number" min="0" max="3650" value="${esc(filters.ready)}"
          style="width:6em"></label>
        <button type="submit">Show</button>
        <span class="muted" id="frc-elements-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-elements-box"></div>
    </section>
    <section aria-labelledby="frc-gen-title" class="card">
      <h2 id="frc-gen-title">Force generation for a crisis</h2>
      <p class="muted">The best force for a scenario from the elements above (OR-Tools CP-SAT, exact): every
        requirement covered, at most the scenario's troop ceiling, ready within the response time, national caveats
        respected, the burden spread across contributors; when no force can, the fewest requirements that must go
        uncovered, each with why. The answer is marked with every element considered.</p>
      <form class="filters" id="frc-gen-form" aria-label="Generate a force">
        <label>Scenario<select name="scenario">${scenarios.map((s) => `<option value="${esc(s.name)}"${s.name
          === own.get("scenario") ? " selected" : ""}>${esc(s.title || s.name)}${s.illustrative ? " (ILLUSTRATIVE)"
          : ""}</option>`).join("")}</select></label>
        <label>Decision day<input name="start" type="date" min="1990-01-01" max="2100-12-31"
          title="Optional: elements must then be available for the whole operation"></label>
        <label>Weight per troop<input name="troop_weight" type="number" min="0" max="1000" value="2"
          style="width:5em"></label>
        <label>Weight of the largest national share<input name="fairness" type="number" min="0" max="1000" value="1"
          style="width:5em"></label>
        <button type="submit">Generate the force</button>
        <span class="muted" id="frc-gen-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-scenario" class="frc-scenario"></div>
      <div id="frc-gen-result" aria-live="polite"><p class="muted">Pick a scenario and generate the force.</p></div>
    </section>`;

  /** The view's link keeps what was asked last (a reload shows it again; no new visit). */
  const remember = (extra) => {
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    for (const [k, v] of Object.entries(extra)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    params.set("example", ctx.example ? "1" : "0");
    history.replaceState(null, "", `#/forces?${params}`);
  };

  // --- the element list, filtered (the banner first for each list) ----------------------------------------------
  const drawElements = (answer) => {
    view.querySelector("#frc-elements-box").innerHTML = `
      <p id="frc-elements-count">${int(answer.elements.length)} of ${int(answer.total)} element(s), fastest first
        ${answer.total > answer.elements.length ? `(the first ${int(answer.elements.length)})` : ""}.
        ${mark(answer.marking.banner)}</p>
      ${answer.illustrative ? `<p class="frc-illustrative" role="note"><strong>ILLUSTRATIVE</strong> — rows
        labelled illustrative: not real offers.</p>` : ""}
      <div class="frc-scroll"><table id="frc-elements"><thead><tr><th scope="col">Nation</th><th scope="col">Name</th>
        <th scope="col">Type</th><th scope="col">Component</th><th scope="col" class="n">Troops</th>
        <th scope="col" class="n">Ready (days)</th><th scope="col">Capabilities</th><th scope="col">Available</th>
        <th scope="col">Caveats</th><th scope="col">Source</th></tr></thead>
        <tbody>${answer.elements.map((e) => `<tr data-key="${esc(`${e.nation}/${e.id}`)}"><td>${esc(e.nation)}</td>
          <td class="name">${esc(e.name)}${e.illustrative ? ' <span class="muted">(illustrative)</span>' : ""}</td>
          <td>${esc(e.type)}</td><td>${esc(COMPONENTS[e.component] || e.component)}</td>
          <td class="n">${int(e.strength)}</td><td class="n">${int(e.readiness_days)}</td>
          <td class="caps">${esc(Object.entries(e.capabilities || {}).map(([c, q]) => `${c} ×${q}`).join(", "))}</td>
          <td class="time">${esc(e.available_from || "now")} – ${esc(e.available_to || "open")}</td>
          <td class="notes">${esc(caveats(e.caveats))}</td><td class="notes">${e.source_url ? link(e.source_url, true)
          : "-"}</td></tr>`).join("") || `<tr><td colspan="10" class="muted">No element you may see matches.</td></tr>`}
        </tbody></table></div>`;
  };
  drawElements(listed);
  let listing = 0;
  const filterForm = view.querySelector("#frc-element-filter");
  filterForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = filterForm.elements;
    const wanted = { capability: f.capability.value, nation: f.nation.value, ready: f.ready.value.trim() };
    if (wanted.ready !== "" && !/^\d{1,4}$/.test(wanted.ready)) {
      f.ready.setAttribute("aria-invalid", "true");
      return;
    }
    f.ready.removeAttribute("aria-invalid");
    const mine = ++listing;
    const status = view.querySelector("#frc-elements-status");
    status.textContent = "Loading…";
    let answer;
    try {
      answer = await ask(elementsPath(ctx, overview.edition, wanted));
    } catch (error) {
      if (mine === listing) await failed(view, status, error, "Not listed");
      return;
    }
    if (mine !== listing || !view.isConnected) return;
    await showMarkings(view, [answer.marking]);  // the banner first
    if (mine !== listing || !view.isConnected) return;
    status.textContent = "";
    remember({ capability: wanted.capability, nation: wanted.nation, ready: wanted.ready });
    drawElements(answer);
  });

  // --- force generation ------------------------------------------------------------------------------------------
  const genForm = view.querySelector("#frc-gen-form");
  const byName = Object.fromEntries(scenarios.map((s) => [s.name, s]));
  const describe = () => {
    const s = byName[genForm.elements.scenario.value];
    view.querySelector("#frc-scenario").innerHTML = s ? scenario(s) : "";
  };
  genForm.elements.scenario.addEventListener("change", describe);
  describe();
  let running = 0;
  genForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = genForm.elements;
    const request = { scenario: f.scenario.value, example: ctx.example, edition: overview.edition,
      troop_weight: Number(f.troop_weight.value || 2), fairness: Number(f.fairness.value || 1) };
    if (f.start.value) request.start = f.start.value;
    const mine = ++running;
    const status = view.querySelector("#frc-gen-status");
    status.textContent = "Generating…";
    genForm.querySelector("button[type=submit]").disabled = true;
    let answer;
    try {
      answer = await ask("/api/v1/forces/generate", { method: "POST", body: request });
    } catch (error) {
      if (mine === running) await failed(view, status, error, "No force");
      return;
    } finally {
      if (mine === running) genForm.querySelector("button[type=submit]").disabled = false;
    }
    if (mine !== running || !view.isConnected) return;
    await showMarkings(view, [answer.marking]);  // the banner first
    if (mine !== running || !view.isConnected) return;
    status.textContent = "";
    remember({ scenario: request.scenario });
    view.querySelector("#frc-gen-result").innerHTML = generation(answer, overview.illustrative);
  });
  if (byName[own.get("scenario")]) genForm.requestSubmit();  // a link to a generation: run it (its banner first)
}

function caveats(c) {
  if (!c) return "";
  const out = [];
  if (c.environments?.length) out.push(`only ${c.environments.join("/")}`);
  if (c.max_distance_km !== undefined && c.max_distance_km !== null) out.push(`≤ ${c.max_distance_km} km`);
  if (c.max_duration_days !== undefined && c.max_duration_days !== null) out.push(`≤ ${c.max_duration_days} days`);
  if (c.excluded_tasks?.length) out.push(`not for ${c.excluded_tasks.join(", ")}`);
  if (c.not_with?.length) out.push(`not with ${c.not_with.join(", ")}`);
  if (c.requires?.length) out.push(`requires ${c.requires.join(", ")}`);
  if (c.notes) out.push(c.notes);
  return out.join("; ");
}

/** A shipped scenario (public or ILLUSTRATIVE data; no marking). */
function scenario(s) {
  return `<dl id="frc-scenario-facts">
      <dt>Scenario</dt><dd>${esc(s.title || s.name)} <span class="muted">(${esc(s.name)})</span>${s.illustrative
        ? ' <strong class="no">ILLUSTRATIVE</strong>' : ""}</dd>
      <dt>Response</dt><dd>${int(s.response_days)} days</dd><dt>Duration</dt><dd>${int(s.duration_days)} days</dd>
      <dt>Distance</dt><dd>${int(s.distance_km)} km from Brussels</dd><dt>Environment</dt><dd>${esc(s.environment)}</dd>
      <dt>Troop ceiling</dt><dd>${int(s.max_troops)}</dd>
      <dt>Requires</dt><dd>${esc(s.requirements.map((r) => `${r.capability} ×${r.quantity}${r.task ? ` (${r.task})`
        : ""}`).join(", "))}</dd>
    </dl>
    ${s.assumed?.length ? `<details><summary>${int(s.assumed.length)} figure(s) assumed, unsourced</summary><ul>${s
      .assumed.map((a) => `<li>${esc(a)}</li>`).join("")}</ul></details>` : ""}
    ${s.sources?.length || s.source_url ? `<details><summary>Sources</summary><ul>${(s.sources?.length ? s.sources
      : [s.source_url]).map((u) => `<li>${link(u)}</li>`).join("")}</ul></details>` : ""}`;
}

/** The generation answer: the verdict, the shares, the chosen elements, the coverage, the missing set, the
 * excluded elements. `registerIllustrative`: whether the edition's register holds illustrative rows (its overview
 * says so; the elements considered are that edition's), when the answer does not say whether its data is. */
function generation(g, registerIllustrative) {
  const [tone, verdict] = STATUS[g.status] || ["so", g.status];
  const shares = Object.entries(g.shares || {});
  const transport = Object.entries(g.transport || {}).map(([k, v]) => `${k} ${int(v)}`).join(", ");
  const ceiling = g.ceiling_binds === true ? `The troop ceiling binds: without it every requirement would be covered
    (${int(g.troops_without_ceiling)} troops).` : g.ceiling_binds === false ? "The troop ceiling is not what binds: "
    + "even without it some requirements could not be covered." : "";
  return `
    <p class="frc-verdict" id="frc-gen-verdict" data-status="${esc(g.status)}"><span class="${tone}">${esc(verdict)}
      </span> for ${esc(g.scenario.title || g.scenario.name)}: ${int(g.chosen.length)} element(s), ${int(g.troops)}
      troops of at most ${int(g.max_troops)}; the largest national share ${int(g.peak)} troops${g.partial
      ? " (the best force for every requirement not missing)" : ""}. ${mark(g.marking.banner)}</p>
    ${illustrative(g, "frc-gen-illustrative", "this force", illustrativeData(g, registerIllustrative
      || g.chosen.some((e) => e.illustrative)))}
    <p class="muted">Edition ${esc(g.edition)}; ${int(g.considered)} element(s) considered, ${int(g.excluded.length)}
      excluded, ${int(g.irrelevant)} offering none of the required capabilities; objective ${esc(g.objective ?? "-")}
      (weights: ${int(g.weights?.troops)} per troop, ${int(g.weights?.fairness)} on the largest share); solved in
      ${num(g.seconds, 2)} s.${transport ? ` Transport needs: ${esc(transport)}.` : ""}</p>
    ${g.missing.length ? `<h3 id="frc-missing-title">Missing: the fewest requirements that must go uncovered</h3>
      <p>${g.missing_status === "optimal" ? "Proved the smallest such set: putting any one back makes the rest "
        + "infeasible." : esc(`Not proved the smallest (${g.missing_status || "time limit"}).`)} ${esc(ceiling)}</p>
      <table id="frc-missing" aria-labelledby="frc-missing-title"><thead><tr><th scope="col">Capability</th>
        <th scope="col">Task</th><th scope="col" class="n">Required</th><th scope="col" class="n">Offered</th>
        <th scope="col" class="n">Eligible</th><th scope="col">Why</th></tr></thead>
        <tbody>${g.missing.map((m) => `<tr data-capability="${esc(m.capability)}"><td>${esc(m.capability)}</td>
          <td>${esc(m.task || "-")}</td><td class="n">${int(m.required)}</td><td class="n">${int(m.offered)}</td>
          <td class="n">${int(m.eligible)}</td><td>${esc(m.reason)}</td></tr>`).join("")}</tbody></table>` : ""}
    <h3 id="frc-shares-title">National shares (troops)</h3>
    ${bars("frc-shares", shares.map(([n, t]) => ({ key: n, label: n, value: t,
      text: `${int(t)} (${g.troops ? Math.round(t / g.troops * 100) : 0}\u202f%)` })),
      { caption: "Troops per contributing nation" })}
    <h3 id="frc-chosen-title">Chosen elements</h3>
    <div class="frc-scroll"><table id="frc-chosen" aria-labelledby="frc-chosen-title"><thead><tr>
      <th scope="col">Element</th><th scope="col">Nation</th><th scope="col">Name</th><th scope="col">Type</th>
      <th scope="col">Component</th><th scope="col" class="n">Troops</th><th scope="col" class="n">Ready (days)</th>
      <th scope="col">Capabilities</th><th scope="col">Caveats</th><th scope="col">Marking</th></tr></thead>
      <tbody>${g.chosen.map((e) => `<tr data-element="${esc(e.element)}"><td>${esc(e.element)}</td>
        <td>${esc(e.nation)}</td><td class="name">${esc(e.name)}${e.illustrative
        ? ' <span class="muted">(illustrative)</span>' : ""}</td><td>${esc(e.type)}</td>
        <td>${esc(COMPONENTS[e.component] || e.component)}</td><td class="n">${int(e.strength)}</td>
        <td class="n">${int(e.readiness_days)}</td><td class="caps">${esc(Object.entries(e.capabilities || {})
        .map(([c, q]) => `${c} ×${q}`).join(", "))}</td><td class="notes">${esc(e.caveats || "")}</td>
        <td>${mark(e.marking)}</td></tr>`).join("") || `<tr><td colspan="10" class="muted">None chosen.</td></tr>`}
      </tbody></table></div>
    <h3 id="frc-covers-title">Coverage per requirement</h3>
    <table id="frc-covers" aria-labelledby="frc-covers-title"><thead><tr><th scope="col">Capability</th>
      <th scope="col">Task</th><th scope="col" class="n">Required</th><th scope="col" class="n">Covered</th>
      <th scope="col" class="n">Ready within (days)</th><th scope="col">From</th></tr></thead>
      <tbody>${g.covers.map((c) => `<tr data-capability="${esc(c.capability)}"${c.covered < c.required
        ? ' class="short"' : ""}><td>${esc(c.capability)}</td><td>${esc(c.task || "-")}</td>
        <td class="n">${int(c.required)}</td><td class="n">${int(c.covered)}</td>
        <td class="n">${int(c.readiness_days ?? g.scenario.response_days)}</td><td class="caps">${esc(Object.entries(
        c.sources || {}).map(([k, q]) => `${k} ×${q}`).join(", ") || "-")}</td></tr>`).join("")
        || `<tr><td colspan="6" class="muted">No requirement covered.</td></tr>`}</tbody></table>
    <h3 id="frc-excluded-title">Excluded elements (${int(g.excluded.length)})</h3>
    ${g.excluded.length ? `<details id="frc-excluded-box"${g.excluded.length <= 12 ? " open" : ""}><summary>Why each
      was left out</summary><table id="frc-excluded" aria-labelledby="frc-excluded-title"><thead><tr>
      <th scope="col">Element</th><th scope="col">Why</th></tr></thead><tbody>${g.excluded.map((x) => `<tr
      data-element="${esc(x.element)}"><td>${esc(x.element)}</td><td>${esc(x.reason)}</td></tr>`).join("")}</tbody>
      </table></details>` : `<p class="muted">None: every element offering a required capability was eligible.</p>`}`;
}
