// How times, people and alerts read on every page (en-GB).
export const severityRank = { critical: 4, high: 3, medium: 2, low: 1 };

export function timeText(iso) {
  return new Date(iso).toLocaleString("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function clockText(iso) {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

/** "45 s", "4 min", "2 h 05 min", "3 d 4 h": whole units, rounded down. */
export function durationText(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** NHS numbers are read and spoken in groups of 3, 3 and 4. */
export function nhsText(nhsNumber) {
  if (!nhsNumber) return "NHS number not recorded";
  const digits = String(nhsNumber).replace(/\s/g, "");
  return `NHS ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

export function birthText(dateOfBirth) {
  if (!dateOfBirth) return "date of birth not recorded";
  const date = new Date(`${dateOfBirth}T00:00:00Z`);
  return "born " + date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** What tells two people with the same name apart, shown beside every name. */
export function identityText(patient) {
  return patient ? `${nhsText(patient.nhsNumber)} · ${birthText(patient.dateOfBirth)}` : "";
}

/** Missing-data alerts name what is missing rather than a value (their condition says which kind). */
export function alertKind(alert) {
  const condition = alert.condition || "";
  if (condition.startsWith("silence:")) return "Silent device";
  if (condition.startsWith("schedule") || condition.startsWith("missed")) return "Missed reading";
  if (condition.startsWith("inactivity")) return "No activity";
  if (condition.startsWith("battery:")) return "Battery";
  if (condition.startsWith("event:")) return "Telecare";
  if (condition.startsWith("news2")) return "NEWS2";
  return "Reading";
}

export const outcomes = [
  ["action_taken", "Action taken"],
  ["no_action_needed", "No action needed"],
  ["referred_to_partner", "Referred to partner"],
  ["false_alarm", "False alarm"],
];
