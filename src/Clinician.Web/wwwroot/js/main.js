// Entry module: sign-in, the hash router (#/queue, #/worklist, #/people, #/person/{id}) and the wiring between the live store and
// the pages. Each page lives in its own module; nothing here holds a token (the session is an HttpOnly cookie).
import { $, h, setText } from "./dom.js";
import { api, whenSignedOut, ApiError } from "./api.js";
import * as session from "./session.js";
import * as store from "./store.js";
import { connectLive, disconnectLive } from "./live.js";
import { renderQueue, renderCaseload } from "./queue.js";
import { showPerson, renderPersonAlerts, initPersonPage, leavePerson, currentPersonId } from "./person.js";
import { loadRejections } from "./rejections.js";
import { renderWorklist } from "./worklist.js";
import { renderAdmin, showAdminLink } from "./admin.js";
import { firstRunLanding } from "./admin-setup.js";
import { tick, forget } from "./alert-view.js";
import { identityText } from "./format.js";
import * as attention from "./attention.js";
import { renderFigures, leaveFigures, showFiguresLink } from "./figures.js";
import { loadColleagues } from "./colleagues.js";
import { colleagueList } from "./alert-view.js";

const pages = ["login", "dashboard", "worklist-page", "people-page", "person-page", "admin-page"];
pages.push("figures-page");
let timers = [];

function showOnly(id) {
  pages.forEach((page) => { $(page).hidden = page !== id; });
  const signedIn = id !== "login";
  $("session").hidden = !signedIn;
  $("nav").hidden = !signedIn;
}

function openCriticals() {
  return [...store.alerts.values()].filter((a) => a.severity === "critical" && a.status === "open").length;
}

function renderPeople() {
  const items = [...store.patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((p) =>
    h("li", { dataset: { patientId: p.id } },
      h("a", { href: `#/person/${encodeURIComponent(p.id)}` }, p.displayName),
      h("span", { class: "identity" }, identityText(p))));
  $("people").replaceChildren(...items);
}

async function route() {
  if (!session.me()) return;
  const hash = location.hash || "#/queue";
  document.querySelectorAll("#nav a").forEach((a) => {
    if (hash.startsWith(`#/${a.dataset.route}`)) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  const person = hash.match(/^#\/person\/(.+)$/);
  if (person) {
    showOnly("person-page");
    await showPerson(decodeURIComponent(person[1]));
  } else {
    leavePerson();
    if (!hash.startsWith("#/figures")) leaveFigures();
    if (hash.startsWith("#/figures")) {
      showOnly("figures-page");
      attention.setBaseTitle("Service figures — Telehealth");
      await renderFigures();
    } else if (hash.startsWith("#/worklist")) {
      showOnly("worklist-page");
      attention.setBaseTitle("Calls to make — Telehealth");
      await renderWorklist();
    } else if (hash.startsWith("#/admin")) {
      showOnly("admin-page");
      attention.setBaseTitle("Administration — Telehealth");
      await renderAdmin(hash);
    } else if (hash.startsWith("#/people")) {
      showOnly("people-page");
      attention.setBaseTitle("People — Telehealth");
      renderPeople();
    } else {
      showOnly("dashboard");
      attention.setBaseTitle("Live queue — Telehealth");
      renderQueue();
    }
  }
  attention.showOpenCriticals(openCriticals());
}

store.subscribe((change) => {
  if (change.kind === "patients") { renderCaseload(); renderPeople(); }
  if (change.kind === "alert") {
    const { alert, previous, raised } = change;
    if (alert.status === "resolved") forget(alert.id);
    const becameCritical = alert.severity === "critical" && alert.status === "open"
      && (raised || alert.eventType === "reopened" || (previous && previous.severity !== "critical"));
    if (becameCritical) {
      const patient = store.patients.get(alert.patientId);
      attention.newCritical(alert, patient?.displayName || alert.patientName || alert.patientId);
    } else if (raised) {
      attention.announce(`New ${alert.severity} alert for ${alert.patientName || alert.patientId}`);
    }
  }
  renderQueue();
  renderPersonAlerts();
  attention.showOpenCriticals(openCriticals());
});

/** Notification emails and webhooks link to `/?alert={id}`: open that alert's person. */
async function openLinkedAlert() {
  const linked = new URLSearchParams(location.search).get("alert");
  if (!linked) return;
  try {
    const alert = await api(`/api/alerts/${encodeURIComponent(linked)}`);
    history.replaceState(null, "", `/#/person/${encodeURIComponent(alert.patientId)}`);
  } catch {
    history.replaceState(null, "", "/#/queue"); // not (or no longer) in this team: the queue
  }
}

async function startWorkspace() {
  setText($("signed-in-as"), `${session.me().username} (${session.me().role.replace(/_/g, " ")})`);
  showFiguresLink();
  loadColleagues().then(colleagueList).catch(() => {}); // the assign lists fill in when it arrives
  showOnly("dashboard");
  // Subscribe first, then load: an alert raised in between is not missed (the store de-duplicates by id).
  await connectLive();
  await Promise.all([store.loadPatients(), store.loadAlerts()]);
  await openLinkedAlert();
  showAdminLink();
  await firstRunLanding();
  await route();
  loadRejections().catch(() => {});
  timers = [
    setInterval(() => loadRejections().catch(() => {}), 15000),
    setInterval(() => { tick(); if (!$("dashboard").hidden) renderQueue(); }, 5000),
  ];
}

function stopWorkspace() {
  timers.forEach(clearInterval);
  timers = [];
  disconnectLive();
  store.alerts.clear();
  store.patients.clear();
  showOnly("login");
  attention.setBaseTitle("Telehealth");
  attention.showOpenCriticals(0);
}

whenSignedOut(() => { if (session.me()) { session.signOut(); stopWorkspace(); } });

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  attention.unlockSound();
  $("login-error").textContent = "";
  const username = $("username").value;
  const password = $("password").value;
  try {
    await session.signIn(username, password);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // 429: too many failed attempts (the lockout ends by itself); 503: sign-in busy. Retry-After says when to try again.
    $("login-error").textContent =
      error.status === 429 ? `Too many failed sign-ins. Try again in ${error.retryAfter || "a few"} seconds.` :
      error.status === 503 ? "Sign-in is busy. Try again in a moment." :
      "Wrong username or password.";
    return;
  }
  $("password").value = "";
  await startWorkspace();
});

$("sign-out").addEventListener("click", async () => {
  await session.signOut();
  stopWorkspace();
  $("username").focus();
});

// Sound needs a gesture: any click after a reload with a live session unlocks it.
document.addEventListener("click", () => attention.unlockSound(), { once: true });
window.addEventListener("hashchange", () => {
  route().then(() => $("main").focus({ preventScroll: false })).catch((error) => console.error(error.message));
});
attention.initDesktopToggle();
initPersonPage();

(async () => {
  if (await session.restore()) await startWorkspace();
  else showOnly("login");
})();
