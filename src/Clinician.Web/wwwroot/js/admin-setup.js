// The first-run walkthrough (#/admin/setup): create a team → add a clinician → add a person → issue a device → have a
// clinician set thresholds. Each step is marked done from the care record itself (never from a flag), may be skipped
// (remembered in this browser), and once every step is done or skipped the walkthrough is not offered again.
import { h } from "./dom.js";
import { api } from "./api.js";
import * as store from "./store.js";
import { can } from "./admin-common.js";
import { teamForm, staffForm } from "./admin-staff.js";
import { personForm } from "./admin-people.js";
import { issueForm } from "./admin-devices.js";

const skippedKey = "telehealth.setup.skipped";
const skipped = () => new Set(JSON.parse(localStorage.getItem(skippedKey) || "[]"));
function skip(step) {
  const set = skipped();
  set.add(step);
  localStorage.setItem(skippedKey, JSON.stringify([...set]));
}

/** What the care record already holds, step by step (true = done). */
export async function setupState() {
  const [teams, staff, devices] = await Promise.all([api("/api/teams"), api("/api/staff"), api("/api/devices")]);
  await store.loadPatients();
  const people = [...store.patients.values()];
  // Thresholds: done once any person has their own (a first install has few people; look at the first 20).
  const overrides = await Promise.all(people.slice(0, 20).map((p) => api(`/api/patients/${encodeURIComponent(p.id)}/thresholds`)));
  return {
    teams,
    done: {
      team: teams.some((t) => t.createdAt), // the first admin's team exists from the start; a team created by name counts
      clinician: staff.some((s) => s.role === "clinician" && !s.disabled),
      person: people.length > 0,
      device: devices.length > 0,
      thresholds: overrides.some((t) => t.overrides.length > 0),
    },
  };
}

export const steps = ["team", "clinician", "person", "device", "thresholds"];

function complete(done) {
  const skip = skipped();
  return steps.every((step) => done[step] || skip.has(step));
}

/** Whether the walkthrough is still to do (admins only). */
export async function setupPending() {
  if (!can("manage_staff")) return false;
  return !complete((await setupState()).done);
}

/**
 * On sign-in, a first admin of an empty install lands on the walkthrough instead of an empty queue; a link they
 * followed (any other page) is respected.
 */
export async function firstRunLanding() {
  if (!can("manage_staff") || store.patients.size > 0) return;
  if (location.hash && location.hash !== "#/queue" && location.hash !== "#/") return;
  if (await setupPending()) history.replaceState(null, "", "#/admin/setup");
}

export async function renderSetup(body) {
  const { teams, done } = await setupState();
  const skip = skipped();
  const redraw = () => renderSetup(body);
  const current = steps.find((step) => !done[step] && !skip.has(step));
  const content = {
    team: () => [h("p", {}, "Teams own people, alerts and the duty rota. Your account is in the first team; add the teams your service runs."), teamForm(redraw)],
    clinician: () => [h("p", {}, "Clinicians set each person's thresholds and care settings. Add at least one."), staffForm(teams, redraw, "clinician")],
    person: () => [h("p", {}, "Add the first person to monitor. The NHS number is checked as you type it."), personForm(null, redraw)],
    device: () => [h("p", {}, "Issue a device to the person. Its secret is shown once: enter it in the device straight away."), issueForm(async () => {
      // Stay on this step until the admin has taken the secret: "Next step" moves on (the device is already counted as done).
      body.querySelector(".next-step")?.removeAttribute("hidden");
    })],
    thresholds: () => [
      h("p", {}, "A clinician sets each person's thresholds, in the units they choose; admins see them read only. "
        + "Ask your clinician to sign in and open Administration → Thresholds."),
      h("p", {}, h("a", { href: "#/admin/thresholds" }, "See the thresholds page")),
    ],
  };
  const labels = {
    team: "Create a team", clinician: "Add a clinician", person: "Add a person", device: "Issue a device", thresholds: "Set thresholds (a clinician)",
  };
  const items = steps.map((step, index) => {
    const state = done[step] ? "done" : skip.has(step) ? "skipped" : step === current ? "current" : "to-do";
    const stateText = { done: "Done", skipped: "Skipped", current: "Now", "to-do": "To do" }[state];
    const item = h("li", { class: `setup-step ${state}`, dataset: { step, state }, "aria-current": step === current ? "step" : null },
      h("h3", {}, `${index + 1}. ${labels[step]} `, h("span", { class: "step-state" }, `(${stateText})`)));
    if (step === current) {
      const skipButton = h("button", { type: "button", class: "secondary skip-step" }, "Skip this step");
      skipButton.addEventListener("click", () => { skip(step); redraw(); });
      const next = h("button", { type: "button", class: "next-step", hidden: true }, "I have noted the secret: next step");
      next.addEventListener("click", redraw);
      item.append(...content[step](), h("div", { class: "form-actions" }, step === "device" ? next : null, skipButton));
    }
    return item;
  });
  const finished = !current;
  body.replaceChildren(h("section", { class: "card setup", "aria-labelledby": "setup-title" },
    h("h2", { id: "setup-title" }, finished ? "All set" : "Getting started"),
    h("p", { class: "hint" }, finished
      ? "Every step is done. This walkthrough will not be shown again; everything it did is on the other administration pages."
      : "Five steps to a working service. Each is marked done from what the care record holds; skip any you will do later."),
    h("ol", { class: "setup-steps", id: "setup-steps" }, ...items),
    current ? h("p", {}, h("button", {
      type: "button", class: "link-button", onclick: () => { steps.forEach(skip); location.hash = "#/admin/people"; },
    }, "Skip the walkthrough")) : null));
}
