// Small DOM helpers: build elements without innerHTML (text from the data is never parsed as markup).
export const $ = (id) => document.getElementById(id);

/** h("li", { class: "alert", dataset: { alertId } }, "text", child) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
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
 * Puts `wanted` elements into `parent` in order, moving only those out of place, and removes the rest. Nodes are
 * kept (never re-created), so a button keeps focus; should a move still blur it, focus is given back.
 */
export function reconcile(parent, wanted) {
  const focused = document.activeElement;
  const keep = new Set(wanted);
  for (const child of [...parent.children]) {
    if (!keep.has(child)) child.remove();
  }
  wanted.forEach((element, index) => {
    if (parent.children[index] !== element) parent.insertBefore(element, parent.children[index] || null);
  });
  if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
}
