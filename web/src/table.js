// A table over a server-side listing: the API pages (keyset cursor), sorts and filters; the table shows one page,
// "first–last of total", Previous/Next, sortable headers and the filter form's values. The state lives in the
// page's hash query (#/conjunctions?sort=-pc&since=...), so a view can be linked and survives a reload.
import { esc, request, showMarkings } from "./api.js";
import { count, typedUtc } from "./format.js";

/**
 * @param {object} o
 * @param {HTMLElement} o.view the page's container (for the markings)
 * @param {string} o.path the listing, e.g. "/api/v1/conjunctions"
 * @param {HTMLTableElement} o.table a table with an empty thead and tbody
 * @param {HTMLFormElement} o.form the filters (input names are the API's parameter names)
 * @param {HTMLElement} o.status where "first–last of total" goes
 * @param {Array} o.columns [{label, sort: [ascending name, descending name] | null, descFirst, cell: (item) => html,
 *   numeric}]
 * @param {string} o.defaultSort the API's default sort name
 * @param {number} [o.limit] rows per page
 * @param {(item) => string} o.rowAttributes extra attributes of a row (data-id, ...)
 * @param {(params: URLSearchParams) => void} [o.adjust] last changes to the query (e.g. a checkbox)
 * @param {(items: Array) => Promise<Array>} [o.prepare] looks up what the cells need (e.g. object names) before the
 *   rows are drawn; resolves to the markings of what it found, shown with the rows'
 * @param {(items: Array) => void} [o.drawn] called with the items shown, after they are on screen
 */
export async function serverTable(o) {
  const own = new URLSearchParams(location.hash.split("?")[1] || "");
  // rows per page: the page's choice, or the link's (?rows=25), within the API's 1..1000
  const limit = Math.min(1000, Math.max(1, Number(own.get("rows")) || o.limit || 100));
  let sort = own.get("sort") || o.defaultSort;
  for (const element of o.form.elements) {  // filters from the link
    if (!element.name || !own.has(element.name)) continue;
    if (element.type === "checkbox") element.checked = own.get(element.name) === "true";
    else element.value = own.get(element.name);
  }
  const cursors = [null];  // the cursor of each page shown so far: Previous goes back one
  let page = 0;
  let next = null;
  let asked = 0;
  const head = o.table.tHead;
  head.innerHTML = `<tr>${o.columns.map((c, k) => `<th scope="col" data-k="${k}"${c.numeric ? " class='n'" : ""}>${c.sort
    ? `<button type="button">${esc(c.label)}</button>` : esc(c.label)}</th>`).join("")}</tr>`;
  const nav = document.createElement("div");
  nav.className = "pager";
  nav.innerHTML = `<button type="button" data-go="-1">Previous</button><button type="button" data-go="1">Next</button>`;
  o.table.after(nav);

  const query = () => {
    const params = new URLSearchParams();
    for (const element of o.form.elements) {
      if (!element.name) continue;
      if (element.type === "checkbox") { if (element.checked) params.set(element.name, "true"); continue; }
      const value = element.value.trim();
      element.removeAttribute("aria-invalid");
      if (value === "") continue;
      if (element.dataset.utc !== undefined) {  // a time typed as ISO 8601 UTC: sent once it is one
        const time = typedUtc(value);
        if (time) params.set(element.name, time);
        else element.setAttribute("aria-invalid", "true");
        continue;
      }
      params.set(element.name, value);
    }
    o.adjust?.(params);
    if (sort !== o.defaultSort) params.set("sort", sort);
    return params;
  };
  const link = (params) => {
    if (own.has("rows")) params.set("rows", String(limit));
    return params;
  };
  const load = async () => {
    const mine = ++asked;
    const params = query();
    const shared = link(new URLSearchParams(params));
    history.replaceState(null, "", `${location.hash.split("?")[0]}${shared.toString() ? `?${shared}` : ""}`);
    params.set("limit", String(limit));
    if (cursors[page]) params.set("after", cursors[page]);
    o.status.textContent = "Loading…";
    let answer;
    try {
      answer = await request(`${o.path}?${params}`);
    } catch (error) {
      if (mine !== asked) return;
      o.table.dataset.loaded = String(asked);
      o.status.innerHTML = `<span class="error" role="alert">${esc(error.message)}</span>`;
      return;
    }
    if (mine !== asked) return;
    const extra = o.prepare ? await o.prepare(answer.items) : [];
    if (mine !== asked) return;
    // the banner first, then the rows
    await showMarkings(o.view, [...answer.items.map((item) => item.marking), ...(extra || [])]);
    if (mine !== asked) return;
    next = answer.next;
    const first = page * limit + 1;
    const total = answer.total ?? null;
    o.status.textContent = answer.items.length
      ? `${count(first)}–${count(first + answer.items.length - 1)} of ${total === null ? "?" : count(total)}`
      : `0 of ${total === null ? "?" : count(total)}`;
    o.table.tBodies[0].innerHTML = answer.items.map((item) => `<tr ${o.rowAttributes(item)}>${o.columns.map((c) =>
      `<td${c.numeric ? " class='n'" : ""}>${c.cell(item)}</td>`).join("")}</tr>`).join("")
      || `<tr><td colspan="${o.columns.length}" class="muted">Nothing you may see matches.</td></tr>`;
    nav.querySelector("[data-go='-1']").disabled = page === 0;
    nav.querySelector("[data-go='1']").disabled = !next;
    for (const th of head.querySelectorAll("th")) {
      const names = o.columns[th.dataset.k].sort;
      th.setAttribute("aria-sort", !names ? "none" : sort === names[0] ? "ascending" : sort === names[1] ? "descending"
        : "none");
    }
    o.drawn?.(answer.items, answer);
    o.table.dataset.loaded = String(asked);  // for tests: which load is on screen
    o.table.dataset.total = String(total ?? "");
  };
  const restart = () => {
    cursors.length = 1;
    page = 0;
    next = null;  // the old answer's cursor belongs to the old filters
    nav.querySelector("[data-go='1']").disabled = true;
    return load();
  };
  let timer = null;
  o.form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(restart, 250); });
  o.form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); restart(); });
  head.addEventListener("click", (event) => {
    const th = event.target.closest("th");
    const names = th && o.columns[th.dataset.k].sort;
    if (!names) return;
    // a new column starts in its natural order (descending for a column marked descFirst: Pc, severity, time);
    // a second click turns it round
    const column = o.columns[th.dataset.k];
    sort = sort === names[0] ? names[1] || names[0] : sort === names[1] ? names[0] || names[1]
      : names[column.descFirst ? 1 : 0] || names[0] || names[1];
    restart();
  });
  nav.addEventListener("click", (event) => {
    const go = Number(event.target.closest("button")?.dataset.go || 0);
    if (go > 0 && next) { cursors[page + 1] = next; page += 1; load(); }
    if (go < 0 && page > 0) { page -= 1; load(); }
  });
  await load();
  return { reload: restart };
}
