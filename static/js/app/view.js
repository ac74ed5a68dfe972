// The list and the header: tasks sorted and filtered, unsent changes shown over the server's
// values, the connection state and the unsent count, the running timer.
import {button, el} from "../shared/dom.js";
import {N_, t, tn} from "../shared/i18n.js";
import {clockTime} from "../shared/ui.js";
import {buildCard, byPriorityThenDue, fillCard, isOpen} from "./cards.js";
import {clock, duration} from "./time/timer.js";
import {isTimerOp} from "./time/timerlog.js";

const STATE_TEXT = {live: N_("Live"), polling: N_("Polling"), connecting: N_("Connecting…"),
  reconnecting: N_("Can't reach the server"), paused: N_("Paused"), offline: N_("Offline"),
  signedout: N_("Signed out")};

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

export function renderTasks(container, tasks, outbox, filter, holds = new Map()) {
  const shown = [...tasks.values()].map((task) => withPending(task, outbox))
    .filter(([task]) => (filter === "open") === isOpen(task))
    .sort(([a], [b]) => byPriorityThenDue(a, b));
  const existing = new Map([...container.children].map((card) => [card.dataset.taskId, card]));
  const cards = shown.map(([task, pending]) => {
    const card = existing.get(String(task.id)) || buildCard(task);
    fillCard(card, task, pending, holds.has(task.id));
    return card;
  });
  // Reuse the nodes (focus and a half-typed note survive a live update), in the new order.
  cards.forEach((card, index) => {
    if (container.children[index] !== card) container.insertBefore(card, container.children[index] || null);
  });
  for (const card of [...container.children].slice(cards.length)) card.remove();
  document.getElementById("empty").hidden = cards.length > 0;
  document.getElementById("empty").textContent = filter === "open" ? t("No open tasks. Well done.")
    : t("No finished tasks yet.");
}

export function renderHeader(state, unsent) {
  const badge = document.getElementById("connection");
  // "Offline" only when the browser is; online, a failed load means the server is out of reach.
  const shownState = !navigator.onLine ? "offline" : state === "offline" ? "reconnecting" : state;
  badge.dataset.state = shownState;
  badge.querySelector(".conn-text").textContent = STATE_TEXT[shownState] ? t(STATE_TEXT[shownState]) : shownState;
  const count = document.getElementById("unsent");
  count.dataset.count = String(unsent);
  count.hidden = unsent === 0;
  count.textContent = unsent ? " — " + tn("{num} unsent", "{num} unsent", unsent) : "";
}

function excerpt(text) {
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 60).join("")}…` : text;
}

const hhmm = clockTime;

const startOf = (entry) => entry.started_at || entry.body.started_at;
const endOf = (entry) => entry.ended_at || entry.body.ended_at;

// Why the server refused a timer's time, in words (its own message follows).
const TIME_REASONS = {
  locked: N_("Too late to record: it started before the days you may still change, or before the task existed."),
  period_locked: N_("That week's timesheet is approved and locked; ask to have it reopened."),
  overlap: N_("It overlaps time already recorded for you."),
};

/** Why, in words: for a refused timer the rule it broke, then the server's message. */
function why(entry) {
  const rule = isTimerOp(entry) ? TIME_REASONS[entry.reason.code] : "";
  return rule ? t("{rule} ({message})", {rule: t(rule), message: entry.reason.message}) : entry.reason.message;
}

/** What a refused change was, in words. */
function describe(entry) {
  switch (entry.kind) {
    case "complete": return t("Mark complete");
    case "comment": return t("Comment “{text}”", {text: excerpt(entry.body.body)});
    case "timer-start": return t("Timer started at {time}", {time: hhmm(startOf(entry))});
    case "timer-stop": return t("Timer stopped at {time}", {time: hhmm(endOf(entry))});
    case "time-entry": return entry.body.note
      ? t("Time {start}–{end} ({note})", {start: hhmm(startOf(entry)), end: hhmm(endOf(entry)), note: entry.body.note})
      : t("Time {start}–{end}", {start: hhmm(startOf(entry)), end: hhmm(endOf(entry))});
    default: return t("Progress {percent} %", {percent: entry.body.progress_percentage});
  }
}

export function renderRefused(entries, tasks, onDismiss) {
  const section = document.getElementById("refused");
  section.hidden = entries.length === 0;
  document.getElementById("refused-list").replaceChildren(...entries.map((entry) => {
    const title = tasks.get(entry.task_id)?.title || t("Task {id}", {id: entry.task_id});
    return el("li", {}, el("span", {}, t("{task}: {change} — {reason}", {task: title, change: describe(entry), reason: why(entry)})), " ",
      button(t("Dismiss"), () => onDismiss(entry), {attrs: {"aria-label": t("Dismiss: {task}", {task: title})}}));
  }));
}

/** The header's running timer and today's total, and each card's Start / Stop button. */
export function renderTimer(timer, tasks, container) {
  const runningId = timer.runningTaskId();
  const running = runningId === null ? null : tasks.get(runningId);
  document.getElementById("timerbar").hidden = runningId === null;
  document.getElementById("timer-title").textContent = running ? running.title : t("Task {id}", {id: runningId});
  document.getElementById("timer-elapsed").textContent = clock(timer.elapsed());
  document.getElementById("today").hidden = false;
  document.getElementById("timer-today").textContent = t("Today: {duration} tracked", {duration: duration(timer.today())});
  for (const card of container.children) {
    const button = card.querySelector('[data-ref="timer"]');
    const mine = Number(card.dataset.taskId) === runningId;
    button.textContent = mine ? t("Stop timer") : t("Start timer");
    button.dataset.running = String(mine);
  }
}
