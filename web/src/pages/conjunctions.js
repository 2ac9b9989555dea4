// The conjunction table: every conjunction the user may see, paged, sorted and filtered by the server (Pc first,
// then TCA); formation and same-owner pairs flagged and hideable; element-set age shown. A row opens its detail.
import { esc, request } from "../api.js";
import { utc } from "../format.js";
import { serverTable } from "../table.js";

// A Pc as shown: a Monte Carlo value with no hit is its 95% upper bound ("< 9.2e-5"), the figure to act on.
export function pcText(c) {
  if (c.pc === null || c.pc === undefined) return "-";
  if (c.pc === 0 && c.pc_interval) return `< ${c.pc_interval[1].toExponential(1)}`;
  return c.pc.toExponential(2);
}

const RELATION = { formation: "formation (flying together)", "same-owner": "same owner" };

function object(id, name, owner) {
  return `<a href="#/object/${esc(id)}">${esc(name || "?")}</a> <span class="muted">${esc(id)}</span>${owner
    ? `<br><span class="muted">${esc(owner)}</span>` : ""}`;
}

export async function renderConjunctions(view) {
  view.innerHTML = `
    <h1>Conjunctions</h1>
    <form class="filters" id="filters" aria-label="Filter conjunctions">
      <label>Object (name or NORAD id)<input name="object" type="search" maxlength="100"></label>
      <label>Owner<input name="owner" type="search" maxlength="100"></label>
      <label>Miss distance at most (km)<input name="max_miss_km" type="number" min="0" step="0.1"></label>
      <label>Pc at least<input name="min_pc" type="number" min="0" max="1" step="any" placeholder="e.g. 1e-4"></label>
      <label>TCA from (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>TCA until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label class="check"><input name="hide_related" type="checkbox"> Hide formation and same-owner pairs</label>
      <span id="count" class="muted" aria-live="polite"></span>
    </form>
    <table id="conjunctions"><thead></thead><tbody></tbody></table>`;
  await serverTable({
    view, path: "/api/v1/conjunctions", table: view.querySelector("#conjunctions"),
    form: view.querySelector("#filters"), status: view.querySelector("#count"), defaultSort: "-pc",
    rowAttributes: (c) => `class="link${c.relation ? " related" : ""}" tabindex="0" data-id="${esc(c.id)}"`,
    columns: [
      { label: "TCA (UTC)", sort: ["tca", "-tca"], cell: (c) => `<span class="time">${esc(utc(c.tca_utc))}</span>` },
      { label: "Primary", sort: null, cell: (c) => object(c.primary_id, c.primary_name, c.primary_owner) },
      { label: "Secondary", sort: null, cell: (c) => object(c.secondary_id, c.secondary_name, c.secondary_owner) },
      { label: "Miss (km)", sort: ["miss", "-miss"], numeric: true, cell: (c) => c.miss_km.toFixed(3) },
      { label: "Pc", sort: ["pc", "-pc"], descFirst: true, numeric: true, cell: (c) => pcText(c) },
      { label: "Basis", sort: null, cell: (c) => `<span title="${esc((c.pc_flags || []).join(", ")
        || "no usage check failed")}">${esc(c.pc === null ? "" : (c.pc_basis || "pc2d"))}</span>` },
      { label: "Speed (km/s)", sort: null, numeric: true, cell: (c) => c.v_rel_km_s.toFixed(3) },
      { label: "Element-set age (d)", sort: null, numeric: true, cell: (c) => (c.elset_age_days === null
        || c.elset_age_days === undefined ? "-" : c.elset_age_days.toFixed(1)) },
      { label: "Relation", sort: null, cell: (c) => esc(RELATION[c.relation] || (c.label ? c.label : "")) },
      { label: "Marking", sort: null, cell: (c) => `<span class="mark">${esc(c.marking.banner)}</span>` },
    ],
  });
  const body = view.querySelector("#conjunctions tbody");
  const open = (tr) => { if (tr?.dataset.id) location.hash = `#/conjunction/${tr.dataset.id}`; };
  body.addEventListener("click", (event) => { if (!event.target.closest("a")) open(event.target.closest("tr")); });
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.target.closest("a")) open(event.target.closest("tr"));
  });
}

/** Names of objects by NORAD id, from the element sets the user may see (and, with `withOwners`, the owners
 * Kompas knows and the markings of the sets the names come from: `{names, owners, markings}`). */
export async function objectNames(ids, withOwners = false) {
  const names = {};
  const owners = {};
  const markings = [];
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    if (!part.length) continue;
    const found = await request(`/api/v1/objects/names?ids=${part.join(",")}`);
    Object.assign(names, found.names);
    Object.assign(owners, found.owners);
    markings.push(...(found.markings || []));
  }
  return withOwners ? { names, owners, markings } : names;
}
