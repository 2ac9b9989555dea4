// The single-page app: a hash router over the pages; every page reads only what the API returns for the user.
import "./style.css";
import "uplot/dist/uPlot.min.css";
import { AuthError, esc, request, resetMarkings, showMarkings, signOut, token } from "./api.js";
import { renderSignin } from "./pages/signin.js";
import { renderGlobe } from "./pages/globe.js";
import { renderConjunctions } from "./pages/conjunctions.js";
import { renderConjunction } from "./pages/conjunction.js";
import { renderEvent, renderEvents } from "./pages/events.js";
import { renderObject } from "./pages/object.js";
import { renderObjects } from "./pages/objects.js";
import { renderReports } from "./pages/reports.js";
import { renderFimi } from "./pages/fimi.js";
import { renderCyber } from "./pages/cyber.js";
import { renderMap } from "./pages/map.js";
import { renderInfra } from "./pages/infra.js";
import { renderMaritime } from "./pages/maritime.js";
import { renderTrack, renderTracks } from "./pages/tracks.js";
import { renderRespond } from "./pages/respond.js";
import { renderFusion } from "./pages/fusion.js";
import { renderIntel } from "./pages/intel.js";
import { renderWarning } from "./pages/warning.js";
import { renderMobility } from "./pages/mobility.js";
import { renderForces } from "./pages/forces.js";

const routes = [
  [/^#\/signin$/, renderSignin],
  [/^#\/globe$/, renderGlobe],
  [/^#\/conjunctions$/, renderConjunctions],
  [/^#\/conjunction\/([\w-]+)$/, renderConjunction],
  [/^#\/tracks$/, renderTracks],
  [/^#\/track\/([\w-]+)$/, renderTrack],
  [/^#\/events$/, renderEvents],
  [/^#\/event\/([\w-]+)$/, renderEvent],
  [/^#\/respond\/([\w-]+)$/, renderRespond],
  [/^#\/object\/(\d+)$/, renderObject],
  [/^#\/objects$/, renderObjects],
  [/^#\/reports$/, renderReports],
  [/^#\/fimi$/, renderFimi],
  [/^#\/cyber$/, renderCyber],
  [/^#\/map$/, renderMap],
  [/^#\/infra$/, renderInfra],
  [/^#\/maritime$/, renderMaritime],
  [/^#\/fusion$/, renderFusion],
  [/^#\/intel$/, renderIntel],
  [/^#\/warning$/, renderWarning],
  [/^#\/mobility$/, renderMobility],
  [/^#\/forces(?:\/(rdc|rotations|civilian|planning))?$/, renderForces],
];
let stop = null;
let generation = 0;

async function route() {
  const main = document.getElementById("view");
  const hash = location.hash || "#/globe";
  if (!token() && hash !== "#/signin") { location.hash = "#/signin"; return; }
  const mine = ++generation;
  if (stop) { stop(); stop = null; }
  resetMarkings();
  for (const link of document.querySelectorAll("nav a")) {
    const here = hash.split("?")[0];  // a page's views (#/forces/planning) are under its link (#/forces)
    const href = link.getAttribute("href");
    if (here === href || here.startsWith(`${href}/`)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const path = hash.split("?")[0];  // a page's own options follow "?" (e.g. #/globe?set=all&limit=1000)
  const found = routes.find(([pattern]) => pattern.test(path));
  if (!found) { main.replaceChildren(); location.hash = "#/globe"; return; }
  const args = path.match(found[0]).slice(1);
  // each visit renders into its own container: a slower page still loading when the user moves on writes into a
  // container that is no longer on screen, and is stopped when it finishes. The container stays invisible (laid
  // out, so pages can measure it, but not painted) until the page has drawn and the banner shows the marking of
  // what it drew: nothing marked is ever painted under a lower banner (markings first, api.js).
  const waiting = Object.assign(document.createElement("p"), { className: "muted pending-note",
    textContent: "Loading… (the content appears once its marking is known)" });
  const view = document.createElement("div");
  view.className = "view pending";
  view.setAttribute("aria-hidden", "true");
  main.replaceChildren(waiting, view);
  try {
    const stopper = (await found[1](view, ...args)) || null;
    if (mine !== generation) { stopper?.(); return; }
    await showMarkings(view, []);  // a page that drew nothing marked: the banner leaves its neutral state
    if (mine !== generation) { stopper?.(); return; }
    stop = stopper;
    waiting.remove();
    view.classList.remove("pending");
    view.removeAttribute("aria-hidden");
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof AuthError) { signOut(); location.hash = "#/signin"; return; }
    view.replaceChildren();
    await showMarkings(view, []).catch(() => {});  // the banner first, then the error (nothing marked in it)
    if (mine !== generation) return;
    waiting.remove();
    view.classList.remove("pending");
    view.removeAttribute("aria-hidden");
    view.innerHTML = `<p class="error" role="alert">Could not load this page: ${esc(error.message)}</p>`;
  }
  main.focus({ preventScroll: true });
  // who is signed in, shown in the header: a failure here (e.g. the server busy) leaves the page as drawn
  if (mine !== generation) return;
  await header().catch((error) => {
    if (error instanceof AuthError && mine === generation) { signOut(); location.hash = "#/signin"; }
  });
}

async function header() {
  const who = document.getElementById("who");
  const button = document.getElementById("signout");
  if (!token()) { who.textContent = ""; button.hidden = true; return; }
  const me = await request("/api/v1/whoami");
  who.textContent = `${me.name} (${me.org}, cleared ${me.clearance.replace("_", " ")})`;
  button.hidden = false;
}

document.getElementById("signout").addEventListener("click", () => { signOut(); location.hash = "#/signin"; });
window.addEventListener("hashchange", route);
route();
