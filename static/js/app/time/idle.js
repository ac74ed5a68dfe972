// The question on return from idle: were the minutes the idle stop took off the timer work? A
// modal <dialog>: focus moves to Keep, Escape closes it unanswered (asked again on the next visit),
// focus returns where it was. The answer itself is kept once across tabs (timerlog.answerIdle).
import {t} from "../../shared/i18n.js";
import {clockTime as hhmm} from "../../shared/ui.js";
import {duration} from "./timer.js";

function span(seconds) {
  return seconds < 60 ? t("{seconds} s", {seconds: Math.round(seconds)}) : duration(seconds);
}

export class IdleQuestion {
  constructor({titleOf, onAnswer}) {
    this.dialog = document.getElementById("idle-dialog");
    this.titleOf = titleOf;    // (task id) => the task's title
    this.onAnswer = onAnswer;  // (keep, question) => Promise
    this.question = null;
    this.later = null;         // the span closed unanswered here: not asked again on this visit
    this.keep = document.getElementById("idle-keep");
    this.discard = document.getElementById("idle-discard");
    this.keep.addEventListener("click", () => this.answer(true));
    this.discard.addEventListener("click", () => this.answer(false));
    this.dialog.addEventListener("cancel", () => { this.later = this.question?.started_at; });
  }

  get open() {
    return this.dialog.open;
  }

  ask(question) {
    const same = this.question?.started_at === question.started_at;
    if (this.later === question.started_at || (this.open && same)) return;
    this.question = question;
    const seconds = (Date.parse(question.ended_at) - Date.parse(question.started_at)) / 1000;
    const title = this.titleOf(question.task_id);
    document.getElementById("idle-text").textContent = t("You were away from {start} to {end} ({span}), "
      + "and the timer on “{task}” stopped when you left. Were those minutes work on it?",
    {start: hhmm(question.started_at), end: hhmm(question.ended_at), span: span(seconds), task: title});
    this.keep.textContent = t("Keep {span} as work", {span: span(seconds)});
    this.keep.disabled = this.discard.disabled = false;
    if (!this.open) this.dialog.showModal();
  }

  async answer(keep) {
    this.keep.disabled = this.discard.disabled = true;
    try {
      await this.onAnswer(keep, this.question);
    } finally {
      this.dialog.close();
    }
  }

  /** Answered in another tab. */
  drop() {
    if (this.open) this.dialog.close();
  }
}
