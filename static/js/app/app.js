// The employee web app: cached tasks at once, then the server's; changes go to the outbox first
// and are delivered by one sender across tabs; the shared push client keeps the list live.
import {PushClient} from "../push.js";
import {Away} from "./away.js";
import {wireCalendar} from "./calendar.js";
import {wireWeek} from "./week.js";
import {clearInput, readNote, readProgress, ref, setProgress, showError} from "./cards.js";
import {Threads, checkBody} from "./comments.js";
import * as db from "./db.js";
import {flush} from "./outbox.js";
import {drawThreads} from "./thread.js";
import {Timer} from "./timer.js";
import {isTimerOp} from "./timerlog.js";
import {renderHeader, renderRefused, renderTasks, renderTimer} from "./view.js";

const root = document.getElementById("app");
const userId = Number(root.dataset.userId);
const container = document.getElementById("tasks");
const tabs = new BroadcastChannel("tracker-app");  // other tabs show the shared outbox too
const app = {tasks: new Map(), outbox: [], refused: [], filter: "open", state: "connecting",
  retryTimer: null, attempt: 0, push: null};

function xsrfHeaders() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]+)/);
  return match ? {"X-XSRFToken": decodeURIComponent(match[1])} : {};
}

/** A same-origin API call with the session cookie and the XSRF header; 401 ends the session. */
async function call(method, url, body) {
  const headers = {Accept: "application/json", ...xsrfHeaders()};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body)});
  if (response.status === 401) signedOut();
  return response;
}

const online = () => navigator.onLine && (app.state === "live" || app.state === "polling");
const threads = new Threads(userId, {call, onChange: () => render()});
const timer = new Timer({userId, call, onChange: () => render()});
const away = new Away({userId, timer, headers: xsrfHeaders, online, queued,
  titleOf: (id) => app.tasks.get(id)?.title || `task ${id}`, told: () => tabs.postMessage("outbox")});

async function render() {
  app.outbox = await db.entries("outbox", userId);
  app.refused = await db.entries("refused", userId);
  await timer.load(app.outbox);
  await away.follow();
  renderTasks(container, app.tasks, app.outbox, app.filter);
  renderThreads();
  renderTimer(timer, app.tasks, container);
  renderHeader(app.state, app.outbox.length);
  renderRefused(app.refused, app.tasks, async (entry) => {
    await db.deleteRefused(entry.seq);
    render();
  });
}

function renderThreads() {
  const me = {userId, username: root.dataset.username, fullName: root.dataset.userName,
    admin: root.dataset.admin === "yes", online: online()};
  drawThreads(container, {tasks: app.tasks, threads, outbox: app.outbox, me});
}

async function saveTasks() {
  await db.setMeta(`${userId}:tasks`, [...app.tasks.values()]);
}

async function loadCached() {
  for (const task of (await db.getMeta(`${userId}:tasks`)) || []) app.tasks.set(task.id, task);
  return (await db.getMeta(`${userId}:cursor`)) || 0;
}

function signedOut() {
  document.getElementById("signed-out").hidden = false;
  app.push?.stop("reconnecting");
  location.assign("/login?next=%2Fapp%2F");
}

/** The server's list (304 keeps ours); resolves to the cursor it reflects. */
async function loadSnapshot() {
  const etag = await db.getMeta(`${userId}:etag`);
  const response = await fetch("/api/employee-tasks/", {credentials: "same-origin",
    cache: "no-store", headers: etag ? {"If-None-Match": etag} : {}});
  if (response.status === 401) {
    signedOut();
    throw new Error("signed out");
  }
  if (response.status === 304) return (await db.getMeta(`${userId}:cursor`)) || 0;
  if (!response.ok) throw new Error(`tasks answered ${response.status}`);
  const body = await response.json();
  app.tasks = new Map(body.tasks.map((task) => [task.id, task]));
  await saveTasks();
  await db.setMeta(`${userId}:etag`, response.headers.get("ETag"));
  await db.setMeta(`${userId}:cursor`, body.cursor);
  render();
  return body.cursor;
}

