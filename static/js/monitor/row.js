// One row of the monitor's compact table: built with the DOM, redrawn part by part like a card.
import {el} from "../shared/dom.js";
import {N_, t} from "../shared/i18n.js";
import {partsDrawer, percentText} from "./card.js";
import {shortTime} from "../shared/ui.js";
import {OCCUPANCY_TEXT, PRIORITY_TEXT, STATUS_TEXT, blockedText} from "../shared/words.js";

export const COLUMNS = ["#", N_("Task"), N_("Status"), N_("Priority"), N_("Progress"), N_("Assignee"), N_("Project"),
  N_("Due"), N_("Flags")];  // headings: t() where the table is made
const CELLS = ["id", "title", "status", "priority", "progress", "assignee", "project", "due", "flags"];

export function newRow(id) {
  const refs = {};
  const root = el("tr", {id: `task-${id}`, data: {id}}, ...CELLS.map((name) => (refs[name] = el("td"))));
  refs.id.className = "cell-id";
  refs.id.textContent = `#${id}`;
  refs.title.append(refs.link = el("a", {href: `/dashboard/tasks/${id}/`}));
  refs.priority.append(refs.prio = el("span", {class: "prio"}));
  refs.statusText = el("span");
  refs.status.append(refs.pill = el("span", {class: "status-pill"}, el("span", {class: "status-icon"}), refs.statusText));
  refs.fill = el("span", {class: "progress-fill"});
  refs.bar = el("span", {class: "progress progress-mini", attrs: {role: "progressbar"}}, refs.fill);
  refs.pct = el("span", {class: "progress-pct"});
  refs.progress.append(refs.bar, refs.pct);
  refs.dot = el("span", {class: "dot"});
  refs.name = el("span");
  refs.assignee.append(refs.dot, refs.name);
  return {root, refs, shown: {}};
}

const PARTS = [
  ["status", (task) => task.status, ({root, refs}, v) => {
    root.dataset.status = v;
    refs.statusText.textContent = STATUS_TEXT[v] || v;
  }],
  ["priority", (task) => task.priority, ({refs}, v) => {
    refs.prio.dataset.priority = v;
    refs.prio.textContent = PRIORITY_TEXT[v] || v;
  }],
  ["title", (task) => task.title, ({refs}, v) => { refs.link.textContent = v; }],
  ["progress", (task) => task.progress_percentage, ({refs}, v) => {
    refs.fill.style.width = `${v}%`;
    refs.bar.setAttribute("aria-label", t("Progress {percent} percent", {percent: v}));
    refs.pct.textContent = percentText(v);
  }],
  ["assignee", (task) => task.assignee.full_name || task.assignee.username, ({refs}, v) => {
    refs.name.textContent = v;
  }],
  ["occupancy", (task, {occupancy}) => occupancy, ({refs}, v) => {
    const [status, away] = v.split("|");  // "OFFLINE|2026-12-11": away until that day
    refs.dot.dataset.occupancy = status;
    refs.dot.title = away ? t("away until {day}", {day: away}) : OCCUPANCY_TEXT[status] || status.toLowerCase();
  }],
  ["project", (task) => (task.project ? task.project.name : ""), ({refs}, v) => {
    refs.project.textContent = v || "—";
  }],
  ["due", (task, {overdue}) => `${task.due_date}|${overdue}`, ({root, refs}, _v, task, {overdue}) => {
    refs.due.textContent = task.due_date ? shortTime(task.due_date, {todayAsTime: false}) : "—";
    root.classList.toggle("is-overdue", overdue);
  }],
  ["flags", (task, {overdue}) => [overdue && t("Overdue"), task.at_risk && t("At risk").replace(/ /g, "\u00a0"),
                                  task.is_stale && t("Stale"), blockedText(task)].filter(Boolean).join(" · "),  // breaks between flags
   ({root, refs}, v, task) => {
     refs.flags.textContent = v;
     root.dataset.stale = task.is_stale ? "yes" : "no";
   }],
];

/** Bring a row up to date; `context` as for drawCard. */
export const drawRow = partsDrawer(PARTS);
