// Presence from the page: ACTIVE while used, IDLE after 180 s without input (or what the Idle
// Detection API reports, where the user allowed it), OFFLINE when the last open tab goes away.
// The tabs share their input (tabs.js), so all of them say the same, and ACTIVE while any is used.

// A test (or a kiosk) may shorten the idle time: set before the page's scripts run.
const IDLE_AFTER_MS = globalThis.TRACKER_IDLE_AFTER_MS || 180000;
const TICK_MS = Math.min(5000, Math.max(250, IDLE_AFTER_MS / 4));
const BEAT_EVERY_MS = 30000;  // well inside the server's 90 s offline window
const INPUTS = ["pointerdown", "keydown", "touchstart", "wheel", "scroll"];

export class Presence {
  /**
   * `onChange(status, idleSinceMs, changed)` after every heartbeat was answered (so an IDLE stop
   * is the server's before the page records its own); `onGone()` when the last tab closes.
   */
  constructor(headers, tabs, {onChange = () => {}, onGone = () => {}} = {}) {
    this.headers = headers;  // () => the request headers (XSRF) of the moment
    this.tabs = tabs;
    this.onChange = onChange;
    this.onGone = onGone;
    this.lastInput = Date.now();
    this.systemIdle = null;  // true / false once the Idle Detection API answers
    this.sent = null;
    this.timer = null;
  }

  start() {
    const used = () => this.used();
    for (const name of INPUTS) addEventListener(name, used, {passive: true, capture: true});
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.used();
    });
    this.tabs.onUsed = (at) => this.used(at, false);
    this.tabs.used(this.lastInput);  // opening a tab is using the app: the others hear of it
    addEventListener("pagehide", () => {
      if (!this.tabs.leave()) return;  // another tab of the app is still open: still here
      this.beat("OFFLINE", {keepalive: true});
      this.onGone();
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
    this.offerIdleDetector();
  }

  status() {
    if (this.systemIdle !== null) return this.systemIdle ? "IDLE" : "ACTIVE";
    return Date.now() - this.lastInput >= IDLE_AFTER_MS ? "IDLE" : "ACTIVE";
  }

  /** Where the idle period began: the last input, or where the system's idle time began (the
   * Idle Detection API tells after its threshold: input in other apps counts there). */
  idleSince() {
    return this.systemIdle ? Math.max(this.lastInput, this.systemIdleAt - IDLE_AFTER_MS) : this.lastInput;
  }

  used(at = Date.now(), here = true) {
    this.lastInput = Math.max(this.lastInput, at);
    if (here) this.tabs.used(at);
    if (this.sent !== "ACTIVE") this.tick();
  }

  async tick() {
    const status = this.status();
    const changed = status !== this.sent;
    if (!changed && Date.now() - this.sentAt < BEAT_EVERY_MS) return;
    const since = this.idleSince();
    await this.beat(status);
    this.onChange(status, since, changed);
  }

  beat(status, {keepalive = false} = {}) {
    this.sent = status;
    this.sentAt = Date.now();
    // Rounded up: the server's idle start (its clock less these seconds) is never later than the
    // page's, so an idle span kept as work never overlaps the timer the server stopped.
    const idleSeconds = Math.ceil((Date.now() - this.idleSince()) / 1000);
    // A keepalive fetch is what sendBeacon does underneath, but it can carry the XSRF header
    // and a JSON body, which sendBeacon cannot.
    return fetch("/api/heartbeat/", {method: "POST", keepalive, credentials: "same-origin",
      headers: {"Content-Type": "application/json", ...this.headers()},
      body: JSON.stringify({occupancy_status: status, idle_seconds: idleSeconds})}).catch(() => {});
  }

  async offerIdleDetector() {
    const button = document.getElementById("idle-permission");
    if (!("IdleDetector" in window) || !button) {
      document.getElementById("idle-detector-note").textContent = "(this browser cannot share the system idle time)";
      return;
    }
    const state = await navigator.permissions.query({name: "idle-detection"}).catch(() => null);
    if (state && state.state === "granted") return this.watchSystem();
    button.hidden = false;
    button.addEventListener("click", async () => {
      if (await IdleDetector.requestPermission() === "granted") {
        button.hidden = true;
        this.watchSystem();
      }
    });
  }

  async watchSystem() {
    const detector = new IdleDetector();
    detector.addEventListener("change", () => {
      this.systemIdle = detector.userState === "idle" || detector.screenState === "locked";
      if (this.systemIdle) this.systemIdleAt = Date.now();
      else this.used();  // in use, if in another app
      this.tick();
    });
    await detector.start({threshold: IDLE_AFTER_MS});
    document.getElementById("idle-detector-note").textContent = "and, as you allowed, the system idle time";
  }
}
