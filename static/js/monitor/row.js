// One row of the monitor's compact table: built with the DOM, redrawn part by part like a card.
import {el} from "../shared/dom.js";
import {partsDrawer} from "./card.js";
import {shortTime} from "../shared/ui.js";
import {PRIORITY_TEXT, STATUS_TEXT, blockedText} from "../shared/words.js";

export const COLUMNS = ["#", "Task", "Status", "Priority", "Progress", "Assignee", "Project", "Due", "Flags"];
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
    refs.bar.setAttribute("aria-label", `Progress ${v} percent`);
    refs.pct.textContent = `${v} %`;
  }],
  ["assignee", (task) => task.assignee.full_name || task.assignee.username, ({refs}, v) => {
    refs.name.textContent = v;
  }],
  ["occupancy", (task, {occupancy}) => occupancy, ({refs}, v) => {
    const [status, away] = v.split("|");  // "OFFLINE|2026-12-11": away until that day
    refs.dot.dataset.occupancy = status;
    refs.dot.title = away ? `away until ${away}` : status.toLowerCase();
  }],
  ["project", (task) => (task.project ? task.project.name : ""), ({refs}, v) => {
    refs.project.textContent = v || "—";
  }],
  ["due", (task, {overdue}) => `${task.due_date}|${overdue}`, ({root, refs}, _v, task, {overdue}) => {
    refs.due.textContent = task.due_date ? shortTime(task.due_date, {todayAsTime: false}) : "—";
    root.classList.toggle("is-overdue", overdue);
  }],
  ["flags", (task, {overdue}) => [overdue && "Overdue", task.at_risk && "At\u00a0risk",  // a line breaks between flags
                                  task.is_stale && "Stale", blockedText(task)].filter(Boolean).join(" · "),
   ({root, refs}, v, task) => {
     refs.flags.textContent = v;
     root.dataset.stale = task.is_stale ? "yes" : "no";
   }],
];

/** Bring a row up to date; `context` as for drawCard. */
export const drawRow = partsDrawer(PARTS);
