// Colleagues an alert can be handed to: the active staff of my own team (GET /api/staff/colleagues, any role that
// works alerts), read once per sign-in. The assign control is a list of them, so nobody has to know a username.
import { api } from "./api.js";
import { h } from "./dom.js";
import { me } from "./session.js";

let list = [];

export async function loadColleagues() {
  list = await api("/api/staff/colleagues");
}

/** Everyone I could hand an alert to (not me: "Take it" is for that). */
export function others() {
  const mine = me()?.username;
  return list.filter((c) => c.username !== mine);
}

/** Brings a select's options in line with the list, keeping what was chosen; leaves it alone when nothing changed. */
export function fillColleagueSelect(select) {
  const wanted = others();
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.length === wanted.length && current.every((name, i) => name === wanted[i].username)) return;
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "" }, "Choose a colleague"),
    ...wanted.map((c) => h("option", { value: c.username }, `${c.username} (${c.role.replace(/_/g, " ")})`)));
  select.value = wanted.some((c) => c.username === chosen) ? chosen : "";
}
