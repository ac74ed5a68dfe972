// The live monitor: one card per task, updated in place from the push channel.
import {PushClient} from "./push.js";
import {connectionBadge, fetchPage, flash} from "./ui.js";
import {RECENT, drawCard, newCard} from "./card.js";

const CARDS_PER_FRAME = 300;
const BOARD_URL = "/dashboard/tasks/monitor/snapshot.json";  // the board's JSON, by its old name
const LONGEST_WAIT_MS = 86400000;  // setTimeout holds ~24 days at most: a later moment in steps

const grid = document.getElementById("grid");
const template = document.getElementById("card-template").content.firstElementChild;
const tasks = new Map();      // id -> task object
const recent = new Map();     // id -> [audit row], newest first
const employees = new Map();  // id -> occupancy status
const cards = new Map();      // id -> {root, refs, shown: {...}}
const dirty = new Set();      // task ids to draw at the next frame
let frame = 0;
let filter = "all";
let overdueTimer = 0;

/** The server's answer, or past the moment it gave for turning overdue: due dates pass without
 * an event, and the rule itself stays on the server. */
function isOverdue(task, now = Date.now()) {
  return Boolean(task.is_overdue) || turnsOverdueAt(task) < now;
}

/** The moment (ms) the server gave for the task turning overdue; Infinity when it will not. */
function turnsOverdueAt(task) {
  return task.overdue_at == null ? Infinity : Date.parse(task.overdue_at);
}

function createCard(id) {
  const card = newCard(template, id);
  cards.set(id, card);
  return card;
}

/** What a card shows beside its task object. */
function around(task) {
  return {
    occupancy: employees.get(task.assignee.id) || "OFFLINE",
    overdue: isOverdue(task),
    updates: recent.get(task.id) || [],
  };
}

function schedule(id) {
  dirty.add(id);
  if (!frame) frame = requestAnimationFrame(drawFrame);
}

function drawFrame() {
  frame = 0;
  const fresh = [];
  let budget = CARDS_PER_FRAME;
  for (const id of dirty) {
    const task = tasks.get(id);
    let card = cards.get(id);
    // A big board is drawn over several frames, newest first (the set keeps that order).
    if (task && !card && budget-- <= 0) break;
    dirty.delete(id);
    if (!task) continue;
    if (!card) {
      card = createCard(id);
      fresh.push(card.root);
    }
    drawCard(card, task, around(task));
    if (card.highlight) {
      card.highlight = false;
      flash(card.root);
    }
  }
  place(fresh);
  drawFigures();
  if (dirty.size) frame = requestAnimationFrame(drawFrame);
  else if (!performance.getEntriesByName("monitor:drawn").length) performance.mark("monitor:drawn");
}

/** Cards stay in id order, newest first: new tasks go on top, a board fills in downwards. */
function place(fresh) {
  if (!fresh.length) return;
  fresh.sort((a, b) => b.dataset.id - a.dataset.id);
  const first = grid.firstElementChild;
  const last = grid.lastElementChild;
  if (!last || Number(fresh[0].dataset.id) < Number(last.dataset.id)) return grid.append(...fresh);
  if (Number(fresh[fresh.length - 1].dataset.id) > Number(first.dataset.id)) return grid.prepend(...fresh);
  for (const node of fresh) {  // rare: a reloaded board with gaps
    const next = [...grid.children].find((el) => Number(el.dataset.id) < Number(node.dataset.id));
    grid.insertBefore(node, next || null);
  }
}

/** The counts the figures show, and the moment the next task turns overdue. */
function tally(now) {
  const counts = {all: 0, PENDING: 0, IN_PROGRESS: 0, DONE: 0, CANCELLED: 0, stale: 0, overdue: 0};
  let nextOverdue = Infinity;
  for (const task of tasks.values()) {
    counts.all += 1;
    counts[task.status] += 1;
    if (task.is_stale) counts.stale += 1;
    if (isOverdue(task, now)) counts.overdue += 1;
    else nextOverdue = Math.min(nextOverdue, turnsOverdueAt(task));
  }
  return {counts, nextOverdue};
}

function drawFigures() {
  const now = Date.now();
  const {counts, nextOverdue} = tally(now);
  redrawAt(nextOverdue - now);
  const metrics = {total: counts.all, pending: counts.PENDING, in_progress: counts.IN_PROGRESS,
                   done: counts.DONE, overdue: counts.overdue};
  for (const el of document.querySelectorAll("[data-metric]")) {
    el.textContent = metrics[el.dataset.metric];
  }
  for (const el of document.querySelectorAll("[data-count]")) {
    el.textContent = counts[el.dataset.count];
  }
  const shown = counts[filter];
  document.getElementById("empty").hidden = shown > 0;
  document.getElementById("shown").textContent =
    filter === "all" ? `${shown} tasks` : `${shown} of ${counts.all} tasks`;
}

/** Due dates pass without an event: draw every card again when the next task turns overdue. */
function redrawAt(wait) {
  clearTimeout(overdueTimer);
  overdueTimer = wait === Infinity ? 0 : setTimeout(drawAll, Math.min(LONGEST_WAIT_MS, wait + 1));
}

function drawAll() {
  for (const id of tasks.keys()) dirty.add(id);
  if (!frame) frame = requestAnimationFrame(drawFrame);
}

function setFilter(name) {
  filter = name;
  grid.dataset.filter = name;
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.setAttribute("aria-pressed", String(button.dataset.filter === name));
  }
  history.replaceState(null, "", name === "all" ? location.pathname : `#${name.toLowerCase()}`);
  drawFigures();
}

/** Take in the whole board (tasks, people, recent updates) as the server has it now. */
function loadBoard(board) {
  employees.clear();
  for (const person of board.employees) employees.set(person.id, person.occupancy_status);
  const seen = new Set();
  for (const task of [...board.tasks].sort((a, b) => b.id - a.id)) {
    seen.add(task.id);
    tasks.set(task.id, task);
    recent.set(task.id, board.recent[task.id] || []);
    dirty.add(task.id);
  }
  for (const id of [...tasks.keys()]) {
    if (!seen.has(id)) {
      tasks.delete(id);
      cards.get(id)?.root.remove();
      cards.delete(id);
    }
  }
  if (!frame) frame = requestAnimationFrame(drawFrame);
  return board.cursor;
}

function applyEvent(event) {
  if (event.type === "occupancy.changed" && event.employee) {
    employees.set(event.employee.id, event.employee.occupancy_status);
    for (const task of tasks.values()) {
      if (task.assignee.id === event.employee.id) schedule(task.id);
    }
    return;
  }
  const task = event.task;
  if (!task) return;
  const known = tasks.get(task.id);
  if (known && known.version > task.version) return;  // an older state arriving late
  tasks.set(task.id, task);
  if (event.update) {
    const list = recent.get(task.id) || [];
    if (!list.some((u) => u.id === event.update.id)) {
      recent.set(task.id, [event.update, ...list].slice(0, RECENT));
    }
  }
  const card = cards.get(task.id);
  if (card) card.highlight = true;
  schedule(task.id);
}

async function main() {
  const badge = connectionBadge(document.getElementById("connection"));
  const initial = location.hash.slice(1).toUpperCase();
  const names = {PENDING: "PENDING", IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", STALE: "stale"};
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => setFilter(button.dataset.filter));
  }
  if (names[initial]) setFilter(names[initial]);
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
