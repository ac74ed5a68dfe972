// "My data" (SPEC 11.3): the presence level that applies while this page reports, a pause for
// private time where the server allows it, and everything the employer sees about the person,
// read when its section is opened, with the ZIP download. A module of its own: app.js is not
// touched, it only shares the session cookie and the XSRF cookie.

const LEVELS = {
  full: "Your employer sees whether you are active, idle or offline.",
  online: "Your employer sees only whether you are online or offline; idle time is not recorded.",
  off: "Your employer sees nothing of your presence: none of it is recorded.",
};
const PAUSED = "Paused: your employer sees \u201cpaused\u201d and nothing more; your timer stopped and no presence is recorded.";
const STATUS = {ACTIVE: "Active", IDLE: "Idle", OFFLINE: "Offline", IN_PROGRESS: "In progress",
  PENDING: "Pending", DONE: "Done", CANCELLED: "Cancelled"};
const SHOWN_ROWS = 50;

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
  if (!response.ok) throw new Error((body.error && body.error.message) || `The server answered ${response.status}.`);
  return body;
}

function when(value) {
  if (!value) return "still running";
  return new Date(value).toLocaleString(undefined, {dateStyle: "medium", timeStyle: "short"});
}

function minutes(seconds) {
  const total = Math.round((seconds || 0) / 60);
  return total >= 60 ? `${Math.floor(total / 60)} h ${total % 60} min` : `${total} min`;
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
  section.append(element("h3", `${caption} (${rows.length})`));
  if (!rows.length) {
    section.append(element("p", "None recorded.", "muted"));
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
  if (rows.length > SHOWN_ROWS) section.append(element("p", `The newest ${SHOWN_ROWS} are shown; the download holds all ${rows.length}.`, "muted"));
  return section;
}

function figures(windows) {
  const list = element("dl", undefined, "mydata-figures");
  for (const {hours, row} of windows) {
    const span = hours === 24 ? "last 24 hours" : `last ${hours / 24} days`;
    const ratio = row && row.active_ratio !== null ? `${Math.round(row.active_ratio * 100)} %` : "no presence recorded";
    const pace = row && row.progress_per_active_hour !== null ? `${row.progress_per_active_hour} points` : "not enough active time";
    list.append(element("dt", `Active share of your online time, ${span}`), element("dd", ratio));
    list.append(element("dt", `Progress per active hour, ${span}`), element("dd", pace));
  }
  return list;
}

function render(target, data) {
  target.replaceChildren(
    element("h3", "What admins see in the statistics"), figures(data.statistics),
    table("Presence", data.presence, [["Status", (r) => STATUS[r.status] || r.status],
      ["From", (r) => when(r.started_at)], ["Until", (r) => when(r.ended_at)]]),
    table("Time entries", data.time_entries, [["Task", (r) => `#${r.task_id}`],
      ["Started", (r) => when(r.started_at)], ["Length", (r) => minutes(r.minutes * 60)], ["Note", (r) => r.note]]),
    table("Progress reports", data.progress_reports, [["Task", (r) => `#${r.task_id}`],
      ["When", (r) => when(r.created_at)], ["Progress", (r) => `${r.new_percentage} %`], ["Note", (r) => r.notes]]),
    table("Comments", data.comments, [["Task", (r) => `#${r.task_id}`], ["Written", (r) => when(r.created_at)],
      ["Text", (r) => (r.deleted ? "(deleted)" : r.body)], ["Versions", (r) => r.revisions.length]]),
    table("Audit trail about you", data.audit_rows, [["Task", (r) => `#${r.task_id}`], ["When", (r) => when(r.created_at)],
      ["Change", (r) => `${STATUS[r.previous_status] || "–"} \u2192 ${STATUS[r.new_status] || r.new_status}, ${r.new_percentage} %`],
      ["Note", (r) => (r.redacted ? "(removed)" : r.notes)]]),
  );
}

function showLevel(info) {
  const level = document.getElementById("privacy-level-text");
  const pause = document.getElementById("privacy-pause");
  level.textContent = info.paused ? PAUSED : LEVELS[info.presence_detail] || "";
  pause.hidden = !info.allow_pause;
  pause.textContent = info.paused ? "Resume" : "Pause";
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
      if (!info) document.getElementById("privacy-level-text").textContent = "What your employer sees of your presence is shown when the server answers.";
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
    status.textContent = "Loading your data…";
    try {
      render(body, await call("GET", "/api/me/data/"));
      status.textContent = "";
    } catch (err) {
      status.textContent = `Your data needs the server: ${err.message}`;
    }
  });
  refresh();
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
}

wire();
