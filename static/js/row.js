// One row of the monitor's compact table: built with the DOM, redrawn part by part like a card.
import {shortTime} from "./ui.js";
import {PRIORITY_TEXT, STATUS_TEXT, blockedText} from "./card.js";

export const COLUMNS = ["#", "Task", "Status", "Priority", "Progress", "Assignee", "Project", "Due", "Flags"];
const CELLS = ["id", "title", "status", "priority", "progress", "assignee", "project", "due", "flags"];

export function newRow(id) {
  const root = document.createElement("tr");
  root.id = `task-${id}`;
  root.dataset.id = id;
  const refs = {};
  for (const name of CELLS) root.append(refs[name] = document.createElement("td"));
  refs.id.className = "cell-id";
  refs.id.textContent = `#${id}`;
  refs.link = document.createElement("a");
  refs.link.href = `/dashboard/tasks/${id}/`;
  refs.title.append(refs.link);
  refs.prio = refs.priority.appendChild(document.createElement("span"));
  refs.prio.className = "prio";
  refs.pill = refs.status.appendChild(document.createElement("span"));
  refs.pill.className = "status-pill";
  refs.pill.append(Object.assign(document.createElement("span"), {className: "status-icon"}));
  refs.statusText = refs.pill.appendChild(document.createElement("span"));
  refs.fill = document.createElement("span");
  refs.fill.className = "progress-fill";
  refs.bar = document.createElement("span");
  refs.bar.className = "progress progress-mini";
  refs.bar.setAttribute("role", "progressbar");
  refs.bar.append(refs.fill);
  refs.pct = document.createElement("span");
  refs.pct.className = "progress-pct";
  refs.progress.append(refs.bar, refs.pct);
  refs.dot = document.createElement("span");
  refs.dot.className = "dot";
  refs.name = document.createElement("span");
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
export function drawRow(row, task, context) {
  for (const [key, valueOf, write] of PARTS) {
    const value = valueOf(task, context);
    if (row.shown[key] === value) continue;
    row.shown[key] = value;
    write(row, value, task, context);
  }
}
