// A form's draft survives a session that ended while it was typed: kept in this tab's
// sessionStorage when it is sent, put back when the page opens again after signing in, dropped
// once the page says it was saved. On the error page of a refused send it says so.
import "../shared/catalog.js";
import {el} from "../shared/dom.js";
import {t} from "../shared/i18n.js";

const SKIP = new Set(["_xsrf", "tz_offset"]);
const key = (path) => `tracker-draft:${path}`;

function read(path) {
  try {
    return JSON.parse(sessionStorage.getItem(key(path)) || "null");
  } catch {
    return null;
  }
}

function save(form) {
  const fields = {};
  for (const [name, value] of new FormData(form)) if (!SKIP.has(name) && typeof value === "string") fields[name] = value;
  sessionStorage.setItem(key(location.pathname), JSON.stringify(fields));
}

function restore(form, fields) {
  for (const [name, value] of Object.entries(fields)) {
    const field = form.elements.namedItem(name);
    if (field && "value" in field) field.value = value;
  }
  const discard = el("button", {type: "button", class: "btn btn-quiet", text: t("Discard it"), on: {click: () => {
    sessionStorage.removeItem(key(location.pathname));
    form.reset();
    note.remove();
  }}});
  const note = el("p", {class: "notice notice-info draft-note", attrs: {role: "status"}},
    t("The draft you had not sent yet is back in the form."), " ", discard);
  form.before(note);
}

/** The form page: keep the draft on send, give it back when the session had ended. */
export function keepDrafts(form, saved) {
  if (saved) sessionStorage.removeItem(key(location.pathname));
  const fields = read(location.pathname);
  if (fields && !saved) restore(form, fields);
  form.addEventListener("submit", () => save(form));
}

/** The error page of a refused send: the draft is safe; signing in brings it back. */
export function tellAboutDraft(note) {
  if (!note || !read(location.pathname)) return;
  note.hidden = false;
}

tellAboutDraft(document.getElementById("draft-note"));
for (const form of document.querySelectorAll("form[data-draft]")) {
  keepDrafts(form, Boolean(document.querySelector("[data-saved]")));
}
