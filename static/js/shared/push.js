// The one push client every page shares: WebSocket first, long-poll when WebSocket fails,
// reconnect with backoff, resume from the cursor, reload the page's data on reset, pause while hidden.

const MAX_DELAY_MS = 30000;
const HIDDEN_GRACE_MS = 5000;      // a quick tab switch does not drop the connection
const WS_RETRY_AFTER_MS = 120000;  // while polling, try WebSocket again this often
const WS_SHORT_LIVED_MS = 10000;   // a socket dropped sooner than this counts as failing
const WS_MAX_FAILURES = 2;         // then long-poll takes over (a proxy may accept and drop it)
const CATCH_UP_AFTER_MS = 10000;   // away longer than this: catch up in one answer (onCatchUp)

/** 1 s doubling to 30 s, each with +-25 % jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * new PushClient({cursor, onEvent, onReset, onState}).start()
 *   onEvent(event)      each event once, in id order
 *   onReset()           must reload the page's data and resolve to its cursor
 *   onState(state)      "connecting" | "live" | "polling" | "reconnecting" | "paused" | "signedout"
 *   onCatchUp(cursor)   optional: after CATCH_UP_AFTER_MS away, bring the page's data up from
 *                       `cursor` in one read of what changed (not every event missed) and resolve
 *                       to the cursor it reflects; the channel resumes from there
 *   onSignedOut()       the channel answered 401: the session ended (default: nothing more; the
 *                       state "signedout" tells the badge, which offers to sign in again)
 */
export class PushClient {
  constructor({cursor = 0, onEvent, onReset, onState = () => {}, onSignedOut = () => {}, pollTimeout = 25,
               onCatchUp = null}) {
    this.cursor = cursor;
    this.onEvent = onEvent;
    this.onReset = onReset;
    this.onCatchUp = onCatchUp;
    this.lostAt = 0;  // when the channel last stopped hearing (0: it hears, or never has)
    this.onState = onState;
    this.onSignedOut = onSignedOut;
    this.pollTimeout = pollTimeout;
    this.mode = "ws";
    this.state = null;
    this.attempt = 0;
    this.running = false;
    this.userPaused = false;
    this.generation = 0;  // bumps on every stop, so late callbacks of old connections do nothing
    this.ws = null;
    this.poller = null;
    this.timer = null;
    this.hiddenTimer = null;
    this.pollingSince = 0;
    this.wsFailures = 0;
    this.onVisibility = () => this.visibilityChanged();
  }

  start() {
    this.running = true;
    document.addEventListener("visibilitychange", this.onVisibility);
    this.connect();
    return this;
  }

  /** Stop on the user's request (the auto-refresh switch); resume() catches up from the cursor. */
  pause() {
    this.userPaused = true;
    this.stop("paused");
  }

  resume() {
    this.userPaused = false;
    this.attempt = 0;
    this.connect();
  }

  shouldRun() {
    return this.running && !this.userPaused && document.visibilityState !== "hidden";
  }

  setState(state) {
    if (state === "live" || state === "polling") this.lostAt = 0;  // hearing again
    if (state !== this.state) {
      this.state = state;
      this.onState(state);
    }
  }

