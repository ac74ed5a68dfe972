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
