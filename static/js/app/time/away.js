// Being away: the page's presence (one for all open tabs of the app) stops the timer where an idle
// period began, asks on return whether those minutes were work, and stops the timer when the last
// tab closes — the desktop app's rules, and the server's.
import {IdleQuestion} from "./idle.js";
import {Presence} from "./presence.js";
import {Tabs} from "./tabs.js";
import {answerIdle, readIdle} from "./timerlog.js";

export class Away {
  /**
   * `queued()` redraws, tells the other tabs and sends the outbox; `told()` only tells the other
   * tabs; `online()` whether the server answers now; `titleOf(task id)` a task's title.
   */
  constructor({userId, timer, headers, titleOf, online, queued, told}) {
    Object.assign(this, {userId, timer, headers, online, queued, told});
    this.tabs = new Tabs();
    this.question = new IdleQuestion({titleOf, onAnswer: (keep, asked) => this.answer(keep, asked)});
  }

  /** Whether no other tab of the app is open (a timer found running was left by a closed page). */
  async firstTab() {
    if (!navigator.locks?.query) return false;
    const {held = [], pending = []} = await navigator.locks.query();
    return !held.concat(pending).some((lock) => lock.name.startsWith("tracker-tab-")
      && lock.name !== `tracker-tab-${this.tabs.id}`);
  }

  /** `root.dataset.tabs` says how many tabs are open, `root.dataset.presence` what this one last
   * reported (tests and curious people read them). */
  start(root) {
    this.root = root;
    this.tabs.onChange = () => { root.dataset.tabs = String(this.tabs.count()); };
    this.tabs.start();
    new Presence(this.headers, this.tabs, {
      onChange: (status, since, changed) => this.onPresence(status, since, changed),
      onGone: () => this.timer.stop(),  // the last tab: the timer stops now, as the server's does
    }).start();
  }

  async onPresence(status, since, changed) {
    this.root.dataset.presence = status;
    if (status === "IDLE" && changed) {
      if (await this.timer.idle(since)) await this.queued();  // stopped where the idle period began
    } else if (status === "ACTIVE") {
      const question = await this.timer.active(Date.now());
      if (question) this.question.ask(question);
    }
  }

  /** Keep: one entry for the idle span, from where the server ended the timer; Discard: nothing. */
  async answer(keep, question) {
    if (keep && this.online()) await this.timer.refresh();  // the server's end of that timer
    const serverEnd = keep ? this.timer.serverEnd(question.client_entry_id) : null;
    if (await answerIdle(this.userId, keep, serverEnd)) await this.queued();
    else this.told();  // the other tabs close their question
  }

  /** After a redraw: a question answered in another tab closes here. */
  async follow() {
    if (this.question.open && !(await readIdle(this.userId))) this.question.drop();
  }
}
