// The live monitor: one card per task, updated in place from the push channel.
import {PushClient} from "./push.js";
import {connectionBadge, fetchPage, flash, shortDay, shortTime} from "./ui.js";

const STATUS_TEXT = {PENDING: "Pending", IN_PROGRESS: "In progress", DONE: "Done", CANCELLED: "Cancelled"};
const PRIORITY_TEXT = {LOW: "Low", MEDIUM: "Medium", HIGH: "High", URGENT: "Urgent"};
const OCCUPANCY_TEXT = {ACTIVE: "active", IDLE: "idle", OFFLINE: "offline"};
const RECENT = 5;
const CARDS_PER_FRAME = 300;

const grid = document.getElementById("grid");
const template = document.getElementById("card-template").content.firstElementChild;
const tasks = new Map();      // id -> task object
const recent = new Map();     // id -> [audit row], newest first
const employees = new Map();  // id -> occupancy status
const cards = new Map();      // id -> {root, refs, shown: {...}}
const dirty = new Set();      // task ids to draw at the next frame
let frame = 0;
let filter = "all";

function isOverdue(task, now = Date.now()) {
  return Boolean(task.due_date) && (task.status === "PENDING" || task.status === "IN_PROGRESS")
    && Date.parse(task.due_date) < now;
}

function createCard(id) {
  const root = template.cloneNode(true);
  const refs = {};
  for (const el of root.querySelectorAll("[data-ref]")) refs[el.dataset.ref] = el;
  root.id = `task-${id}`;
  root.dataset.id = id;
  refs.title.href = `/dashboard/tasks/${id}/`;
  refs.id.textContent = `#${id}`;
  const card = {root, refs, shown: {}};
  cards.set(id, card);
  return card;
}

/** Write a value to the DOM only when it differs from what the card shows. */
function put(card, key, value, write) {
  if (card.shown[key] === value) return false;
  card.shown[key] = value;
  write(value);
  return true;
}

function drawCard(card, task) {
  const {root, refs} = card;
  const occupancy = employees.get(task.assignee.id) || "OFFLINE";
  const overdue = isOverdue(task);
  put(card, "status", task.status, (v) => {
    root.dataset.status = v;
    refs.status.textContent = STATUS_TEXT[v] || v;
  });
  put(card, "priority", task.priority, (v) => {
    refs.priority.dataset.priority = v;
    refs.priority.textContent = PRIORITY_TEXT[v] || v;
  });
  put(card, "title", task.title, (v) => { refs.title.textContent = v; });
  put(card, "project", task.project ? task.project.name : "", (v) => {
    refs.project.textContent = v || "No project";
    refs.project.classList.toggle("none", !v);
  });
  put(card, "progress", task.progress_percentage, (v) => {
    refs.fill.style.width = `${v}%`;
    refs.bar.setAttribute("aria-valuenow", v);
    refs.bar.setAttribute("aria-label", `Progress ${v} percent`);
    refs.pct.textContent = `${v} %`;
  });
  put(card, "assignee", task.assignee.full_name || task.assignee.username, (v) => {
    refs.assignee.textContent = v;
  });
  put(card, "occupancy", occupancy, (v) => {
    refs.dot.dataset.occupancy = v;
    refs.occ.textContent = OCCUPANCY_TEXT[v] || v;
  });
  put(card, "due", `${task.due_date}|${overdue}`, () => {
    refs.due.textContent = task.due_date ? `Due ${shortTime(task.due_date, {todayAsTime: false})}` : "No due date";
    refs.overdue.hidden = !overdue;
    root.classList.toggle("is-overdue", overdue);
  });
  put(card, "risk", `${task.at_risk}|${task.forecast_completion_at}`, () => {
    refs.risk.hidden = !task.at_risk;
    refs.risk.textContent = task.forecast_completion_at
      ? `At risk · forecast ${shortDay(task.forecast_completion_at)}` : "At risk";
  });
  put(card, "stale", Boolean(task.is_stale), (v) => {
    refs.stale.hidden = !v;
    root.dataset.stale = v ? "yes" : "no";
  });
  put(card, "flagged", overdue || Boolean(task.at_risk) || Boolean(task.is_stale), (v) => {
    refs.flags.classList.toggle("none", !v);
  });
  put(card, "updates", (recent.get(task.id) || []).map((u) => u.id).join(","), () => {
    drawUpdates(refs.updates, recent.get(task.id) || []);
  });
}

