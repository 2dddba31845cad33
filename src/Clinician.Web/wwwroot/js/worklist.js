// The telephone follow-up worklist (#/worklist): every flag that needs a call, soonest due first, with the person's
// phones and contacts, a short call guide, the calls so far, and a form to record the next one. Recording a call is
// kept on the alert and its event log by the server (POST /api/alerts/{id}/calls); the list is read again after it.
import { $, h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import { timeText, identityText } from "./format.js";

const outcomes = [
  ["reached", "Reached"], ["no_answer", "No answer"], ["wrong_number", "Wrong number"], ["busy", "Busy"],
];
const actions = [
  ["advice_given", "Advice given"], ["repeat_reading_requested", "Repeat reading requested"], ["gp_informed", "GP informed"],
  ["visit_arranged", "Visit arranged"], ["advised_111", "111 advised"], ["advised_999", "999 advised"], ["ambulance_called", "Ambulance called"],
];
const words = (text) => text.replace(/_/g, " ");

function phoneList(item) {
  const phones = item.person.phones.map((p) => h("li", {}, `${words(p.label)}: `, h("a", { href: `tel:${p.number}` }, p.number)));
  const contacts = item.person.contacts.map((c) => h("li", {}, `${c.name} (${words(c.relationship)}): `, h("a", { href: `tel:${c.phone}` }, c.phone)));
  const all = [...phones, ...contacts];
  return all.length ? h("ul", { class: "phones" }, ...all) : h("p", { class: "empty" }, "No phone number recorded.");
}

function callForm(item) {
  const id = item.alertId;
  const form = h("form", { class: "call-form", dataset: { alertId: id } },
    h("fieldset", {},
      h("legend", {}, "Call outcome"),
      ...outcomes.map(([value, label]) => h("label", { class: "choice" },
        h("input", { type: "radio", name: `outcome-${id}`, value, required: true }), ` ${label}`))),
    h("fieldset", {},
      h("legend", {}, "What was done"),
      ...actions.map(([value, label]) => h("label", { class: "choice" }, h("input", { type: "checkbox", name: `action-${id}`, value }), ` ${label}`))),
    h("label", { for: `notes-${id}` }, "Notes"),
    h("textarea", { id: `notes-${id}`, rows: "2", maxlength: "1000" }),
    h("button", { type: "submit" }, "Record call"),
    h("p", { class: "error", role: "alert" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = form.querySelector(`input[name="outcome-${id}"]:checked`)?.value;
    const chosen = [...form.querySelectorAll(`input[name="action-${id}"]:checked`)].map((box) => box.value);
    try {
      await api(`/api/alerts/${encodeURIComponent(id)}/calls`, { method: "POST", body: { outcome, actions: chosen, notes: form.querySelector("textarea").value || null } });
      await renderWorklist();
      $("worklist-status").textContent = "Call recorded.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setText(form.querySelector(".error"), error.message);
    }
  });
  return form;
}

function entry(item) {
  const due = item.nextCallAt
    ? h("p", { class: item.overdue ? "due overdue" : "due" }, `${item.overdue ? "Overdue: call was due" : "Next call due"} ${timeText(item.nextCallAt)}`)
    : h("p", { class: "due" }, "Reached: no call due.");
  const calls = item.calls.length
    ? h("ol", { class: "calls", "aria-label": "Calls so far" }, ...item.calls.map((c) =>
      h("li", {}, `${timeText(c.at)} by ${c.by}: ${words(c.outcome)}${c.actions.length ? ` — ${c.actions.map(words).join(", ")}` : ""}`)))
    : h("p", { class: "hint" }, "No calls yet.");
  return h("li", { class: `card work-item severity-${item.severity}`, dataset: { alertId: item.alertId, attempts: String(item.attempts) } },
    h("h2", {}, h("a", { href: `#/person/${encodeURIComponent(item.person.id)}` }, item.person.name),
      h("span", { class: "identity" }, ` ${identityText({ nhsNumber: item.person.nhsNumber, dateOfBirth: item.person.dateOfBirth })}`)),
    h("p", {}, h("span", { class: "severity" }, item.severity), ` ${item.reason}`),
    due,
    h("p", { class: "attempts" }, `Calls made: ${item.attempts}`),
    phoneList(item),
    h("details", {}, h("summary", {}, "Call guide"), h("p", {}, item.callGuide)),
    calls,
    callForm(item));
}

export async function renderWorklist() {
  const items = await api("/api/worklist");
  setText($("worklist-count"), String(items.length));
  $("no-work").hidden = items.length > 0;
  $("worklist").replaceChildren(...items.map(entry));
}
