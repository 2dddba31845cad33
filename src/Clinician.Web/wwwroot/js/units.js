// The units a clinician may set thresholds in, per vital, and exact conversions to the canonical unit the platform
// stores (VitalKinds.CanonicalUnit on the server). The page sends each threshold in a unit the API converts itself
// (UnitConverter: °F, lb, mg/dL, kPa), so the server stays the one that decides; stones are the one unit the API does
// not take, and 1 st is exactly 14 lb, so the page sends pounds. The same factors as the server, exact by definition:
export const KILOGRAMS_PER_POUND = 0.45359237; // 1959 international agreement
export const POUNDS_PER_STONE = 14;
export const GLUCOSE_MG_PER_DL_PER_MMOL_PER_L = 18.016; // glucose molar mass 180.16 g/mol
export const PASCALS_PER_MM_HG = 133.322387415; // conventional millimetre of mercury

const same = { toCanonical: (v) => v, fromCanonical: (v) => v };
const pressure = [
  { id: "mmHg", label: "mmHg", wire: "mm[Hg]", ...same },
  { id: "kPa", label: "kPa", wire: "kPa", toCanonical: (v) => (v * 1000) / PASCALS_PER_MM_HG, fromCanonical: (v) => (v * PASCALS_PER_MM_HG) / 1000 },
];

/** Per vital: its label and the units offered, canonical first. `wire` is the unit sent; `toWire` the value sent in it. */
export const vitals = [
  { kind: "heart_rate", label: "Heart rate", units: [{ id: "bpm", label: "beats/min", wire: "beat/min", ...same }] },
  { kind: "spo2", label: "Oxygen saturation (SpO2)", units: [{ id: "%", label: "%", wire: "%", ...same }] },
  { kind: "respiratory_rate", label: "Respiratory rate", units: [{ id: "rpm", label: "breaths/min", wire: "1/min", ...same }] },
  { kind: "systolic_bp", label: "Systolic blood pressure", units: pressure },
  { kind: "diastolic_bp", label: "Diastolic blood pressure", units: pressure },
  {
    kind: "body_temperature", label: "Temperature", units: [
      { id: "C", label: "°C", wire: "Cel", ...same },
      { id: "F", label: "°F", wire: "[degF]", toCanonical: (v) => ((v - 32) * 5) / 9, fromCanonical: (v) => (v * 9) / 5 + 32 },
    ],
  },
  {
    kind: "body_weight", label: "Weight", units: [
      { id: "kg", label: "kg", wire: "kg", ...same },
      { id: "lb", label: "lb", wire: "[lb_av]", toCanonical: (v) => v * KILOGRAMS_PER_POUND, fromCanonical: (v) => v / KILOGRAMS_PER_POUND },
      {
        id: "st", label: "st", wire: "[lb_av]", toWire: (v) => v * POUNDS_PER_STONE,
        toCanonical: (v) => v * POUNDS_PER_STONE * KILOGRAMS_PER_POUND, fromCanonical: (v) => v / KILOGRAMS_PER_POUND / POUNDS_PER_STONE,
      },
    ],
  },
  {
    kind: "blood_glucose", label: "Blood glucose", units: [
      { id: "mmol", label: "mmol/L", wire: "mmol/L", ...same },
      { id: "mg", label: "mg/dL", wire: "mg/dL", toCanonical: (v) => v / GLUCOSE_MG_PER_DL_PER_MMOL_PER_L, fromCanonical: (v) => v * GLUCOSE_MG_PER_DL_PER_MMOL_PER_L },
    ],
  },
];

/** Float noise off (100.4 °F is 38.000000000000007 °C): six decimals, as the server rounds what it stores. */
export const round6 = (value) => Math.round(value * 1e6) / 1e6;

export function unitOf(kind, unitId) {
  const vital = vitals.find((v) => v.kind === kind);
  const unit = vital?.units.find((u) => u.id === unitId);
  if (!unit) throw new Error(`No unit ${unitId} for ${kind}`);
  return unit;
}

/** A value typed in `unitId` as the platform will store it (canonical unit, six decimals). */
export function toCanonical(kind, unitId, value) {
  return round6(unitOf(kind, unitId).toCanonical(value));
}

/** A stored (canonical) value shown in `unitId`, to at most two decimals: what a clinician reads and edits. */
export function fromCanonical(kind, unitId, value) {
  return Math.round(unitOf(kind, unitId).fromCanonical(value) * 100) / 100;
}

/** What is sent for a value typed in `unitId`: a unit the API converts exactly, and the value in it. */
export function toWire(kind, unitId, value) {
  const unit = unitOf(kind, unitId);
  return { unit: unit.wire, value: unit.toWire ? unit.toWire(value) : value };
}
