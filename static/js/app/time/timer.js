// The timer, offline-safe: started and stopped here first (the journal in IndexedDB, timerlog.js),
// shown at once, sent through the outbox in order. The server's entries give today's total; with
// nothing waiting to be sent, its running timer is the truth (a start or stop made elsewhere).
import {midnightOf, minutesText} from "../../shared/i18n.js";
import {mark, msSince, shift} from "./clock.js";
import {backFromIdle, closeOrphan, isTimerOp, readRun, reconcile, startRun, stopRun, touchActive}
  from "./timerlog.js";

const midnight = () => midnightOf(new Date());  // the person's day, in their zone

/** "1:02:03" */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "2 h 05 min", "12 min" (in the reader's words) */
export function duration(seconds) {
  return minutesText(Math.floor(Math.max(0, seconds) / 60));
}

export class Timer {
  constructor({userId, call, onChange}) {
    this.userId = userId;
    this.call = call;          // (method, url, body) => fetch Response
    this.onChange = onChange;  // () => redraw header and cards
    this.entries = [];         // the server's entries since the person's midnight
    this.pending = [];         // timer changes in the outbox
    this.run = null;           // the running timer as this device knows it
    this.refreshing = null;
    this.soon = null;
    this.offset = 0;           // the server's clock less this device's (ms), from its Date header
    this.answered = null;      // {date: the server's Date header (ms), at: a mark of its arrival}
  }

  /** The local state, read again from IndexedDB (another tab may have changed it). */
  async load(outbox) {
    this.run = await readRun(this.userId);
    this.pending = outbox.filter(isTimerOp);
  }

  /** Read the server's entries again (one request at a time; later asks share it). */
  refresh() {
    this.refreshing = this.refreshing || this.read().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  /** Once for a burst of events (a switch changes two tasks). */
  refreshSoon() {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.refresh(), 300);
  }

  async read() {
    const before = await readRun(this.userId);
    const since = encodeURIComponent(midnight().toISOString());
    let response;
    try {
      response = await this.call("GET", `/api/me/time-entries/?since=${since}`);
    } catch (err) {
      return;  // offline: keep what is shown
    }
    if (!response.ok) return;
    const at = mark();
    const date = Date.parse(response.headers.get("Date"));
    if (!Number.isNaN(date)) {
      this.answered = {date, at};
      this.offset = date - at.ms;
    }
    const body = await response.json();
    this.entries = body.entries;
    const running = body.running ? {...body.running,
      elapsed_ms: Number.isNaN(date) ? 0 : Math.max(0, date - Date.parse(body.running.started_at))} : null;
    await reconcile(this.userId, before, running);
    this.onChange();
  }

  runningTaskId() {
    return this.run ? this.run.task_id : null;
  }

  elapsed() {
    if (!this.run) return 0;
    return (this.run.start ? msSince(this.run.start) : Date.now() - Date.parse(this.run.started_at)) / 1000;
  }

  /** A server time (ISO) in this device's clock (ms). */
  local(iso) {
    return Date.parse(iso) - this.offset;
  }

  /** Seconds tracked today: the server's finished entries, the runs not sent yet, the running
   * timer; an entry the outbox still holds counts once, from the outbox. */
  today(now = Date.now()) {
    const start = midnight().getTime();
    const held = new Set(this.pending.map((op) => op.body.client_entry_id).filter(Boolean));
    if (this.run && this.run.client_entry_id) held.add(this.run.client_entry_id);
    const spans = this.entries.filter((e) => !e.running && !held.has(e.client_entry_id))
      .map((e) => [this.local(e.started_at), this.local(e.ended_at)]);
    for (const op of this.pending) {
      if (op.kind === "time-entry" || op.kind === "timer-stop") {
        spans.push([Date.parse(op.started_at || op.body.started_at), Date.parse(op.ended_at || op.body.ended_at)]);
      }
    }
    if (this.run) spans.push([now - this.elapsed() * 1000, now]);
    return spans.reduce((total, [from, to]) => total
      + Math.max(0, Math.min(to, now) - Math.max(from, start)) / 1000, 0);
  }

  /** A card's button: Stop on the running task, Start on any other (that one stops first). */
  toggle(taskId) {
    return this.runningTaskId() === taskId ? this.stop() : startRun(this.userId, taskId, Date.now());
  }

  stop() {
    return stopRun(this.userId, Date.now());
  }

  /** Presence turned IDLE: the timer stops where the idle period began, as the server's does;
   * the span is remembered for the question. */
  idle(sinceMs) {
    return stopRun(this.userId, sinceMs, {idle: true});
  }

  /** ACTIVE again: the idle question, if a timer was stopped by the idle period (else null). */
  async active(nowMs) {
    await touchActive(this.userId, nowMs);
    return backFromIdle(this.userId, nowMs);
  }

  /** The first tab of the app: a timer a closed page left running stops where it was last used. */
  closeOrphan() {
    return closeOrphan(this.userId);
  }

  /** Where the server ended the timer `key` (known once its stop is read back), as a mark of
   * this device's clocks (counted back from the server's answer), or null. */
  serverEnd(key) {
    const entry = key && this.entries.find((e) => e.client_entry_id === key && e.ended_at);
    if (!entry || !this.answered) return null;
    return shift(this.answered.at, -(this.answered.date - Date.parse(entry.ended_at)));
  }
}
