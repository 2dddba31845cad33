// The whole person: who they are (NHS number, date of birth), their active alerts with the same actions as the
// queue, trend charts per vital with their own thresholds shaded, their devices with assignment history, and one
// timeline of readings, telecare events, alert events, calls and care-plan changes; their goals and care plan.
import { api } from "./api.js";
import { $, h, reconcile, setText } from "./dom.js";
import { birthText, durationText, identityText, nhsText, severityRank, timeText } from "./format.js";
import { activeAlertsOf, patients } from "./store.js";
import { alertElement } from "./alert-view.js";
import { thresholdPeriods, trendChart, vitalLabel, vitalOrder } from "./charts.js";
import { announce, setBaseTitle } from "./attention.js";
import { initCarePlan, leaveCarePlan, renderCarePlan } from "./care-plan.js";

const rangeMs = { day: 24 * 3600 * 1000, week: 7 * 24 * 3600 * 1000, month: 30 * 24 * 3600 * 1000 };
let shown = null; // { id, range }
let charts = [];

export function currentPersonId() { return shown?.id || null; }

export function renderPersonAlerts(now = Date.now()) {
  if (!shown || $("person-page").hidden) return;
  const list = activeAlertsOf(shown.id).sort((a, b) =>
    (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) || severityRank[b.severity] - severityRank[a.severity]
    || new Date(a.openedAt) - new Date(b.openedAt));
  reconcile($("person-alerts"), list.map((alert) => alertElement(alert, now)));
  $("person-no-alerts").hidden = list.length > 0;
}

function renderCharts(readings, thresholds, history, from, to) {
  charts.forEach((chart) => chart.destroy());
  charts = [];
  const byKind = new Map();
  readings.forEach((r) => { if (!byKind.has(r.kind)) byKind.set(r.kind, []); byKind.get(r.kind).push(r); });
  const figures = [...byKind.entries()].sort(([a], [b]) => vitalOrder(a) - vitalOrder(b) || a.localeCompare(b)).map(([kind, list]) => {
    list.sort((a, b) => new Date(a.deviceTime) - new Date(b.deviceTime));
    const threshold = thresholds.effective.find((t) => t.kind === kind);
    const latest = list.at(-1);
    const limits = threshold ? `limits: critical low ${threshold.criticalLow ?? "none"}, low ${threshold.low ?? "none"}, high ${threshold.high ?? "none"}, critical high ${threshold.criticalHigh ?? "none"}` : "no limits";
    const periods = thresholdPeriods(history, kind);
    const changes = periods.length > 1 ? ` Limits changed ${periods.length - 1} time${periods.length > 2 ? "s" : ""} in this period; each stretch is shaded with the limits then in force.` : "";
    const summary = `${vitalLabel(kind)}: ${list.length} readings, latest ${latest.value} ${latest.unit} at ${timeText(latest.deviceTime)}; ${limits}.${changes}`;
    const canvas = h("canvas", { role: "img", "aria-label": summary });
    const figure = h("figure", { class: "chart", dataset: { kind } },
      h("figcaption", {}, `${vitalLabel(kind)} (${latest.unit})`), h("div", { class: "chart-box" }, canvas));
    figure.dataset.periods = String(periods.length);
    return { figure, canvas, kind, list, periods };
  });
  $("charts").replaceChildren(...figures.map((f) => f.figure));
  $("no-readings").hidden = figures.length > 0;
  charts = figures.map((f) => trendChart(f.canvas, f.kind, f.list, f.periods, from, to));
}

