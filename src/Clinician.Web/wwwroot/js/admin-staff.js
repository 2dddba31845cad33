// Administration → Staff and Teams: add a team; add a member of staff with a role and a team, and disable an account
// (disabled, never deleted: the name stays on what the account did, and its sessions stop at once).
import { h, setText } from "./dom.js";
import { api, ApiError } from "./api.js";
import * as session from "./session.js";
import { can, field, showFieldError, clearFieldErrors, showApiError, formError, announce, uid, words } from "./admin-common.js";

export const roles = [["clinician", "Clinician"], ["telephone_support", "Telephone support"], ["team_lead", "Team lead"], ["admin", "Admin"]];

const teamName = (teams, id) => teams.find((t) => t.id === id)?.name ?? id;

/** Add a team (POST /api/teams {name}). */
export function teamForm(onSaved) {
  const name = h("input", { id: uid("team-name"), required: true, maxlength: "100", autocomplete: "off" });
  const form = h("form", { class: "admin-form team-form", novalidate: true },
    field("Team name", name, "e.g. Community respiratory north"), formError(),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Add team")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    if (!name.value.trim()) { showFieldError(name, "Enter the team's name."); name.focus(); return; }
    try {
      const team = await api("/api/teams", { method: "POST", body: { name: name.value.trim() } });
      announce(`Team ${team.name} added.`);
      await onSaved(team);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(form, error, { name });
    }
  });
  return form;
}

/** Add a member of staff (POST /api/staff {username, password, role, teamId}). */
export function staffForm(teams, onSaved, presetRole) {
  const username = h("input", { id: uid("staff-username"), required: true, maxlength: "100", autocomplete: "off" });
  const password = h("input", { id: uid("staff-password"), type: "password", required: true, autocomplete: "new-password" });
  const role = h("select", { id: uid("staff-role") }, ...roles.map(([value, label]) => h("option", { value }, label)));
  if (presetRole) role.value = presetRole;
  const team = h("select", { id: uid("staff-team") }, ...teams.map((t) => h("option", { value: t.id }, t.name)));
  team.value = session.me().teamId;
  const form = h("form", { class: "admin-form staff-form", novalidate: true },
    field("Username", username, "Lower-case letters, digits, '.', '-' or '_'."),
    field("Password", password, "At least 12 characters; give it to them in person."),
    field("Role", role), field("Team", team), formError(),
    h("div", { class: "form-actions" }, h("button", { type: "submit" }, "Add member of staff")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    let invalid = null;
    if (!username.value.trim()) { showFieldError(username, "Enter a username."); invalid ??= username; }
    if (!password.value) { showFieldError(password, "Enter a password."); invalid ??= password; }
    if (invalid) { invalid.focus(); return; }
    try {
      const added = await api("/api/staff", { method: "POST", body: { username: username.value.trim(), password: password.value, role: role.value, teamId: team.value } });
      announce(`${added.username} added as ${words(added.role)}.`);
      await onSaved(added);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showApiError(form, error, { username, password, role, teamId: team });
    }
  });
  return form;
}

function staffItem(account, teams, redraw) {
  const item = h("li", { class: "admin-item", dataset: { username: account.username, disabled: String(account.disabled) } },
    h("div", {},
      h("p", { class: "admin-item-title" }, account.username, account.disabled ? h("span", { class: "tag" }, " disabled") : null),
      h("p", { class: "identity" }, `${words(account.role)} · ${teamName(teams, account.teamId)}`)));
  if (can("manage_staff") && !account.disabled && account.username !== session.me().username) {
    const error = h("p", { class: "error", role: "alert" });
    const disable = h("button", { type: "button", class: "secondary", "aria-label": `Disable ${account.username}` }, "Disable");
    disable.addEventListener("click", async () => {
      try {
        await api(`/api/staff/${encodeURIComponent(account.username)}/disable`, { method: "POST" });
        announce(`${account.username} disabled.`);
        await redraw();
      } catch (e) { if (!(e instanceof ApiError)) throw e; setText(error, e.message); }
    });
    item.append(h("div", { class: "admin-item-actions" }, disable), error);
  }
  return item;
}

export async function renderStaffAdmin(body) {
  const [teams, staff] = await Promise.all([api("/api/teams"), api("/api/staff")]);
  const redraw = () => renderStaffAdmin(body);
  body.replaceChildren(
    h("section", { class: "card", "aria-labelledby": "admin-staff-title" },
      h("h2", { id: "admin-staff-title" }, "Staff ", h("span", { class: "count" }, String(staff.length))),
      h("ul", { class: "admin-list", id: "admin-staff-list", "aria-label": "Staff accounts" }, ...staff.map((a) => staffItem(a, teams, redraw)))),
    can("manage_staff")
      ? h("section", { class: "card", "aria-labelledby": "admin-add-staff-title" },
        h("h2", { id: "admin-add-staff-title" }, "Add a member of staff"), staffForm(teams, redraw))
      : null);
}

export async function renderTeamsAdmin(body) {
  const teams = await api("/api/teams");
  body.replaceChildren(
    h("section", { class: "card", "aria-labelledby": "admin-teams-title" },
      h("h2", { id: "admin-teams-title" }, "Teams ", h("span", { class: "count" }, String(teams.length))),
      h("ul", { class: "admin-list", id: "admin-team-list", "aria-label": "Teams" }, ...teams.map((t) =>
        h("li", { class: "admin-item", dataset: { teamId: t.id } },
          h("div", {}, h("p", { class: "admin-item-title" }, t.name), h("p", { class: "identity" }, t.id === session.me().teamId ? `${t.id} · your team` : t.id)))))),
    can("manage_teams")
      ? h("section", { class: "card", "aria-labelledby": "admin-add-team-title" },
        h("h2", { id: "admin-add-team-title" }, "Add a team"), teamForm(() => renderTeamsAdmin(body)))
      : null);
}
