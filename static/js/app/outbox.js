// Delivering the outbox: in order, exactly once (each entry carries its client_update_id,
// client_comment_id or client_entry_id from the moment it is written, and one lock across tabs
// and the service worker means one sender).
import {refusal} from "../shared/http.js";
import {agoFields, markFromIso} from "./time/clock.js";
import {deleteOutbox, entries, getMeta, refuse} from "./db.js";
import {isTimerOp, markSending, refuseStart} from "./time/timerlog.js";

const LOCK = "tracker-outbox";
// The server's answer is final for these: shown to the user with its reason, never retried.
const FINAL = new Set([400, 403, 404, 409, 413, 415, 422]);

// Entry kinds and where each goes; progress is the default (entries written before comments).
const PATHS = {progress: "progress", complete: "complete", comment: "comments",
  "timer-start": "timer/start", "time-entry": "time-entries"};

function path(entry) {
  if (entry.kind === "timer-stop") return "/api/timer/stop/";
  return `/api/task/${entry.task_id}/${PATHS[entry.kind] || "progress"}/`;
}

/** What goes on the wire: a timer change says how long ago its moments were, measured now. */
export function wireBody(entry) {
  if (!isTimerOp(entry)) return entry.body;
  const {started_at: startedAt, ended_at: endedAt, ...body} = entry.body;  // entries of older versions
  const marks = entry.marks || {started: markFromIso(startedAt), ended: markFromIso(endedAt)};
  return {...body, ...agoFields(entry.kind, marks)};
}

async function send(entry, xsrf) {
  const headers = {"Content-Type": "application/json", Accept: "application/json"};
  if (xsrf) headers["X-XSRFToken"] = xsrf;
  return fetch(path(entry), {method: "POST", credentials: "same-origin", cache: "no-store",
    headers, body: JSON.stringify(wireBody(entry))});
}

/** One entry: "sent" | "refused" | "signedout" | "retry", and the server's answer. */
async function deliver(entry, xsrf) {
  let response;
  try {
    response = await send(entry, xsrf);
  } catch (err) {
    return {outcome: "retry"};  // offline, or the server is down
  }
  if (response.ok) {
    const answer = await response.json().catch(() => null);
    await deleteOutbox(entry.seq);
    return {outcome: "sent", answer};
  }
  const reason = await refusal(response);  // the worker reads it too: no document needed
  if (response.status === 401 || reason.code === "xsrf_failed") return {outcome: "signedout"};
  if (entry.kind === "timer-stop" && !entry.body.client_entry_id && response.status === 404) {
    await deleteOutbox(entry.seq);  // a timer of another device, already stopped there
    return {outcome: "sent", answer: null};
  }
  if (FINAL.has(response.status)) {
    await (entry.kind === "timer-start" ? refuseStart(entry, reason) : refuse(entry, reason));
    return {outcome: "refused", reason};
  }
  return {outcome: "retry"};  // 429, 5xx: the change waits for a better moment
}

async function drain(userId, onResult) {
  const xsrf = await getMeta("xsrf");
  for (;;) {  // read again after each entry: another tab may have added one meanwhile
    // Without a network nothing leaves the device, and a timer start never tried stays one that
    // a stop can still turn into a finished entry.
    if (!navigator.onLine) return "retry";
    const [entry] = await entries("outbox", userId);
    if (!entry) return "empty";
    if (entry.kind === "timer-start" && !(await markSending(entry.seq))) continue;  // now an entry
    const result = await deliver(entry, xsrf);
    onResult(entry, result);
    if (result.outcome === "signedout" || result.outcome === "retry") return result.outcome;
  }
}

/**
 * Send one user's outbox. Resolves to "empty" (all delivered or refused), "retry", "signedout",
 * or "busy" when another tab (or the worker) is sending it right now.
 */
export async function flush(userId, onResult = () => {}) {
  if (!navigator.locks) return drain(userId, onResult);
  return navigator.locks.request(LOCK, {ifAvailable: true}, async (lock) => {
    if (!lock) return "busy";
    return drain(userId, onResult);
  });
}
