// One alert as a list item with its actions. Built once per alert id and then updated in place, so a live change
// never re-creates a button someone is about to press (or has focused).
import { h, setData, setText } from "./dom.js";
import { alertKind, durationText, outcomes, clockText } from "./format.js";
import { snoozedUntil } from "./store.js";
import { fillColleagueSelect } from "./colleagues.js";
import { me } from "./session.js";
import * as actions from "./actions.js";

const elements = new Map();

export function forget(alertId) { elements.delete(alertId); }

function metaText(alert, now) {
  const parts = [`waiting ${durationText(now - new Date(alert.openedAt).getTime())}`];
  if (alert.status === "open") {
    const left = new Date(alert.respondBy).getTime() - now;
    parts.push(left >= 0 ? `respond within ${durationText(left)}` : `overdue by ${durationText(-left)}`);
  }
  if (alert.occurrences > 1) parts.push(`${alert.occurrences} occurrences`);
  if (!alert.conditionActive && !alert.condition.startsWith("event:")) parts.push("back within range");
  if (alert.acknowledgedBy && alert.status !== "open") parts.push(`acknowledged by ${alert.acknowledgedBy}`);
  if (alert.assignedTo) parts.push(`assigned to ${alert.assignedTo}`);
  if (alert.status === "in_follow_up" && alert.followUpBy) parts.push(`in follow-up by ${alert.followUpBy}`);
  const until = me() && snoozedUntil(alert.id, me().username, now);
  if (until) parts.push(`snoozed for you until ${clockText(until)}`);
  return parts.join(" · ");
}

function build(alert) {
  const id = alert.id;
  const reason = h("p", { class: "reason", id: `reason-${id}` });
  const kind = h("span", { class: "kind" });
  const meta = h("p", { class: "meta" });
  const error = h("p", { class: "action-error", role: "alert" });
  const current = () => elements.get(id).alert;
  const run = (button, work) => async () => {
    button.disabled = true;
    try { await work(); } finally { button.disabled = false; }
  };
  const acknowledge = h("button", { type: "button", class: "acknowledge", "aria-describedby": `reason-${id}` }, "Acknowledge");
  acknowledge.addEventListener("click", run(acknowledge, () => actions.acknowledge(current(), error)));
  const take = h("button", { type: "button", class: "take secondary", "aria-describedby": `reason-${id}` }, "Take it");
  take.addEventListener("click", run(take, () => actions.takeIt(current(), error)));

  const colleague = h("select", { id: `assign-${id}`, class: "assign-to", required: true });
  fillColleagueSelect(colleague);
  const assignForm = h("form", { class: "assign-form" },
    h("label", { for: `assign-${id}` }, "Assign to a colleague"), colleague,
    h("button", { type: "submit", class: "secondary" }, "Assign"));
  assignForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await actions.assignTo(current(), colleague.value, error)) colleague.value = "";
  });
  const outcome = h("select", { id: `outcome-${id}`, class: "outcome" }, ...outcomes.map(([value, label]) => h("option", { value }, label)));
  const note = h("input", { id: `note-${id}`, class: "note", maxlength: "1000" });
  const resolveForm = h("form", { class: "resolve-form" },
    h("label", { for: `outcome-${id}` }, "Outcome"), outcome,
    h("label", { for: `note-${id}` }, "Note (optional)"), note,
    h("button", { type: "submit", class: "resolve" }, "Resolve"));
  resolveForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    await actions.resolve(current(), outcome.value, note.value.trim(), error);
  });
  const more = h("details", { class: "more" }, h("summary", {}, "Assign or resolve"), assignForm, resolveForm);

  const item = h("li", { class: "alert", dataset: { alertId: id } },
    h("span", { class: "severity" }),
    h("div", { class: "alert-body" }, kind, reason, meta, error),
    h("div", { class: "actions" }, acknowledge, take), more);
  const view = { item, reason, kind, meta, acknowledge, take, colleague, alert };
  elements.set(id, view);
  return view;
}

/** The element for this alert, created on first sight and brought up to date. */
export function alertElement(alert, now = Date.now()) {
  const view = elements.get(alert.id) || build(alert);
  view.alert = alert;
  const { item } = view;
  setData(item, "severity", alert.severity);
  setData(item, "status", alert.status);
  setData(item, "kind", alertKind(alert));
  setText(item.querySelector(".severity"), alert.severity);
  setText(view.kind, alertKind(alert));
  setText(view.reason, alert.reason);
  setText(view.meta, metaText(alert, now));
  const mine = me() && (alert.assignedTo || alert.acknowledgedBy) === me().username;
  if (view.acknowledge.hidden !== (alert.status !== "open")) view.acknowledge.hidden = alert.status !== "open";
  if (view.take.hidden !== Boolean(mine)) view.take.hidden = Boolean(mine);
  return item;
}

/** Every 5 s the ages and deadlines move on; only the meta lines change. */
export function tick(now = Date.now()) {
  for (const view of elements.values()) {
    if (view.item.isConnected) setText(view.meta, metaText(view.alert, now));
  }
}

/** The colleagues offered when assigning (my team's active staff, loaded at sign-in), in every assign control. */
export function colleagueList() {
  for (const view of elements.values()) fillColleagueSelect(view.colleague);
}
