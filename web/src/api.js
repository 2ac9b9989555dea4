// The API client: the bearer token of the signed-in user (kept in this tab's sessionStorage only), JSON calls,
// and the classification banner, which shows the combined marking of everything on screen.
const KEY = "kompas-token";
const LEVEL_COLOURS = { UNCLASSIFIED: "#007a33", RESTRICTED: "#9a6a00", CONFIDENTIAL: "#0033a0", SECRET: "#c8102e",
  TOP_SECRET: "#e07000" };

export class AuthError extends Error {}

export function token() { return sessionStorage.getItem(KEY); }
/** Forget the token and everything this tab kept for the user (e.g. the report jobs followed). */
export function signOut() { sessionStorage.clear(); }

const RETRIES_429 = 3;  // a request refused for rate (429) is sent again after the server's Retry-After
const MAX_WAIT_429_S = 10;  // ... at most this long each time (seconds); after the last retry the 429 is shown

export async function request(path, { method = "GET", body, bearer = token(), raw = false, signal } = {}) {
  const headers = { Authorization: `Bearer ${bearer ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await fetch(path, { method, headers, signal,
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status !== 429 || attempt === RETRIES_429) break;
    const wait = Math.min(Math.max(Number(response.headers.get("Retry-After")) || 1, 1), MAX_WAIT_429_S);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
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
// Markings first: the router keeps a page's view invisible until its render function has resolved, and a render
// function resolves only after `showMarkings` has painted the banner for what it drew. Anything a page adds later
// (the next page of a table, a detail panel, a map layer) awaits `showMarkings` for it BEFORE it goes on screen.
// So the banner is never lower than the content it frames; during a visit it only rises.
export const PENDING = { banner: "CHECKING MARKING…", classification: "PENDING" };
let shown = [];
let visit = 0;
let chain = Promise.resolve();

/** A new visit: nothing on screen yet, the banner neutral until the page says what it shows. */
export function resetMarkings() {
  shown = [];
  visit += 1;
  chain = Promise.resolve();
  paint(PENDING);
}

/** Add the markings of items about to be on screen in `view`; the server combines them (the one rule,
 * kompas.core.markings) and the banner is painted before this resolves. Calls run one after another, so the last
 * paint is the combination of everything shown. A page the user has already left changes nothing. Rejects when
 * the combination cannot be had (the caller then shows nothing). */
export function showMarkings(view, markings) {
  const mine = visit;
  const fresh = markings.filter(Boolean);
  const step = chain.then(async () => {
    if (mine !== visit || !view.isConnected) return;
    const wanted = uniqueByBanner([...shown, ...fresh]);
    if (wanted.length === shown.length && current !== PENDING) return;  // nothing new: the banner covers it already
    const combined = wanted.length ? await request("/api/v1/markings/combine", { method: "POST",
      body: { markings: wanted } }) : { banner: "UNCLASSIFIED", classification: "UNCLASSIFIED" };
    if (mine !== visit) return;
    paint(combined);
    shown = wanted;  // only once painted: a failed combination leaves them to be asked for again
  });
  chain = step.catch(() => {});
  return step;
}

function uniqueByBanner(list) {
  const seen = new Map();
  for (const m of list) seen.set(JSON.stringify([m.banner, m.originators || [], m.classification]), m);
  return [...seen.values()];
}

let current = PENDING;

function paint(marking) {
  current = marking;
  for (const id of ["banner-top", "banner-bottom"]) {
    const el = document.getElementById(id);
    el.textContent = marking.banner;
    el.style.background = LEVEL_COLOURS[marking.classification] || "#555";
    el.dataset.classification = marking.classification;
  }
}

/** The marking as painted now ({banner, classification}). */
export function currentMarking() { return current; }

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "'": "&#39;" })[c]);
}
