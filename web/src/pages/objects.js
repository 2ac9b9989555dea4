// The catalogue: every object with an element set the user may see, paged, sorted and searched by the server, with
// the age of its newest element set (against the newest epoch of the catalogue). A row opens the object.
import { esc } from "../api.js";
import { utc } from "../format.js";
import { serverTable } from "../table.js";

export async function renderObjects(view) {
  view.innerHTML = `
    <h1>Objects</h1>
    <form class="filters" id="object-filters" aria-label="Search objects">
      <label>NORAD id or name<input name="q" type="search" maxlength="100"></label>
      <span id="object-count" class="muted" aria-live="polite"></span>
    </form>
    <p class="muted">Element-set age: days between the object's newest element set and the newest in the catalogue
      you may see; stale element sets (weeks) give conjunctions of little value.</p>
    <table id="objects"><thead></thead><tbody></tbody></table>`;
  await serverTable({
    view, path: "/api/v1/objects", table: view.querySelector("#objects"), form: view.querySelector("#object-filters"),
    status: view.querySelector("#object-count"), defaultSort: "norad_id",
    rowAttributes: (o) => `class="link" tabindex="0" data-id="${esc(o.norad_id)}"`,
    columns: [
      { label: "NORAD id", sort: ["norad_id", "-norad_id"], numeric: true, cell: (o) => esc(o.norad_id) },
      { label: "Name", sort: ["name", null], cell: (o) => `<a href="#/object/${esc(o.norad_id)}">${esc(o.name)}</a>` },
      { label: "Newest epoch (UTC)", sort: ["epoch", "-epoch"], descFirst: true, cell: (o) => `<span class="time">
        ${esc(utc(o.newest_epoch_utc))}</span>` },
      { label: "Element-set age (d)", sort: null, numeric: true, cell: (o) => (o.age_days === null
        || o.age_days === undefined ? "-" : o.age_days.toFixed(2)) },
      { label: "Element sets", sort: null, numeric: true, cell: (o) => esc(o.element_sets) },
      { label: "Marking", sort: null, cell: (o) => `<span class="mark">${esc(o.marking.banner)}</span>` },
    ],
  });
  const body = view.querySelector("#objects tbody");
  const open = (tr) => { if (tr?.dataset.id) location.hash = `#/object/${tr.dataset.id}`; };
  body.addEventListener("click", (event) => { if (!event.target.closest("a")) open(event.target.closest("tr")); });
  body.addEventListener("keydown", (event) => { if (event.key === "Enter") open(event.target.closest("tr")); });
}
