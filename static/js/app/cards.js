// One task card: built from the page's <template>, filled with textContent only (titles and notes
// are user data), and read back with validation before anything is queued.
import {el} from "../shared/dom.js";
import {t} from "../shared/i18n.js";
import {shortTime} from "../shared/ui.js";
import {PRIORITY_TEXT, STATUS_TEXT, blockedText as blockers} from "../shared/words.js";

const PRIORITY_ORDER = {URGENT: 0, HIGH: 1, MEDIUM: 2, LOW: 3};

/** Priority first (urgent on top), then the nearest due date, undated last. */
export function byPriorityThenDue(a, b) {
  const rank = (PRIORITY_ORDER[a.priority] ?? 9) - (PRIORITY_ORDER[b.priority] ?? 9);
  if (rank) return rank;
  if (a.due_date !== b.due_date) {
    if (!a.due_date) return 1;
    if (!b.due_date) return -1;
    return new Date(a.due_date) - new Date(b.due_date);
  }
  return a.id - b.id;
}

export function isOpen(task) {
  return task.status === "PENDING" || task.status === "IN_PROGRESS";
}

function isBlocked(task) {
  return Boolean(task.is_blocked || (task.blocked_by && task.blocked_by.length));
}

/** "Blocked by #4, #9": the server's open predecessors (SPEC 10.2). */
const blockedText = (task) => blockers(task) || t("Blocked");

function ref(card, name) {
  return card.querySelector(`[data-ref="${name}"]`);
}

export function buildCard(task) {
  const card = document.getElementById("card-template").content.firstElementChild.cloneNode(true);
  card.dataset.taskId = String(task.id);
  card.id = `task-${task.id}`;
  for (const [name, label] of [["range", "range-label"], ["note", "note-label"],
    ["comment-body", "comment-label"]]) {
    ref(card, name).id = `${name}-${task.id}`;
    ref(card, label).htmlFor = `${name}-${task.id}`;
  }
  ref(card, "number").setAttribute("aria-label", t("Progress in percent, typed"));
  ref(card, "title").id = `title-${task.id}`;
  card.setAttribute("aria-labelledby", `title-${task.id}`);
  ref(card, "thread").id = `thread-${task.id}`;
  ref(card, "thread-title").id = `thread-title-${task.id}`;
  ref(card, "thread").setAttribute("aria-labelledby", `thread-title-${task.id}`);
  ref(card, "thread-toggle").setAttribute("aria-controls", `thread-${task.id}`);
  return card;
}

function mark(text, kind) {
  return el("span", {class: `mark mark-${kind}`}, text);
}

function marksOf(task, pending) {
  const marks = [mark(PRIORITY_TEXT[task.priority] || task.priority,
    `priority-${task.priority.toLowerCase()}`), mark(STATUS_TEXT[task.status] || task.status,
    `status-${task.status.toLowerCase()}`)];
  if (task.is_overdue) marks.push(mark(t("Overdue"), "overdue"));
  if (task.at_risk && !task.is_overdue && isOpen(task)) marks.push(mark(t("At risk"), "risk"));
  if (isBlocked(task) && isOpen(task)) marks.push(mark(blockedText(task), "blocked"));
  if (pending) marks.push(mark(t("Unsent"), "unsent"));
  return marks;
}

function metaText(task) {
  const parts = [];
  if (task.due_date) parts.push(t("Due {when}", {when: shortTime(task.due_date)}));
  if (task.project) parts.push(task.project.name);
  if (task.last_progress_update_at) parts.push(t("Updated {when}", {when: shortTime(task.last_progress_update_at)}));
  return parts.join(" · ");
}

/** What a card allows: "edit" (open, or a done task being reopened), "hold" (Mark complete can
 * still be undone), "done" (read-only, Reopen offered where the server takes it), "cancelled". */
function modeOf(card, task, held) {
  if (held) return "hold";
  if (task.status === "CANCELLED") return "cancelled";
  if (task.status === "DONE" && !card.dataset.reopening) return "done";
  return "edit";
}

const CLOSED_TEXT = {done: () => t("Done. Reopen it if there is more to do."),
  cancelled: () => t("Cancelled: it takes no more updates or time.")};

/** Show `task` (with the newest unsent change, if any, already applied); `held`: Mark complete
 * was pressed and can still be undone. */
export function fillCard(card, task, pending, held = false) {
  ref(card, "title").textContent = task.title;
  ref(card, "marks").replaceChildren(...marksOf(task, pending));
  ref(card, "meta").textContent = metaText(task);
  ref(card, "desc").textContent = task.description || "";
  ref(card, "desc").hidden = !task.description;
  card.dataset.status = task.status;
  card.dataset.version = String(task.version);
  if (!card.dataset.dirty) setProgress(card, task.progress_percentage);
  const mode = modeOf(card, task, held);
  card.dataset.mode = mode;
  ref(card, "edit").hidden = mode !== "edit";
  ref(card, "update").hidden = ref(card, "complete").hidden = mode !== "edit";
  ref(card, "reopen").hidden = !(mode === "done" && task.can_reopen !== false);
  ref(card, "undo-bar").hidden = mode !== "hold";
  ref(card, "timer").hidden = mode === "done" || mode === "cancelled";
  ref(card, "closed").hidden = !CLOSED_TEXT[mode];
  ref(card, "closed").textContent = CLOSED_TEXT[mode] ? CLOSED_TEXT[mode]() : "";
  ref(card, "update").textContent = task.status === "DONE" ? t("Reopen with this progress") : t("Update progress");
  const blocked = isBlocked(task) && isOpen(task);  // refused by the server: say why beforehand
  ref(card, "complete").disabled = blocked;
  ref(card, "complete").title = blocked ? t("{blocked}: finish those first", {blocked: blockedText(task)}) : "";
  ref(card, "pending").hidden = !pending;
  ref(card, "pending").textContent = pending ? t("Saved on this device; sends when the server answers.") : "";
}

export function setProgress(card, value) {
  ref(card, "range").value = String(value);
  ref(card, "number").value = String(value);
}

/** The typed progress, or the reason it cannot be sent. */
export function readProgress(card) {
  const raw = ref(card, "number").value.trim();
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > 100) {
    return {error: t("Progress must be a whole number from 0 to 100.")};
  }
  return {value: Number(raw)};
}

export function readNote(card) {
  return ref(card, "note").value.trim();
}

export function clearInput(card) {
  ref(card, "note").value = "";
  delete card.dataset.dirty;
}

export function showError(card, text) {
  ref(card, "error").textContent = text;
}

export {ref};
