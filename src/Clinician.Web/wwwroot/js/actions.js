// Staff actions on one alert, shared by the queue and the person page. Each answers with the alert as it now is
// (applied at once; colleagues get the same change live), or shows why it was refused next to the alert.
import { api, ApiError } from "./api.js";
import { apply } from "./store.js";
import { me } from "./session.js";

export function ownerOf(alert) { return alert.assignedTo || alert.acknowledgedBy || null; }

function refusalText(error) {
  if (error.code === "taken_by_another") return `Already taken by ${error.owner}. Refresh shows who has it now.`;
  if (error.code === "alert_resolved") return "This alert has already been resolved.";
  if (error.status === 403) return "You are not allowed to do that.";
  return error.message || "That did not work; try again.";
}

/** Runs `request`, applies the answer, and puts any refusal into `errorLine`; returns true when it went through. */
async function act(alert, errorLine, request) {
  errorLine.textContent = "";
  try {
    apply(await request());
    return true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    errorLine.textContent = refusalText(error);
    if (error.status === 409) {
      // Show the alert as it is now (someone else's action may not have arrived live yet).
      try { apply(await api(`/api/alerts/${alert.id}`)); } catch { /* gone: the next load shows it */ }
    }
    return false;
  }
}

export const acknowledge = (alert, errorLine) =>
  act(alert, errorLine, () => api(`/api/alerts/${alert.id}/acknowledge`, { method: "POST", body: {} }));

export const takeIt = (alert, errorLine) =>
  act(alert, errorLine, () => api(`/api/alerts/${alert.id}/assign`, { method: "POST", body: { to: me().username } }));

export const assignTo = (alert, to, errorLine) =>
  act(alert, errorLine, () => api(`/api/alerts/${alert.id}/assign`, { method: "POST", body: { to, expectedOwner: ownerOf(alert) } }));

export const resolve = (alert, outcome, note, errorLine) =>
  act(alert, errorLine, () => api(`/api/alerts/${alert.id}/resolve`, { method: "POST", body: { outcome, note: note || null } }));

// The answer to a snooze is the alert itself; the snooze is recorded here at once and confirmed by the live event.
export const snooze = (alert, minutes, errorLine) =>
  act(alert, errorLine, async () => ({
    ...(await api(`/api/alerts/${alert.id}/snooze`, { method: "POST", body: { minutes } })),
    eventType: "snoozed", eventSubject: me().username, eventUntil: new Date(Date.now() + minutes * 60000).toISOString(),
  }));

export const unsnooze = (alert, errorLine) =>
  act(alert, errorLine, async () => ({
    ...(await api(`/api/alerts/${alert.id}/snooze`, { method: "DELETE" })), eventType: "unsnoozed", eventSubject: me().username,
  }));
