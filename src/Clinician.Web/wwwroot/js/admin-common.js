// What every administration section shares: what the signed-in role may do (from the server's permission matrix, sent
// with the session), and form fields whose errors are tied to the field (aria-invalid + aria-describedby), so a screen
// reader hears the problem on the field it belongs to.
import { h, setText } from "./dom.js";
import * as session from "./session.js";

/** True when the signed-in role has `permission` (PermissionMatrix names, e.g. "manage_devices"). The server still decides. */
export const can = (permission) => (session.me()?.permissions || []).includes(permission);

/** Roles that may open the administration pages at all: whoever may change something there. */
export const canAdminister = () =>
  ["register_patients", "manage_devices", "manage_staff", "manage_teams", "manage_rota", "change_clinical_settings"].some(can);

export const words = (text) => String(text ?? "").replace(/_/g, " ");

/** A labelled control with its own error line. `control` is an input, select or textarea whose id is set. */
export function field(label, control, hint) {
  const errorId = `${control.id}-error`;
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  // An error stays until the field is changed, so what is on screen is never an answer to an older value.
  control.addEventListener("input", () => clearFieldError(control));
  return h("div", { class: "field" },
    h("label", { for: control.id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    control,
    h("p", { class: "field-error", id: errorId }));
}

export function showFieldError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  setText(error, message);
  control.setAttribute("aria-invalid", "true");
  const described = new Set((control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  described.add(error.id);
  control.setAttribute("aria-describedby", [...described].join(" "));
}

function clearFieldError(control) {
  if (!control.hasAttribute("aria-invalid")) return;
  control.removeAttribute("aria-invalid");
  const described = (control.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== `${control.id}-error`);
  if (described.length) control.setAttribute("aria-describedby", described.join(" ")); else control.removeAttribute("aria-describedby");
  const error = document.getElementById(`${control.id}-error`);
  if (error) setText(error, "");
}

export function clearFieldErrors(form) {
  form.querySelectorAll("[aria-invalid]").forEach(clearFieldError);
  form.querySelectorAll(".field-error").forEach((error) => setText(error, ""));
  form.querySelectorAll(".form-error").forEach((error) => setText(error, ""));
}

/**
 * Shows an API refusal on the form: validation problems on the fields they name (`fields` maps the API's field name to
 * the control), anything else in the form's error line. Focus goes to the first field in error.
 */
export function showApiError(form, error, fields = {}) {
  let first = null;
  for (const [name, messages] of Object.entries(error.errors || {})) {
    const control = fields[name];
    const text = messages.map((m) => m.replace(/^[a-z_]+: /, "")).join(" ");
    if (control) { showFieldError(control, text); first ??= control; }
    else setText(form.querySelector(".form-error"), text);
  }
  if (!error.errors) setText(form.querySelector(".form-error"), error.message);
  first?.focus();
}

export const formError = () => h("p", { class: "form-error error", role: "alert" });

/** Tells screen readers what just happened, without moving focus. */
export function announce(text) {
  const status = document.getElementById("admin-status");
  status.textContent = "";
  status.textContent = text;
}

let sequence = 0;
/** Ids unique on the page, so the same form can appear twice (walkthrough and section) without clashing labels. */
export const uid = (name) => `${name}-${++sequence}`;
