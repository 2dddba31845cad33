// The live queue: one entry per person, their active alerts grouped, most urgent first (open before taken before
// snoozed-by-me, then severity, then longest waiting). Redrawn in place on every change: entries and buttons are
// kept and only moved when the order changes, so focus and scroll position survive live updates.
import { $, h, reconcile, setData, setText } from "./dom.js";
import { identityText, severityRank, durationText, clockText } from "./format.js";
import { alerts, patients, snoozedUntil } from "./store.js";
import { alertElement, colleagueList } from "./alert-view.js";
import { me } from "./session.js";
import * as actions from "./actions.js";

const entries = new Map();

function rankOf(alert, now) {
  if (alert.status !== "open") return 1;
  return snoozedUntil(alert.id, me().username, now) ? 2 : 0;
}

function compareAlerts(now) {
  return (a, b) => rankOf(a, now) - rankOf(b, now)
    || severityRank[b.severity] - severityRank[a.severity]
    || new Date(a.openedAt) - new Date(b.openedAt);
}

function buildEntry(patientId) {
  const link = h("a", { class: "who", href: `#/person/${encodeURIComponent(patientId)}` });
  const identity = h("p", { class: "identity" });
  const summary = h("p", { class: "summary" });
  const error = h("p", { class: "action-error", role: "alert" });
  const minutes = h("select", { id: `snooze-minutes-${patientId}`, class: "snooze-minutes" },
    ...[15, 30, 60, 120].map((m) => h("option", { value: String(m) }, `${m} min`)));
  const snoozeButton = h("button", { type: "submit", class: "snooze secondary" }, "Snooze for me");
  const snoozeForm = h("form", { class: "snooze-form" },
    h("label", { for: `snooze-minutes-${patientId}` }, "Snooze"), minutes, snoozeButton);
  const snoozedText = h("span", { class: "snoozed-text" });
  const undo = h("button", { type: "button", class: "undo-snooze secondary" }, "Undo snooze");
  const snoozed = h("p", { class: "snoozed" }, snoozedText, " ", undo);
  const list = h("ol", { class: "person-alerts", "aria-label": "Alerts" });
  const item = h("li", { class: "person-entry", dataset: { patientId } },
    h("div", { class: "person-head" },
      h("div", {}, h("h2", { class: "person-name" }, link), identity, summary),
      h("div", { class: "person-actions" }, snoozeForm, snoozed)),
    error, list);
  const entry = { item, link, identity, summary, list, snoozeForm, snoozed, snoozedText, undo, minutes, error, alerts: [] };

  snoozeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    snoozeButton.disabled = true;
    try {
      for (const alert of entry.alerts.filter((a) => a.status !== "resolved")) {
        await actions.snooze(alert, Number(minutes.value), error);
      }
    } finally { snoozeButton.disabled = false; }
  });
  undo.addEventListener("click", async () => {
    undo.disabled = true;
    try {
      for (const alert of entry.alerts.filter((a) => snoozedUntil(a.id, me().username))) {
        await actions.unsnooze(alert, error);
      }
    } finally { undo.disabled = false; }
  });
  entries.set(patientId, entry);
  return entry;
}

function updateEntry(entry, patientId, personAlerts, now) {
  const patient = patients.get(patientId);
  const name = patient?.displayName || personAlerts[0].patientName || patientId;
  const lead = personAlerts[0];
  entry.alerts = personAlerts;
  setData(entry.item, "severity", lead.severity);
  setData(entry.item, "state", ["open", "taken", "snoozed"][rankOf(lead, now)]);
  setText(entry.link, name);
  setText(entry.identity, identityText(patient));
  const open = personAlerts.filter((a) => a.status === "open").length;
  const oldest = Math.min(...personAlerts.map((a) => new Date(a.openedAt).getTime()));
  setText(entry.summary, `${personAlerts.length} active (${open} not yet taken) · longest waiting ${durationText(now - oldest)}`);
  const untils = personAlerts.map((a) => snoozedUntil(a.id, me().username, now)).filter(Boolean);
  const allSnoozed = untils.length > 0 && untils.length === personAlerts.filter((a) => a.status === "open").length;
  if (entry.snoozeForm.hidden !== allSnoozed) entry.snoozeForm.hidden = allSnoozed;
  if (entry.snoozed.hidden !== (untils.length === 0)) entry.snoozed.hidden = untils.length === 0;
  if (untils.length > 0) setText(entry.snoozedText, `Snoozed for you until ${clockText(untils.sort().at(-1))}.`);
  reconcile(entry.list, personAlerts.map((alert) => alertElement(alert, now)));
}

export function renderQueue(now = Date.now()) {
  if ($("dashboard").hidden || !me()) return;
  const byPerson = new Map();
  for (const alert of alerts.values()) {
    if (!byPerson.has(alert.patientId)) byPerson.set(alert.patientId, []);
    byPerson.get(alert.patientId).push(alert);
  }
  const order = compareAlerts(now);
  const people = [...byPerson.entries()].map(([patientId, list]) => [patientId, list.sort(order)]);
  people.sort(([, a], [, b]) => order(a[0], b[0]));
  for (const patientId of entries.keys()) {
    if (!byPerson.has(patientId)) entries.delete(patientId);
  }
  const items = people.map(([patientId, list]) => {
    const entry = entries.get(patientId) || buildEntry(patientId);
    updateEntry(entry, patientId, list, now);
    return entry.item;
  });
  reconcile($("queue"), items);
  colleagueList();
  setText($("alert-count"), String(alerts.size));
  setText($("nav-open-count"), String(alerts.size));
  if ($("no-alerts").hidden !== alerts.size > 0) $("no-alerts").hidden = alerts.size > 0;
}

export function renderCaseload() {
  const items = [...patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((p) =>
    h("li", { dataset: { patientId: p.id } },
      h("a", { href: `#/person/${encodeURIComponent(p.id)}` }, p.displayName), " ",
      h("span", { class: "identity" }, identityText(p))));
  $("patients").replaceChildren(...items);
  setText($("patient-count"), String(items.length));
}
