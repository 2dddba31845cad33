// Administration → Duty rota: who is on duty in your team and when, the team lead escalation ends with, and how each is
// reached. Everyone in the team can read it; admins and team leads change it (ManageRota). Partners (GP, out of
// hours) are kept as they are: they are set through the API (docs/escalation.md).
import { h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import * as session from "./session.js";
import { timeText } from "./format.js";
import { can, field, showFieldError, clearFieldErrors, showApiError, formError, announce, uid } from "./admin-common.js";

/** "2026-11-25T08:00" in the browser's zone, as a datetime-local input wants it. */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function currentRota(teamId) {
  try {
    return await api(`/api/teams/${encodeURIComponent(teamId)}/rota`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function shiftItem(entry, now, onRemove) {
  const onDuty = new Date(entry.start) <= now && now < new Date(entry.end);
  const item = h("li", { class: `admin-item${onDuty ? " on-duty" : ""}`, dataset: { username: entry.username, onDuty: String(onDuty) } },
    h("div", {},
      h("p", { class: "admin-item-title" }, entry.username, onDuty ? h("span", { class: "tag" }, " on duty now") : null),
      h("p", { class: "identity" }, `${timeText(entry.start)} to ${timeText(entry.end)} · ${entry.email || entry.webhook || "no contact"}`)));
  if (onRemove) {
    item.append(h("div", { class: "admin-item-actions" },
      h("button", { type: "button", class: "secondary", "aria-label": `Remove ${entry.username}'s shift from ${timeText(entry.start)}`, onclick: onRemove }, "Remove")));
  }
  return item;
}

export async function renderRotaAdmin(body) {
  const teamId = session.me().teamId;
  const rota = await currentRota(teamId);
  const editable = can("manage_rota");
  const now = new Date();
  const entries = [...(rota?.entries ?? [])].sort((a, b) => new Date(a.start) - new Date(b.start));
  const save = async (changed, form, fields) => {
    try {
      await api(`/api/teams/${encodeURIComponent(teamId)}/rota`, { method: "PUT", body: changed });
      announce("Duty rota saved.");
      await renderRotaAdmin(body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (form) showApiError(form, error, fields); else throw error;
    }
  };
  const base = () => ({
    teamLead: rota?.teamLead ?? "", teamLeadContact: rota?.teamLeadContact ?? {}, entries, partners: rota?.partners ?? [],
  });

  const lead = h("input", { id: uid("rota-lead"), autocomplete: "off", value: rota?.teamLead ?? "", disabled: !editable });
  const leadEmail = h("input", { id: uid("rota-lead-email"), type: "email", autocomplete: "off", value: rota?.teamLeadContact?.email ?? "", disabled: !editable });
  const leadForm = h("form", { class: "admin-form rota-lead-form", novalidate: true },
    field("Team lead (username)", lead, "Escalation ends with the team lead when nobody on the rota answers."),
    field("Team lead's email", leadEmail), formError(),
    editable ? h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Save team lead")) : null);
  leadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(leadForm);
    if (!lead.value.trim()) { showFieldError(lead, "Enter the team lead's username."); lead.focus(); return; }
    if (!leadEmail.value.trim()) { showFieldError(leadEmail, "Enter how to reach the team lead."); leadEmail.focus(); return; }
    await save({ ...base(), teamLead: lead.value.trim(), teamLeadContact: { email: leadEmail.value.trim() } }, leadForm, {});
  });

  const who = h("input", { id: uid("shift-username"), autocomplete: "off" });
  const email = h("input", { id: uid("shift-email"), type: "email", autocomplete: "off" });
  const start = h("input", { id: uid("shift-start"), type: "datetime-local", value: localInput(new Date(now.getTime() - now.getMinutes() * 60000)) });
  const end = h("input", { id: uid("shift-end"), type: "datetime-local", value: localInput(new Date(now.getTime() + 8 * 3600000 - now.getMinutes() * 60000)) });
  const shiftForm = h("form", { class: "admin-form shift-form", novalidate: true },
    field("Who (username)", who), field("Their email", email), field("From", start), field("To", end), formError(),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Add shift")));
  shiftForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(shiftForm);
    let invalid = null;
    if (!rota) { setText(shiftForm.querySelector(".form-error"), "Save the team lead first."); return; }
    if (!who.value.trim()) { showFieldError(who, "Enter who is on duty."); invalid ??= who; }
    if (!email.value.trim()) { showFieldError(email, "Enter how to reach them."); invalid ??= email; }
    if (!start.value) { showFieldError(start, "Enter when the shift starts."); invalid ??= start; }
    if (!end.value || (start.value && new Date(end.value) <= new Date(start.value))) { showFieldError(end, "The shift must end after it starts."); invalid ??= end; }
    if (invalid) { invalid.focus(); return; }
    const shift = { username: who.value.trim(), email: email.value.trim(), start: new Date(start.value).toISOString(), end: new Date(end.value).toISOString() };
    await save({ ...base(), entries: [...entries, shift] }, shiftForm, {});
  });

  const onDutyNow = entries.filter((e) => new Date(e.start) <= now && now < new Date(e.end)).map((e) => e.username);
  body.replaceChildren(
    h("section", { class: "card", "aria-labelledby": "admin-rota-title" },
      h("h2", { id: "admin-rota-title" }, "Duty rota"),
      h("p", { id: "on-duty-now" }, onDutyNow.length ? `On duty now: ${onDutyNow.join(", ")}` : "Nobody is on the rota right now: escalation goes to the team lead."),
      rota ? null : h("p", { class: "empty" }, "Your team has no duty rota yet."),
      h("ul", { class: "admin-list", id: "admin-rota-list", "aria-label": "Shifts" }, ...entries.map((entry, index) =>
        shiftItem(entry, now, editable ? () => save({ ...base(), entries: entries.filter((_, i) => i !== index) }) : null)))),
    h("section", { class: "card", "aria-labelledby": "admin-rota-lead-title" }, h("h2", { id: "admin-rota-lead-title" }, "Team lead"), leadForm),
    editable ? h("section", { class: "card", "aria-labelledby": "admin-shift-title" }, h("h2", { id: "admin-shift-title" }, "Add a shift"), shiftForm) : null);
}
