// One monitor card: built from the page's template, redrawn part by part as its task changes.
import {el, icon} from "../shared/dom.js";
import {sentence, t, tn} from "../shared/i18n.js";
import {shortDay, shortTime} from "../shared/ui.js";
import {OCCUPANCY_TEXT, PRIORITY_TEXT, STATUS_TEXT, blockedText} from "../shared/words.js";
import {RECENT} from "./updates.js";

/** "40 %" as the reader's language writes a percentage. */
export const percentText = (value) => t("{percent} %", {percent: value});

const OWN_WORDS = ["progress", "complete"];  // audit kinds whose notes are the person's own words

export function newCard(template, id) {
  const root = template.cloneNode(true);
  const refs = {};
  for (const el of root.querySelectorAll("[data-ref]")) refs[el.dataset.ref] = el;
  root.id = `task-${id}`;
  root.dataset.id = id;
  refs.title.href = `/dashboard/tasks/${id}/`;
  refs.id.textContent = `#${id}`;
  return {root, refs, shown: {}};
}

/** What a card shows, one row per part: [key, its value from (task, context), how to write it].
 * drawCard writes a part to the DOM only when its value differs from what the card shows. */
const PARTS = [
  ["status", (task) => task.status, ({root, refs}, v) => {
    root.dataset.status = v;
    refs.status.textContent = STATUS_TEXT[v] || v;
  }],
  ["priority", (task) => task.priority, ({refs}, v) => {
    refs.priority.dataset.priority = v;
    refs.priority.textContent = PRIORITY_TEXT[v] || v;
  }],
  ["title", (task) => task.title, ({refs}, v) => { refs.title.textContent = v; }],
  ["project", (task) => (task.project ? task.project.name : ""), ({refs}, v) => {
    refs.project.textContent = v || t("No project");
    refs.project.classList.toggle("none", !v);
  }],
  ["progress_percentage", (task) => task.progress_percentage, ({refs}, v) => {
    refs.fill.style.width = `${v}%`;
    refs.bar.setAttribute("aria-valuenow", v);
    refs.bar.setAttribute("aria-label", t("Progress {percent} percent", {percent: v}));
    refs.pct.textContent = percentText(v);
  }],
  ["assignee", (task) => task.assignee.full_name || task.assignee.username, ({refs}, v) => {
    refs.assignee.textContent = v;
  }],
  ["occupancy", (task, {occupancy}) => occupancy, ({refs}, v) => {
    const [status, away] = v.split("|");  // "OFFLINE|2026-12-11": away until that day
    refs.dot.dataset.occupancy = status;
    refs.occ.textContent = away ? t("Away until {day}", {day: shortDay(`${away}T12:00:00Z`)}) : OCCUPANCY_TEXT[status] || status;
  }],
  ["due", (task, {overdue}) => `${task.due_date}|${overdue}`, ({root, refs}, _v, task, {overdue}) => {
    refs.due.textContent = task.due_date ? t("Due {when}", {when: shortTime(task.due_date, {todayAsTime: false})})
      : t("No due date");
    refs.overdue.hidden = !overdue;
    root.classList.toggle("is-overdue", overdue);
  }],
  ["risk", (task) => `${task.at_risk}|${task.forecast_completion_at}`, ({refs}, _v, task) => {
    refs.risk.hidden = !task.at_risk;
    refs.risk.textContent = task.forecast_completion_at
      ? t("At risk · forecast {day}", {day: shortDay(task.forecast_completion_at)}) : t("At risk");
  }],
  ["stale", (task) => Boolean(task.is_stale), ({root, refs}, v) => {
    refs.stale.hidden = !v;
    root.dataset.stale = v ? "yes" : "no";
  }],
  ["blocked", (task) => blockedText(task), ({refs}, v) => {
    refs.blocked.hidden = !v;
    refs.blocked.textContent = v;
  }],
  ["flagged", (task, {overdue}) => overdue || Boolean(task.at_risk) || Boolean(task.is_stale)
    || Boolean(task.is_blocked),
    ({refs}, v) => { refs.flags.classList.toggle("none", !v); }],
  ["comments", (task) => task.comment_count || 0, ({refs}, v) => {
    refs.comments.hidden = !v;
    refs.comments.replaceChildren(icon("comment"), tn("{num} comment", "{num} comments", v));
  }],
  ["updates", (task, {updates}) => (updates ? updates.map((u) => u.id).join(",") : null), ({refs}, _v, task, {updates}) => {
    drawUpdates(refs.updates, updates);
  }],
];

/** A drawer for a table of parts: writes a part only when its value differs from what the item
 * (a card or a table row) shows. */
export function partsDrawer(parts) {
  return (item, task, context) => {
    for (const [key, valueOf, write] of parts) {
      const value = valueOf(task, context);
      if (item.shown[key] === value) continue;
      item.shown[key] = value;
      write(item, value, task, context);
    }
  };
}

/** Bring a card up to date; `context` holds what the task object does not: {occupancy, overdue,
 * updates (null while they load)}. */
export const drawCard = partsDrawer(PARTS);

function drawUpdates(list, updates) {
  if (!updates) {  // asked for: they come in a moment
    list.setAttribute("aria-busy", "true");
    return list.replaceChildren();
  }
  list.removeAttribute("aria-busy");
  const items = updates.slice(0, RECENT).map((u) => el("li", {},
    el("time", {dateTime: u.created_at, text: shortTime(u.created_at)}),
    el("span", {class: "what"}, sentence(u)),  // the server's sentence: who did what
    u.notes && OWN_WORDS.includes(u.action) ? el("q", {dir: "auto"}, u.notes) : null));  // the person's words
  if (!items.length) items.push(el("li", {class: "muted"}, t("No updates yet")));
  list.replaceChildren(...items);
}
