// Staff dashboard: signs in, lists active alerts, and adds new ones live over SignalR without a reload.
(() => {
  "use strict";
  const tokenKey = "telehealth.token";
  const userKey = "telehealth.user";
  const severityRank = { critical: 4, high: 3, medium: 2, low: 1 };
  const alerts = new Map();
  const patients = new Map();
  let connection = null;

  const $ = (id) => document.getElementById(id);
  const token = () => sessionStorage.getItem(tokenKey);

  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token()}`, ...(options.headers || {}) },
    });
    if (response.status === 401) { signOut(); throw new Error("Signed out"); }
    if (!response.ok) { throw new Error(`${path}: HTTP ${response.status}`); }
    return response.status === 204 ? null : response.json();
  }

  function timeText(iso) {
    const when = new Date(iso);
    return when.toLocaleString("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function isActive(alert) { return alert.status !== "resolved"; }

  function renderAlerts(newId) {
    const list = $("alerts");
    const active = [...alerts.values()].filter(isActive).sort((a, b) =>
      (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) ||
      severityRank[b.severity] - severityRank[a.severity] ||
      new Date(b.updatedAt) - new Date(a.updatedAt));
    list.replaceChildren(...active.map((alert) => alertItem(alert, alert.id === newId)));
    $("alert-count").textContent = String(active.length);
    $("no-alerts").hidden = active.length > 0;
  }

  function alertItem(alert, isNew) {
    const item = document.createElement("li");
    item.className = "alert" + (isNew ? " new" : "");
    item.dataset.alertId = alert.id;
    item.dataset.severity = alert.severity;
    item.dataset.status = alert.status;
    const severity = document.createElement("span");
    severity.className = "severity";
    severity.textContent = alert.severity;
    const body = document.createElement("div");
    const who = document.createElement("div");
    who.className = "who";
    who.textContent = alert.patientName || alert.patientId;
    const reason = document.createElement("div");
    reason.className = "reason";
    reason.textContent = alert.reason;
    const meta = document.createElement("div");
    meta.className = "meta";
    const parts = [`Raised ${timeText(alert.raisedAt)}`];
    if (alert.occurrences > 1) parts.push(`${alert.occurrences} occurrences, latest ${timeText(alert.updatedAt)}`);
    if (!alert.conditionActive && alert.condition.startsWith("event:") === false) parts.push("back within range");
    if (alert.acknowledgedBy && alert.status !== "open") parts.push(`acknowledged by ${alert.acknowledgedBy}`);
    meta.textContent = parts.join(" · ");
    body.append(who, reason, meta);
    const action = document.createElement("div");
    if (alert.status === "open") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "acknowledge";
      button.textContent = "Acknowledge";
      button.addEventListener("click", async () => {
        button.disabled = true;
        try { upsertAlert(await api(`/api/alerts/${alert.id}/acknowledge`, { method: "POST", body: "{}" })); }
        catch (error) { button.disabled = false; console.error(error); }
      });
      action.append(button);
    }
    item.append(severity, body, action);
    return item;
  }

  function upsertAlert(alert, isNew = false) {
    alerts.set(alert.id, alert);
    renderAlerts(isNew ? alert.id : null);
  }

  function renderPatients() {
    const items = [...patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((p) => {
      const li = document.createElement("li");
      li.textContent = p.displayName;
      li.dataset.patientId = p.id;
      return li;
    });
    $("patients").replaceChildren(...items);
    $("patient-count").textContent = String(items.length);
  }

  async function loadRejections() {
    const rejections = await api("/api/rejections?limit=15");
    if (rejections.items.length === 0) {
      const none = document.createElement("li");
      none.className = "empty";
      none.textContent = "Nothing refused.";
      $("rejections").replaceChildren(none);
      return;
    }
    $("rejections").replaceChildren(...rejections.items.map((r) => {
      const li = document.createElement("li");
      const code = document.createElement("span");
      code.className = "reason-code";
      code.textContent = r.reason;
      li.append(code, ` ${r.deviceId || "unknown device"} — ${r.detail} (${timeText(r.at)})`);
      return li;
    }));
  }

  async function connectLive() {
    connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/alerts", { accessTokenFactory: () => token() })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
      .build();
    connection.on("alertRaised", (alert) => upsertAlert(alert, true));
    connection.on("alertUpdated", (alert) => upsertAlert(alert, false));
    connection.onreconnecting(() => setLive("reconnecting", "Reconnecting…"));
    connection.onreconnected(async () => { setLive("live", "Live"); await loadAlerts(); });
    connection.onclose(() => setLive("offline", "Offline — reload"));
    await connection.start();
    setLive("live", "Live");
  }

  function setLive(state, text) {
    const badge = $("live-status");
    badge.dataset.state = state;
    badge.textContent = text;
  }

  async function loadAlerts() {
    const active = await api("/api/alerts?status=active&limit=500");
    alerts.clear();
    active.forEach((a) => alerts.set(a.id, a));
    renderAlerts(null);
  }

  async function showDashboard() {
    $("login").hidden = true;
    $("dashboard").hidden = false;
    $("session").hidden = false;
    $("signed-in-as").textContent = sessionStorage.getItem(userKey) || "";
    // Subscribe first, then load: an alert raised in between is not missed (the map de-duplicates by id).
    await connectLive();
    const [list] = await Promise.all([api("/api/patients"), loadAlerts()]);
    list.forEach((p) => patients.set(p.id, p));
    renderPatients();
    await loadRejections();
    setInterval(() => loadRejections().catch(() => {}), 15000);
  }

  function showLogin() {
    $("login").hidden = false;
    $("dashboard").hidden = true;
    $("session").hidden = true;
  }

  function signOut() {
    sessionStorage.removeItem(tokenKey);
    sessionStorage.removeItem(userKey);
    if (connection) connection.stop();
    showLogin();
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    const username = $("username").value;
    const response = await fetch("/api/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password: $("password").value }),
    });
    if (!response.ok) {
      // 429: too many failed attempts (lockout ends by itself); 503: sign-in busy. Retry-After says when to try again.
      const wait = response.headers.get("Retry-After");
      $("login-error").textContent =
        response.status === 429 ? `Too many failed sign-ins. Try again in ${wait || "a few"} seconds.` :
        response.status === 503 ? "Sign-in is busy. Try again in a moment." :
        "Wrong username or password.";
      return;
    }
    const body = await response.json();
    sessionStorage.setItem(tokenKey, body.access_token);
    sessionStorage.setItem(userKey, username);
    await showDashboard();
  });
  $("sign-out").addEventListener("click", signOut);

  if (token()) { showDashboard().catch(() => signOut()); } else { showLogin(); }
})();
