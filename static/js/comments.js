// A task's comment thread on the task page: drawn from the API, kept live by comment.* events.
import {flash, shortTime} from "./ui.js";

const MENTION = /(^|[^\w@.])@([A-Za-z0-9_.-]{3,64})/g;

/** The body as text nodes, each linkable @mention in a span: never markup from the text. */
export function bodyNodes(comment) {
  const linked = new Set(comment.mentions.map((m) => m.username.toLowerCase()));
  const nodes = [];
  let last = 0;
  for (const match of comment.body.matchAll(MENTION)) {
    const name = match[2].replace(/[.-]+$/, "");
    if (!linked.has(name.toLowerCase())) continue;
    const start = match.index + match[1].length;
    nodes.push(document.createTextNode(comment.body.slice(last, start)));
    const span = document.createElement("span");
    span.className = "mention";
    span.textContent = `@${name}`;
    nodes.push(span);
    last = start + name.length + 1;
  }
  nodes.push(document.createTextNode(comment.body.slice(last)));
  return nodes;
}

/** A random id; crypto.randomUUID exists only in secure contexts (not plain http off localhost). */
function clientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export class Thread {
  constructor(root) {
    this.root = root;
    this.refs = {};
    for (const el of root.querySelectorAll("[data-ref]")) this.refs[el.dataset.ref] = el;
    this.taskId = Number(root.dataset.taskId);
    this.userId = Number(root.dataset.userId);
    this.admin = root.dataset.admin === "yes";
    this.comments = new Map();
    // A reader of the team (a viewer) has no form: the thread is read-only.
    this.refs.form?.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
  }

  async load() {
    const response = await this.call("GET", `/api/task/${this.taskId}/comments/`);
    const body = await response.json();
    this.comments = new Map(body.comments.map((c) => [c.id, c]));
    this.draw();
  }

  /** A comment from an event or an answer: newer revisions replace, older ones are ignored. */
  apply(comment) {
    const known = this.comments.get(comment.id);
    if (known && known.revision > comment.revision && !comment.deleted) return;
    const fresh = !known || known.deleted !== comment.deleted || known.revision !== comment.revision;
    this.comments.set(comment.id, comment);
    this.draw();
    const item = this.refs.thread.querySelector(`[data-comment-id="${comment.id}"]`);
    if (fresh && item) flash(item);
  }

  draw() {
    const sorted = [...this.comments.values()].sort((a, b) => a.id - b.id);
    const items = sorted.map((c) => this.item(c));
    if (!items.length) items.push(element("li", "muted empty", "No comments yet."));
    this.refs.thread.replaceChildren(...items);
    const live = sorted.filter((c) => !c.deleted).length;
    this.refs.count.textContent = `(${live})`;
  }

  item(comment) {
    const li = element("li", "comment");
    li.dataset.commentId = comment.id;
    const head = element("p", "comment-head");
    head.append(element("strong", "who", comment.author.full_name || comment.author.username), " ");
    const time = element("time", "muted small", shortTime(comment.created_at));
    time.dateTime = comment.created_at;
    head.append(time);
    if (comment.edited_at && !comment.deleted) head.append(element("span", "muted small edited", " · edited"));
    li.append(head);
    if (comment.deleted) {
      li.classList.add("deleted");
      li.append(element("p", "comment-body muted", "This comment was deleted."));
      return li;
    }
    const body = element("p", "comment-body");
    body.append(...bodyNodes(comment));
    li.append(body, this.actions(comment, li));
    return li;
  }

  actions(comment, li) {
    const bar = element("p", "comment-actions");
    if (comment.author.id === this.userId) {
      const edit = element("button", "btn btn-quiet", "Edit");
      edit.type = "button";
      edit.addEventListener("click", () => this.editor(comment, li));
      bar.append(edit);
    }
    if (comment.author.id === this.userId || this.admin) {
      const remove = element("button", "btn btn-quiet", "Delete");
      remove.type = "button";
      remove.addEventListener("click", () => this.remove(comment));
      bar.append(remove);
    }
    return bar;
  }

  editor(comment, li) {
    const area = element("textarea", "comment-edit");
    area.value = comment.body;
    area.maxLength = 10000;
    area.setAttribute("aria-label", "Edit your comment");
    const save = element("button", "btn btn-primary", "Save");
    const cancel = element("button", "btn btn-quiet", "Cancel");
    save.type = cancel.type = "button";
    cancel.addEventListener("click", () => this.draw());
    save.addEventListener("click", async () => {
      const answer = await this.call("PATCH", `/api/comments/${comment.id}/`, {body: area.value});
      if (answer.ok) this.apply(await answer.json()); else this.fail(answer);
    });
    li.querySelector(".comment-body").replaceWith(area);
    li.querySelector(".comment-actions").replaceChildren(save, cancel);
    area.focus();
  }

  async remove(comment) {
    if (!window.confirm("Delete this comment? Admins keep its revisions in the audit trail.")) return;
    const answer = await this.call("DELETE", `/api/comments/${comment.id}/`);
    if (answer.ok) this.apply(await answer.json()); else this.fail(answer);
  }

  /** Post the form's text; the client id makes a retry after a lost answer harmless. */
  async send() {
    const text = this.refs.body.value;
    if (!text.trim()) return this.say("Write something first.");
    this.clientId = this.clientId || clientId();
    this.refs.send.disabled = true;
    try {
      const answer = await this.call("POST", `/api/task/${this.taskId}/comments/`,
        {body: text, client_comment_id: this.clientId});
      if (!answer.ok) return this.fail(answer);
      this.apply(await answer.json());
      this.refs.body.value = "";
      this.clientId = null;
      this.say("");
    } catch {
      this.say("Not sent: the server cannot be reached. Try again; it will be posted once.");
    } finally {
      this.refs.send.disabled = false;
    }
  }

  async fail(answer) {
    const body = await answer.json().catch(() => ({}));
    this.say((body.error && body.error.message) || `Refused (${answer.status})`);
  }

  say(text) {
    this.refs.error.textContent = text;
  }

  call(method, url, body) {
    const headers = {"X-XSRFToken": this.root.querySelector("input[name=_xsrf]").value};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)});
  }
}
