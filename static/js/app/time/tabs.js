// The app's open tabs, so that they make one presence: each holds a Web Lock while it lives and
// says hello, here and bye on a BroadcastChannel; a tab that crashes without its bye is noticed
// when its lock comes free. Input in one tab is passed on, so every tab knows the last input.

const CHANNEL = "tracker-presence";
const SAY_USED_EVERY_MS = 1000;

export class Tabs {
  constructor() {
    this.id = crypto.randomUUID();
    this.others = new Set();
    this.channel = new BroadcastChannel(CHANNEL);
    this.saidUsed = 0;
    this.onUsed = () => {};     // (ms) input in another tab
    this.onChange = () => {};   // () the number of open tabs changed
  }

  start() {
    this.channel.onmessage = ({data}) => this.receive(data);
    if (!navigator.locks) {
      this.say("hello");
      return;
    }
    // Hello only once the lock is held: whoever watches it then waits for this tab's end.
    navigator.locks.request(`tracker-tab-${this.id}`, () => {
      this.say("hello");
      return new Promise(() => {});
    });
  }

  say(type, extra = {}) {
    this.channel.postMessage({type, id: this.id, ...extra});
  }

  receive(message) {
    if (message.type === "hello" || message.type === "here") {
      if (message.type === "hello") this.say("here");
      if (!this.others.has(message.id)) this.add(message.id);
    } else if (message.type === "bye") {
      this.remove(message.id);
    } else if (message.type === "used") {
      this.onUsed(message.at);
    }
  }

  add(id) {
    this.others.add(id);
    this.onChange();
    navigator.locks?.request(`tracker-tab-${id}`, () => this.remove(id));  // granted when it ends
  }

  remove(id) {
    if (this.others.delete(id)) this.onChange();
  }

  /** Input here at `ms`: the other tabs hear of it (at most once a second). */
  used(ms) {
    if (ms - this.saidUsed < SAY_USED_EVERY_MS) return;
    this.saidUsed = ms;
    this.say("used", {at: ms});
  }

  count() {
    return this.others.size + 1;
  }

  /** This tab goes: true when it was the last one open. */
  leave() {
    this.say("bye");
    return this.others.size === 0;
  }
}
