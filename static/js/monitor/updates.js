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
    this.asking = new Set();  // sent, not answered yet
    this.generation = 0;      // bumps on clear(): an answer to an older request is dropped
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

  forget(id) {
    this.lists.delete(id);
    this.loaded.delete(id);
  }

  /** Everything is read again when next drawn (the events in between may have been missed). */
  clear() {
    this.generation += 1;
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
    const generation = this.generation;
    ids.forEach((id) => this.asking.add(id));
    let answer;
    try {
      answer = await fetchPage(URL + ids.join(","));
    } catch (err) {
      if (generation !== this.generation) return;
      ids.forEach((id) => this.asking.delete(id));
      if (!err.signedOut) setTimeout(() => { ids.forEach((id) => this.wanted.add(id)); this.send(); }, RETRY_MS);
      return;
    }
    if (generation !== this.generation) return;
    for (const id of ids) {
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
