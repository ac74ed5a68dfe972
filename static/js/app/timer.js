// The timer (online only): start / stop per task, the running one in the header with its elapsed
// time, and today's total. The server is the truth: after every own action, a reconnect or a
// change to one's tasks the state is read again from /api/me/time-entries/.

function midnight(now = new Date()) {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day;
}

/** "1:02:03" */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "2 h 05 min", "12 min" */
export function duration(seconds) {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`
    : `${minutes} min`;
}

async function reason(response) {
  const body = await response.json().catch(() => ({}));
  return (body.error && body.error.message) || `The server answered ${response.status}.`;
}

export class Timer {
  constructor({call, onChange}) {
    this.call = call;          // (method, url, body) => fetch Response
    this.onChange = onChange;  // () => redraw header and cards
    this.entries = [];
    this.running = null;
    this.readAt = 0;           // performance.now() when `running.seconds` was read
    this.known = false;
    this.refreshing = null;
    this.soon = null;
  }

  /** Read the server's state again (one request at a time; later asks share it). */
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
    const since = encodeURIComponent(midnight().toISOString());
    let response;
    try {
      response = await this.call("GET", `/api/me/time-entries/?since=${since}`);
    } catch (err) {
      return;  // offline: keep what is shown
    }
    if (!response.ok) return;
    const body = await response.json();
    this.entries = body.entries;
    this.running = body.running || null;
    this.readAt = performance.now();
    this.known = true;
    this.onChange();
  }

  runningTaskId() {
    return this.running ? this.running.task_id : null;
  }

  /** Seconds of the running entry now (the server's count plus the time since it was read). */
  elapsed() {
    return this.running ? this.running.seconds + (performance.now() - this.readAt) / 1000 : 0;
  }

  /** Seconds tracked today: finished entries clipped to local midnight, plus the running one. */
  today() {
    const start = midnight().getTime();
    let total = 0;
    for (const entry of this.entries) {
      if (entry.running) continue;
      const from = Math.max(new Date(entry.started_at).getTime(), start);
      total += Math.max(0, new Date(entry.ended_at).getTime() - from) / 1000;
    }
    if (this.running) {
      const ranToday = (Date.now() - Math.max(new Date(this.running.started_at).getTime(), start)) / 1000;
      total += Math.min(this.elapsed(), Math.max(0, ranToday));
    }
    return total;
  }

  /** Start on `taskId` (the server stops any other first): "" when done, else the reason. */
  start(taskId) {
    return this.act("POST", `/api/task/${taskId}/timer/start/`);
  }

  stop() {
    return this.act("POST", "/api/timer/stop/");
  }

  /** A card's button: Stop on the running task, Start on any other. */
  toggle(taskId) {
    return this.runningTaskId() === taskId ? this.stop() : this.start(taskId);
  }

  async act(method, url) {
    let response;
    try {
      response = await this.call(method, url, {});
    } catch (err) {
      return "The timer needs the server, which cannot be reached now.";
    }
    const error = response.ok ? "" : await reason(response);
    await this.refresh();
    return error;
  }
}
