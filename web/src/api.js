// The API client: the bearer token of the signed-in user (kept in this tab's sessionStorage only), JSON calls,
// and the classification banner, which shows the combined marking of everything on screen.
const KEY = "kompas-token";
const LEVEL_COLOURS = { UNCLASSIFIED: "#007a33", RESTRICTED: "#9a6a00", CONFIDENTIAL: "#0033a0", SECRET: "#c8102e",
  TOP_SECRET: "#e07000" };

export class AuthError extends Error {}

export function token() { return sessionStorage.getItem(KEY); }
/** Forget the token and everything this tab kept for the user (e.g. the report jobs followed, the exercise). */
export function signOut() { sessionStorage.clear(); }

// --- the exercise context ------------------------------------------------------------------------------------------
// The user works in the real world (no exercise) or in the context of one exercise their organisation takes part in
// (kompas.api.deps, header X-Kompas-Exercise): its items become visible and everything written or derived is marked
// EXERCISE. The code is kept in this tab's sessionStorage. ONE place adds the header: this module wraps the
// browser's fetch for the API's own addresses (same origin, /api/...), so every call sends it, request() below as
// well as the pages that call fetch themselves (forces, infra, maritime, ...): no call can leave the context by
// accident, and a write made in an exercise can never land in the real world. A 403 on the header (the organisation
// left the exercise, or a forged code) drops the tab back to the real world and says so ("kompas-exercise-left").
const EXERCISE_KEY = "kompas-exercise";
export const EXERCISE_HEADER = "X-Kompas-Exercise";
export const EXERCISE_BANNER = "EXERCISE EXERCISE EXERCISE";
export const EXERCISE_LEFT = "kompas-exercise-left";  // window event: {code, message}
const nativeFetch = window.fetch.bind(window);

/** The code of the exercise this tab works in, or null (the real world). */
export function exercise() { return sessionStorage.getItem(EXERCISE_KEY) || null; }

/** Work in exercise `code` (null: the real world) from the next request on; the band follows at once. */
export function setExercise(code) {
  if (code) sessionStorage.setItem(EXERCISE_KEY, code);
  else sessionStorage.removeItem(EXERCISE_KEY);
  paintExercise();
}

function isApi(input) {
  try {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, location.href);
    return url.origin === location.origin && url.pathname.startsWith("/api/");
  } catch { return false; }
}

/** fetch, with the exercise header on the API's addresses unless `context` is false (the list of exercises, asked
 * in the real world) or the caller set the header itself. */
async function apiFetch(input, init = {}, context = true) {
  const code = context ? exercise() : null;
  if (!code || !isApi(input)) return nativeFetch(input, init);
  const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
  if (headers.has(EXERCISE_HEADER)) return nativeFetch(input, init);
  headers.set(EXERCISE_HEADER, code);
  const response = await nativeFetch(input, { ...init, headers });
  if (response.status === 403) await refused(code, response.clone());
  return response;
}
window.fetch = (input, init) => apiFetch(input, init);

let checking = null;  // one check at a time when several calls are refused together

/** A 403 on a call made in exercise `code`: when the exercise is no longer the user's (asked in the real world), or
 * the server says so, the tab goes back to the real world and the app is told (the router shows why). */
async function refused(code, response) {
  let detail = "";
  try { detail = String((await response.json()).detail ?? ""); } catch { /* not JSON */ }
  checking ??= (async () => {
    try {
      const mine = await nativeFetch("/api/v1/exercises", { headers: { Authorization: `Bearer ${token() ?? ""}` } });
      if (mine.ok) return (await mine.json()).some((x) => x.code === code);
    } catch { /* the check failed: the server's reason decides */ }
    return null;
  })().finally(() => { checking = null; });
  const listed = await checking;
  if (listed === true || (listed === null && !/no exercise/i.test(detail)) || exercise() !== code) return;
  setExercise(null);
  window.dispatchEvent(new CustomEvent(EXERCISE_LEFT, { detail: { code, message: detail
    || `your organisation takes part in no exercise ${code}` } }));
}

/** The exercises the user's organisation takes part in ([{code, title, participants}]), asked in the real world. */
export async function myExercises() {
  return request("/api/v1/exercises", { context: false });
}

const RETRIES_429 = 3;  // a request refused for rate (429) is sent again after the server's Retry-After
const MAX_WAIT_429_S = 10;  // ... at most this long each time (seconds); after the last retry the 429 is shown

export async function request(path, { method = "GET", body, bearer = token(), raw = false, signal, context = true }
  = {}) {
  const headers = { Authorization: `Bearer ${bearer ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  for (let attempt = 0; ; attempt += 1) {
    response = await apiFetch(path, { method, headers, signal,
      body: body === undefined ? undefined : JSON.stringify(body) }, context);
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
  paintExercise();  // the exercise band with the banner, so before any content (markings first)
}

/** The exercise band under the top banner, "EXERCISE EXERCISE EXERCISE — CODE", while the tab works in an exercise;
 * hidden in the real world. Painted with the banner (paint), so never after the content it frames. */
export function paintExercise() {
  const code = exercise();
  let band = document.getElementById("exercise-band");
  if (!band) {
    band = document.createElement("div");
    band.id = "exercise-band";
    band.setAttribute("role", "status");
    const bar = document.querySelector("header.bar");
    if (bar) bar.after(band);
    else document.body.prepend(band);
  }
  band.hidden = !code;
  band.textContent = code ? `${EXERCISE_BANNER} — ${code}` : "";
  band.dataset.exercise = code || "";
  document.body.classList.toggle("in-exercise", Boolean(code));
}

/** The marking as painted now ({banner, classification}). */
export function currentMarking() { return current; }

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "'": "&#39;" })[c]);
}