async function renderDevices(id) {
  const devices = await api(`/api/devices?patientId=${encodeURIComponent(id)}`);
  const items = await Promise.all(devices.map(async (d) => {
    const history = await api(`/api/devices/${encodeURIComponent(d.deviceId)}/assignments`);
    const heard = d.lastSeenAt ? `last heard ${timeText(d.lastSeenAt)} (${durationText(Date.now() - new Date(d.lastSeenAt).getTime())} ago)` : "never heard";
    const battery = d.batteryPercent === null || d.batteryPercent === undefined ? "battery not reported" : `battery ${d.batteryPercent} %`;
    return h("li", { class: "device", dataset: { deviceId: d.deviceId } },
      h("p", { class: "device-head" }, h("strong", {}, d.type.replace(/_/g, " ")), ` ${d.deviceId} · ${d.status}`),
      h("p", { class: "device-meta" }, `${battery} · ${heard}`),
      h("ul", { class: "assignments", "aria-label": `Assignment history of ${d.deviceId}` },
        ...history.map((a) => h("li", {}, `${patients.get(a.patientId)?.displayName || a.patientId}: ${a.from ? timeText(a.from) : "?"} – ${a.to ? timeText(a.to) : "now"}`))));
  }));
  $("devices").replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, "No devices.")]));
}

async function renderTimeline(id, from, to) {
  const items = await api(`/api/patients/${encodeURIComponent(id)}/timeline?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&limit=300`);
  $("timeline").replaceChildren(...(items.length ? items.map((item) =>
    h("li", { class: "timeline-item", dataset: { kind: item.kind, type: item.type, severity: item.severity } },
      h("time", { datetime: item.at }, timeText(item.at)), " ",
      h("span", { class: "timeline-kind" }, item.kind.replace(/_/g, " ")), " ",
      h("span", { class: "timeline-text" }, item.text),
      item.actor && item.actor !== "system" ? h("span", { class: "timeline-actor" }, ` — ${item.actor}`) : null))
    : [h("li", { class: "empty" }, "Nothing in this period.")]));
}

async function load() {
  const { id, range } = shown;
  const to = Date.now();
  const from = to - rangeMs[range];
  document.querySelectorAll(".range-button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.range === range)));
  const iso = (ms) => new Date(ms).toISOString();
  const [readings, thresholds, history] = await Promise.all([
    api(`/api/patients/${encodeURIComponent(id)}/readings?from=${iso(from)}&to=${iso(to)}&limit=5000`),
    api(`/api/patients/${encodeURIComponent(id)}/thresholds`),
    api(`/api/patients/${encodeURIComponent(id)}/thresholds/history?from=${iso(from)}&to=${iso(to)}`),
  ]);
  if (shown?.id !== id) return; // another person was opened meanwhile
  renderCharts(readings, thresholds, history, from, to);
  await Promise.all([renderDevices(id), renderTimeline(id, from, to), renderCarePlan(id)]);
  document.getElementById("person-page").dataset.loaded = `${id}:${range}`;
}

export async function showPerson(id) {
  if (shown?.id !== id) leaveCarePlan();
  shown = { id, range: shown?.id === id ? shown.range : "week" };
  $("person-page").dataset.loaded = "";
  setText($("person-error"), "");
  let patient;
  try {
    patient = await api(`/api/patients/${encodeURIComponent(id)}`);
  } catch (error) {
    setText($("person-name"), "Person not found");
    setText($("person-identity"), "");
    setText($("person-error"), error.message);
    return;
  }
  patients.set(patient.id, patient);
  setText($("person-name"), patient.displayName);
  setText($("person-identity"), `${nhsText(patient.nhsNumber)} · ${birthText(patient.dateOfBirth)} · NEWS2 scale ${patient.news2Scale}`);
  setBaseTitle(`${patient.displayName} — Telehealth`);
  renderPersonAlerts();
  await load();
  announce(`${patient.displayName}, ${identityText(patient)}`);
}

export function initPersonPage() {
  // A saved goal or care plan change reloads the page's data, so the timeline shows it at once.
  initCarePlan(async () => { if (shown) await load(); });
  document.querySelectorAll(".range-button").forEach((button) => button.addEventListener("click", () => {
    if (!shown) return;
    shown.range = button.dataset.range;
    load().catch((error) => setText($("person-error"), error.message));
  }));
}

export function leavePerson() {
  leaveCarePlan();
  charts.forEach((chart) => chart.destroy());
  charts = [];
  shown = null;
}
