// A task's comment thread, drawn the same way on the task page and in the web app: text only
// (text nodes, @mentions as spans), an item rebuilt only when its comment changed (an open
// editor survives live updates), edit and delete for the author, delete for admins.
import {button, el} from "./dom.js";
import {number, t} from "./i18n.js";
import {shortTime} from "./ui.js";

export const MAX_BODY = 10000;
export const deleteQuestion = () => t("Delete this comment? Admins keep its earlier text in the audit trail.");
const MENTION = /(^|[^\w@.])@([A-Za-z0-9_.-]{3,64})/g;

/** The text to send, or the reason it cannot be sent (the server's own rules, checked first). */
export function checkBody(raw) {
  const body = raw.trim();
  if (!body) return {error: t("Write something first: a comment cannot be blank.")};
  const length = [...body].length;  // characters, as the server counts them (not UTF-16 units)
  if (length > MAX_BODY) {
    return {error: t("A comment can be at most {most} characters; this one has {length}.",
      {most: number(MAX_BODY), length: number(length)})};
  }
  return {body};
}

/** The body as text nodes, each @mention the server linked in a span (the reader's own marked). */
export function bodyNodes(comment, me = "") {
  const linked = new Set((comment.mentions || []).map((m) => m.username.toLowerCase()));
  const nodes = [];
  let last = 0;
  for (const match of comment.body.matchAll(MENTION)) {
    const name = match[2].replace(/[.-]+$/, "");
    if (!linked.has(name.toLowerCase())) continue;
    const start = match.index + match[1].length;
    nodes.push(document.createTextNode(comment.body.slice(last, start)));
    const mine = name.toLowerCase() === me.toLowerCase();
    nodes.push(el("span", {class: mine ? "mention mention-me" : "mention"}, `@${name}`));
    last = start + name.length + 1;
  }
  nodes.push(document.createTextNode(comment.body.slice(last)));
  return nodes;
}

function head(name, iso, extra) {
  const time = iso ? el("time", {class: "muted small", dateTime: iso, text: shortTime(iso)}) : null;
  return el("p", {class: "comment-head"}, el("strong", {class: "who"}, name), " ", time, extra ? " " : null, extra);
}

const authorName = (comment) => comment.author.full_name || comment.author.username;

/** ctx: {userId, username, admin, online, onEdit(comment, li), onDelete(comment, li)} */
function delivered(comment, ctx) {
  const li = el("li", {class: "comment", data: {commentId: String(comment.id)}});
  if (comment.deleted) {
    li.classList.add("deleted");
    li.append(head(authorName(comment), comment.created_at),
      el("p", {class: "comment-body muted"}, t("This comment was deleted.")));
    return li;
  }
  const edited = comment.edited_at ? el("span", {class: "muted small edited"}, t("· edited")) : null;
  li.append(head(authorName(comment), comment.created_at, edited),
    el("p", {class: "comment-body"}, ...bodyNodes(comment, ctx.username)));
  const mine = comment.author.id === ctx.userId;
  if (mine || ctx.admin) {
    const offline = {disabled: !ctx.online, title: ctx.online ? "" : t("Needs the server: you are offline")};
    li.append(el("p", {class: "comment-actions"},
      mine ? button(t("Edit"), () => ctx.onEdit(comment, li), offline) : null,
      button(t("Delete"), () => ctx.onDelete(comment, li), offline)),
    el("p", {class: "comment-error", attrs: {role: "alert"}}));
  }
  return li;
}

function unsent(entry, ctx) {
  return el("li", {class: "comment comment-unsent", data: {outboxSeq: String(entry.seq)}},
    head(ctx.fullName, entry.created_at, el("span", {class: "mark mark-unsent"}, t("Unsent"))),
    el("p", {class: "comment-body"}, entry.body.body));
}

const itemKey = (c, online) => `c${c.id}:${c.revision}:${c.deleted}:${c.edited_at}:${online}`;

/**
 * Draw `comments` (delivered, oldest first) then `pending` (this device's unsent ones) into the
 * list; `empty` (a sibling paragraph) shows instead of the list when there is none.
 */
export function drawComments(list, empty, {comments, pending = [], ctx}) {
  const existing = new Map([...list.children].map((li) => [li.dataset.key, li]));
  const items = comments.map((comment) => keyed(existing, itemKey(comment, ctx.online), () => delivered(comment, ctx)));
  for (const entry of pending) items.push(keyed(existing, `u${entry.seq}`, () => unsent(entry, ctx)));
  items.forEach((li, index) => {
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
  });
  for (const li of [...list.children].slice(items.length)) li.remove();
  list.hidden = items.length === 0;
  empty.hidden = items.length > 0;
}

function keyed(existing, key, make) {
  const li = existing.get(key) || make();
  li.dataset.key = key;
  return li;
}

/** Swap a comment's body for an editor; `save(text)` resolves to "" or the reason it failed. */
export function openEditor(li, comment, save) {
  const area = el("textarea", {class: "comment-edit", rows: 3, maxLength: MAX_BODY, value: comment.body,
    attrs: {"aria-label": t("Edit your comment")}});
  const body = li.querySelector(".comment-body");
  const bar = li.querySelector(".comment-actions");
  const buttons = [...bar.children];
  const close = () => {
    area.replaceWith(body);
    bar.replaceChildren(...buttons);
  };
  const ok = button(t("Save"), async () => {
    const checked = checkBody(area.value);
    const error = checked.error || await save(checked.body);
    li.querySelector(".comment-error").textContent = error;
    if (!error && area.isConnected) close();
  }, {class: "btn btn-primary"});
  body.replaceWith(area);
  bar.replaceChildren(ok, button(t("Cancel"), close));
  area.focus();
}

/** Ask, then `remove()` (resolves to "" or the reason) and show the reason under the comment. */
export async function confirmDelete(li, remove) {
  if (!window.confirm(deleteQuestion())) return;
  li.querySelector(".comment-error").textContent = await remove();
}
