// A person's goals and care plan on their page: read by everyone on the team; clinicians add and edit goals and
// add or remove activities, each change with its reason (the server keeps every version with who, when and why).
import { api, ApiError } from "./api.js";
import { $, h, setText } from "./dom.js";
import { timeText } from "./format.js";
import * as session from "./session.js";

const statusLabels = { proposed: "Proposed", active: "Active", achieved: "Achieved", cancelled: "Cancelled" };
let plan = null; // the care plan as last read
let editing = null; // the goal being edited, or null for a new goal
let removing = null; // the index of the activity being removed, or null to add one
let onChanged = async () => {};

const canEdit = () => session.me()?.role === "clinician";

function goalText(goal) {
  const parts = [statusLabels[goal.status] || goal.status];
  if (goal.targetMeasure) parts.push(`target: ${goal.targetMeasure}`);
  if (goal.targetDate) parts.push(`by ${new Date(`${goal.targetDate}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })}`);
  return parts.join(" · ");
}

function goalItem(goal) {
  return h("li", { class: "goal", dataset: { goalId: goal.id, status: goal.status } },
    h("p", { class: "goal-head" }, h("strong", {}, goal.description)),
    h("p", { class: "goal-meta" }, goalText(goal)),
    h("p", { class: "goal-change" }, `Version ${goal.version}, ${timeText(goal.changedAt)} by ${goal.changedBy}: ${goal.reason}`),
    canEdit() ? h("button", { type: "button", class: "secondary edit-goal", "aria-label": `Edit goal: ${goal.description}`, onclick: () => editGoal(goal) }, "Edit") : null);
}

function activityItem(activity, index) {
  return h("li", { class: "activity" },
    h("p", {}, h("strong", {}, activity.description), ` · ${activity.schedule} · ${activity.performer}`),
    canEdit() ? h("button", { type: "button", class: "secondary remove-activity", "aria-label": `Remove activity: ${activity.description}`, onclick: () => removeActivity(index) }, "Remove") : null);
}

function editGoal(goal) {
  editing = goal;
  setText($("goal-form-legend"), `Edit goal: ${goal.description}`);
  $("goal-description").value = goal.description;
  $("goal-measure").value = goal.targetMeasure || "";
  $("goal-date").value = goal.targetDate || "";
  $("goal-status").value = goal.status;
  $("goal-reason").value = "";
  setText($("goal-save"), "Save goal");
  $("goal-new").hidden = false;
  setText($("goal-error"), "");
  $("goal-description").focus();
}

function resetGoalForm() {
  editing = null;
  $("goal-form").reset();
  setText($("goal-form-legend"), "New goal");
  setText($("goal-save"), "Add goal");
  $("goal-new").hidden = true;
  setText($("goal-error"), "");
}

function removeActivity(index) {
  removing = index;
  setText($("activity-form-legend"), `Remove activity: ${plan.activities[index].description}`);
  $("activity-fields").hidden = true;
  setText($("activity-save"), "Remove activity");
  $("activity-new").hidden = false;
  setText($("activity-error"), "");
  $("activity-reason").focus();
}

function resetActivityForm() {
  removing = null;
  $("activity-form").reset();
  setText($("activity-form-legend"), "New activity");
  $("activity-fields").hidden = false;
  setText($("activity-save"), "Add activity");
  $("activity-new").hidden = true;
  setText($("activity-error"), "");
}

/** Field problems from a ValidationProblem, else the title (409: changed meanwhile). */
function problemText(error) {
  const errors = error.errors;
  return errors ? Object.values(errors).flat().join(" ") : error.message;
}

async function submit(form, errorId, send, done) {
  setText($(errorId), "");
  if (!form.querySelector("textarea").value.trim()) {
    setText($(errorId), "A reason is required: the change is part of the person's record.");
    form.querySelector("textarea").focus();
    return;
  }
  try {
    await send();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    setText($(errorId), problemText(error));
    return;
  }
  done();
  await onChanged();
}

export async function renderCarePlan(id) {
  plan = await api(`/api/patients/${encodeURIComponent(id)}/care-plan`);
  setText($("care-plan-meta"), plan.version === 0 ? "No goals or care plan yet."
    : `Version ${plan.version}, last changed ${timeText(plan.changedAt)} by ${plan.changedBy}.`);
  $("goals").replaceChildren(...(plan.goals.length ? plan.goals.map(goalItem) : [h("li", { class: "empty" }, "No goals.")]));
  $("activities").replaceChildren(...(plan.activities.length ? plan.activities.map(activityItem) : [h("li", { class: "empty" }, "No activities.")]));
  $("care-plan-forms").hidden = !canEdit();
  $("care-plan-readonly").hidden = canEdit();
  $("care-plan").dataset.version = String(plan.version);
}

/** `changed` runs after a saved change (the page reloads the plan and the timeline). */
export function initCarePlan(changed) {
  onChanged = changed;
  $("goal-new").addEventListener("click", resetGoalForm);
  $("activity-new").addEventListener("click", resetActivityForm);
  $("goal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const patientId = plan.patientId;
    const body = {
      description: $("goal-description").value, targetMeasure: $("goal-measure").value || null, targetDate: $("goal-date").value || null,
      status: $("goal-status").value, reason: $("goal-reason").value,
    };
    const saved = editing ? "Goal saved." : "Goal added.";
    submit($("goal-form"), "goal-error", () => editing
      ? api(`/api/patients/${encodeURIComponent(patientId)}/care-plan/goals/${editing.id}`, { method: "PUT", body: { ...body, version: editing.version } })
      : api(`/api/patients/${encodeURIComponent(patientId)}/care-plan/goals`, { method: "POST", body }),
    () => { resetGoalForm(); setText($("care-plan-status"), saved); });
  });
  $("activity-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const activities = plan.activities.filter((_, i) => i !== removing);
    if (removing === null) {
      activities.push({ description: $("activity-description").value, schedule: $("activity-schedule").value, performer: $("activity-performer").value });
    }
    const saved = removing === null ? "Activity added." : "Activity removed.";
    submit($("activity-form"), "activity-error", () => api(`/api/patients/${encodeURIComponent(plan.patientId)}/care-plan/activities`,
      { method: "PUT", body: { activities, reason: $("activity-reason").value, version: plan.version } }),
    () => { resetActivityForm(); setText($("care-plan-status"), saved); });
  });
}

export function leaveCarePlan() {
  plan = null;
  resetGoalForm();
  resetActivityForm();
  setText($("care-plan-status"), "");
}
