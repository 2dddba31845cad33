// Administration → Devices: issue a device to a person (its credential is shown once, here, and never again: the
// platform keeps only a hash), take a device back, give a returned one to someone else, and see each device's type,
// battery and when it was last heard.
import { h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import * as store from "./store.js";
import { timeText, identityText } from "./format.js";
import { can, field, showFieldError, clearFieldErrors, showApiError, formError, announce, uid, words } from "./admin-common.js";

// DeviceType wire names (CareRecord/Devices/DeviceType.cs); the server refuses any other.
export const deviceTypes = [
  ["pulse_oximeter", "Pulse oximeter"], ["blood_pressure_monitor", "Blood pressure monitor"], ["thermometer", "Thermometer"],
  ["weighing_scale", "Weighing scale"], ["glucometer", "Glucometer"], ["pendant_alarm", "Pendant alarm"], ["fall_detector", "Fall detector"],
  ["bed_sensor", "Bed sensor"], ["door_sensor", "Door sensor"], ["inactivity_sensor", "Inactivity sensor"], ["smoke_detector", "Smoke detector"],
  ["telecare_hub", "Telecare hub"],
];
const typeLabel = (type) => deviceTypes.find(([value]) => value === type)?.[1] ?? words(type);

function peopleOptions() {
  return [...store.patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((p) => h("option", { value: p.id }, `${p.displayName} (${identityText(p)})`));
}

/** The credential, once: kept in this element only, so leaving the page or reloading it shows it no more. */
function credentialPanel(issued) {
  const secret = h("code", { class: "secret", id: uid("device-secret") }, issued.secret);
  const copied = h("span", { class: "copied", role: "status" });
  const copy = h("button", { type: "button", class: "secondary" }, "Copy secret");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(issued.secret);
      setText(copied, "Copied.");
    } catch {
      // No clipboard (permission refused, or not a secure origin): select it so Ctrl+C copies it.
      getSelection().selectAllChildren(secret);
      setText(copied, "Selected: press Ctrl+C (or Cmd+C) to copy.");
    }
  });
  return h("div", { class: "credential", role: "group", "aria-labelledby": "credential-title" },
    h("h3", { id: "credential-title" }, "Device credential — shown once"),
    h("p", { class: "warning" }, h("strong", {}, "You will not see this secret again."),
      " Enter it in the device now. If it is lost, rotate the secret to issue a new one."),
    h("dl", { class: "credential-fields" },
      h("dt", {}, "Device id"), h("dd", {}, h("code", { class: "device-id" }, issued.deviceId)),
      h("dt", {}, "Secret"), h("dd", {}, secret),
      h("dt", {}, "Readings topic"), h("dd", {}, h("code", {}, issued.readingsTopic))),
    h("div", { class: "form-actions" }, copy, copied));
}

/** Issue form: person, type, optional model and serial. `onIssued(response)` after the server registered it. */
export function issueForm(onIssued, patientId) {
  const person = h("select", { id: uid("device-person"), required: true }, h("option", { value: "" }, "Choose a person"), ...peopleOptions());
  if (patientId) person.value = patientId;
  else if (store.patients.size === 1) person.value = [...store.patients.keys()][0]; // the only one: nothing to choose
  const type = h("select", { id: uid("device-type"), required: true }, ...deviceTypes.map(([value, label]) => h("option", { value }, label)));
  const model = h("input", { id: uid("device-model"), maxlength: "100", autocomplete: "off" });
  const serial = h("input", { id: uid("device-serial"), maxlength: "100", autocomplete: "off" });
  const result = h("div", { class: "issued" });
  const form = h("form", { class: "admin-form issue-form", novalidate: true },
    field("Person", person), field("Device type", type), field("Model (optional)", model), field("Serial number (optional)", serial),
    formError(),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Issue device")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    result.replaceChildren();
    if (!person.value) { showFieldError(person, "Choose who the device is for."); person.focus(); return; }
    try {
      const issued = await api("/api/devices", {
        method: "POST", body: { patientId: person.value, type: type.value, model: model.value || null, serialNumber: serial.value || null },
      });
      result.replaceChildren(credentialPanel(issued));
      announce(`Device ${issued.deviceId} issued. Its secret is shown once.`);
      await onIssued(issued);
      result.querySelector("h3").setAttribute("tabindex", "-1");
      result.querySelector("h3").focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(form, error, { patientId: person, type });
    }
  });
  return h("div", {}, form, result);
}

