// Trend charts (Chart.js, vendored in lib/): one per vital, the person's own thresholds shaded behind the line, each
// stretch of time with the limits that were in force then (a reading is judged against the limits of its own time).
// Times are plain numbers on a linear axis, formatted here, so no date adapter is needed.
const bandColours = { critical: "rgba(179, 0, 27, 0.12)", warning: "rgba(244, 119, 56, 0.14)", normal: "rgba(0, 112, 60, 0.08)" };

const labels = {
  spo2: "SpO₂", heart_rate: "Heart rate", systolic_bp: "Systolic BP", diastolic_bp: "Diastolic BP",
  body_temperature: "Temperature", respiratory_rate: "Respiratory rate", blood_glucose: "Blood glucose", weight: "Weight",
};

export const vitalLabel = (kind) => labels[kind] || kind.replace(/_/g, " ");

/** Charts always come in the same order, so a person's page reads the same every time. */
export const vitalOrder = (kind) => { const i = Object.keys(labels).indexOf(kind); return i < 0 ? 99 : i; };

/** Bands from the threshold bounds: below critical low, low..., up to above critical high (absent bounds skipped). */
function bands(threshold) {
  if (!threshold) return [];
  const { criticalLow: cl, low, high, criticalHigh: ch } = threshold;
  const edges = [[-Infinity, cl, "critical"], [cl ?? -Infinity, low, "warning"], [low ?? cl ?? -Infinity, high ?? ch ?? Infinity, "normal"],
    [high, ch ?? Infinity, "warning"], [ch, Infinity, "critical"]];
  return edges.filter(([from, to]) => from !== null && from !== undefined && to !== null && to !== undefined && from < to);
}

const thresholdBands = {
  id: "thresholdBands",
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales: { x, y } } = chart;
    ctx.save();
    for (const period of options.periods || []) {
      const left = Math.max(chartArea.left, x.getPixelForValue(period.from));
      const right = period.to === null ? chartArea.right : Math.min(chartArea.right, x.getPixelForValue(period.to));
      if (right <= left) continue;
      for (const [from, to, level] of bands(period.threshold)) {
        const top = to === Infinity ? chartArea.top : Math.max(chartArea.top, y.getPixelForValue(to));
        const bottom = from === -Infinity ? chartArea.bottom : Math.min(chartArea.bottom, y.getPixelForValue(from));
        if (bottom <= top) continue;
        ctx.fillStyle = bandColours[level];
        ctx.fillRect(left, top, right - left, bottom - top);
      }
    }
    ctx.restore();
  },
};

/**
 * One vital's limits over time from GET /api/patients/{id}/thresholds/history: [{ from, to, threshold }] with times
 * in ms (to null while still in force); a period without limits for the vital has threshold undefined.
 */
export function thresholdPeriods(history, kind) {
  return history.map((period) => ({
    from: new Date(period.from).getTime(),
    to: period.to === null ? null : new Date(period.to).getTime(),
    threshold: period.effective.find((t) => t.kind === kind),
  }));
}

function tickText(value, spanMs) {
  const date = new Date(value);
  return spanMs <= 36 * 3600 * 1000
    ? date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString("en-GB", { day: "numeric", month: "short" });
}

/**
 * Draws one vital's readings into `canvas` between `from` and `to` (ms), shading each period's limits
 * (`thresholdPeriods`); returns the Chart to destroy later.
 */
export function trendChart(canvas, kind, readings, periods, from, to) {
  const points = readings.map((r) => ({ x: new Date(r.deviceTime).getTime(), y: r.value }));
  const values = points.map((p) => p.y);
  const bounds = periods.flatMap(({ threshold }) => [threshold?.criticalLow, threshold?.criticalHigh, threshold?.low, threshold?.high])
    .filter((v) => typeof v === "number");
  const min = Math.min(...values, ...bounds);
  const max = Math.max(...values, ...bounds);
  const pad = Math.max(1, (max - min) * 0.1);
  return new Chart(canvas, {
    type: "line",
    data: { datasets: [{ label: vitalLabel(kind), data: points, borderColor: "#1d2733", backgroundColor: "#1d2733", pointRadius: 3, borderWidth: 2, tension: 0 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: "linear", min: from, max: to, ticks: { maxTicksLimit: 6, callback: (value) => tickText(value, to - from) } },
        y: { suggestedMin: min - pad, suggestedMax: max + pad },
      },
      plugins: { legend: { display: false }, thresholdBands: { periods }, tooltip: { callbacks: { title: (items) => new Date(items[0].parsed.x).toLocaleString("en-GB") } } },
    },
    plugins: [thresholdBands],
  });
}
