// The monitor's controls: chips, search, selects, grouping and cards/table, bound to one view
// object; every control is a native button, input or select, so the keyboard reaches them all.
import {lang, t} from "../shared/i18n.js";

const SEARCH_PAUSE_MS = 150;  // a search runs once typing pauses
const CHOICES = ["employee", "project", "priority", "team", "group", "sort"];

/** Wire every control to `view`; `changed(layoutChanged)` is called after each change. Whatever
 * the search box holds counts at once when another control changes (a search still waiting for
 * the pause in typing is not lost, and an old one never comes back). */
export function bindControls(view, onChange) {
  const flushSearch = bindSearch(view, onChange);
  const changed = (layoutChanged) => {
    flushSearch();
    onChange(layoutChanged);
  };
  for (const button of document.querySelectorAll("button[data-filter]")) {
    button.addEventListener("click", () => {
      view.show = button.dataset.filter;
      changed(false);
    });
  }
  for (const button of document.querySelectorAll("button[data-view]")) {  // not the board's own data-view
    button.addEventListener("click", () => {
      if (view.view === button.dataset.view) return;
      view.view = button.dataset.view;
      changed(true);
    });
  }
  for (const name of CHOICES) {
    document.getElementById(`pick-${name}`).addEventListener("change", (e) => {
      view[name] = e.target.value;
      changed(name === "group");
    });
  }
  document.getElementById("clear-view").addEventListener("click", () => {
    document.getElementById("search").value = "";
    Object.assign(view, {show: "all", q: "", employee: "", project: "", priority: "", team: ""});
    changed(false);
  });
}

/** The search box; answers a function that takes in what it holds now (no redraw). */
function bindSearch(view, changed) {
  const search = document.getElementById("search");
  let timer = 0;
  const flush = () => {
    clearTimeout(timer);
    view.q = search.value.trim();
  };
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      flush();
      changed(false);
    }, SEARCH_PAUSE_MS);
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && search.value) {
      search.value = "";
      flush();
      changed(false);
    }
  });
  document.addEventListener("keydown", (e) => {  // "/" jumps to the search, as on most sites
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest("input, select, textarea, [contenteditable]")) return;
    e.preventDefault();
    search.focus();
  });
  return flush;
}

/** Show the view on the controls (after a change, or as the URL gave it). */
export function showView(view) {
  for (const button of document.querySelectorAll("button[data-filter]")) {
    button.setAttribute("aria-pressed", String(button.dataset.filter === view.show));
  }
  for (const button of document.querySelectorAll("button[data-view]")) {  // not the board's own data-view
    button.setAttribute("aria-pressed", String(button.dataset.view === view.view));
  }
  const search = document.getElementById("search");
  if (search.value.trim() !== view.q) search.value = view.q;
  for (const name of CHOICES) document.getElementById(`pick-${name}`).value = view[name];
  const narrowed = view.show !== "all" || view.q || view.employee || view.project || view.priority || view.team;
  document.getElementById("clear-view").hidden = !narrowed;
}

/** The team choices: the teams the board came with (a lead's or viewer's own; all for admins). */
export function fillTeams(teams, view) {
  const select = document.getElementById("pick-team");
  select.closest("label").hidden = !teams.length;
  fill(select, new Map(teams.map((team) => [String(team.id), team.name])), view.team);
}

/** The employee and project choices: every person and project on the board, by name. */
export function fillChoices(tasks, employees, view) {
  const people = new Map([...employees].map(([id, person]) => [String(id), person.name]));
  const projects = new Map();
  let unassigned = false;
  for (const task of tasks) {
    people.set(String(task.assignee.id), task.assignee.full_name || task.assignee.username);
    if (task.project) projects.set(String(task.project.id), task.project.name);
    else unassigned = true;
  }
  if (unassigned) projects.set("none", t("No project"));
  fill(document.getElementById("pick-employee"), people, view.employee);
  fill(document.getElementById("pick-project"), projects, view.project);
}

function fill(select, choices, current) {
  const sorted = [...choices].sort((a, b) => (a[0] === "none") - (b[0] === "none") || a[1].localeCompare(b[1], lang));
  const first = select.options[0];  // "Every …"
  const options = sorted.map(([value, label]) => new Option(label, value));
  if (current && !choices.has(current)) options.push(new Option(t("#{id} (no tasks)", {id: current}), current));
  select.replaceChildren(first, ...options);
  select.value = current;
}