function deviceItem(device, redraw) {
  const holder = store.patients.get(device.patientId ?? device.lastPatientId);
  const who = device.patientId
    ? `With ${holder?.displayName ?? device.patientId}`
    : `Returned by ${holder?.displayName ?? device.lastPatientId}`;
  const item = h("li", { class: "admin-item", dataset: { deviceId: device.deviceId, status: device.status } },
    h("div", {},
      h("p", { class: "admin-item-title" }, `${typeLabel(device.type)} `, h("code", {}, device.deviceId)),
      h("p", {}, `${who} · ${words(device.status)}`),
      h("p", { class: "identity" },
        `Battery ${device.batteryPercent ?? "not reported"}${device.batteryPercent == null ? "" : "%"} · `
        + `last heard ${device.lastSeenAt ? timeText(device.lastSeenAt) : "never"}`)));
  if (!can("manage_devices") || device.status === "revoked") return item;
  const actions = h("div", { class: "admin-item-actions" });
  const error = h("p", { class: "error", role: "alert" });
  if (device.status === "assigned") {
    const back = h("button", { type: "button", class: "secondary", "aria-label": `Take back ${device.deviceId}` }, "Take back");
    back.addEventListener("click", async () => {
      try {
        await api(`/api/devices/${encodeURIComponent(device.deviceId)}/retrieve`, { method: "POST" });
        announce(`Device ${device.deviceId} taken back.`);
        await redraw();
      } catch (e) { if (!(e instanceof ApiError)) throw e; setText(error, e.message); }
    });
    actions.append(back);
  } else {
    const to = h("select", { id: uid("reassign"), "aria-label": `Issue ${device.deviceId} to` }, ...peopleOptions());
    const give = h("button", { type: "button", class: "secondary" }, "Issue again");
    give.addEventListener("click", async () => {
      try {
        await api(`/api/devices/${encodeURIComponent(device.deviceId)}/assign`, { method: "POST", body: { patientId: to.value } });
        announce(`Device ${device.deviceId} issued again.`);
        await redraw();
      } catch (e) { if (!(e instanceof ApiError)) throw e; setText(error, e.message); }
    });
    actions.append(to, give);
  }
  item.append(actions, error);
  return item;
}

export async function renderDevicesAdmin(body) {
  await store.loadPatients();
  const devices = await api("/api/devices");
  const redraw = async () => {
    const fresh = await api("/api/devices");
    document.getElementById("admin-device-list")?.replaceChildren(...fresh.map((d) => deviceItem(d, redraw)));
    setText(document.getElementById("admin-device-count"), String(fresh.length));
  };
  body.replaceChildren(
    can("manage_devices")
      ? h("section", { class: "card", "aria-labelledby": "admin-issue-title" },
        h("h2", { id: "admin-issue-title" }, "Issue a device"),
        store.patients.size ? issueForm(redraw) : h("p", { class: "empty" }, "Add a person first: a device is issued to someone."))
      : null,
    h("section", { class: "card", "aria-labelledby": "admin-devices-title" },
      h("h2", { id: "admin-devices-title" }, "Devices ", h("span", { class: "count", id: "admin-device-count" }, String(devices.length))),
      h("ul", { class: "admin-list", id: "admin-device-list", "aria-label": "Devices in your team" }, ...devices.map((d) => deviceItem(d, redraw)))));
}
