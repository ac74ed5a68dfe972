// The live monitor: every task's card held in memory, shown through the view the URL holds
// (search, filters, grouping, cards or table), drawn a page at a time and updated in place from
// push; a card's last updates are read when it is drawn (updates.js).
import "../shared/catalog.js";
import {number, tn} from "../shared/i18n.js";
import {PushClient} from "../shared/push.js";
import {connectionBadge, fetchPage} from "../shared/ui.js";
import {Sections} from "./sections.js";
import {Updates} from "./updates.js";
import {Tally} from "./tally.js";
import {readView, setTeams, viewUrl} from "./view.js";
import {bindControls, fillChoices, fillTeams, showView} from "./controls.js";

const BOARD_URL = "/dashboard/tasks/monitor/snapshot.json";  // the board's JSON, by its old name
const LONGEST_WAIT_MS = 86400000;  // setTimeout holds ~24 days at most: a later moment in steps
const NO_UPDATES = Object.freeze([]);

const tasks = new Map();      // id -> task object (a card's fields, or the whole object an event brought)
const updates = new Updates(redraw);  // id -> [audit row], newest first: of the cards drawn
const employees = new Map();  // id -> {occupancy status, name}
const highlight = new Set();  // task ids changed by an event since the last frame
const changed = new Set();    // the same, for the tally
let recount = true;           // the next frame counts every task again (board, view or time changed)
let order = [];               // task ids, newest first
let frame = 0;
let overdueTimer = 0;
const overdueAt = new WeakMap();  // task object -> the moment (ms) it turns overdue, parsed once
const view = readView(location);
const tally = new Tally(turnsOverdueAt);
const sections = new Sections(document.getElementById("grid"),
                              document.getElementById("card-template").content.firstElementChild, redraw);

/** The server's answer, or past the moment it gave for turning overdue: due dates pass without
 * an event, and the rule itself stays on the server. */
function isOverdue(task, now = Date.now()) {
  return Boolean(task.is_overdue) || turnsOverdueAt(task) < now;
}

/** The moment (ms) the server gave for the task turning overdue; Infinity when it will not. */
function turnsOverdueAt(task) {
  let at = overdueAt.get(task);
  if (at === undefined) {
    at = task.overdue_at == null ? Infinity : Date.parse(task.overdue_at);
    overdueAt.set(task, at);
  }
  return at;
}

function redraw() {
  if (!frame) frame = requestAnimationFrame(drawFrame);
}

/** Bring one card or row up to date; answers whether it should flash. An event brings a new
 * task object and a new list of updates, so an item drawn from the same ones is left alone. A
 * card's updates are asked for when it is first drawn (updates.send, after the frame). */
function drawItem(item, id) {
  const task = tasks.get(id);
  const person = employees.get(task.assignee.id);
  const from = {task, occupancy: (person?.occupancy || "OFFLINE") + (person?.away ? `|${person.away}` : ""),
                overdue: isOverdue(task), updates: item.showsUpdates ? updates.of(id) : NO_UPDATES};
  const last = item.drawnFrom;
  if (!last || last.task !== from.task || last.occupancy !== from.occupancy
      || last.overdue !== from.overdue || last.updates !== from.updates) {
    item.drawnFrom = from;
    item.draw(item, task, from);
  }
  return highlight.delete(id);
}

function drawFrame() {
  frame = 0;
  performance.mark("monitor:frame-start");
  const now = Date.now();
  if (recount) tally.full(view, order, tasks, now);
  else tally.update(changed, tasks, now);
  recount = false;
  changed.clear();
  sections.show(tally.sections, drawItem);
  highlight.clear();  // a change to a task not drawn has nothing to flash
  drawFigures(tally.metrics, tally.counts, tally.shown);
  redrawAt(tally.nextOverdue - now);
  updates.send();
  performance.measure("monitor:frame", "monitor:frame-start");
  if (!performance.getEntriesByName("monitor:drawn").length) performance.mark("monitor:drawn");
}

const figures = {  // found once: a search of the whole page costs more with every card drawn
  metrics: [...document.querySelectorAll("[data-metric]")],
  counts: [...document.querySelectorAll("[data-count]")],
  empty: document.getElementById("empty"),
  shown: document.getElementById("shown"),
};

