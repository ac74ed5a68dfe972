// Presence from the page: ACTIVE while used, IDLE after 180 s without input (or what the Idle
// Detection API reports, where the user allowed it), OFFLINE when the page goes away.

const IDLE_AFTER_MS = 180000;
const BEAT_EVERY_MS = 30000;  // well inside the server's 90 s offline window
const INPUTS = ["pointerdown", "keydown", "touchstart", "wheel", "scroll"];

export class Presence {
  constructor(headers) {
    this.headers = headers;  // () => the request headers (XSRF) of the moment
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
    addEventListener("pagehide", () => this.beat("OFFLINE", {keepalive: true}));
    this.timer = setInterval(() => this.tick(), 5000);
    this.beat(this.status());
    this.offerIdleDetector();
  }

  status() {
    if (this.systemIdle !== null) return this.systemIdle ? "IDLE" : "ACTIVE";
    return Date.now() - this.lastInput >= IDLE_AFTER_MS ? "IDLE" : "ACTIVE";
  }

  used() {
    this.lastInput = Date.now();
    if (this.sent !== "ACTIVE") this.tick();
  }

  tick() {
    const status = this.status();
    if (status !== this.sent || Date.now() - this.sentAt >= BEAT_EVERY_MS) this.beat(status);
  }

  beat(status, {keepalive = false} = {}) {
    this.sent = status;
    this.sentAt = Date.now();
    const idleSeconds = Math.round((Date.now() - this.lastInput) / 1000);
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
      this.tick();
    });
    await detector.start({threshold: IDLE_AFTER_MS});
    document.getElementById("idle-detector-note").textContent = "and, as you allowed, the system idle time";
  }
}
