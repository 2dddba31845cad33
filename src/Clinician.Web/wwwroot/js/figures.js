// Service figures (#/figures) for team leads and admins, over GET /api/figures: a period (from/to dates or the last
// 7, 30 or 90 days), then one chart per figure with the same numbers as a table beside it (the table is what a
// screen reader or a keyboard user reads; the chart is a picture of it), and a CSV link for the same period.
// Roles without the permission still ask the server, which answers 403, and the page says so.
import { $, h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import { identityText } from "./format.js";
import { me } from "./session.js";

const dayMs = 24 * 3600 * 1000;
const presets = [7, 30, 90];
const severities = ["critical", "high", "medium", "low"];
const colours = { critical: "#b3001b", high: "#c2301a", medium: "#a34f00", low: "#1d70b8", bar: "#1d2733", second: "#00703c" };
const words = (text) => text.replace(/_/g, " ");
const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const callOutcomes = { reached: "Reached", no_answer: "No answer", wrong_number: "Wrong number", busy: "Busy" };
const callActions = {
  advice_given: "Advice given", repeat_reading_requested: "Repeat reading requested", gp_informed: "GP informed", visit_arranged: "Visit arranged",
  advised_111: "111 advised", advised_999: "999 advised", ambulance_called: "Ambulance called",
};
const kindNames = { threshold: "Reading out of range", news2: "NEWS2", event: "Telecare event", silence: "Silent device", schedule: "Missed reading", inactivity: "No activity", battery: "Battery" };

let charts = [];
let built = null;
let period = { days: 30 };

/** Who may read figures: the session's permissions when the server lists them, otherwise by role. */
export function canReadFigures(session = me()) {
  if (!session) return false;
  return Array.isArray(session.permissions) ? session.permissions.includes("read_service_figures") : ["team_lead", "admin"].includes(session.role);
}

/** The nav link is offered only to those who may use it (the server decides anyway). */
export function showFiguresLink() {
  const link = document.querySelector('#nav a[data-route="figures"]');
  if (link) link.hidden = !canReadFigures();
}

function percent(share) { return share === null || share === undefined ? "–" : `${(Math.round(share * 1000) / 10).toFixed(1)}%`; }

/** "45 s", "2 min 30 s", "1 h 05 min": seconds as people say them (rounded to the second). */
export function secondsText(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

function dateValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The period asked for, as instants: a preset ends now; chosen dates run from the start of "from" to the end of "to" (local days). */
function periodRange(now = Date.now()) {
  if (period.days) return { from: new Date(now - period.days * dayMs), to: new Date(now) };
  const [fy, fm, fd] = period.fromDate.split("-").map(Number);
  const [ty, tm, td] = period.toDate.split("-").map(Number);
  return { from: new Date(fy, fm - 1, fd), to: new Date(ty, tm - 1, td + 1) };
}

/** A table in a region that scrolls by itself at phone width (focusable, so a keyboard can scroll it too). */
function table(caption, head, rows, name) {
  return h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h("table", { class: "figures-table", dataset: { table: name } },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...head.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, ...rows.map((cells) => h("tr", {}, h("th", { scope: "row" }, cells[0]), ...cells.slice(1).map((text) => h("td", {}, String(text))))))));
}

/** One figure: a heading, a chart drawn from `data` (labels, datasets) and the table that says the same. */
function figure(name, title, summary, tableElement, data, options = {}) {
  const canvas = h("canvas", { role: "img", "aria-label": `${title}: ${summary}` });
  const section = h("section", { class: "card figure", dataset: { figure: name }, "aria-labelledby": `figure-${name}-title` },
    h("h2", { id: `figure-${name}-title` }, title),
    h("p", { class: "figure-summary" }, summary),
    data ? h("div", { class: "chart-box" }, canvas) : null,
    tableElement);
  return { section, canvas, data, options };
}

function barChart(canvas, data, { horizontal = false, max } = {}) {
  return new Chart(canvas, {
    type: "bar",
    data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: horizontal ? "y" : "x",
      scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, max, ticks: { precision: 0 } } },
      plugins: { legend: { display: data.datasets.length > 1 } },
    },
  });
}