function drawFigures(metrics, counts, shown) {
  for (const el of figures.metrics) setText(el, number(metrics[el.dataset.metric], {useGrouping: false}));
  for (const el of figures.counts) setText(el, number(counts[el.dataset.count], {useGrouping: false}));
  if (figures.empty.hidden !== shown > 0) figures.empty.hidden = shown > 0;
  setText(figures.shown, shown === metrics.total ? tn("{num} task", "{num} tasks", shown)
    : tn("{shown} of {num} task", "{shown} of {num} tasks", metrics.total, {shown: number(shown)}));
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Due dates pass without an event: draw again when the next task turns overdue. */
function redrawAt(wait) {
  clearTimeout(overdueTimer);
  overdueTimer = wait === Infinity ? 0 : setTimeout(() => {
    recount = true;
    redraw();
  }, Math.min(LONGEST_WAIT_MS, wait + 1));
}

/** The view changed (a control, or the URL): keep it in the URL and draw it. */
function viewChanged(layoutChanged) {
  history.replaceState(null, "", viewUrl(view, location.pathname));
  if (layoutChanged) sections.reset(view.view, Boolean(view.group));
  showView(view);
  recount = true;
  redraw();
}

function takePeople(people) {
  employees.clear();
  for (const person of people) {
    employees.set(person.id, {occupancy: person.occupancy_status, name: person.full_name || person.username,
                              away: person.away_until});
  }
}

/** Take in the whole board (each task's card, the people, the teams) as the server has it now;
 * the cards' updates are read again as they are drawn. */
function loadBoard(board) {
  takePeople(board.employees);
  tasks.clear();
  updates.clear();
  for (const task of board.tasks) tasks.set(task.id, task);
  order = [...tasks.keys()].sort((a, b) => b - a);
  setTeams(board.teams);
  fillTeams(board.teams || [], view);
  fillChoices(tasks.values(), employees, view);
  recount = true;
  redraw();
  return board.cursor;
}

/** Back after a while (push.js onCatchUp): what changed since `cursor`, not the whole board nor
 * every event missed: the changed tasks' cards as they are now, those gone, everyone's presence.
 * The changed cards' updates are read again when drawn. Resolves to the cursor it reflects. */
async function catchUp(cursor) {
  const changes = await fetchPage(`${BOARD_URL}?since=${cursor}`);
  if (changes.reset) return loadBoard(await fetchPage(BOARD_URL));  // a team changed: all of it
  takePeople(changes.employees);
  for (const id of changes.gone) tasks.delete(id);
  for (const task of changes.tasks) {
    const known = tasks.get(task.id);
    if (known && known.version > task.version) continue;  // an event already brought a newer one
    tasks.set(task.id, task);  // the same version too: a comment count, a forecast moves without one
    if (!known || known.version !== task.version) highlight.add(task.id);
  }
  for (const id of [...changes.gone, ...changes.tasks.map((task) => task.id)]) updates.forget(id);
  order = [...tasks.keys()].sort((a, b) => b - a);
  fillChoices(tasks.values(), employees, view);
  recount = true;
  redraw();
  performance.mark("monitor:caught-up");
  return changes.cursor;
}

let reloading = null;  // a board reload under way (a team change moves what this page may show)
let held = [];        // events taken in meanwhile: applied again on the new board (versions decide)

function reloadBoard() {
  reloading = fetchPage(BOARD_URL).then((board) => {
    loadBoard(board);
    const again = held;
    held = [];
    again.forEach(applyEvent);
  }).finally(() => { reloading = null; });
}

function applyEvent(event) {
  if (event.type === "team.changed") {
    if (!reloading) reloadBoard();
    return;
  }
  if (reloading) held.push(event);
  if (event.type === "occupancy.changed" && event.employee) {
    const known = employees.get(event.employee.id);
    employees.set(event.employee.id, {occupancy: event.employee.occupancy_status, away: known?.away,
                                      name: known?.name || event.employee.full_name || event.employee.username});
    redraw();  // only the drawn cards of this person change
    return;
  }
  const task = event.task;
  if (!task) return;
  if (task.outside_scope) {  // given to someone outside the reader's teams: it leaves the board
    if (tasks.delete(task.id)) {
      updates.forget(task.id);
      order = order.filter((id) => id !== task.id);
      recount = true;
      redraw();
    }
    return;
  }
  const known = tasks.get(task.id);
  if (known && known.version > task.version) return;  // an older state arriving late
  if (!known) addToOrder(task.id);
  tasks.set(task.id, task);
  if (event.update) updates.take(task.id, event.update);
  if (!known || known.assignee.id !== task.assignee.id || known.project?.name !== task.project?.name) {
    fillChoices(tasks.values(), employees, view);
  }
  highlight.add(task.id);
  changed.add(task.id);
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
    onCatchUp: catchUp,
    onState: badge,
  }).start();
  const toggle = document.getElementById("auto-refresh");
  toggle.addEventListener("change", () => (toggle.checked ? client.resume() : client.pause()));
}

main();
