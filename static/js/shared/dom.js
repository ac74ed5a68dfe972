// The one way the pages and the web app build DOM: el(tag, props, ...children). Text always goes
// in as text (textContent, text nodes), never as markup.

const SVG = "http://www.w3.org/2000/svg";

/**
 * el("p", {class: "note", text: "Saved"}) ; el("button", {type: "button", on: {click}}, "Edit")
 * props: class, text, data {…} (dataset), attrs {…} (setAttribute), on {event: handler};
 * anything else is set as a property (type, id, hidden, disabled, dateTime, htmlFor, title, …).
 * Children: nodes or strings (strings become text nodes); null and false are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "data") Object.assign(node.dataset, value);
    else if (key === "attrs") for (const [name, v] of Object.entries(value)) node.setAttribute(name, v);
    else if (key === "on") for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** A button that is not a form's submit button. */
export function button(text, onClick, props = {}) {
  return el("button", {type: "button", class: "btn btn-quiet", on: {click: onClick}, ...props}, text);
}

/** A small icon the app ships (no emoji: a font may lack them), hidden from screen readers. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill-rule", "evenodd");
  svg.append(path);
  return svg;
}

const ICONS = {
  comment: "M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3.5 3v-3A1.5 1.5 0 0 1 2 9.5z",
  warning: "M8 1.5 15 14H1zM7.25 6v4h1.5V6zm0 5v1.5h1.5V11z",
};
