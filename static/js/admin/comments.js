// The task page's comment thread: loaded from the API, kept live by comment.* events, drawn by
// the thread the web app draws too (shared/thread.js).
import {call, reason} from "../shared/http.js";
import {number, t} from "../shared/i18n.js";
import {checkBody, confirmDelete, drawComments, openEditor} from "../shared/thread.js";
import {flash} from "../shared/ui.js";

/** A random id; crypto.randomUUID exists only in secure contexts (not plain http off localhost). */
function clientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class Thread {
  constructor(root) {
    this.root = root;
    this.refs = {};
    for (const el of root.querySelectorAll("[data-ref]")) this.refs[el.dataset.ref] = el;
    this.taskId = Number(root.dataset.taskId);
    this.comments = new Map();
    this.ctx = {userId: Number(root.dataset.userId), username: root.dataset.username || "",
      admin: root.dataset.admin === "yes", online: true,
      onEdit: (comment, li) => openEditor(li, comment, (body) => this.change(comment, "PATCH", {body})),
      onDelete: (comment, li) => confirmDelete(li, () => this.change(comment, "DELETE"))};
    // A reader of the team (a viewer) has no form: the thread is read-only.
    this.refs.form?.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
  }

  async load() {
    const response = await call("GET", `/api/task/${this.taskId}/comments/`);
    if (!response.ok) throw new Error(await reason(response));
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
    this.refs.empty.textContent = t("No comments yet.");
    drawComments(this.refs.thread, this.refs.empty, {comments: sorted, ctx: this.ctx});
    this.refs.count.textContent = `(${number(sorted.filter((c) => !c.deleted).length)})`;
  }

  /** PATCH or DELETE a comment: "" when done, else the reason to show. */
  async change(comment, method, body) {
    try {
      const answer = await call(method, `/api/comments/${comment.id}/`, body);
      if (!answer.ok) return reason(answer);
      this.apply(await answer.json());
      return "";
    } catch {
      return t("The server cannot be reached: try again in a moment.");
    }
  }

  /** Post the form's text; the client id makes a retry after a lost answer harmless. */
  async send() {
    const checked = checkBody(this.refs.body.value);
    if (checked.error) return this.say(checked.error);
    this.clientId = this.clientId || clientId();
    this.refs.send.disabled = true;
    try {
      const answer = await call("POST", `/api/task/${this.taskId}/comments/`,
        {body: checked.body, client_comment_id: this.clientId});
      if (!answer.ok) return this.say(await reason(answer));
      this.apply(await answer.json());
      this.refs.body.value = "";
      this.clientId = null;
      this.say("");
    } catch {
      this.say(t("Not sent: the server cannot be reached. Try again; it will be posted once."));
    } finally {
      this.refs.send.disabled = false;
    }
  }

  say(text) {
    this.refs.error.textContent = text;
  }
}