async function onEvent(event) {
  if (event.comment) await threads.apply(event.comment);
  // A timer stopped elsewhere (desktop, idle, a switch) shows as a change to one's own task.
  const mine = event.task && (app.tasks.has(event.task.id) || event.task.assignee?.id === userId);
  if (event.type.startsWith("time_entry.") || (event.type === "task.changed" && mine)) timer.refreshSoon();
  if (event.task) {
    if (event.task.assignee && event.task.assignee.id === userId) app.tasks.set(event.task.id, event.task);
    else app.tasks.delete(event.task.id);  // reassigned to someone else
    await saveTasks();
    await db.setMeta(`${userId}:etag`, null);
  }
  await db.setMeta(`${userId}:cursor`, event.id);
  render();
}

function onPushState(state) {
  app.state = state;
  render();  // edit and delete buttons follow the connection
  if (state === "live" || state === "polling") {  // the server is back
    sendNow();
    timer.refresh();
  }
}

// ---------------------------------------------------------------- the outbox

function applyAnswer(entry, answer) {
  const task = app.tasks.get(entry.task_id);
  if (!task || !answer || answer.version < task.version) return;
  Object.assign(task, {progress_percentage: answer.new_progress, status: answer.task_status,
    version: answer.version});
}

function onResult(entry, result) {
  if (isTimerOp(entry)) timer.refreshSoon();  // today's entries; the header follows the timer
  if (result.outcome !== "sent") return;
  if (entry.kind === "comment") {
    if (result.answer) threads.apply(result.answer);
  } else if (!isTimerOp(entry)) {
    applyAnswer(entry, result.answer);
  }
  root.dataset.sent = String(Number(root.dataset.sent || 0) + 1);  // what this tab delivered
}

async function sendNow() {
  clearTimeout(app.retryTimer);
  app.retryTimer = null;
  const outcome = await flush(userId, onResult);
  await saveTasks();
  await render();
  if (outcome !== "busy") tabs.postMessage("outbox");
  if (outcome === "signedout") return signedOut();
  if (outcome === "empty") {
    app.attempt = 0;
    return;
  }
  // Down, throttled, or another tab is sending: look again soon (1 s doubling to 15 s).
  const delay = Math.min(15000, 1000 * 2 ** app.attempt);
  app.attempt += 1;
  app.retryTimer = setTimeout(sendNow, delay);
}

async function askBackgroundSync() {
  const registration = await navigator.serviceWorker?.ready.catch(() => null);
  if (registration && registration.sync) await registration.sync.register("outbox").catch(() => {});
}

/** Written to IndexedDB first, shown at once, then sent. */
async function enqueue(card, kind) {
  const taskId = Number(card.dataset.taskId);
  const progress = kind === "complete" ? {value: 100} : readProgress(card);
  if (progress.error) return showError(card, progress.error);
  showError(card, "");
  const body = {client_update_id: `web-${crypto.randomUUID()}`,
    client_timestamp: new Date().toISOString(), occupancy_status: "ACTIVE"};
  if (kind === "progress") body.progress_percentage = progress.value;
  const note = readNote(card);
  if (note) body.notes = note;
  clearInput(card);  // before the write: a note typed meanwhile belongs to the next change
  await db.addOutbox({user_id: userId, task_id: taskId, kind, body, created_at: body.client_timestamp});
  await queued();
}

/** A comment goes the same way, with its client_comment_id; refused here when blank or too long. */
async function enqueueComment(card) {
  const area = ref(card, "comment-body");
  const checked = checkBody(area.value);
  ref(card, "comment-error").textContent = checked.error || "";
  if (checked.error) return area.focus();
  const body = {body: checked.body, client_comment_id: `web-${crypto.randomUUID()}`};
  area.value = "";  // now, not after the write: what is typed meanwhile is the next comment
  try {
    await db.addOutbox({user_id: userId, task_id: Number(card.dataset.taskId), kind: "comment", body,
      created_at: new Date().toISOString()});
  } catch (err) {
    area.value = body.body;
    throw err;
  }
  await queued();
}

