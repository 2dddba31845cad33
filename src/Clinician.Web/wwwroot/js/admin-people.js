// Administration → People: the team's caseload with NHS number and date of birth, add a person, correct their details.
// The NHS number is checked here (modulus 11, nhs.js) before anything is sent, and again by the server.
import { h } from "./dom.js";
import { api, ApiError } from "./api.js";
import * as store from "./store.js";
import { nhsText, birthText } from "./format.js";
import { normaliseNhsNumber, nhsNumberProblem } from "./nhs.js";
import { can, field, showFieldError, clearFieldErrors, showApiError, formError, announce, uid } from "./admin-common.js";

/**
 * The add / edit form. `person` null adds; otherwise its details are edited (PUT /api/patients/{id}).
 * `onSaved(id)` runs after the server accepted it.
 */
export function personForm(person, onSaved, onCancel) {
  const name = h("input", { id: uid("person-name"), name: "displayName", required: true, maxlength: "200", autocomplete: "off", value: person?.displayName ?? "" });
  const nhs = h("input", { id: uid("person-nhs"), name: "nhsNumber", inputmode: "numeric", autocomplete: "off", maxlength: "12", value: person?.nhsNumber ?? "" });
  const born = h("input", { id: uid("person-dob"), name: "dateOfBirth", type: "date", value: person?.dateOfBirth ?? "" });
  const form = h("form", { class: "admin-form person-form", novalidate: true },
    field("Name", name),
    field("NHS number", nhs, "10 digits, e.g. 943 476 5919. Leave empty if not known yet."),
    field("Date of birth", born),
    formError(),
    h("div", { class: "form-actions" },
      h("button", { type: "submit" }, person ? "Save changes" : "Add person"),
      onCancel ? h("button", { type: "button", class: "secondary", onclick: onCancel }, "Cancel") : null));
  nhs.addEventListener("blur", () => {
    const problem = nhsNumberProblem(nhs.value);
    if (problem) showFieldError(nhs, problem);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    let invalid = null;
    if (!name.value.trim()) { showFieldError(name, "Enter the person's name."); invalid ??= name; }
    const problem = nhsNumberProblem(nhs.value);
    if (problem) { showFieldError(nhs, problem); invalid ??= nhs; }
    if (invalid) { invalid.focus(); return; } // nothing is sent
    const body = { displayName: name.value.trim(), nhsNumber: normaliseNhsNumber(nhs.value) || null, dateOfBirth: born.value || null };
    try {
      const saved = person
        ? await api(`/api/patients/${encodeURIComponent(person.id)}`, { method: "PUT", body })
        : await api("/api/patients", { method: "POST", body: { ...body, news2Scale: 1, onSupplementalOxygen: null } });
      await store.loadPatients();
      announce(person ? `Saved ${body.displayName}.` : `Added ${body.displayName}.`);
      await onSaved(saved.id);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(form, error, { displayName: name, nhsNumber: nhs, dateOfBirth: born });
    }
  });
  return form;
}

function personItem(person, redraw) {
  const item = h("li", { class: "admin-item", dataset: { patientId: person.id } },
    h("div", {},
      h("p", { class: "admin-item-title" }, h("a", { href: `#/person/${encodeURIComponent(person.id)}` }, person.displayName)),
      h("p", { class: "identity" }, `${nhsText(person.nhsNumber)} · ${birthText(person.dateOfBirth)}`)));
  if (can("register_patients")) {
    const edit = h("button", { type: "button", class: "secondary", "aria-label": `Edit ${person.displayName}` }, "Edit");
    edit.addEventListener("click", () => {
      const form = personForm(person, redraw, () => { item.replaceWith(personItem(person, redraw)); });
      form.classList.add("edit-form");
      item.replaceChildren(h("h3", {}, `Edit ${person.displayName}`), form);
      form.querySelector("input").focus();
    });
    item.append(h("div", { class: "admin-item-actions" }, edit));
  }
  return item;
}

export async function renderPeopleAdmin(body) {
  await store.loadPatients();
  const people = [...store.patients.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const list = h("ul", { class: "admin-list", id: "admin-people-list", "aria-label": "People in your team" }, ...people.map((p) => personItem(p, () => renderPeopleAdmin(body))));
  body.replaceChildren(
    h("section", { class: "card", "aria-labelledby": "admin-people-title" },
      h("h2", { id: "admin-people-title" }, `People `, h("span", { class: "count" }, String(people.length))),
      people.length ? list : h("p", { class: "empty" }, "Nobody on the caseload yet.")),
    can("register_patients")
      ? h("section", { class: "card", "aria-labelledby": "admin-add-person-title" },
        h("h2", { id: "admin-add-person-title" }, "Add a person"),
        personForm(null, () => renderPeopleAdmin(body)))
      : null);
}
