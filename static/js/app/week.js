// "My week": the person's week timesheet (days with working time and rule flags, the total, its
// state and the approver's reason), submitted from here; and their absences, requested from here.
// Read when the section is first opened and after each change; everything is drawn as text.

const STATE_TEXT = {draft: "Not submitted yet", submitted: "Submitted, waiting for approval",
                    approved: "Approved: this week is locked", rejected: "Sent back to you"};
const KIND_TEXT = {vacation: "Vacation", sick: "Sick", other: "Other"};

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

const hours = (minutes) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;

async function reason(response) {
  const body = await response.json().catch(() => ({}));
  return (body.error && body.error.message) || `The server answered ${response.status}.`;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function dayRow(day) {
  const row = el("tr");
  const date = new Date(`${day.date}T12:00:00Z`);
  row.append(el("th", date.toLocaleDateString(undefined, {weekday: "short", day: "numeric", month: "short"})));
  row.append(el("td", day.work_minutes ? hours(day.work_minutes) : ""));
  row.append(el("td", day.break_minutes ? hours(day.break_minutes) : ""));
  const notes = [];
  if (day.absence) notes.push(KIND_TEXT[day.absence.kind] + (day.absence.half_day ? " (half day)" : ""));
  if (day.holiday) notes.push(day.holiday);
  for (const flag of day.flags) notes.push(`⚠ ${flag.text}`);
  row.append(el("td", notes.join(" · ")));
  return row;
}

export function wireWeek(call) {
  const section = document.getElementById("week");
  const parts = Object.fromEntries([...section.querySelectorAll("[data-week]")].map(
    (node) => [node.dataset.week, node]));
  let week = isoWeek(new Date());

  async function load() {
    parts.status.textContent = "";
    let response;
    try {
      response = await call("GET", `/api/me/timesheets/?week=${week}`);
    } catch (err) {
      parts.status.textContent = "Your week needs the server, which cannot be reached now.";
      return;
    }
    if (!response.ok) { parts.status.textContent = await reason(response); return; }
    draw(await response.json());
  }

  function draw(sheet) {
    parts.name.textContent = `${sheet.starts_on} to ${sheet.ends_on}`;
    parts.state.textContent = STATE_TEXT[sheet.state] || sheet.state;
    parts.state.dataset.state = sheet.state;
    parts.reason.textContent = sheet.reason ? `Reason: ${sheet.reason}` : "";
    parts.total.textContent = `${hours(sheet.total_minutes)} h this week`;
    parts.days.replaceChildren(...sheet.days.map(dayRow));
    parts.submit.hidden = !(sheet.state === "draft" || sheet.state === "rejected");
    parts.submit.disabled = sheet.running;
    parts.submit.title = sheet.running ? "Stop your timer first" : "";
  }

  async function submit() {
    const response = await call("POST", `/api/me/timesheets/${week}/submit/`, {}).catch(() => null);
    if (!response) { parts.status.textContent = "Submitting needs the server, which cannot be reached now."; return; }
    if (!response.ok) { parts.status.textContent = await reason(response); return; }
    await load();
    parts.status.textContent = "Submitted.";
  }

  async function askOff(event) {
    event.preventDefault();
    const form = event.target;
    const body = {kind: form.kind.value, starts_on: form.starts_on.value,
                  ends_on: form.ends_on.value || null, half_day: form.half_day.checked,
                  note: form.note.value};
    const response = await call("POST", "/api/me/absences/", body).catch(() => null);
    parts.offstatus.textContent = !response ? "Asking needs the server, which cannot be reached now."
      : response.ok ? "Asked; your lead decides." : await reason(response);
    if (response && response.ok) { form.reset(); loadAbsences(); }
  }

  async function loadAbsences() {
    const response = await call("GET", "/api/me/absences/").catch(() => null);
    if (!response || !response.ok) return;
    const {absences} = await response.json();
    parts.absences.replaceChildren(...absences.slice(0, 20).map((item) => el("li",
      `${KIND_TEXT[item.kind]}: ${item.starts_on}${item.ends_on !== item.starts_on ? ` to ${item.ends_on}` : ""}`
      + `${item.half_day ? " (half day)" : ""} · ${item.state}${item.reason ? ` (${item.reason})` : ""}`)));
  }

  section.addEventListener("toggle", () => { if (section.open) { load(); loadAbsences(); } });
  if (section.open) { load(); loadAbsences(); }  // opened before this ran
  parts.prev.addEventListener("click", () => { week = shiftWeek(week, -1); load(); });
  parts.next.addEventListener("click", () => { week = shiftWeek(week, 1); load(); });
  parts.submit.addEventListener("click", submit);
  parts.off.addEventListener("submit", askOff);
}
