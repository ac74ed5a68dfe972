// IndexedDB for the web app: the cached task list, the push cursor and the outbox, shared by every
// tab and the service worker. Every record is keyed by user, so a second account on the same
// browser never sends or sees the first one's changes.

const NAME = "tracker-app";
const VERSION = 1;
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
    db.createObjectStore("meta");  // "<user id>:tasks", ":cursor", ":etag"; "current", "xsrf"
    const outbox = db.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true});
    outbox.createIndex("user", "user_id");
    const refused = db.createObjectStore("refused", {keyPath: "seq"});
    refused.createIndex("user", "user_id");
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

/** Forget one user's cached tasks, threads and cursor (on sign-out); the outbox is theirs. */
export async function forgetUser(userId) {
  const keys = await run("meta", "readonly", (s) => s.getAllKeys());
  const mine = keys.filter((key) => typeof key === "string" && key.startsWith(`${userId}:`));
  await run("meta", "readwrite", (s) => mine.forEach((key) => s.delete(key)));
}
