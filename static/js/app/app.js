// The employee web app: cached tasks at once, then the server's; changes go to the outbox first
// and are delivered by one sender across tabs; the shared push client keeps the list live.
import "../shared/catalog.js";
import {call as fetchApi, xsrfToken} from "../shared/http.js";
import {t, tn} from "../shared/i18n.js";
import {PushClient} from "../shared/push.js";
import {wireCards} from "./actions.js";
import {wireCalendar} from "./calendar.js";
import {Threads, drawThreads} from "./comments.js";
import {wireWeek} from "./week.js";
import * as db from "./db.js";
import {flush} from "./outbox.js";
import {endSession, isOtherUser, signOut, takeOver} from "./session.js";
import {Away} from "./time/away.js";
import {Timer} from "./time/timer.js";
import {isTimerOp} from "./time/timerlog.js";
import {renderHeader, renderRefused, renderTasks, renderTimer} from "./view.js";

const root = document.getElementById("app");
const userId = Number(root.dataset.userId);
const container = document.getElementById("tasks");
const tabs = new BroadcastChannel("tracker-app");  // other tabs show the shared outbox too
const app = {tasks: new Map(), outbox: [], refused: [], filter: "open", state: "connecting",
  retryTimer: null, attempt: 0, push: null, ended: false, holds: new Map()};

/** A same-origin API call with the session cookie and the XSRF header; 401 ends the session. */
async function call(method, url, body) {
  const response = await fetchApi(method, url, body);
  if (response.status === 401) signedOut();
  return response;
}

const online = () => navigator.onLine && (app.state === "live" || app.state === "polling");
const threads = new Threads(userId, {call, onChange: () => render()});
const timer = new Timer({userId, call, onChange: () => render()});
const headers = () => ({"X-XSRFToken": xsrfToken()});
const away = new Away({userId, timer, headers, online, queued,
  titleOf: (id) => app.tasks.get(id)?.title || t("Task {id}", {id}), told: () => tabs.postMessage("outbox")});

async function render() {
  if (app.ended) return;
  app.outbox = await db.entries("outbox", userId);
  app.refused = await db.entries("refused", userId);
  await timer.load(app.outbox);
  await away.follow();
  if (app.ended) return;  // the session ended meanwhile: nothing is drawn again
  renderTasks(container, app.tasks, app.outbox, app.filter, app.holds);
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
  if (!app.ended) await db.setMeta(`${userId}:tasks`, [...app.tasks.values()]);
}

async function loadCached() {
  for (const task of (await db.getMeta(`${userId}:tasks`)) || []) app.tasks.set(task.id, task);
  return (await db.getMeta(`${userId}:cursor`)) || 0;
}

/** Any 401: the session ended elsewhere. Say so, hide and drop the data, keep the outbox. */
async function signedOut() {
  if (app.ended) return;
  app.ended = true;
  app.push?.stop("signedout");
  clearTimeout(app.retryTimer);
  app.tasks.clear();
  const unsent = app.outbox.length;
  document.querySelector("#signed-out [data-ref=unsent]").textContent = unsent
    ? tn("Your unsent change is kept on this device and sent when you sign in again.",
      "Your {num} unsent changes are kept on this device and sent when you sign in again.", unsent) : "";
  renderHeader("signedout", unsent);
  await endSession(userId);
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
  if (app.ended) return "signedout";
  const outcome = await flush(userId, onResult);
  await saveTasks();
  await render();
  if (outcome !== "busy") tabs.postMessage("outbox");
  if (outcome === "signedout") return signedOut();
  if (outcome === "empty") {
    app.attempt = 0;
    return outcome;
  }
  // Down, throttled, or another tab is sending: look again soon (1 s doubling to 15 s).
  const delay = Math.min(15000, 1000 * 2 ** app.attempt);
  app.attempt += 1;
  app.retryTimer = setTimeout(sendNow, delay);
  return outcome;
}

async function askBackgroundSync() {
  const registration = await navigator.serviceWorker?.ready.catch(() => null);
  if (registration && registration.sync) await registration.sync.register("outbox").catch(() => {});
}

async function queued() {
  await render();
  tabs.postMessage("outbox");
  askBackgroundSync();
  sendNow();
}

// ---------------------------------------------------------------- wiring

function wire() {
  wireCards(container, {userId, timer, threads, queued, holds: app.holds, render});
  document.getElementById("timer-stop").addEventListener("click", async () => {
    await timer.stop();
    await queued();
  });
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
  tabs.addEventListener("message", ({data}) => (isOtherUser(data, userId) ? location.reload() : render()));
  document.getElementById("signout").addEventListener("submit", (event) => signOut(event, userId,
    app.outbox.length, async () => (await sendNow(), (await db.entries("outbox", userId)).length)));
}

async function boot() {
  await takeOver(userId, tabs);
  await db.setMeta("xsrf", xsrfToken() || null);
  let cursor = await loadCached();
  if (await away.firstTab()) await timer.closeOrphan();
  wire();
  await render();
  try {
    cursor = await loadSnapshot();
  } catch (err) {
    if (app.ended) return;
    app.state = "offline";  // the cached list stays; the push client keeps trying
  }
  document.getElementById("loading").hidden = true;
  await render();
  app.push = new PushClient({cursor, onEvent, onReset: loadSnapshot, onState: onPushState,
    onSignedOut: signedOut}).start();
  timer.refresh();
  setInterval(() => app.ended || renderTimer(timer, app.tasks, container), 1000);
  away.start(root);
  sendNow();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", {scope: "/app/", type: "module"}).catch(() => {});
  }
}

boot();
