// Administration → Thresholds: a person's alert thresholds per vital, in the unit the clinician chooses (°C or °F,
// kg, lb or st, mmol/L or mg/dL, mmHg or kPa). Each value is sent in a unit the API converts exactly to the canonical
// one it stores, and the page shows what will be stored. Only clinicians change thresholds (PermissionMatrix:
// ChangeClinicalSettings): for everyone else the page is read-only and says who to ask.
import { h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import * as store from "./store.js";
import { identityText } from "./format.js";
import { vitals, unitOf, toCanonical, fromCanonical, toWire } from "./units.js";
import { can, field, clearFieldErrors, showApiError, formError, announce, uid } from "./admin-common.js";

const bounds = [["criticalLow", "Critical low"], ["low", "Low"], ["high", "High"], ["criticalHigh", "Critical high"]];
const unitKey = (kind) => `telehealth.thresholdUnit.${kind}`;

function chosenUnit(vital) {
  const saved = localStorage.getItem(unitKey(vital.kind));
  return vital.units.some((u) => u.id === saved) ? saved : vital.units[0].id;
}

const canonicalLabel = (vital) => vital.units[0].label;

function vitalFieldset(vital, effective, override, editable) {
  let unitId = chosenUnit(vital);
  const own = h("input", { type: "checkbox", id: uid(`own-${vital.kind}`), checked: Boolean(override), disabled: !editable });
  const unit = h("select", { id: uid(`unit-${vital.kind}`) },
    ...vital.units.map((u) => h("option", { value: u.id }, u.label)));
  unit.value = unitId;
  const inputs = bounds.map(([key, label]) => {
    const value = effective?.[key];
    return [key, h("input", {
      id: uid(`${vital.kind}-${key}`), type: "number", step: "any", inputmode: "decimal", dataset: { bound: key },
      value: value == null ? "" : String(fromCanonical(vital.kind, unitId, value)), "aria-label": `${label} (${vital.label})`,
    })];
  });
  const stored = h("p", { class: "hint stored-as", "aria-live": "polite" });
  const set = h("fieldset", { class: "vital", dataset: { kind: vital.kind } },
    h("legend", {}, vital.label),
    h("label", { class: "choice" }, own, " Personal thresholds (otherwise the service defaults)"),
    h("div", { class: "vital-row" },
      h("div", { class: "field unit-field" }, h("label", { for: unit.id }, "Unit"), unit),
      ...inputs.map(([key, input]) => h("div", { class: "field" },
        h("label", { for: input.id }, bounds.find(([k]) => k === key)[1]), input, h("p", { class: "field-error", id: `${input.id}-error` })))),
    stored);
  const refresh = () => {
    const active = editable && own.checked;
    inputs.forEach(([, input]) => { input.disabled = !active; });
    const shown = inputs.filter(([, input]) => input.value !== "").map(([key, input]) =>
      `${bounds.find(([k]) => k === key)[1].toLowerCase()} ${toCanonical(vital.kind, unitId, Number(input.value))}`);
    setText(stored, unitId === vital.units[0].id || !shown.length ? "" : `Stored in ${canonicalLabel(vital)}: ${shown.join(", ")}`);
  };
  unit.addEventListener("change", () => {
    // The numbers follow the unit, so switching °C to °F never reads 38 as 38 °F.
    inputs.forEach(([, input]) => {
      if (input.value !== "") input.value = String(fromCanonical(vital.kind, unit.value, toCanonical(vital.kind, unitId, Number(input.value))));
    });
    unitId = unit.value;
    localStorage.setItem(unitKey(vital.kind), unitId);
    refresh();
  });
  own.addEventListener("change", refresh);
  inputs.forEach(([, input]) => input.addEventListener("input", refresh));
  refresh();
  set.read = () => {
    if (!own.checked) return null;
    const threshold = { kind: vital.kind };
    for (const [key, input] of inputs) {
      if (input.value === "") { threshold[key] = null; continue; }
      const wire = toWire(vital.kind, unitId, Number(input.value));
      threshold.unit = wire.unit;
      threshold[key] = wire.value;
    }
    threshold.unit ??= unitOf(vital.kind, unitId).wire;
    return threshold;
  };
  set.firstInput = () => inputs[0][1];
  return set;
}

async function thresholdForm(person, container) {
  const editable = can("change_clinical_settings");
  const current = await api(`/api/patients/${encodeURIComponent(person.id)}/thresholds`);
  const sets = vitals.map((vital) => vitalFieldset(vital,
    current.effective.find((t) => t.kind === vital.kind), current.overrides.find((t) => t.kind === vital.kind), editable));
  const form = h("form", { class: "admin-form threshold-form", novalidate: true, dataset: { patientId: person.id } },
    editable ? null : h("p", { class: "notice", id: "thresholds-read-only" },
      "Read only: only clinicians change thresholds, because a threshold set wrong silences or floods a person's alerts. "
      + "Ask the person's clinician to sign in and open Administration → Thresholds."),
    ...sets,
    formError(),
    editable ? h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Save thresholds")) : null);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const thresholds = sets.map((set) => set.read()).filter(Boolean);
    try {
      await api(`/api/patients/${encodeURIComponent(person.id)}/thresholds`, { method: "PUT", body: { thresholds } });
      announce(`Thresholds saved for ${person.displayName}.`);
      await thresholdForm(person, container);
      container.querySelector(".saved").textContent = "Saved.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(form, error);
    }
  });
  container.replaceChildren(h("p", { class: "saved", role: "status" }), form);
  container.dataset.loaded = person.id;
}

export async function renderThresholdsAdmin(body) {
  await store.loadPatients();
  const people = [...store.patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const container = h("div", { id: "threshold-editor" });
  const chooser = h("select", { id: "threshold-person" }, ...people.map((p) => h("option", { value: p.id }, `${p.displayName} (${identityText(p)})`)));
  chooser.addEventListener("change", () => thresholdForm(store.patients.get(chooser.value), container));
  body.replaceChildren(h("section", { class: "card", "aria-labelledby": "admin-thresholds-title" },
    h("h2", { id: "admin-thresholds-title" }, "Thresholds"),
    h("p", { class: "hint" }, "Choose the unit for each vital; values are converted exactly to the unit the platform stores (shown below each)."),
    people.length ? field("Person", chooser) : h("p", { class: "empty" }, "Add a person first."),
    container));
  if (people.length) await thresholdForm(people[0], container);
}
