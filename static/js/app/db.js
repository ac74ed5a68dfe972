// IndexedDB for the web app: the cached task list, the push cursor and the outbox, shared by every
// tab and the service worker. Every record is keyed by user, so a second account on the same
// browser never sends or sees the first one's changes.

const NAME = "tracker-app";
const VERSION = 2;  // 2: the same stores, made where missing (an empty database of version 1)
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (opening) return opening;
  const request = indexedDB.open(NAME, VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    const has = (name) => db.objectStoreNames.contains(name);
    if (!has("meta")) db.createObjectStore("meta");  // "<user id>:tasks", ":cursor", ":etag"; "current", "xsrf"
    if (!has("outbox")) {
      db.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true}).createIndex("user", "user_id");
    }
    if (!has("refused")) db.createObjectStore("refused", {keyPath: "seq"}).createIndex("user", "user_id");
  };
  opening = promised(request);
  return opening;
}

async function run(store, mode, action) {
  const db = await open();
  const tx = db.transaction(store, mode);
  const result = action(tx.objectStore(store));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const getMeta = (key) => run("meta", "readonly", (s) => s.get(key));
export const setMeta = (key, value) => run("meta", "readwrite", (s) => s.put(value, key));

/** Entries of one user, oldest first (the order they must reach the server in). */
export async function entries(store, userId) {
  const rows = await run(store, "readonly", (s) => s.index("user").getAll(userId));
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Written before anything is shown or sent: the change survives a crash or a closed tab. */
export const addOutbox = (entry) => run("outbox", "readwrite", (s) => s.add(entry));
export const deleteOutbox = (seq) => run("outbox", "readwrite", (s) => s.delete(seq));
export const deleteRefused = (seq) => run("refused", "readwrite", (s) => s.delete(seq));

/** A refused entry moves to "refused" in one transaction: never lost, never sent twice. */
export async function refuse(entry, reason) {
  const db = await open();
  const tx = db.transaction(["outbox", "refused"], "readwrite");
  tx.objectStore("outbox").delete(entry.seq);
  tx.objectStore("refused").put({...entry, reason});
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * One transaction over `stores`: `action(tx, get)` may await `get(request)` (a request's result)
 * any number of times; everything it wrote commits together or not at all.
 */
export async function transact(stores, action) {
  const db = await open();
  const tx = db.transaction(stores, "readwrite");
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  let result;
  try {
    result = await action(tx, promised);
  } catch (err) {
    tx.abort();
    await done.catch(() => {});
    throw err;
  }
  await done;
  return result;
}

// What a user's unsent work needs after a 401: the running timer and the idle question.
const WORK = ["timer", "idle"];

/** Forget one user's cached tasks, threads and cursor; `keepWork` keeps what their unsent
 * changes need (the outbox itself is never touched here). */
export async function forgetUser(userId, {keepWork = false} = {}) {
  const keep = keepWork ? new Set(WORK.map((name) => `${userId}:${name}`)) : new Set();
  const keys = await run("meta", "readonly", (s) => s.getAllKeys());
  const mine = keys.filter((key) => typeof key === "string" && key.startsWith(`${userId}:`) && !keep.has(key));
  await run("meta", "readwrite", (s) => mine.forEach((key) => s.delete(key)));
}

/** Everything of every other user: cached data, outbox and refused changes. */
export function forgetOthers(userId) {
  return transact(["meta", "outbox", "refused"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    for (const key of await get(meta.getAllKeys())) {
      if (typeof key === "string" && /^\d+:/.test(key) && !key.startsWith(`${userId}:`)) meta.delete(key);
    }
    for (const name of ["outbox", "refused"]) {
      const store = tx.objectStore(name);
      for (const row of await get(store.getAll())) if (row.user_id !== userId) store.delete(row.seq);
    }
  });
}