async function queued() {
  await render();
  tabs.postMessage("outbox");
  askBackgroundSync();
  sendNow();
}

// ---------------------------------------------------------------- wiring

function onClick(event) {
  const button = event.target.closest("button");
  const card = button && button.closest("[data-task-id]");
  if (!card) return;
  if (button.dataset.set || button.dataset.step) {
    const current = Number(ref(card, "range").value);
    const value = button.dataset.set ? Number(button.dataset.set)
      : Math.min(100, current + Number(button.dataset.step));
    setProgress(card, value);
    card.dataset.dirty = "1";
  } else if (button === ref(card, "update")) {
    enqueue(card, "progress");
  } else if (button === ref(card, "complete")) {
    enqueue(card, "complete");
  } else if (button === ref(card, "thread-toggle")) {
    threads.toggle(Number(card.dataset.taskId));
  } else if (button === ref(card, "timer")) {
    onTimerButton(card, button);
  }
}

/** Start or stop: recorded on this device first (shown at once), then sent with the outbox. */
async function onTimerButton(card, button) {
  button.disabled = true;  // one change at a time (the next render disables it on a cancelled task)
  showError(card, "");
  try {
    await timer.toggle(Number(card.dataset.taskId));
  } finally {
    button.disabled = false;
  }
  await queued();
}

async function onTimerStop() {
  await timer.stop();
  await queued();
}

function onInput(event) {
  const card = event.target.closest("[data-task-id]");
  if (!card || event.target.closest("[data-ref=thread]")) return;  // a comment is not progress
  card.dataset.dirty = "1";
  if (event.target === ref(card, "range")) ref(card, "number").value = event.target.value;
  if (event.target === ref(card, "number")) {
    const typed = readProgress(card);
    showError(card, typed.error || "");
    if (!typed.error) ref(card, "range").value = String(typed.value);
  }
}

function wire() {
  container.addEventListener("click", onClick);
  container.addEventListener("input", onInput);
  container.addEventListener("submit", (event) => {
    event.preventDefault();
    enqueueComment(event.target.closest("[data-task-id]"));
  });
  document.getElementById("timer-stop").addEventListener("click", onTimerStop);
  wireCalendar(call);
  wireWeek(call);
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => {
      app.filter = button.dataset.filter;
      for (const other of document.querySelectorAll("[data-filter]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      render();
    });
  }
  addEventListener("online", () => sendNow());
  addEventListener("offline", () => renderHeader(app.state, app.outbox.length));
  navigator.serviceWorker?.addEventListener("message", () => render());
  tabs.addEventListener("message", () => render());
  document.getElementById("signout").addEventListener("submit", onSignOut);
}

async function onSignOut(event) {
  event.preventDefault();
  const unsent = app.outbox.length;
  const what = unsent === 1 ? "1 change is" : `${unsent} changes are`;
  if (unsent && !confirm(`${what} not sent yet. Sign out anyway? Unsent changes stay on this device and go out when you sign in again.`)) return;
  await db.forgetUser(userId);  // the cached list and shell are not left for the next person
  await self.caches?.delete("tracker-shell-v1");
  event.target.submit();
}

async function boot() {
  await db.setMeta("current", userId);
  await db.setMeta("xsrf", xsrfHeaders()["X-XSRFToken"] || null);
  let cursor = await loadCached();
  if (await away.firstTab()) await timer.closeOrphan();
  wire();
  await render();
  try {
    cursor = await loadSnapshot();
  } catch (err) {
    app.state = "offline";  // the cached list stays; the push client keeps trying
  }
  document.getElementById("loading").hidden = true;
  await render();
  app.push = new PushClient({cursor, onEvent, onReset: loadSnapshot, onState: onPushState}).start();
  timer.refresh();
  setInterval(() => renderTimer(timer, app.tasks, container), 1000);
  away.start(root);
  sendNow();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", {scope: "/app/", type: "module"}).catch(() => {});
  }
}

boot();