function build(f) {
  const people = f.adherence;
  const severityRows = severities.map((s) => [capital(s), f.bySeverity[s] ?? 0]);
  const kindRows = Object.entries(f.byKind).map(([k, n]) => [kindNames[k] || capital(words(k)), n]);
  const times = [["To acknowledge", f.timeToAcknowledge], ["To first call", f.timeToFirstCall]];
  const timeRows = times.map(([label, t]) => [label, t.responded, t.waiting, secondsText(t.medianSeconds), secondsText(t.percentile90Seconds), percent(t.shareWithin60Seconds), percent(t.shareWithin3Minutes)]);
  const calls = f.followUps;
  const outcomeRows = Object.entries(calls.byOutcome).map(([k, n]) => [callOutcomes[k] || capital(words(k)), n]);
  const actionRows = Object.entries(calls.byAction).map(([k, n]) => [callActions[k] || capital(words(k)), n]);
  const resolvedRows = Object.entries(f.outcomes).map(([k, n]) => [capital(words(k)), n]);
  const adherenceRows = people.map((a) => [`${a.patientName} (${identityText({ nhsNumber: a.nhsNumber, dateOfBirth: a.dateOfBirth })})`, words(a.condition.split(":")[1] || a.condition), a.windowsClosed, a.windowsWithReading, percent(a.share)]);
  const uptimeRows = f.uptime.map((u) => [u.deviceId, words(u.deviceType), (Math.round(u.watchedHours * 10) / 10).toFixed(1), Math.round(u.flaggedSilentMinutes), percent(u.share)]);

  return [
    figure("severity", "Alerts by severity", `${count(f.alertsRaised, "alert")} raised: ${severityRows.map(([s, n]) => `${s.toLowerCase()} ${n}`).join(", ")}.`,
      table("Alerts raised by severity", ["Severity", "Alerts"], severityRows, "severity"),
      { labels: severityRows.map((r) => r[0]), datasets: [{ label: "Alerts", data: severityRows.map((r) => r[1]), backgroundColor: severities.map((s) => colours[s]) }] }),
    figure("kind", "Alerts by kind", kindRows.length ? kindRows.map(([k, n]) => `${k} ${n}`).join(", ") + "." : "No alerts in this period.",
      table("Alerts raised by kind", ["Kind", "Alerts"], kindRows, "kind"),
      kindRows.length ? { labels: kindRows.map((r) => r[0]), datasets: [{ label: "Alerts", data: kindRows.map((r) => r[1]), backgroundColor: colours.bar }] } : null),
    figure("response", "Time to acknowledge and to first call",
      `Median to acknowledge ${secondsText(f.timeToAcknowledge.medianSeconds)}, ${percent(f.timeToAcknowledge.shareWithin60Seconds)} within 60 s; median to first call ${secondsText(f.timeToFirstCall.medianSeconds)}, ${percent(f.timeToFirstCall.shareWithin3Minutes)} within 3 minutes. The telecare call-handling standards are 60 seconds and 3 minutes.`,
      table("Response times (nearest-rank median and 90th percentile; shares are of those responded)", ["Measure", "Responded", "Waiting", "Median", "90th percentile", "Within 60 s", "Within 3 min"], timeRows, "response"),
      {
        labels: times.map(([label]) => label),
        datasets: [
          { label: "Median (s)", data: times.map(([, t]) => t.medianSeconds ?? 0), backgroundColor: colours.bar },
          { label: "90th percentile (s)", data: times.map(([, t]) => t.percentile90Seconds ?? 0), backgroundColor: colours.second },
        ],
      }),
    figure("follow-ups", "Follow-up calls and their outcomes",
      `${count(calls.calls, "call")} about ${count(calls.alertsCalled, "alert")}; ${calls.escalated} escalated after repeated no answer.`,
      h("div", { class: "figure-tables" },
        table("How calls ended", ["Outcome", "Calls"], outcomeRows, "call-outcomes"),
        table("What was done on calls", ["Action", "Calls"], actionRows, "call-actions"),
        table("Outcomes of resolved alerts", ["Outcome", "Alerts"], resolvedRows.length ? resolvedRows : [["None resolved", 0]], "resolved")),
      { labels: outcomeRows.map((r) => r[0]), datasets: [{ label: "Calls", data: outcomeRows.map((r) => r[1]), backgroundColor: colours.bar }] }),
    figure("uptime", "Device uptime",
      f.uptime.length ? `${count(f.uptime.length, "device")} with a heartbeat; share of watched time not flagged silent.` : "No devices with a heartbeat.",
      table("Uptime of each device with a heartbeat", ["Device", "Type", "Watched hours", "Silent minutes", "Uptime"], uptimeRows, "uptime"),
      f.uptime.length ? { labels: f.uptime.map((u) => u.deviceId), datasets: [{ label: "Uptime (%)", data: f.uptime.map((u) => Math.round((u.share ?? 0) * 1000) / 10), backgroundColor: colours.second }] } : null,
      { horizontal: true, max: 100 }),
    figure("adherence", "Readings adherence per person",
      people.length ? `${count(people.length, "planned reading")}; share of daily windows with a reading.` : "No planned readings in this period.",
      table("Readings adherence per person and planned reading", ["Person", "Reading", "Windows closed", "With a reading", "Adherence"], adherenceRows, "adherence"),
      people.length ? { labels: people.map((a) => a.patientName), datasets: [{ label: "Adherence (%)", data: people.map((a) => Math.round((a.share ?? 0) * 1000) / 10), backgroundColor: colours.second }] } : null,
      { horizontal: true, max: 100 }),
  ];
}