  stop(state) {
    if (state && !this.lostAt && (this.state === "live" || this.state === "polling")) this.lostAt = Date.now();
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000);
    }
    if (this.poller) {
      this.poller.abort();
      this.poller = null;
    }
    if (state) this.setState(state);
  }

  connect() {
    if (!this.shouldRun() || this.ws || this.poller || this.timer) return;
    if (this.state === null || this.state === "paused") this.setState("connecting");
    if (this.onCatchUp && this.lostAt && Date.now() - this.lostAt >= CATCH_UP_AFTER_MS) this.catchUp();
    else if (this.mode === "ws") this.openSocket();
    else this.poll(true);
  }

  /** Back after a while: the page reads what changed since the cursor in one answer (a minute
   * of events replayed one by one can be megabytes), then the channel resumes from its cursor. */
  async catchUp() {
    const generation = this.generation;
    const controller = new AbortController();
    this.poller = controller;  // in flight: connect() waits, stop() drops its answer
    let cursor;
    try {
      cursor = await this.onCatchUp(this.cursor, controller.signal);
    } catch (err) {
      if (generation !== this.generation) return;
      this.poller = null;
      return err.signedOut ? this.signedOut() : this.retry();
    }
    if (generation !== this.generation) return;
    this.poller = null;
    this.lostAt = 0;
    if (Number.isInteger(cursor)) this.cursor = cursor;
    this.connect();
  }

  retry() {
    this.stop("reconnecting");
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.mode = "ws";  // after an outage, WebSocket first again
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  visibilityChanged() {
    clearTimeout(this.hiddenTimer);
    if (document.visibilityState === "hidden") {
      this.hiddenTimer = setTimeout(() => this.stop("paused"), HIDDEN_GRACE_MS);
    } else if (this.running && !this.userPaused) {
      this.attempt = 0;
      this.connect();
    }
  }

  socketUrl() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/api/events/ws?after=${this.cursor}`;
  }

  openSocket(probe = false) {
    const generation = this.generation;
    let opened = 0;
    let ws;
    try {
      ws = new WebSocket(this.socketUrl());
    } catch (err) {
      if (!probe) this.fallBackToPolling();
      return;
    }
    if (!probe) this.ws = ws;
    ws.onopen = () => {
      opened = Date.now();
      if (probe) {
        if (generation !== this.generation || this.mode !== "poll") return ws.close(1000);
        this.wsFailures = 0;
        this.stop();  // the poller hands over to the socket, which resumes from the same cursor
        this.ws = ws;
        this.mode = "ws";
      }
      this.attempt = 0;
      this.setState("live");
    };
    ws.onmessage = (message) => {
      if (this.ws !== ws) return;
      let event;
      try {
        event = JSON.parse(message.data);
      } catch (err) {
        return;
      }
      this.receive(event);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;  // stopped on purpose, or a probe that never took over
      this.ws = null;
      if (opened) this.lostAt = Date.now();
      if (!this.shouldRun()) return;
      const failed = !opened || Date.now() - opened < WS_SHORT_LIVED_MS;
      this.wsFailures = failed ? this.wsFailures + 1 : 0;
      if (!opened || this.wsFailures >= WS_MAX_FAILURES) this.fallBackToPolling();
      else this.retry();
    };
  }

  fallBackToPolling() {
    this.mode = "poll";
    this.poll(true);
  }

  async poll(first = false) {
    const generation = this.generation;
    const controller = new AbortController();
    this.poller = controller;
    if (first) this.pollingSince = Date.now();
    // The first request asks for an immediate answer, so the badge tells the truth at once.
    const timeout = first ? 0 : this.pollTimeout;
    let body;
    try {
      const response = await fetch(`/api/events/?after=${this.cursor}&timeout=${timeout}`, {
        signal: controller.signal, credentials: "same-origin", cache: "no-store",
        headers: {Accept: "application/json"},
      });
      if (response.status === 401) return this.signedOut();
      if (!response.ok) throw new Error(`long-poll answered ${response.status}`);
      body = await response.json();
    } catch (err) {
      if (generation !== this.generation) return;
      this.poller = null;
      return this.retry();
    }
    if (generation !== this.generation) return;
    this.poller = null;
    this.attempt = 0;
    this.setState("polling");
    if (body.type === "reset") return this.receive(body);
    for (const event of body.events || []) {
      this.receive(event);
      if (generation !== this.generation) return;  // a reset stopped this poller
    }
    if (Number.isInteger(body.cursor) && body.cursor > this.cursor) this.cursor = body.cursor;
    if (!this.shouldRun()) return;
    if (Date.now() - this.pollingSince > WS_RETRY_AFTER_MS) {
      this.pollingSince = Date.now();
      this.openSocket(true);
    }
    this.poll(false);
  }

  receive(event) {
    if (event.type === "reset") return this.reset();
    if (!Number.isInteger(event.id) || event.id <= this.cursor) return;  // seen already
    this.cursor = event.id;
    this.onEvent(event);
  }

  async reset() {
    const mode = this.mode;
    this.stop();
    try {
      this.cursor = await this.onReset();
    } catch (err) {
      return this.retry();
    }
    this.mode = mode;
    this.connect();
  }

  /** The session ended (signed out elsewhere, expired, disabled): stop and say so, no jump to
   * /login that would lose what the page shows (the badge offers to sign in again). */
  signedOut() {
    this.stop("signedout");
    this.running = false;
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.onSignedOut();
  }
}
