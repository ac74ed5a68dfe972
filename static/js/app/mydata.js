// "My data" (SPEC 11.3): the presence level that applies while this page reports, a pause for
// private time where the server allows it, and everything the employer sees about the person,
// read when its section is opened, with the ZIP download. A module of its own: app.js is not
// touched, it only shares the session cookie and the XSRF cookie.
import "../shared/catalog.js";
import {N_, dateText, minutesText, number, say, t} from "../shared/i18n.js";

const LEVELS = {
  full: N_("Your employer sees whether you are active, idle or offline."),
  online: N_("Your employer sees only whether you are online or offline; idle time is not recorded."),
  off: N_("Your employer sees nothing of your presence: none of it is recorded."),
};
const PAUSED = N_("Paused: your employer sees “paused” and nothing more; your timer stopped and no presence is recorded.");
const STATUS = {ACTIVE: N_("Active"), IDLE: N_("Idle"), OFFLINE: N_("Offline"), IN_PROGRESS: N_("In progress"),
  PENDING: N_("Pending"), DONE: N_("Done"), CANCELLED: N_("Cancelled")};
const statusWord = (code) => (STATUS[code] ? t(STATUS[code]) : code);
const SHOWN_ROWS = 50;
const OWN_WORDS = ["progress", "complete"];  // audit kinds whose notes are the person's own words

function xsrf() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]+)/);
  return match ? {"X-XSRFToken": decodeURIComponent(match[1])} : {};
}

async function call(method, url) {
  const headers = {Accept: "application/json", ...xsrf()};
  if (method === "POST") headers["Content-Type"] = "application/json";
  const response = await fetch(url, {method, headers, credentials: "same-origin", cache: "no-store",
    body: method === "POST" ? "{}" : undefined});
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || t("The server answered {status}.", {status: response.status}));
  return body;
}

function when(value) {
  if (!value) return t("still running");
  return dateText(new Date(value), {day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit"});
}

/** 62 -> "62 %", "62%", "62 %": the locale's percent. */
const percent = (value) => number(value / 100, {style: "percent"});

function minutes(seconds) {
  return minutesText(Math.round((seconds || 0) / 60));
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** A captioned table of `rows` (newest first, at most SHOWN_ROWS), columns [heading, cell(row)]. */
function table(caption, rows, columns) {
  const section = element("section", undefined, "mydata-list");
  section.append(element("h3", t("{caption} ({count})", {caption, count: number(rows.length)})));
  if (!rows.length) {
    section.append(element("p", t("None recorded."), "muted"));
    return section;
  }
  const wrap = element("div", undefined, "mydata-wrap");
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", caption);
  const grid = element("table");
  const head = grid.createTHead().insertRow();
  for (const [heading] of columns) head.append(element("th", heading));
  const body = grid.createTBody();
  for (const row of rows.slice().reverse().slice(0, SHOWN_ROWS)) {
    const line = body.insertRow();
    for (const [, cell] of columns) line.append(element("td", cell(row)));
  }
  wrap.append(grid);
  section.append(wrap);
  if (rows.length > SHOWN_ROWS) {
    section.append(element("p", t("The newest {shown} are shown; the download holds all {count}.",
      {shown: number(SHOWN_ROWS), count: number(rows.length)}), "muted"));
  }
  return section;
}

function figures(windows) {
  const list = element("dl", undefined, "mydata-figures");
  for (const {hours, row} of windows) {
    const ratio = row && row.active_ratio !== null ? number(row.active_ratio, {style: "percent"})
      : t("no presence recorded");
    const pace = row && row.progress_per_active_hour !== null
      ? t("{points} points", {points: number(row.progress_per_active_hour)}) : t("not enough active time");
    const days = number(hours / 24);
    list.append(element("dt", hours === 24 ? t("Active share of your online time, last 24 hours")
      : t("Active share of your online time, last {days} days", {days})), element("dd", ratio));
    list.append(element("dt", hours === 24 ? t("Progress per active hour, last 24 hours")
      : t("Progress per active hour, last {days} days", {days})), element("dd", pace));
  }
  return list;
}

function render(target, data) {
  target.replaceChildren(
    element("h3", t("What admins see in the statistics")), figures(data.statistics),
    table(t("Presence"), data.presence, [[t("Status"), (r) => statusWord(r.status)],
      [t("From"), (r) => when(r.started_at)], [t("Until"), (r) => when(r.ended_at)]]),
    table(t("Time entries"), data.time_entries, [[t("Task"), (r) => `#${r.task_id}`],
      [t("Started"), (r) => when(r.started_at)], [t("Length"), (r) => minutes(r.minutes * 60)], [t("Note"), (r) => r.note]]),
    table(t("Progress reports"), data.progress_reports, [[t("Task"), (r) => `#${r.task_id}`],
      [t("When"), (r) => when(r.created_at)], [t("Progress"), (r) => percent(r.new_percentage)], [t("Note"), (r) => r.notes]]),
    table(t("Comments"), data.comments, [[t("Task"), (r) => `#${r.task_id}`], [t("Written"), (r) => when(r.created_at)],
      [t("Text"), (r) => (r.deleted ? t("(deleted)") : r.body)], [t("Versions"), (r) => number(r.revisions.length)]]),
    table(t("Audit trail about you"), data.audit_rows, [[t("Task"), (r) => `#${r.task_id}`], [t("When"), (r) => when(r.created_at)],
      [t("Change"), (r) => t("{before} → {after}, {percent}", {before: r.previous_status ? statusWord(r.previous_status) : "–",
        after: statusWord(r.new_status), percent: percent(r.new_percentage)})],
      [t("What happened"), (r) => say(r.words)],
      [t("Note"), (r) => (r.redacted ? t("(removed)") : OWN_WORDS.includes(r.action) ? r.notes : "")]]),
  );
}

function showLevel(info) {
  const level = document.getElementById("privacy-level-text");
  const pause = document.getElementById("privacy-pause");
  level.textContent = info.paused ? t(PAUSED) : LEVELS[info.presence_detail] ? t(LEVELS[info.presence_detail]) : "";
  pause.hidden = !info.allow_pause;
  pause.textContent = info.paused ? t("Resume") : t("Pause");
  pause.setAttribute("aria-pressed", info.paused ? "true" : "false");
  document.getElementById("privacy-level").dataset.level = info.paused ? "paused" : info.presence_detail;
}

function wire() {
  const section = document.getElementById("mydata");
  const body = document.getElementById("mydata-body");
  const status = document.getElementById("mydata-status");
  const pause = document.getElementById("privacy-pause");
  let info = null;
  const refresh = async () => {
    try {
      info = await call("GET", "/api/me/privacy/");
      showLevel(info);
    } catch (err) {  // offline: what was shown stays; with nothing shown yet, say why
      if (!info) document.getElementById("privacy-level-text").textContent = t("What your employer sees of your presence is shown when the server answers.");
    }
  };
  pause.addEventListener("click", async () => {
    pause.disabled = true;
    try {
      await call("POST", info && info.paused ? "/api/me/resume/" : "/api/me/pause/");
      await refresh();
    } catch (err) {
      document.getElementById("privacy-level-text").textContent = err.message;
    } finally { pause.disabled = false; }
  });
  section.addEventListener("toggle", async () => {
    if (!section.open) return;
    status.textContent = t("Loading your data…");
    try {
      render(body, await call("GET", "/api/me/data/"));
      status.textContent = "";
    } catch (err) {
      status.textContent = t("Your data needs the server: {reason}", {reason: err.message});
    }
  });
  refresh();
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
}

wire();
