// Device input the platform refused, with its reason code, for staff to follow up.
import { api } from "./api.js";
import { $, h } from "./dom.js";
import { timeText } from "./format.js";

export async function loadRejections() {
  const rejections = await api("/api/rejections?limit=15");
  if (rejections.items.length === 0) {
    $("rejections").replaceChildren(h("li", { class: "empty" }, "Nothing refused."));
    return;
  }
  $("rejections").replaceChildren(...rejections.items.map((r) =>
    h("li", {}, h("span", { class: "reason-code" }, r.reason), ` ${r.deviceId || "unknown device"} — ${r.detail} (${timeText(r.at)})`)));
}
