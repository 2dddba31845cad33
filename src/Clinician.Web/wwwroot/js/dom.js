// Small DOM helpers: build elements without innerHTML (text from the data is never parsed as markup).
export const $ = (id) => document.getElementById(id);

/** h("li", { class: "alert", dataset: { alertId } }, "text", child) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") {
      for (const [key, data] of Object.entries(value)) if (data !== null && data !== undefined) element.dataset[key] = data;
    }
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** Sets text only when it differs, so a live refresh does not disturb a screen reader or a selection. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export function setData(element, name, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (element.dataset[name] !== text) element.dataset[name] = text;
}

/**
 * Puts `wanted` elements into `parent` in order, removing the rest. Nodes are kept (never re-created) and only those
 * out of order are moved: the longest run already in order stays where it is, so the entry someone is looking at
 * (or has focused) is not taken out of the document, and the browser's scroll anchoring keeps it still on screen
 * while entries above it come and go. Should a move still blur the focused element, focus is given back.
 */
export function reconcile(parent, wanted) {
  const focused = document.activeElement;
  const keep = new Set(wanted);
  for (const child of [...parent.children]) {
    if (!keep.has(child)) child.remove();
  }
  const position = new Map([...parent.children].map((child, index) => [child, index]));
  const stay = longestIncreasing(wanted.map((element) => position.get(element) ?? -1));
  let next = null;
  for (let i = wanted.length - 1; i >= 0; i--) {
    const element = wanted[i];
    if (!stay.has(i) && (element.nextElementSibling !== next || element.parentElement !== parent)) parent.insertBefore(element, next);
    next = element;
  }
  if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
}

/** Indexes (into `values`) of a longest strictly increasing run of non-negative values. */
function longestIncreasing(values) {
  const tails = []; // tails[k]: index of the smallest last value of a run of length k + 1
  const previous = new Array(values.length).fill(-1);
  values.forEach((value, i) => {
    if (value < 0) return;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[tails[mid]] < value) low = mid + 1; else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1];
    tails[low] = i;
  });
  const result = new Set();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) result.add(i);
  return result;
}
