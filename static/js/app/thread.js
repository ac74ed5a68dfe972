// One task's comment thread inside its card: delivered comments, then this device's unsent ones.
// Text only (textContent and text nodes); an item is rebuilt only when its comment changed, so an
// open editor survives live updates.
import {bodyNodes} from "../comments.js";
import {shortTime} from "../ui.js";
import {ref} from "./cards.js";
import {checkBody} from "./comments.js";

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function head(name, iso, extra) {
  const line = element("p", "comment-head");
  line.append(element("strong", "", name), " ");
  if (iso) {
    const time = element("time", "muted", shortTime(iso));
    time.dateTime = iso;
    line.append(time);
  }
  if (extra) line.append(" ", extra);
  return line;
}

/** ctx: {userId, username, fullName, admin, online, onEdit(comment, li), onDelete(comment, li)} */
function delivered(comment, ctx) {
  const li = element("li", "comment");
  li.dataset.commentId = String(comment.id);
  if (comment.deleted) {
    li.classList.add("deleted");
    li.append(head(comment.author.full_name || comment.author.username, comment.created_at),
      element("p", "comment-body muted", "This comment was deleted."));
    return li;
  }
  const edited = comment.edited_at ? element("span", "muted", "· edited") : null;
  const body = element("p", "comment-body");
  body.append(...bodyNodes(comment));
  for (const span of body.querySelectorAll(".mention")) {
    if (span.textContent.slice(1).toLowerCase() === ctx.username.toLowerCase()) span.classList.add("mention-me");
  }
  li.append(head(comment.author.full_name || comment.author.username, comment.created_at, edited), body);
  const mine = comment.author.id === ctx.userId;
  if (mine || ctx.admin) {
    const bar = element("p", "comment-actions");
    if (mine) bar.append(button("Edit", () => ctx.onEdit(comment, li), ctx.online));
    bar.append(button("Delete", () => ctx.onDelete(comment, li), ctx.online));
    li.append(bar, element("p", "comment-error"));
  }
  return li;
}

function button(text, onClick, online) {
  const el = element("button", "btn btn-quiet", text);
  el.type = "button";
  el.disabled = !online;
  el.title = online ? "" : "Needs the server: you are offline";
  el.addEventListener("click", onClick);
  return el;
}

function unsent(entry, ctx) {
  const li = element("li", "comment comment-unsent");
  li.dataset.outboxSeq = String(entry.seq);
  li.append(head(ctx.fullName, entry.created_at, element("span", "mark mark-unsent", "Unsent")),
    element("p", "comment-body", entry.body.body));
  return li;
}

function itemKey(comment) {
  return `c${comment.id}:${comment.revision}:${comment.deleted}:${comment.edited_at}`;
}

/** Draw the thread of `task` into `card` (only while it is open). */
function fillThread(card, task, {open, comments, pending, note, ctx}) {
  const toggle = ref(card, "thread-toggle");
  const count = task.comment_count ?? comments.filter((c) => !c.deleted).length;
  toggle.textContent = `Comments (${count}${pending.length ? ` + ${pending.length} unsent` : ""})`;
  toggle.setAttribute("aria-expanded", String(open));
  ref(card, "thread").hidden = !open;
  if (!open) return;
  ref(card, "thread-note").textContent = note;
  ref(card, "thread-note").hidden = !note;
  const list = ref(card, "comments");
  const existing = new Map([...list.children].map((li) => [li.dataset.key, li]));
  const items = comments.map((comment) => {
    const key = `${itemKey(comment)}:${ctx.online}`;
    const li = existing.get(key) || delivered(comment, ctx);
    li.dataset.key = key;
    return li;
  });
  for (const entry of pending) {
    const key = `u${entry.seq}`;
    const li = existing.get(key) || unsent(entry, ctx);
    li.dataset.key = key;
    items.push(li);
  }
  if (!items.length) {
    const empty = existing.get("empty") || element("li", "muted empty", "No comments yet.");
    empty.dataset.key = "empty";
    items.push(empty);
  }
  items.forEach((li, index) => {
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
  });
  for (const li of [...list.children].slice(items.length)) li.remove();
}

/** Swap a comment's body for an editor; resolves when saved or cancelled. */
export function openEditor(li, comment, save) {
  const area = element("textarea", "comment-edit");
  area.value = comment.body;
  area.rows = 3;
  area.setAttribute("aria-label", "Edit your comment");
  const ok = element("button", "btn btn-primary", "Save");
  const cancel = element("button", "btn btn-quiet", "Cancel");
  ok.type = cancel.type = "button";
  const body = li.querySelector(".comment-body");
  const bar = li.querySelector(".comment-actions");
  const buttons = [...bar.children];
  const close = () => {
    area.replaceWith(body);
    bar.replaceChildren(...buttons);
  };
  cancel.addEventListener("click", close);
  ok.addEventListener("click", async () => {
    const error = await save(area.value);
    li.querySelector(".comment-error").textContent = error;
    if (!error && area.isConnected) close();
  });
  body.replaceWith(area);
  bar.replaceChildren(ok, cancel);
  area.focus();
}

/** Every shown card's thread. me: {userId, username, fullName, admin, online}. */
export function drawThreads(container, {tasks, threads, outbox, me}) {
  const ctx = {...me,
    onEdit: (comment, li) => openEditor(li, comment, async (text) => {
      const checked = checkBody(text);
      return checked.error || threads.change(comment, "PATCH", {body: checked.body});
    }),
    onDelete: async (comment, li) => {
      if (!confirm("Delete this comment? Admins keep its earlier text in the audit trail.")) return;
      li.querySelector(".comment-error").textContent = await threads.change(comment, "DELETE");
    }};
  for (const card of container.children) {
    const taskId = Number(card.dataset.taskId);
    const thread = threads.threads.get(taskId);
    fillThread(card, tasks.get(taskId), {open: threads.open.has(taskId), ctx,
      comments: threads.list(taskId), note: thread ? thread.error : "",
      pending: outbox.filter((entry) => entry.kind === "comment" && entry.task_id === taskId)});
  }
}
