// Administration (#/admin/...): people, devices, thresholds, staff, teams and the duty rota, each shown only to the
// roles the permission matrix lets use it (the server refuses the rest anyway), and the first-run walkthrough.
import { $, h, setText } from "./dom.js";
import { ApiError } from "./api.js";
import { can, canAdminister } from "./admin-common.js";
import { renderPeopleAdmin } from "./admin-people.js";
import { renderDevicesAdmin } from "./admin-devices.js";
import { renderThresholdsAdmin } from "./admin-thresholds.js";
import { renderStaffAdmin, renderTeamsAdmin } from "./admin-staff.js";
import { renderRotaAdmin } from "./admin-rota.js";
import { renderSetup, setupPending } from "./admin-setup.js";

const sections = [
  { id: "setup", label: "Getting started", allowed: () => can("manage_staff"), render: renderSetup },
  { id: "people", label: "People", allowed: () => can("register_patients"), render: renderPeopleAdmin },
  { id: "devices", label: "Devices", allowed: () => can("manage_devices"), render: renderDevicesAdmin },
  { id: "thresholds", label: "Thresholds", allowed: () => can("view_caseload"), render: renderThresholdsAdmin },
  { id: "staff", label: "Staff", allowed: () => can("view_staff"), render: renderStaffAdmin },
  { id: "teams", label: "Teams", allowed: () => can("view_teams"), render: renderTeamsAdmin },
  { id: "rota", label: "Duty rota", allowed: () => can("view_caseload"), render: renderRotaAdmin },
];

/** Shows the Admin link in the main navigation only to roles that may change something there. */
export function showAdminLink() {
  $("nav-admin").hidden = !canAdminister();
}

export async function renderAdmin(hash) {
  const body = $("admin-body");
  delete body.dataset.loaded;
  if (!canAdminister()) {
    $("admin-nav").replaceChildren();
    body.replaceChildren(h("div", { class: "card refused", id: "admin-refused", role: "alert" },
      h("h2", {}, "Not available to your role"),
      h("p", {}, "Administration is for admins, clinicians and team leads. Ask an admin if something needs adding or changing.")));
    body.dataset.loaded = "refused";
    return;
  }
  const pending = can("manage_staff") && await setupPending();
  const visible = sections.filter((s) => s.allowed() && (s.id !== "setup" || pending || hash.startsWith("#/admin/setup")));
  const wanted = hash.match(/^#\/admin\/([a-z]+)/)?.[1];
  const section = visible.find((s) => s.id === wanted) ?? visible[0];
  $("admin-nav").replaceChildren(...visible.map((s) =>
    h("a", { href: `#/admin/${s.id}`, dataset: { section: s.id }, "aria-current": s === section ? "page" : null }, s.label)));
  setText($("admin-title"), `Administration: ${section.label}`);
  try {
    await section.render(body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    body.replaceChildren(h("p", { class: "error", role: "alert" }, error.status === 403 ? "Your role may not see this." : error.message));
  }
  body.dataset.loaded = section.id;
}
