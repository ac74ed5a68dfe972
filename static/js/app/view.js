// The list and the header: tasks sorted and filtered, unsent changes shown over the server's
// values, the connection state and the unsent count, the running timer.
import {buildCard, byPriorityThenDue, fillCard, isOpen} from "./cards.js";
import {clock, duration} from "./timer.js";
import {isTimerOp} from "./timerlog.js";

const STATE_TEXT = {live: "Live", polling: "Polling", connecting: "Connecting…",
  reconnecting: "Can't reach the server", paused: "Paused", offline: "Offline"};

/** The task as the user should see it: the newest unsent change applied over the server's copy. */
export function withPending(task, outbox) {
  const mine = outbox.filter((entry) => entry.task_id === task.id && entry.kind !== "comment"
    && !isTimerOp(entry));
  if (!mine.length) return [task, false];
  const last = mine[mine.length - 1];
  const progress = last.kind === "complete" ? 100 : last.body.progress_percentage;
  const status = progress === 100 ? "DONE" : progress === 0 ? "PENDING" : "IN_PROGRESS";
  return [{...task, progress_percentage: progress, status}, true];
}

export function renderTasks(container, tasks, outbox, filter) {
  const shown = [...tasks.values()].map((task) => withPending(task, outbox))
    .filter(([task]) => (filter === "open") === isOpen(task))
    .sort(([a], [b]) => byPriorityThenDue(a, b));
  const existing = new Map([...container.children].map((card) => [card.dataset.taskId, card]));
  const cards = shown.map(([task, pending]) => {
    const card = existing.get(String(task.id)) || buildCard(task);
    fillCard(card, task, pending);
    return card;
  });
  // Reuse the nodes (focus and a half-typed note survive a live update), in the new order.
  cards.forEach((card, index) => {
    if (container.children[index] !== card) container.insertBefore(card, container.children[index] || null);
  });
  for (const card of [...container.children].slice(cards.length)) card.remove();
  document.getElementById("empty").hidden = cards.length > 0;
  document.getElementById("empty").textContent = filter === "open" ? "No open tasks. Well done."
    : "No finished tasks yet.";
}

export function renderHeader(state, unsent) {
  const badge = document.getElementById("connection");
  // "Offline" only when the browser is; online, a failed load means the server is out of reach.
  const shownState = !navigator.onLine ? "offline" : state === "offline" ? "reconnecting" : state;
  badge.dataset.state = shownState;
  badge.querySelector(".conn-text").textContent = STATE_TEXT[shownState] || shownState;
  const count = document.getElementById("unsent");
  count.dataset.count = String(unsent);
  count.hidden = unsent === 0;
  count.textContent = unsent ? ` — ${unsent} unsent` : "";
}

function excerpt(text) {
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 60).join("")}…` : text;
}

function hhmm(iso) {
  return new Date(iso).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
}

/** What a refused change was, in words. */
function describe(entry) {
  switch (entry.kind) {
    case "complete": return "Mark complete";
    case "comment": return `Comment “${excerpt(entry.body.body)}”`;
    case "timer-start": return `Timer started at ${hhmm(entry.body.started_at)}`;
    case "timer-stop": return `Timer stopped at ${hhmm(entry.body.ended_at)}`;
    case "time-entry": return `Time ${hhmm(entry.body.started_at)}–${hhmm(entry.body.ended_at)}`
      + (entry.body.note ? ` (${entry.body.note})` : "");
    default: return `Progress ${entry.body.progress_percentage} %`;
  }
}

export function renderRefused(entries, tasks, onDismiss) {
  const section = document.getElementById("refused");
  section.hidden = entries.length === 0;
  document.getElementById("refused-list").replaceChildren(...entries.map((entry) => {
    const item = document.createElement("li");
    const title = tasks.get(entry.task_id)?.title || `Task ${entry.task_id}`;
    const what = describe(entry);
    const text = document.createElement("span");
    text.textContent = `${title}: ${what} — ${entry.reason.message}`;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "btn btn-quiet";
    dismiss.textContent = "Dismiss";
    dismiss.setAttribute("aria-label", `Dismiss: ${title}`);
    dismiss.addEventListener("click", () => onDismiss(entry));
    item.append(text, " ", dismiss);
    return item;
  }));
}

/** The header's running timer and today's total, and each card's Start / Stop button. */
export function renderTimer(timer, tasks, container) {
  const runningId = timer.runningTaskId();
  const running = runningId === null ? null : tasks.get(runningId);
  document.getElementById("timerbar").hidden = runningId === null;
  document.getElementById("timer-title").textContent = running ? running.title : `Task ${runningId}`;
  document.getElementById("timer-elapsed").textContent = clock(timer.elapsed());
  document.getElementById("today").hidden = false;
  document.getElementById("timer-today").textContent = `Today: ${duration(timer.today())} tracked`;
  for (const card of container.children) {
    const button = card.querySelector('[data-ref="timer"]');
    const mine = Number(card.dataset.taskId) === runningId;
    button.textContent = mine ? "Stop timer" : "Start timer";
    button.dataset.running = String(mine);
  }
}
