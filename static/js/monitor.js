// The live monitor: every task held in memory, shown through the view the URL holds (search,
// filters, grouping, cards or table), drawn a page at a time and updated in place from push.
import {PushClient} from "./push.js";
import {connectionBadge, fetchPage} from "./ui.js";
import {RECENT} from "./card.js";
import {Sections} from "./monitor_sections.js";
import {narrowing, readView, sectionsOf, underChip, viewUrl} from "./monitor_view.js";
import {bindControls, fillChoices, showView} from "./monitor_controls.js";

const BOARD_URL = "/dashboard/tasks/monitor/snapshot.json";  // the board's JSON, by its old name
const LONGEST_WAIT_MS = 86400000;  // setTimeout holds ~24 days at most: a later moment in steps

const tasks = new Map();      // id -> task object
const recent = new Map();     // id -> [audit row], newest first
const employees = new Map();  // id -> {occupancy status, name}
const highlight = new Set();  // task ids changed by an event since the last frame
let order = [];               // task ids, newest first
let frame = 0;
let overdueTimer = 0;
const view = readView(location);
const sections = new Sections(document.getElementById("grid"),
                              document.getElementById("card-template").content.firstElementChild, redraw);

/** The server's answer, or past the moment it gave for turning overdue: due dates pass without
 * an event, and the rule itself stays on the server. */
function isOverdue(task, now = Date.now()) {
  return Boolean(task.is_overdue) || turnsOverdueAt(task) < now;
}

/** The moment (ms) the server gave for the task turning overdue; Infinity when it will not. */
function turnsOverdueAt(task) {
  return task.overdue_at == null ? Infinity : Date.parse(task.overdue_at);
}

function redraw() {
  if (!frame) frame = requestAnimationFrame(drawFrame);
}

/** Bring one card or row up to date; answers whether it should flash. */
function drawItem(item, id) {
  const task = tasks.get(id);
  item.draw(item, task, {
    occupancy: employees.get(task.assignee.id)?.occupancy || "OFFLINE",
    overdue: isOverdue(task),
    updates: recent.get(id) || [],
  });
  return highlight.delete(id);
}

function drawFrame() {
  frame = 0;
  performance.mark("monitor:frame-start");
  const now = Date.now();
  const {metrics, counts, picked, nextOverdue} = tally(now);
  sections.show(sectionsOf(view.group, picked), drawItem);
  highlight.clear();  // a change to a task not drawn has nothing to flash
  drawFigures(metrics, counts, picked.length);
  redrawAt(nextOverdue - now);
  performance.measure("monitor:frame", "monitor:frame-start");
  if (!performance.getEntriesByName("monitor:drawn").length) performance.mark("monitor:drawn");
}

/** One pass over every task: the page's figures, the chips' counts within the search and the
 * selects, the tasks the view shows (newest first), and the next moment one turns overdue. */
function tally(now) {
  const metrics = {total: 0, pending: 0, in_progress: 0, done: 0, overdue: 0};
  const counts = {all: 0, PENDING: 0, IN_PROGRESS: 0, DONE: 0, CANCELLED: 0, stale: 0, at_risk: 0, blocked: 0};
  const narrow = narrowing(view);
  const picked = [];
  let nextOverdue = Infinity;
  for (const id of order) {
    const task = tasks.get(id);
    metrics.total += 1;
    metrics[task.status.toLowerCase()] += 1;
    if (isOverdue(task, now)) metrics.overdue += 1;
    else nextOverdue = Math.min(nextOverdue, turnsOverdueAt(task));
    if (!narrow(task)) continue;
    counts.all += 1;
    counts[task.status] += 1;
    if (task.is_stale) counts.stale += 1;
    if (task.at_risk) counts.at_risk += 1;
    if (task.is_blocked) counts.blocked += 1;
    if (underChip(view.show, task)) picked.push(task);
  }
  return {metrics, counts, picked, nextOverdue};
}

function drawFigures(metrics, counts, shown) {
  for (const el of document.querySelectorAll("[data-metric]")) {
    setText(el, String(metrics[el.dataset.metric]));
  }
  for (const el of document.querySelectorAll("[data-count]")) setText(el, String(counts[el.dataset.count]));
  document.getElementById("empty").hidden = shown > 0;
  setText(document.getElementById("shown"),
          shown === metrics.total ? `${shown} tasks` : `${shown} of ${metrics.total} tasks`);
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Due dates pass without an event: draw again when the next task turns overdue. */
function redrawAt(wait) {
  clearTimeout(overdueTimer);
  overdueTimer = wait === Infinity ? 0 : setTimeout(redraw, Math.min(LONGEST_WAIT_MS, wait + 1));
}

/** The view changed (a control, or the URL): keep it in the URL and draw it. */
function viewChanged(layoutChanged) {
  history.replaceState(null, "", viewUrl(view, location.pathname));
  if (layoutChanged) sections.reset(view.view, Boolean(view.group));
  showView(view);
  redraw();
}

/** Take in the whole board (tasks, people, recent updates) as the server has it now. */
function loadBoard(board) {
  employees.clear();
  for (const person of board.employees) {
    employees.set(person.id, {occupancy: person.occupancy_status, name: person.full_name || person.username});
  }
  tasks.clear();
  recent.clear();
  for (const task of board.tasks) {
    tasks.set(task.id, task);
    recent.set(task.id, board.recent[task.id] || []);
  }
  order = [...tasks.keys()].sort((a, b) => b - a);
  fillChoices(tasks.values(), employees, view);
  redraw();
  return board.cursor;
}

function applyEvent(event) {
  if (event.type === "occupancy.changed" && event.employee) {
    const known = employees.get(event.employee.id);
    employees.set(event.employee.id, {occupancy: event.employee.occupancy_status,
                                      name: known?.name || event.employee.full_name || event.employee.username});
    redraw();  // only the drawn cards of this person change
    return;
  }
  const task = event.task;
  if (!task) return;
  const known = tasks.get(task.id);
  if (known && known.version > task.version) return;  // an older state arriving late
  if (!known) addToOrder(task.id);
  tasks.set(task.id, task);
  if (event.update) {
    const list = recent.get(task.id) || [];
    if (!list.some((u) => u.id === event.update.id)) {
      recent.set(task.id, [event.update, ...list].slice(0, RECENT));
    }
  }
  if (!known || known.assignee.id !== task.assignee.id || known.project?.name !== task.project?.name) {
    fillChoices(tasks.values(), employees, view);
  }
  highlight.add(task.id);
  redraw();
}

/** New tasks are the newest, on top; one committed late by another process goes in its place. */
function addToOrder(id) {
  if (!order.length || id > order[0]) order.unshift(id);
  else order.splice(order.findIndex((other) => other < id) >>> 0, 0, id);
}

async function main() {
  const badge = connectionBadge(document.getElementById("connection"));
  sections.reset(view.view, Boolean(view.group));
  bindControls(view, viewChanged);
  showView(view);
  const board = await fetchPage(BOARD_URL);
  performance.mark("monitor:snapshot");
  const cursor = loadBoard(board);
  document.getElementById("loading").hidden = true;
  const client = new PushClient({
    cursor,
    onEvent: applyEvent,
    onReset: async () => loadBoard(await fetchPage(BOARD_URL)),
    onState: badge,
  }).start();
  const toggle = document.getElementById("auto-refresh");
  toggle.addEventListener("change", () => (toggle.checked ? client.resume() : client.pause()));
}

main();
