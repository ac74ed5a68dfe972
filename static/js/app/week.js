// "My week": the person's week timesheet (days with working time and rule flags, the total, its
// state and the approver's reason), submitted from here; and their absences, requested from here.
// Read when the section is first opened and after each change; everything is drawn as text.
import {N_, dateText, dayKey, number, t} from "../shared/i18n.js";

const STATE_TEXT = {draft: N_("Not submitted yet"), submitted: N_("Submitted, waiting for approval"),
                    approved: N_("Approved: this week is locked"), rejected: N_("Sent back to you")};
const KIND_TEXT = {vacation: N_("Vacation"), sick: N_("Sick"), other: N_("Other")};
const ABSENCE_STATE = {requested: N_("requested"), approved: N_("approved"), rejected: N_("rejected")};
const said = (table, code) => (table[code] ? t(table[code]) : code);

function isoWeek(date) {
  const day = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const first = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  const number = Math.ceil(((day - first) / 86400000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(number).padStart(2, "0")}`;
}

function shiftWeek(week, by) {
  const [year, number] = week.split("-W").map(Number);
  const monday = new Date(Date.UTC(year, 0, 4));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() || 7) - 1) + (number - 1 + by) * 7);
  return isoWeek(new Date(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate()));
}

const hours = (minutes) => `${number(Math.floor(minutes / 60))}:${String(minutes % 60).padStart(2, "0")}`;

async function reason(response) {
  const body = await response.json().catch(() => ({}));
  return (body.error && body.error.message) || t("The server answered {status}.", {status: response.status});
}

/** A calendar date (2025-12-09) as the reader writes it: "9 Dec", "9. Dez.", "12月9日". */
const dayText = (iso, options = {day: "numeric", month: "short"}) =>
  dateText(new Date(`${iso}T12:00:00Z`), {...options, timeZone: "UTC"});

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function dayRow(day) {
  const row = el("tr");
  row.append(el("th", dayText(day.date, {weekday: "short", day: "numeric", month: "short"})));
  row.append(el("td", day.work_minutes ? hours(day.work_minutes) : ""));
  row.append(el("td", day.break_minutes ? hours(day.break_minutes) : ""));
  const notes = [];
  if (day.absence) {
    const kind = said(KIND_TEXT, day.absence.kind);
    notes.push(day.absence.half_day ? t("{kind} (half day)", {kind}) : kind);
  }
  if (day.holiday) notes.push(day.holiday);
  for (const flag of day.flags) notes.push(`⚠ ${flag.text}`);
  row.append(el("td", notes.join(" · ")));
  return row;
}

/** "Vacation: 9 Dec to 12 Dec · approved", in the reader's words. */
function absenceText(item) {
  const kind = said(KIND_TEXT, item.kind);
  const days = item.ends_on !== item.starts_on
    ? t("{start} to {end}", {start: dayText(item.starts_on), end: dayText(item.ends_on)}) : dayText(item.starts_on);
  const shown = item.half_day ? t("{kind} (half day)", {kind}) : kind;
  const what = t("{kind}: {days}", {kind: shown, days});
  const state = said(ABSENCE_STATE, item.state);
  return item.reason ? t("{absence} · {state} ({reason})", {absence: what, state, reason: item.reason})
    : t("{absence} · {state}", {absence: what, state});
}

export function wireWeek(call) {
  const section = document.getElementById("week");
  const parts = Object.fromEntries([...section.querySelectorAll("[data-week]")].map(
    (node) => [node.dataset.week, node]));
  const [year, month, date] = dayKey(new Date()).split("-").map(Number);  // today, in the person's zone
  let week = isoWeek(new Date(year, month - 1, date));

  async function load() {
    parts.status.textContent = "";
    let response;
    try {
      response = await call("GET", `/api/me/timesheets/?week=${week}`);
    } catch (err) {
      parts.status.textContent = t("Your week needs the server, which cannot be reached now.");
      return;
    }
    if (!response.ok) { parts.status.textContent = await reason(response); return; }
    draw(await response.json());
  }

  function draw(sheet) {
    parts.name.textContent = t("{start} to {end}", {start: dayText(sheet.starts_on), end: dayText(sheet.ends_on)});
    parts.state.textContent = said(STATE_TEXT, sheet.state);
    parts.state.dataset.state = sheet.state;
    parts.reason.textContent = sheet.reason ? t("Reason: {reason}", {reason: sheet.reason}) : "";
    parts.total.textContent = t("{hours} h this week", {hours: hours(sheet.total_minutes)});
    parts.days.replaceChildren(...sheet.days.map(dayRow));
    parts.submit.hidden = !(sheet.state === "draft" || sheet.state === "rejected");
    parts.submit.disabled = sheet.running;
    parts.submit.title = sheet.running ? t("Stop your timer first") : "";
  }

  async function submit() {
    const response = await call("POST", `/api/me/timesheets/${week}/submit/`, {}).catch(() => null);
    if (!response) { parts.status.textContent = t("Submitting needs the server, which cannot be reached now."); return; }
    if (!response.ok) { parts.status.textContent = await reason(response); return; }
    await load();
    parts.status.textContent = t("Submitted.");
  }

  async function askOff(event) {
    event.preventDefault();
    const form = event.target;
    const body = {kind: form.kind.value, starts_on: form.starts_on.value,
                  ends_on: form.ends_on.value || null, half_day: form.half_day.checked,
                  note: form.note.value};
    const response = await call("POST", "/api/me/absences/", body).catch(() => null);
    parts.offstatus.textContent = !response ? t("Asking needs the server, which cannot be reached now.")
      : response.ok ? t("Asked; your lead decides.") : await reason(response);
    if (response && response.ok) { form.reset(); loadAbsences(); }
  }

  async function loadAbsences() {
    const response = await call("GET", "/api/me/absences/").catch(() => null);
    if (!response || !response.ok) return;
    const {absences} = await response.json();
    parts.absences.replaceChildren(...absences.slice(0, 20).map((item) => el("li", absenceText(item))));
  }

  section.addEventListener("toggle", () => { if (section.open) { load(); loadAbsences(); } });
  if (section.open) { load(); loadAbsences(); }  // opened before this ran
  parts.prev.addEventListener("click", () => { week = shiftWeek(week, -1); load(); });
  parts.next.addEventListener("click", () => { week = shiftWeek(week, 1); load(); });
  parts.submit.addEventListener("click", submit);
  parts.off.addEventListener("submit", askOff);
}
