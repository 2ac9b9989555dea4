// The API client: the bearer token of the signed-in user (kept in this tab's sessionStorage only), JSON calls,
// and the classification banner, which shows the combined marking of everything on screen.
const KEY = "kompas-token";
const LEVEL_COLOURS = { UNCLASSIFIED: "#007a33", RESTRICTED: "#9a6a00", CONFIDENTIAL: "#0033a0", SECRET: "#c8102e",
  TOP_SECRET: "#e07000" };

export class AuthError extends Error {}

export function token() { return sessionStorage.getItem(KEY); }
export function signOut() { sessionStorage.removeItem(KEY); }

export async function request(path, { method = "GET", body, bearer = token(), raw = false } = {}) {
  const headers = { Authorization: `Bearer ${bearer ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) throw new AuthError("sign in again");
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = JSON.stringify((await response.json()).detail); } catch { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return raw ? response : response.json();
}

export async function signIn(candidate) {
  const me = await request("/api/v1/whoami", { bearer: candidate });
  sessionStorage.setItem(KEY, candidate);
  return me;
}

/** Every page of a keyset-paged listing (up to `max` items). */
export async function all(path, max = 5000) {
  const items = [];
  let after = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await request(`${path}${sep}limit=1000${after ? `&after=${encodeURIComponent(after)}` : ""}`);
    items.push(...page.items);
    after = page.next;
  } while (after && items.length < max);
  return items;
}

// --- the banner: the combined marking of what the current view shows -------------------------------------------
let shown = [];
let visit = 0;

export function resetMarkings() {
  shown = [];
  visit += 1;
  paint({ banner: "UNCLASSIFIED", classification: "UNCLASSIFIED" });
}

/** Add the markings of items now on screen in `view`; the server combines them (the one rule,
 * kompas.core.markings). A page the user has already left (its view no longer on screen) changes nothing. */
export async function showMarkings(view, markings) {
  const mine = visit;
  const fresh = markings.filter(Boolean);
  if (!fresh.length || !view.isConnected) return;
  shown = uniqueByBanner([...shown, ...fresh]);
  const combined = await request("/api/v1/markings/combine", { method: "POST", body: { markings: shown } });
  if (mine === visit) paint(combined);
}

function uniqueByBanner(list) {
  const seen = new Map();
  for (const m of list) seen.set(m.banner + "|" + (m.originators || []).join(","), m);
  return [...seen.values()];
}

function paint(marking) {
  for (const id of ["banner-top", "banner-bottom"]) {
    const el = document.getElementById(id);
    el.textContent = marking.banner;
    el.style.background = LEVEL_COLOURS[marking.classification] || "#444";
    el.dataset.classification = marking.classification;
  }
}

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "'": "&#39;" })[c]);
}