function buildPage() {
  const presetButtons = presets.map((days) => {
    const button = h("button", { type: "button", class: "range-button", dataset: { days: String(days) }, "aria-pressed": "false" }, `Last ${days} days`);
    button.addEventListener("click", () => { period = { days }; renderFigures(); });
    return button;
  });
  const from = h("input", { id: "figures-from", type: "date", required: true });
  const to = h("input", { id: "figures-to", type: "date", required: true });
  const form = h("form", { class: "figures-period" },
    h("div", {}, h("label", { for: "figures-from" }, "From"), from),
    h("div", {}, h("label", { for: "figures-to" }, "To (inclusive)"), to),
    h("button", { type: "submit", class: "secondary" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (from.value > to.value) { setText($("figures-error"), "From must be on or before To."); return; }
    period = { fromDate: from.value, toDate: to.value };
    renderFigures();
  });
  const csv = h("a", { id: "figures-csv", class: "csv-link", download: "" }, "Download CSV");
  const controls = h("div", { id: "figures-controls", class: "card figures-controls" },
    h("div", { class: "range", role: "group", "aria-label": "Period" }, ...presetButtons),
    form,
    h("p", { class: "figures-shown" }, h("span", { id: "figures-period" }), " ", csv));
  $("figures-content").replaceChildren(
    h("p", { class: "hint" }, "Your team's alerts, response times, calls, readings adherence and device uptime over a period. Each chart has a table with the same numbers."),
    h("p", { id: "figures-error", class: "error", role: "alert" }),
    h("p", { id: "figures-status", class: "visually-hidden", role: "status" }),
    controls,
    h("div", { id: "figures-body", class: "figures-body" }));
  return { presetButtons, from, to, csv, controls };
}

export async function renderFigures(now = Date.now()) {
  built ??= buildPage();
  charts.forEach((chart) => chart.destroy());
  charts = [];
  setText($("figures-error"), "");
  const { from, to } = periodRange(now);
  built.presetButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.days) === period.days)));
  built.from.value = dateValue(from);
  built.to.value = dateValue(new Date(to.getTime() - (period.days ? 0 : 1)));
  const query = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const page = $("figures-page");
  let figures;
  try {
    figures = await api(`/api/figures?${query}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    $("figures-body").replaceChildren();
    built.controls.hidden = error.status === 403;
    page.dataset.state = error.status === 403 ? "refused" : "failed";
    setText($("figures-error"), error.status === 403
      ? `Your role (${words(me()?.role || "unknown")}) cannot see service figures: they are for team leads and admins.`
      : `The figures could not be read: ${error.message}`);
    return;
  }
  built.controls.hidden = false;
  built.csv.href = `/api/figures?format=csv&${query}`;
  setText($("figures-period"), `${from.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })} to ${new Date(to.getTime() - 1).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })}.`);
  const parts = build(figures);
  $("figures-body").replaceChildren(...parts.map((p) => p.section));
  charts = parts.filter((p) => p.data).map((p) => barChart(p.canvas, p.data, p.options));
  page.dataset.state = "shown";
  page.dataset.from = figures.from;
  page.dataset.to = figures.to;
  setText($("figures-status"), `Figures shown for ${figures.alertsRaised} alerts.`);
}

/** Leaving the page: charts hold canvases and listeners, so they go. */
export function leaveFigures() {
  charts.forEach((chart) => chart.destroy());
  charts = [];
}
