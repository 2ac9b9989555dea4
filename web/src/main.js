// The single-page app: a hash router over the pages; every page reads only what the API returns for the user.
import "./style.css";
import "uplot/dist/uPlot.min.css";
import { AuthError, EXERCISE_LEFT, esc, exercise, myExercises, request, resetMarkings, setExercise, showMarkings,
  signOut, token } from "./api.js";
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
import { renderIsac } from "./pages/isac.js";
import { renderExercise } from "./pages/exercise.js";

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
  [/^#\/isac$/, renderIsac],
  [/^#\/exercise$/, renderExercise],
];
let stop = null;
let generation = 0;

// --- the exercise context in the header: the menu's Exercises link, the selector beside the user, and the notice
// when the server refuses the context (api.js keeps the code, sends the header and paints the band) ---------------
function contextControls() {
  const nav = document.querySelector("nav");
  if (nav && !nav.querySelector("a[href='#/exercise']")) {
    const link = Object.assign(document.createElement("a"), { href: "#/exercise", textContent: "Exercises" });
    const before = nav.querySelector("a[href='#/reports']");
    if (before) before.before(link);
    else nav.append(link);
  }
  const who = document.getElementById("who");
  if (who && !document.getElementById("exercise-context")) {
    const label = document.createElement("label");
    label.className = "context";
    label.innerHTML = `<span>Context</span><select id="exercise-context" aria-label="Work in the real world or in an
      exercise"><option value="">Real world</option></select>`;
    who.before(label);
    label.hidden = true;  // until the user is known
    label.querySelector("select").addEventListener("change", (event) => {
      note("");
      setExercise(event.target.value || null);
      route();  // the page again, in the context chosen (its band and banner first)
    });
  }
  if (!document.getElementById("exercise-note")) {
    const box = Object.assign(document.createElement("p"), { id: "exercise-note", className: "exercise-note",
      hidden: true });
    box.setAttribute("role", "alert");
    document.getElementById("view").before(box);
  }
}

/** The notice under the header (empty: none). */
function note(text) {
  const box = document.getElementById("exercise-note");
  box.textContent = text;
  box.hidden = !text;
}

let keepNote = false;  // the next visit keeps the notice (the one the refusal starts); any later one clears it

window.addEventListener(EXERCISE_LEFT, (event) => {
  const { code, message } = event.detail;
  keepNote = true;
  note(`You are back in the real world: the server refused the context of exercise ${code} (${message}). Nothing `
    + "on this page is exercise data; choose an exercise your organisation takes part in to work in one again.");
  route();
});
contextControls();

async function route() {
  const main = document.getElementById("view");
  const hash = location.hash || "#/globe";
  if (!token() && hash !== "#/signin") { location.hash = "#/signin"; return; }
  const mine = ++generation;
  if (stop) { stop(); stop = null; }
  if (keepNote) keepNote = false;
  else note("");
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
  const context = document.getElementById("exercise-context");
  if (!token()) { who.textContent = ""; button.hidden = true; context.closest("label").hidden = true; return; }
  const [me, mine] = await Promise.all([request("/api/v1/whoami"), myExercises()]);
  who.textContent = `${me.name} (${me.org}, cleared ${me.clearance.replace("_", " ")})`;
  button.hidden = false;
  // the exercises the user's organisation takes part in, and the real world; the tab's context selected
  const code = exercise();
  if (code && !mine.some((x) => x.code === code)) {  // no longer (or never) one of the user's: back to the real world
    setExercise(null);
    window.dispatchEvent(new CustomEvent(EXERCISE_LEFT, { detail: { code,
      message: `your organisation takes part in no exercise ${code}` } }));
    return;
  }
  context.innerHTML = `<option value="">Real world</option>${mine.map((x) => `<option value="${esc(x.code)}"
    title="${esc(x.title)}">Exercise ${esc(x.code)}</option>`).join("")}`;
  context.value = code || "";
  context.closest("label").hidden = false;
}

document.getElementById("signout").addEventListener("click", () => { signOut(); location.hash = "#/signin"; });
window.addEventListener("hashchange", route);
route();
