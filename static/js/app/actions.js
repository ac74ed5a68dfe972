// What the buttons of a task card do: progress and notes, Mark complete (with a few seconds to
// undo), Reopen of a done task, comments and the timer. Every change is written to the outbox
// first (IndexedDB), shown at once, then sent.
import {checkBody} from "../shared/thread.js";
import {clearInput, readNote, readProgress, ref, setProgress, showError} from "./cards.js";
import * as db from "./db.js";

const UNDO_MS = 5000;  // how long Mark complete can be taken back before it is queued

/** ctx: {userId, timer, threads, queued(), holds (task id -> pending completion), render()} */
export function wireCards(container, ctx) {
  container.addEventListener("click", (event) => onClick(event, ctx));
  container.addEventListener("input", onInput);
  container.addEventListener("submit", (event) => {
    event.preventDefault();
    enqueueComment(event.target.closest("[data-task-id]"), ctx);
  });
  // A completion still waiting for its undo time goes out when the page is left.
  addEventListener("pagehide", () => {
    for (const [taskId, hold] of ctx.holds) finishHold(taskId, hold, ctx);
  });
}

function onClick(event, ctx) {
  const button = event.target.closest("button");
  const card = button && button.closest("[data-task-id]");
  if (!card) return;
  const taskId = Number(card.dataset.taskId);
  if (button.dataset.set || button.dataset.step) {
    const current = Number(ref(card, "range").value);
    const value = button.dataset.set ? Number(button.dataset.set)
      : Math.min(100, current + Number(button.dataset.step));
    setProgress(card, value);
    card.dataset.dirty = "1";
  } else if (button === ref(card, "update")) {
    enqueue(card, "progress", ctx);
  } else if (button === ref(card, "complete")) {
    holdCompletion(card, ctx);
  } else if (button === ref(card, "undo")) {
    undoCompletion(taskId, ctx);
  } else if (button === ref(card, "reopen")) {
    reopen(card, ctx);
  } else if (button === ref(card, "thread-toggle")) {
    ctx.threads.toggle(taskId);
  } else if (button === ref(card, "timer")) {
    onTimerButton(card, button, ctx);
  }
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

/** Written to IndexedDB first, shown at once, then sent. */
async function enqueue(card, kind, ctx) {
  const progress = kind === "complete" ? {value: 100} : readProgress(card);
  if (progress.error) return showError(card, progress.error);
  showError(card, "");
  const body = {client_update_id: `web-${crypto.randomUUID()}`,
    client_timestamp: new Date().toISOString(), occupancy_status: "ACTIVE"};
  if (kind === "progress") body.progress_percentage = progress.value;
  const note = readNote(card);
  if (note) body.notes = note;
  clearInput(card);  // before the write: a note typed meanwhile belongs to the next change
  delete card.dataset.reopening;
  await db.addOutbox({user_id: ctx.userId, task_id: Number(card.dataset.taskId), kind, body,
    created_at: body.client_timestamp});
  await ctx.queued();
}

/** Mark complete: shown as done with an Undo for a few seconds, then queued. */
async function holdCompletion(card, ctx) {
  const taskId = Number(card.dataset.taskId);
  const hold = {card, timer: setTimeout(() => finishHold(taskId, hold, ctx), UNDO_MS)};
  ctx.holds.set(taskId, hold);
  await ctx.render();
  ref(card, "undo").focus();
}

async function undoCompletion(taskId, ctx) {
  const hold = ctx.holds.get(taskId);
  if (!hold) return;
  clearTimeout(hold.timer);
  ctx.holds.delete(taskId);
  await ctx.render();
  ref(hold.card, "complete").focus();
}

function finishHold(taskId, hold, ctx) {
  clearTimeout(hold.timer);
  if (ctx.holds.get(taskId) !== hold) return;
  ctx.holds.delete(taskId);
  enqueue(hold.card, "complete", ctx);
}

/** A done task opens again with a progress below 100: the card becomes editable until sent. */
async function reopen(card, ctx) {
  card.dataset.reopening = "1";
  setProgress(card, 90);
  card.dataset.dirty = "1";
  await ctx.render();
  ref(card, "number").focus();
}

/** A comment goes the same way, with its client_comment_id; refused here when blank or too long. */
async function enqueueComment(card, ctx) {
  const area = ref(card, "comment-body");
  const checked = checkBody(area.value);
  ref(card, "comment-error").textContent = checked.error || "";
  if (checked.error) return area.focus();
  const body = {body: checked.body, client_comment_id: `web-${crypto.randomUUID()}`};
  area.value = "";  // now, not after the write: what is typed meanwhile is the next comment
  try {
    await db.addOutbox({user_id: ctx.userId, task_id: Number(card.dataset.taskId), kind: "comment", body,
      created_at: new Date().toISOString()});
  } catch (err) {
    area.value = body.body;
    throw err;
  }
  await ctx.queued();
}

/** Start or stop: recorded on this device first (shown at once), then sent with the outbox. */
async function onTimerButton(card, button, ctx) {
  button.disabled = true;  // one change at a time (the next render disables it on a closed task)
  showError(card, "");
  try {
    await ctx.timer.toggle(Number(card.dataset.taskId));
  } finally {
    button.disabled = false;
  }
  await ctx.queued();
}
