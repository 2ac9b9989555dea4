// The conjunction table: sortable, filterable by time, miss distance and object; a row opens its detail.
import { all, esc, request, showMarkings } from "../api.js";

const COLUMNS = [
  ["tca_utc", "TCA (UTC)"], ["primary", "Primary"], ["secondary", "Secondary"], ["miss_km", "Miss (km)"],
  ["pc", "Pc"], ["pc_basis", "Basis"], ["v_rel_km_s", "Speed (km/s)"], ["owners", "Owner"], ["label", "Kind"], ["marking", "Marking"],
];

// A Pc as shown: a Monte Carlo value with no hit is its 95% upper bound ("< 9.2e-5"), the figure to act on.
function pcText(c) {
  if (c.pc < 0) return "-";
  if (c.pc === 0 && c.pc_interval) return `< ${c.pc_interval[1].toExponential(1)}`;
  return c.pc.toExponential(2);
}

export async function renderConjunctions(view) {
  const rows = await all("/api/v1/conjunctions");
  const ids = [...new Set(rows.flatMap((c) => [c.primary_id, c.secondary_id]))];
  const { names, owners } = await objectNames(ids, true);
  for (const c of rows) {
    c.primary = `${names[c.primary_id] || "?"} (${c.primary_id})`;
    c.secondary = `${names[c.secondary_id] || "?"} (${c.secondary_id})`;
    c.owners = [owners[c.primary_id], owners[c.secondary_id]].filter(Boolean).join("; ");
    c.pc = c.pc ?? -1;  // sorts below every computed Pc
    c.pc_basis = c.pc == -1 ? "" : (c.pc_basis || "pc2d");  // stored before the choice existed: Foster
  }
  view.innerHTML = `
    <h1>Conjunctions</h1>
    <form class="filters" id="filters" aria-label="Filter conjunctions">
      <label>Object (name or NORAD id)<input name="object" type="search"></label>
      <label>Miss distance at most (km)<input name="miss" type="number" min="0" step="0.1"></label>
      <label>Pc at least<input name="pc" type="number" min="0" max="1" step="any" placeholder="e.g. 1e-4"></label>
      <label>Owner<input name="owner" type="search"></label>
      <label>TCA from (UTC)<input name="from" type="datetime-local"></label>
      <label>TCA until (UTC)<input name="until" type="datetime-local"></label>
      <span id="count" class="muted" aria-live="polite"></span>
    </form>
    <table id="conjunctions">
      <thead><tr>${COLUMNS.map(([key, label]) => `<th scope="col" data-key="${key}"><button type="button">${label}
        </button></th>`).join("")}</tr></thead>
      <tbody></tbody>
    </table>`;
  const state = { key: "tca_utc", dir: 1 };
  const form = view.querySelector("#filters");
  const body = view.querySelector("tbody");
  const draw = () => {
    const f = Object.fromEntries(new FormData(form));
    const text = (f.object || "").trim().toLowerCase();
    const miss = f.miss === "" ? Infinity : Number(f.miss);
    const pc = f.pc === "" ? -Infinity : Number(f.pc);
    const owner = (f.owner || "").trim().toLowerCase();
    const shown = rows.filter((c) => (!text || c.primary.toLowerCase().includes(text)
      || c.secondary.toLowerCase().includes(text)) && c.miss_km <= miss && c.pc >= pc
      && (!owner || c.owners.toLowerCase().includes(owner))
      && (!f.from || c.tca_utc >= f.from) && (!f.until || c.tca_utc <= f.until + ":59.999999999Z"))
      .sort((a, b) => compare(a[state.key], b[state.key]) * state.dir);
    body.innerHTML = shown.map((c) => `<tr class="link" tabindex="0" data-id="${esc(c.id)}">
      <td>${esc(c.tca_utc.slice(0, 23))}</td><td>${esc(c.primary)}</td><td>${esc(c.secondary)}</td>
      <td class="n">${c.miss_km.toFixed(3)}</td><td class="n">${pcText(c)}</td>
      <td title="${esc((c.pc_flags || []).join(", ") || "no usage check failed")}">${esc(c.pc_basis)}</td>
      <td class="n">${c.v_rel_km_s.toFixed(2)}</td><td>${esc(c.owners)}</td><td>${esc(c.label)}</td>
      <td class="mark">${esc(c.marking.banner)}</td></tr>`).join("");
    view.querySelector("#count").textContent = `${shown.length} of ${rows.length} conjunctions`;
    for (const th of view.querySelectorAll("th")) {
      th.setAttribute("aria-sort", th.dataset.key === state.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    }
  };
  form.addEventListener("input", draw);
  view.querySelector("thead").addEventListener("click", (event) => {
    const th = event.target.closest("th");
    if (!th) return;
    state.dir = state.key === th.dataset.key ? -state.dir : 1;
    state.key = th.dataset.key;
    draw();
  });
  const open = (tr) => { if (tr) location.hash = `#/conjunction/${tr.dataset.id}`; };
  body.addEventListener("click", (event) => open(event.target.closest("tr")));
  body.addEventListener("keydown", (event) => { if (event.key === "Enter") open(event.target.closest("tr")); });
  draw();
  await showMarkings(view, rows.map((c) => c.marking));
}

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a && typeof a === "object") return String(a.banner).localeCompare(String(b.banner));
  return String(a).localeCompare(String(b));
}

/** Names of objects by NORAD id, from the element sets the user may see (and, with `withOwners`, the owners
 * Kompas knows: `{names, owners}`). */
export async function objectNames(ids, withOwners = false) {
  const names = {};
  const owners = {};
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    if (!part.length) continue;
    const found = await request(`/api/v1/objects/names?ids=${part.join(",")}`);
    Object.assign(names, found.names);
    Object.assign(owners, found.owners);
  }
  return withOwners ? { names, owners } : names;
}
