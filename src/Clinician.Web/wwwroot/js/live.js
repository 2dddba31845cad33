// The live connection to /hubs/alerts. The cookie authenticates it (no token in the URL); the header satisfies the
// CSRF guard on the negotiate POST. After a reconnect the missed events are read from /api/alerts/events?after=.
import { api } from "./api.js";
import { apply, loadAlerts } from "./store.js";
import { $, setData, setText } from "./dom.js";

let connection = null;
let lastSequence = 0;

function setLive(state, text) {
  const badge = $("live-status");
  setData(badge, "state", state);
  setText(badge, text);
}

function seen(alert) {
  if (alert.eventSequence && alert.eventSequence <= lastSequence) return false;
  if (alert.eventSequence) lastSequence = alert.eventSequence;
  return true;
}

async function catchUp() {
  for (;;) {
    const missed = await api(`/api/alerts/events?after=${lastSequence}&limit=500`);
    missed.forEach((alert) => { if (seen(alert)) apply(alert, { raised: alert.eventType === "raised" }); });
    if (missed.length < 500) return;
  }
}

/**
 * The server answers the handshake before it has put the connection into the team's group, and handles a
 * connection's invocations only after that: one invocation (of a method the hub does not have, so it changes
 * nothing) is the barrier after which no push to the team can be missed, and the first load may start.
 */
async function joined() {
  try { await connection.invoke("joined"); } catch { /* "Method does not exist": expected */ }
}

export async function connectLive() {
  connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/alerts", { headers: { "X-Telehealth-Request": "1" } })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
    .build();
  connection.on("alertRaised", (alert) => { if (seen(alert)) apply(alert, { raised: true }); });
  connection.on("alertUpdated", (alert) => { if (seen(alert)) apply(alert); });
  connection.onreconnecting(() => setLive("reconnecting", "Reconnecting…"));
  // Nothing seen live yet: reloading the list is cheaper than replaying the team's whole event log.
  connection.onreconnected(async () => { await joined(); setLive("live", "Live"); await (lastSequence > 0 ? catchUp() : loadAlerts()); });
  connection.onclose(() => setLive("offline", "Offline — reload"));
  await connection.start();
  await joined();
  setLive("live", "Live");
}

export async function disconnectLive() {
  if (connection) await connection.stop();
  connection = null;
  lastSequence = 0;
}
