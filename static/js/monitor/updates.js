// Each card's last updates: the monitor's first answer carries none; a card asks for its own when
// it is drawn, asked together with the other cards of the same frame, and live events keep them
// right (before or after the answer: the two are merged by update id, newest first).
import {fetchPage} from "../shared/ui.js";

export const RECENT = 5;  // updates shown per card
const URL = "/api/admin/task-updates/?ids=";
const BATCH = 100;          // ids per request (the server takes up to 200)
const RETRY_MS = 5000;      // a failed read is asked again this much later

export class Updates {
  /** `onLoaded()` is called when lists arrived: the cards drawn from them draw again. */
  constructor(onLoaded) {
    this.onLoaded = onLoaded;
    this.lists = new Map();   // task id -> [update], newest first (loaded, or only what events brought)
    this.loaded = new Set();  // task ids whose list the server has answered
    this.wanted = new Set();  // asked for by a drawn card, not sent yet
    this.asking = new Map();  // task id -> the request it went out in, not answered yet; an
                              // answer counts only for the ids still waiting on that request
  }

  /** The list a card shows, or null while it is loading (then it is asked for). */
  of(id) {
    if (this.loaded.has(id)) return this.lists.get(id);
    if (!this.asking.has(id)) this.wanted.add(id);
    return null;
  }

  /** An update a live event brought. */
  take(id, update) {
    const list = this.lists.get(id) || [];
    if (!list.some((u) => u.id === update.id)) this.lists.set(id, merged(list, [update]));
  }

  /** Read this task's list again when its card is next drawn: a request still out for it may
   * have been answered before the changes that made the page forget it, so its answer is dropped. */
  forget(id) {
    this.lists.delete(id);
    this.loaded.delete(id);
    this.asking.delete(id);
  }

  /** Everything is read again when next drawn (the events in between may have been missed). */
  clear() {
    this.lists.clear();
    this.loaded.clear();
    this.asking.clear();
  }

  /** Send what the drawn cards asked for (called once a frame is drawn). */
  send() {
    const ids = [...this.wanted];
    this.wanted.clear();
    for (let start = 0; start < ids.length; start += BATCH) this.ask(ids.slice(start, start + BATCH));
  }

  async ask(ids) {
    const request = {};
    ids.forEach((id) => this.asking.set(id, request));
    const waiting = () => ids.filter((id) => this.asking.get(id) === request);
    let answer;
    try {
      answer = await fetchPage(URL + ids.join(","));
    } catch (err) {
      const again = waiting();
      again.forEach((id) => this.asking.delete(id));
      if (again.length && !err.signedOut) {
        setTimeout(() => { again.forEach((id) => this.wanted.add(id)); this.send(); }, RETRY_MS);
      }
      return;
    }
    for (const id of waiting()) {
      this.asking.delete(id);
      const found = answer.updates[id];
      if (!found) continue;  // no longer on the board (or not the reader's to see)
      this.lists.set(id, merged(this.lists.get(id) || [], found));
      this.loaded.add(id);
    }
    this.onLoaded();
  }
}

/** Two lists of updates as one, each update once, newest first, at most RECENT. */
function merged(a, b) {
  const byId = new Map([...a, ...b].map((u) => [u.id, u]));
  return [...byId.values()].sort((x, y) => y.id - x.id).slice(0, RECENT);
}
