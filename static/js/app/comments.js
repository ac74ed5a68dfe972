// Comment threads of the web app: loaded when opened, cached per user in IndexedDB (a reload
// offline still shows them), merged with push events; edits and deletions go straight to the
// server (online only), new comments through the outbox (see app.js).
import {reason} from "../shared/http.js";
import {t, tn} from "../shared/i18n.js";
import {checkBody, confirmDelete, drawComments, openEditor} from "../shared/thread.js";
import {ref} from "./cards.js";
import * as db from "./db.js";

export {checkBody};

/** Newer revisions win; a tombstone wins over any revision. */
function newer(known, comment) {
  if (!known) return true;
  if (known.deleted) return false;
  return comment.deleted || comment.revision >= known.revision;
}

export class Threads {
  constructor(userId, {call, onChange}) {
    this.userId = userId;
    this.call = call;          // (method, url, body) => fetch Response
    this.onChange = onChange;  // () => redraw
    this.threads = new Map();  // task id -> {comments: Map, loaded, error}
    this.open = new Set();     // task ids whose thread is shown
  }

  key(taskId) {
    return `${this.userId}:comments:${taskId}`;
  }

  thread(taskId) {
    if (!this.threads.has(taskId)) this.threads.set(taskId, {comments: new Map(), loaded: false, error: ""});
    return this.threads.get(taskId);
  }

  /** Comments of a task, oldest first ([] when never loaded). */
  list(taskId) {
    const thread = this.threads.get(taskId);
    return thread ? [...thread.comments.values()].sort((a, b) => a.id - b.id) : [];
  }

  async toggle(taskId) {
    if (this.open.has(taskId)) {
      this.open.delete(taskId);
      return this.onChange();
    }
    this.open.add(taskId);
    const thread = this.thread(taskId);
    if (!thread.loaded) {
      for (const comment of (await db.getMeta(this.key(taskId))) || []) this.merge(thread, comment);
    }
    this.onChange();
    await this.load(taskId);
  }

  /** The server's thread, merged with what events brought meanwhile. */
  async load(taskId) {
    const thread = this.thread(taskId);
    let response;
    try {
      response = await this.call("GET", `/api/task/${taskId}/comments/`);
    } catch (err) {
      thread.error = t("The server cannot be reached: showing the comments kept on this device.");
      return this.onChange();
    }
    if (!response.ok) {
      thread.error = await reason(response);
      return this.onChange();
    }
    const body = await response.json();
    for (const comment of body.comments) this.merge(thread, comment);
    thread.loaded = true;
    thread.error = "";
    await this.save(taskId);
    this.onChange();
  }

  merge(thread, comment) {
    if (!newer(thread.comments.get(comment.id), comment)) return false;
    thread.comments.set(comment.id, comment);
    return true;
  }

  /** A comment from a push event or an answer; only threads this device keeps are updated. */
  async apply(comment) {
    const thread = this.threads.get(comment.task_id);
    if (!thread || !this.merge(thread, comment)) return;
    await this.save(comment.task_id);
    this.onChange();
  }

  async save(taskId) {
    await db.setMeta(this.key(taskId), this.list(taskId));
  }

  /** PATCH or DELETE one's comment: "" when done, else the reason to show. */
  async change(comment, method, body) {
    let response;
    try {
      response = await this.call(method, `/api/comments/${comment.id}/`, body);
    } catch (err) {
      return t("The server cannot be reached: try again when you are back online.");
    }
    if (!response.ok) return reason(response);
    await this.apply(await response.json());
    return "";
  }
}

/** Every shown card's thread. me: {userId, username, fullName, admin, online}. */
export function drawThreads(container, {tasks, threads, outbox, me}) {
  const ctx = {...me,
    onEdit: (comment, li) => openEditor(li, comment, (body) => threads.change(comment, "PATCH", {body})),
    onDelete: (comment, li) => confirmDelete(li, () => threads.change(comment, "DELETE"))};
  for (const card of container.children) {
    const taskId = Number(card.dataset.taskId);
    const pending = outbox.filter((entry) => entry.kind === "comment" && entry.task_id === taskId);
    const open = threads.open.has(taskId);
    const task = tasks.get(taskId);
    const comments = threads.list(taskId);
    const count = task.comment_count ?? comments.filter((c) => !c.deleted).length;
    const toggle = ref(card, "thread-toggle");
    toggle.textContent = pending.length
      ? tn("Comments ({count} + {num} unsent)", "Comments ({count} + {num} unsent)", pending.length, {count})
      : t("Comments ({count})", {count});
    toggle.setAttribute("aria-expanded", String(open));
    ref(card, "thread").hidden = !open;
    if (!open) continue;
    const note = threads.threads.get(taskId)?.error || "";
    ref(card, "thread-note").textContent = note;
    ref(card, "thread-note").hidden = !note;
    drawComments(ref(card, "comments"), ref(card, "comments-empty"), {comments, pending, ctx});
  }
}
