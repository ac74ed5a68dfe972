// One task's page: the overview and the audit trail follow the push channel.
import "../shared/catalog.js";
import {el} from "../shared/dom.js";
import {t, tn} from "../shared/i18n.js";
import {PushClient} from "../shared/push.js";
import {STATUS_TEXT} from "../shared/words.js";
import {Thread} from "./comments.js";
import {connectionBadge, fetchPage, flash, localizeTimes, replaceFromHtml} from "../shared/ui.js";

const page = document.getElementById("task-page");
const taskId = Number(page.dataset.taskId);
let live = document.getElementById("task-live");
let refreshing = Promise.resolve();
let queued = false;
const pageBefore = new URLSearchParams(location.search).get("before");  // a page of older rows
let olderShown = false;  // older pages of the audit trail were added below the newest
let olderBroken = null;  // the broken-chain badge of an older page, kept across refreshes

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
  const query = pageBefore ? `&before=${encodeURIComponent(pageBefore)}` : "";
  const html = await fetchPage(`/dashboard/tasks/${taskId}/?partial=1${query}`, "text");
  const shown = [...live.querySelectorAll("#audit tbody tr")];
  const seen = new Set(shown.map((tr) => tr.dataset.id));
  const pager = live.querySelector("#audit-pager");
  const before = live.dataset.version;  // moved on by comment events, which leave the fields alone
  live = replaceFromHtml(live, html);
  for (const row of live.querySelectorAll("#audit tbody tr")) {
    if (!seen.has(row.dataset.id)) flash(row);
  }
  if (olderShown) keepOlder(shown, pager);
  if (live.dataset.version !== before) warnEditors();
}

/** The newest page came again: keep the older rows the reader had asked for below it. */
function keepOlder(shown, pager) {
  const body = live.querySelector("#audit tbody");
  const lowest = Math.min(...[...body.rows].map((tr) => Number(tr.dataset.id)));
  body.append(...shown.filter((tr) => Number(tr.dataset.id) < lowest));
  const fresh = live.querySelector("#audit-pager");
  if (fresh && pager) fresh.replaceWith(pager);
  else if (pager) live.querySelector(".audit .table-wrap").after(pager);
  countShown();
  if (olderBroken) live.querySelector("#chain").replaceWith(olderBroken.cloneNode(true));
}

function countShown() {
  const count = live.querySelector("#audit-count");
  const shown = live.querySelectorAll("#audit tbody tr").length;
  if (count) count.textContent = tn("({num} shown, newest first)", "({num} shown, newest first)", shown);
}

/** "Older updates": the next page of the trail, added below without leaving the page. */
async function showOlder(link) {
  link.setAttribute("aria-disabled", "true");
  const html = await fetchPage(`/dashboard/tasks/${taskId}/?partial=1&before=${link.dataset.before}`, "text");
  const page = new DOMParser().parseFromString(html, "text/html");
  const rows = [...page.querySelectorAll("#audit tbody tr")].map((tr) => document.importNode(tr, true));
  live.querySelector("#audit tbody").append(...rows);
  rows.forEach((row) => localizeTimes(row));
  olderShown = true;
  const chain = page.getElementById("chain");
  if (chain && chain.classList.contains("chain-broken")) {
    olderBroken = document.importNode(chain, true);
    live.querySelector("#chain").replaceWith(olderBroken.cloneNode(true));
  }
  const next = page.getElementById("older-updates");
  if (next) {
    link.dataset.before = next.dataset.before;
    link.href = next.getAttribute("href");
    link.removeAttribute("aria-disabled");
  } else {
    link.remove();
  }
  countShown();
  live.querySelector("#audit-status").textContent = rows.length
    ? tn("{num} older update added below.", "{num} older updates added below.", rows.length) : t("No older updates.");
  if (rows.length) rows[0].focus();  // the reader goes on where the new rows begin
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("#older-updates");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();  // without the script the link opens that page of the trail
  if (link.getAttribute("aria-disabled") !== "true") {
    showOlder(link).catch(() => { window.location.href = link.href; });
  }
});

function warnEditors() {
  const form = document.querySelector("form[data-task-form]");
  if (!form || form.querySelector(".stale-note")) return;
  form.prepend(el("p", {class: "notice notice-info stale-note", attrs: {role: "status"}},
    t("This task changed since the page was opened. Reload before editing, so you do not undo someone else's change.")));
}

function concernsThisTask(event) {
  return (event.task && event.task.id === taskId) || (event.update && event.update.task_id === taskId);
}

localizeTimes();
const thread = new Thread(document.getElementById("comments"));
thread.load().catch(() => thread.say(t("The comments could not be loaded; reload the page.")));
new PushClient({
  cursor: Number(live.dataset.cursor),
  onEvent: (event) => {
    if (event.task?.outside_scope && event.task.id === taskId) return location.reload();  // now a 404
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
  return el("option", {value}, text);  // titles are user data: text, never markup
}

async function findTasks() {
  const terms = search.value.trim();
  if (!terms) {
    choice.replaceChildren(option("", t("Type above to search")));
    return;
  }
  const body = await fetchPage(`/api/admin/task-status/?q=${encodeURIComponent(terms)}`);
  if (search.value.trim() !== terms) return;  // a newer search is on its way
  const taken = new Set([...document.querySelectorAll("#predecessors li")].map((li) => Number(li.dataset.taskId)));
  const found = body.tasks.filter((task) => task.id !== taskId && !taken.has(task.id)).slice(0, 50);
  choice.replaceChildren(...(found.length
    ? found.map((task) => option(String(task.id), t("#{id} {title} ({person}, {status})", {id: task.id, title: task.title,
      person: task.assignee.full_name || task.assignee.username, status: STATUS_TEXT[task.status].toLowerCase()})))
    : [option("", t("No task matches"))]));
}

if (search && choice) {
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => findTasks().catch(() => {}), 200);
  });
}
