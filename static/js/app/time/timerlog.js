// The timer's journal in IndexedDB, the desktop app's rules: the running timer and every start,
// stop and finished run in the outbox, in order with the other changes, each under a
// client_entry_id. Every step is one transaction, so two tabs (or the worker) never see half of it.
// Each change keeps marks of its moments (clock.js): what goes to the server is how long ago they
// were, never this device's wall-clock time; the ISO times kept beside them are for showing.
import {N_, t} from "../../shared/i18n.js";
import {mark, markFromIso} from "./clock.js";
import {transact} from "../db.js";

export const IDLE_NOTE = N_("Idle time kept as work");  // the note is the person's: in their words
const MAX_RUN_MS = 12 * 3600 * 1000;  // the server's longest entry: a run is never sent longer
const KINDS = new Set(["timer-start", "timer-stop", "time-entry"]);

export const isTimerOp = (entry) => KINDS.has(entry.kind);
const runKey = (userId) => `${userId}:timer`;
const idleKey = (userId) => `${userId}:idle`;

/** A moment as the server keeps it: UTC, whole seconds. */
export function stamp(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function newKey() {
  return `web-${crypto.randomUUID()}`;
}

async function opsOf(store, get, userId) {
  const rows = await get(store.index("user").getAll(userId));
  return rows.sort((a, b) => a.seq - b.seq);
}

function op(userId, taskId, kind, body, extra = {}) {
  return {user_id: userId, task_id: taskId, kind, body, created_at: new Date().toISOString(), ...extra};
}

const startOf = (run) => run.start || markFromIso(run.started_at);

/** Stop `run` at `atMs` (never before its start, never past 12 h of it): a start the server never
 * received becomes one finished entry (or nothing, when it lasted no second), else a stop. */
async function stopIn(tx, get, userId, run, atMs) {
  const began = startOf(run).ms;
  const endMs = Math.min(Math.max(atMs, began), began + MAX_RUN_MS);
  const endedAt = stamp(endMs);
  const ended = mark(endMs);
  const outbox = tx.objectStore("outbox");
  tx.objectStore("meta").delete(runKey(userId));
  const unsent = run.client_entry_id && (await opsOf(outbox, get, userId)).find((entry) =>
    entry.kind === "timer-start" && entry.body.client_entry_id === run.client_entry_id && !entry.sending);
  if (unsent && endedAt === run.started_at) {
    outbox.delete(unsent.seq);
  } else if (unsent) {  // same seq: the run keeps its place in the order of changes
    outbox.put({...unsent, kind: "time-entry", body: {client_entry_id: run.client_entry_id, note: "",
      source: "timer"}, marks: {started: startOf(run), ended}, started_at: run.started_at, ended_at: endedAt});
  } else {
    const body = run.client_entry_id ? {client_entry_id: run.client_entry_id} : {};  // else: a server's run
    outbox.add(op(userId, run.task_id, "timer-stop", body, {marks: {ended}, started_at: run.started_at,
      ended_at: endedAt}));
  }
  return {...run, ended_at: endedAt, end: ended};
}

export function readRun(userId) {
  return transact(["meta"], (tx, get) => get(tx.objectStore("meta").get(runKey(userId))));
}

export function readIdle(userId) {
  return transact(["meta"], (tx, get) => get(tx.objectStore("meta").get(idleKey(userId))));
}

/** Start on `taskId` at `atMs`; the running timer stops at the same moment. */
export function startRun(userId, taskId, atMs) {
  return transact(["meta", "outbox"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    const current = await get(meta.get(runKey(userId)));
    if (current) await stopIn(tx, get, userId, current, atMs);
    const run = {client_entry_id: newKey(), task_id: taskId, started_at: stamp(atMs), start: mark(atMs),
      last_active_at: stamp(atMs)};
    meta.put(run, runKey(userId));
    tx.objectStore("outbox").add(op(userId, taskId, "timer-start", {client_entry_id: run.client_entry_id},
      {marks: {started: run.start}, started_at: run.started_at}));
    return run;
  });
}

/** Stop the running timer at `atMs`; with `idle`, also remember the span to ask about. */
export function stopRun(userId, atMs, {idle = false} = {}) {
  return transact(["meta", "outbox"], async (tx, get) => {
    const current = await get(tx.objectStore("meta").get(runKey(userId)));
    if (!current) return null;
    const stopped = await stopIn(tx, get, userId, current, atMs);
    if (idle) {
      tx.objectStore("meta").put({task_id: stopped.task_id, started_at: stopped.ended_at, start: stopped.end,
        client_entry_id: stopped.client_entry_id}, idleKey(userId));
    }
    return stopped;
  });
}

/** The person is ACTIVE at `nowMs`: where a timer left by a closed page is stopped. */
export function touchActive(userId, nowMs) {
  return transact(["meta"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    const run = await get(meta.get(runKey(userId)));
    if (run) meta.put({...run, last_active_at: stamp(nowMs)}, runKey(userId));
  });
}

/** A timer still running when the first tab opens was left by a page closed without its
 * stop: it stops where the person was last known ACTIVE. An idle question never asked (the page
 * closed while idle) goes too: the time since was no idle time on this page. */
export function closeOrphan(userId) {
  return transact(["meta", "outbox"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    const question = await get(meta.get(idleKey(userId)));
    if (question && !question.ended_at) meta.delete(idleKey(userId));
    const run = await get(meta.get(runKey(userId)));
    return run ? stopIn(tx, get, userId, run, Date.parse(run.last_active_at || run.started_at)) : null;
  });
}

/** Back from idle at `nowMs`: the question's span ends here (the first tab to see it decides). */
export function backFromIdle(userId, nowMs) {
  return transact(["meta"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    const question = await get(meta.get(idleKey(userId)));
    if (!question || question.ended_at) return question || null;
    const ended = {...question, ended_at: stamp(nowMs), end: mark(nowMs)};
    if (ended.ended_at <= ended.started_at) {
      meta.delete(idleKey(userId));
      return null;
    }
    meta.put(ended, idleKey(userId));
    return ended;
  });
}

/**
 * Answer the idle question once, whichever tab answers first: Keep queues one entry for the span
 * (from `serverEnd`, a mark of where the server ended the timer, when known), Discard nothing.
 * Resolves to the queued op, or null.
 */
export function answerIdle(userId, keep, serverEnd = null) {
  return transact(["meta", "outbox"], async (tx, get) => {
    const meta = tx.objectStore("meta");
    const question = await get(meta.get(idleKey(userId)));
    if (!question || !question.ended_at) return null;
    meta.delete(idleKey(userId));
    const started = serverEnd || question.start || markFromIso(question.started_at);
    const ended = question.end || markFromIso(question.ended_at);
    if (!keep || ended.ms - started.ms < 1000) return null;
    const entry = op(userId, question.task_id, "time-entry", {client_entry_id: newKey(), note: t(IDLE_NOTE),
      source: "timer"}, {marks: {started, ended, keepStart: true}, started_at: stamp(started.ms),
      ended_at: question.ended_at});
    tx.objectStore("outbox").add(entry);
    return entry;
  });
}

/** Before a start goes on the wire: from then on its stop is a stop, never an entry. False when
 * the op changed meanwhile (stopped before it was sent: it is a finished entry now). */
export function markSending(seq) {
  return transact(["outbox"], async (tx, get) => {
    const store = tx.objectStore("outbox");
    const entry = await get(store.get(seq));
    if (!entry || entry.kind !== "timer-start") return false;
    if (!entry.sending) store.put({...entry, sending: true});
    return true;
  });
}

/** A refused start takes the later changes of the same timer with it (they cannot succeed
 * without it), and the header's timer goes. */
export function refuseStart(entry, reason) {
  return transact(["meta", "outbox", "refused"], async (tx, get) => {
    const outbox = tx.objectStore("outbox");
    const key = entry.body.client_entry_id;
    for (const held of await opsOf(outbox, get, entry.user_id)) {
      if (held.seq === entry.seq || (isTimerOp(held) && held.body.client_entry_id === key)) {
        outbox.delete(held.seq);
      }
    }
    tx.objectStore("refused").put({...entry, reason});
    const meta = tx.objectStore("meta");
    const run = await get(meta.get(runKey(entry.user_id)));
    if (run && run.client_entry_id === key) meta.delete(runKey(entry.user_id));
  });
}

function sameRun(run, entry) {
  return Boolean(run && entry && (run.entry_id === entry.id
    || (entry.client_entry_id && run.client_entry_id === entry.client_entry_id)));
}

const keyOf = (run) => (run ? `${run.client_entry_id}|${run.entry_id}|${run.started_at}` : "");

/**
 * The server's running timer, read while the local one was `before`: with no timer change waiting
 * to be sent and none made meanwhile, the server's word holds (a timer started on the desktop
 * runs here too; one stopped there, or by IDLE / OFFLINE, stops). True when the local run changed.
 */
export function reconcile(userId, before, serverRunning) {
  return transact(["meta", "outbox"], async (tx, get) => {
    if ((await opsOf(tx.objectStore("outbox"), get, userId)).some(isTimerOp)) return false;
    const meta = tx.objectStore("meta");
    const run = await get(meta.get(runKey(userId)));
    if (keyOf(run) !== keyOf(before)) return false;
    if (!serverRunning) {
      if (!run) return false;
      meta.delete(runKey(userId));
      return true;
    }
    if (sameRun(run, serverRunning)) {
      if (run.entry_id === serverRunning.id) return false;
      meta.put({...run, entry_id: serverRunning.id}, runKey(userId));
      return false;
    }
    // The server's start in this device's time: its elapsed seconds, counted back from now here.
    const start = mark(Date.now() - (serverRunning.elapsed_ms ?? 0));
    meta.put({client_entry_id: serverRunning.client_entry_id || null, task_id: serverRunning.task_id,
      started_at: stamp(start.ms), start, last_active_at: stamp(Date.now()), entry_id: serverRunning.id}, runKey(userId));
    return true;
  });
}
