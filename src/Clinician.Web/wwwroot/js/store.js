// What the workspace knows: the team's people, their active alerts and the snoozes on them, kept current by the
// live connection. Pages subscribe and redraw in place.
import { api } from "./api.js";

export const patients = new Map();
export const alerts = new Map();
/** alertId → Map(staff → until ISO) */
export const snoozes = new Map();

const listeners = new Set();

export function subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); }

function changed(detail) { listeners.forEach((listener) => listener(detail)); }

export async function loadPatients() {
  const list = await api("/api/patients");
  patients.clear();
  list.forEach((p) => patients.set(p.id, p));
  changed({ kind: "patients" });
}

let arrivedWhileLoading = null;

/**
 * Replaces what is known with the server's list. Live changes that arrive while the list is on its way are applied
 * again on top of it, so a change made between the server reading the list and the page receiving it is not lost.
 */
export async function loadAlerts() {
  const replay = [];
  arrivedWhileLoading = replay;
  let active;
  let snoozed;
  try {
    [active, snoozed] = await Promise.all([api("/api/alerts?status=active&limit=1000"), api("/api/alerts/snoozes")]);
  } finally {
    arrivedWhileLoading = null;
  }
  alerts.clear();
  active.forEach((a) => { alerts.set(a.id, a); });
  snoozes.clear();
  snoozed.forEach((s) => snoozesOf(s.alertId).set(s.staff, s.until));
  replay.forEach((alert) => apply(alert));
  changed({ kind: "reload" });
}

function snoozesOf(alertId) {
  if (!snoozes.has(alertId)) snoozes.set(alertId, new Map());
  return snoozes.get(alertId);
}

/** An alert as the server now has it: from a staff action's answer, or a live event (with eventType). */
export function apply(alert, { raised = false } = {}) {
  const previous = alerts.get(alert.id) || null;
  if (arrivedWhileLoading) arrivedWhileLoading.push(alert);
  if (alert.eventType === "snoozed" && alert.eventSubject && alert.eventUntil) snoozesOf(alert.id).set(alert.eventSubject, alert.eventUntil);
  if (alert.eventType === "unsnoozed" && alert.eventSubject) snoozesOf(alert.id).delete(alert.eventSubject);
  if (alert.eventType === "reopened") snoozes.delete(alert.id); // a re-opened alert is fresh news for everyone
  if (alert.status === "resolved") {
    alerts.delete(alert.id);
    snoozes.delete(alert.id);
  } else {
    alerts.set(alert.id, alert);
  }
  changed({ kind: "alert", alert, previous, raised });
}

/** The snooze of `staff` on this alert, when still in force at `now`. */
export function snoozedUntil(alertId, staff, now = Date.now()) {
  const until = snoozes.get(alertId)?.get(staff);
  return until && new Date(until).getTime() > now ? until : null;
}

export function activeAlertsOf(patientId) {
  return [...alerts.values()].filter((a) => a.patientId === patientId);
}
