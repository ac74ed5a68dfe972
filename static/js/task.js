// One task's page: the overview and the audit trail follow the push channel.
import {PushClient} from "./push.js";
import {Thread} from "./comments.js";
import {connectionBadge, fetchPage, flash, localizeTimes, replaceFromHtml} from "./ui.js";

const page = document.getElementById("task-page");
const taskId = Number(page.dataset.taskId);
let live = document.getElementById("task-live");
let refreshing = Promise.resolve();
let queued = false;

/** At most one refresh waiting behind the running one, however many events arrive. */
function requestRefresh() {
  if (queued) return;
  queued = true;
  refreshing = refreshing.then(() => {
    queued = false;
    return refresh();
  }).catch(() => {});
}

async function refresh() {
  const html = await fetchPage(`/dashboard/tasks/${taskId}/?partial=1`, "text");
  const seen = new Set([...live.querySelectorAll("#audit tbody tr")].map((tr) => tr.dataset.id));
  const before = live.dataset.version;  // moved on by comment events, which leave the fields alone
  live = replaceFromHtml(live, html);
  for (const row of live.querySelectorAll("#audit tbody tr")) {
    if (!seen.has(row.dataset.id)) flash(row);
  }
  if (live.dataset.version !== before) warnEditors();
}

function warnEditors() {
  const form = document.querySelector("form[data-task-form]");
  if (!form || form.querySelector(".stale-note")) return;
  const note = document.createElement("p");
  note.className = "notice notice-info stale-note";
  note.setAttribute("role", "status");
  note.textContent = "This task changed since the page was opened. Reload before editing, so you do not undo someone else's change.";
  form.prepend(note);
}

function concernsThisTask(event) {
  return (event.task && event.task.id === taskId) || (event.update && event.update.task_id === taskId);
}

localizeTimes();
const thread = new Thread(document.getElementById("comments"));
thread.load().catch(() => thread.say("The comments could not be loaded; reload the page."));
new PushClient({
  cursor: Number(live.dataset.cursor),
  onEvent: (event) => {
    if (event.comment && event.comment.task_id === taskId) {
      thread.apply(event.comment);
      live.dataset.version = String(event.task.version);  // a comment is no edit to warn about
    }
    if (concernsThisTask(event)) requestRefresh();
  },
  onReset: async () => {
    await Promise.all([refresh(), thread.load()]);
    return Number(live.dataset.cursor);
  },
  onState: connectionBadge(document.getElementById("connection")),
}).start();

// The predecessor picker: search the board (title, assignee, project) and offer what it finds.
const search = document.querySelector("[data-task-search]");
const choice = document.getElementById("link-choice");
let searchTimer = null;

function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;  // titles are user data: text, never markup
  return element;
}

async function findTasks() {
  const terms = search.value.trim();
  if (!terms) {
    choice.replaceChildren(option("", "Type above to search"));
    return;
  }
  const body = await fetchPage(`/api/admin/task-status/?q=${encodeURIComponent(terms)}`);
  if (search.value.trim() !== terms) return;  // a newer search is on its way
  const taken = new Set([...document.querySelectorAll("#predecessors li")].map((li) => Number(li.dataset.taskId)));
  const found = body.tasks.filter((task) => task.id !== taskId && !taken.has(task.id)).slice(0, 50);
  choice.replaceChildren(...(found.length
    ? found.map((task) => option(String(task.id), `#${task.id} ${task.title} (${task.assignee.full_name || task.assignee.username}, ${task.status.toLowerCase().replace("_", " ")})`))
    : [option("", "No task matches")]));
}

if (search && choice) {
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => findTasks().catch(() => {}), 200);
  });
}
