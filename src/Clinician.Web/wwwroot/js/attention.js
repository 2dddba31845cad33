// Getting attention for a new critical flag: a tone made with WebAudio (no sound file), a desktop notification when
// this browser opted in, the tab title, and an assertive announcement for screen readers.
import { $, setText } from "./dom.js";

const optInKey = "telehealth.desktopAlerts"; // a preference of this browser, never anything secret
let audio = null;
let baseTitle = "Telehealth";

/** Browsers only allow sound after a gesture: call from a click or submit handler. */
export function unlockSound() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch { audio = null; }
}

function tone() {
  if (!audio) return;
  const now = audio.currentTime;
  [0, 0.25, 0.5].forEach((offset) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.18);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now + offset);
    oscillator.stop(now + offset + 0.2);
  });
}

export function desktopAlertsOn() {
  return "Notification" in window && Notification.permission === "granted" && localStorage.getItem(optInKey) === "on";
}

function showToggle() {
  const button = $("desktop-alerts");
  const on = desktopAlertsOn();
  button.setAttribute("aria-pressed", String(on));
  setText(button, on ? "Desktop alerts: on" : "Desktop alerts: off");
}

export function initDesktopToggle() {
  const button = $("desktop-alerts");
  if (!("Notification" in window)) { button.hidden = true; return; }
  button.addEventListener("click", async () => {
    unlockSound();
    if (desktopAlertsOn()) {
      localStorage.removeItem(optInKey);
    } else if ((await Notification.requestPermission()) === "granted") {
      localStorage.setItem(optInKey, "on");
    }
    showToggle();
  });
  showToggle();
}

export function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  // A change of text is what a live region reads: clear first so the same words twice are read twice.
  requestAnimationFrame(() => { region.textContent = text; });
}

/** A critical alert has just been raised (or re-opened) for `name`. */
export function newCritical(alert, name) {
  tone();
  announce(`New critical alert for ${name}: ${alert.reason}`);
  if (desktopAlertsOn()) {
    // No values in the notification body beyond what the queue shows; the tag folds repeats of one alert.
    const notification = new Notification(`Critical: ${name}`, { body: alert.reason, tag: alert.id, requireInteraction: true });
    notification.onclick = () => { window.focus(); location.hash = `#/person/${encodeURIComponent(alert.patientId)}`; };
  }
}

export function setBaseTitle(title) { baseTitle = title; }

/** The tab says how many critical alerts nobody has taken yet, so it is seen from another tab. */
export function showOpenCriticals(count) {
  const title = count > 0 ? `(${count} critical) ${baseTitle}` : baseTitle;
  if (document.title !== title) document.title = title;
}