function drawUpdates(list, updates) {
  const items = updates.slice(0, RECENT).map((u) => {
    const li = document.createElement("li");
    const time = document.createElement("time");
    time.dateTime = u.created_at;
    time.textContent = shortTime(u.created_at);
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = u.user.full_name || u.user.username;
    const what = document.createElement("span");
    what.className = "what";
    what.textContent = describe(u);
    li.append(time, who, what);
    if (u.notes) {
      const notes = document.createElement("q");
      notes.textContent = u.notes;
      li.append(notes);
    }
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "No updates yet";
    items.push(li);
  }
  list.replaceChildren(...items);
}

function describe(update) {
  if (update.previous_percentage !== null && update.previous_percentage !== update.new_percentage) {
    return `${update.previous_percentage} → ${update.new_percentage} %`;
  }
  if (update.previous_status && update.previous_status !== update.new_status) {
    return `${STATUS_TEXT[update.previous_status]} → ${STATUS_TEXT[update.new_status]}`;
  }
  return update.action === "create" ? "created" : update.action || "";
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
    // A big snapshot is drawn over several frames, newest first (the set keeps that order).
    if (task && !card && budget-- <= 0) break;
    dirty.delete(id);
    if (!task) continue;
    if (!card) {
      card = createCard(id);
      fresh.push(card.root);
    }
    drawCard(card, task);
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

/** Cards stay in id order, newest first: new tasks go on top, a snapshot fills in downwards. */
function place(fresh) {
  if (!fresh.length) return;
  fresh.sort((a, b) => b.dataset.id - a.dataset.id);
  const first = grid.firstElementChild;
  const last = grid.lastElementChild;
  if (!last || Number(fresh[0].dataset.id) < Number(last.dataset.id)) return grid.append(...fresh);
  if (Number(fresh[fresh.length - 1].dataset.id) > Number(first.dataset.id)) return grid.prepend(...fresh);
  for (const node of fresh) {  // rare: a reloaded snapshot with gaps
    const next = [...grid.children].find((el) => Number(el.dataset.id) < Number(node.dataset.id));
    grid.insertBefore(node, next || null);
  }
}

function drawFigures() {
  const counts = {all: 0, PENDING: 0, IN_PROGRESS: 0, DONE: 0, CANCELLED: 0, stale: 0, overdue: 0};
  const now = Date.now();
  for (const task of tasks.values()) {
    counts.all += 1;
    counts[task.status] += 1;
    if (task.is_stale) counts.stale += 1;
    if (isOverdue(task, now)) counts.overdue += 1;
  }
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

function setFilter(name) {
  filter = name;
  grid.dataset.filter = name;
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.setAttribute("aria-pressed", String(button.dataset.filter === name));
  }
  history.replaceState(null, "", name === "all" ? location.pathname : `#${name.toLowerCase()}`);
  drawFigures();
}

function loadSnapshot(snapshot) {
  employees.clear();
  for (const person of snapshot.employees) employees.set(person.id, person.occupancy_status);
  const seen = new Set();
  for (const task of [...snapshot.tasks].sort((a, b) => b.id - a.id)) {
    seen.add(task.id);
    tasks.set(task.id, task);
    recent.set(task.id, snapshot.recent[task.id] || []);
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
  return snapshot.cursor;
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
  const snapshot = await fetchPage("/dashboard/tasks/monitor/snapshot.json");
  performance.mark("monitor:snapshot");
  const cursor = loadSnapshot(snapshot);
  document.getElementById("loading").hidden = true;
  const client = new PushClient({
    cursor,
    onEvent: applyEvent,
    onReset: async () => loadSnapshot(await fetchPage("/dashboard/tasks/monitor/snapshot.json")),
    onState: badge,
  }).start();
  const toggle = document.getElementById("auto-refresh");
  toggle.addEventListener("change", () => (toggle.checked ? client.resume() : client.pause()));
  // Due dates pass without an event: recheck the overdue marks every minute.
  setInterval(() => {
    for (const id of tasks.keys()) dirty.add(id);
    if (!frame) frame = requestAnimationFrame(drawFrame);
  }, 60000);
}

main();
