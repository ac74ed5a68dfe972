// The monitor's view (filters, search, grouping, cards or table): read from and kept in the URL,
// and turned into the sections the page shows. The rules mirror the task board's on the server.
import {lang, t} from "../shared/i18n.js";

const STATUSES = ["PENDING", "IN_PROGRESS", "DONE", "CANCELLED"];
const OLD_HASHES = {pending: "PENDING", in_progress: "IN_PROGRESS", done: "DONE", stale: "stale"};
export const SHOWS = ["all", "PENDING", "IN_PROGRESS", "DONE", "CANCELLED", "stale", "at_risk", "blocked"];
const KEYS = ["q", "employee", "project", "priority", "team", "group", "view", "sort"];
const PRIORITY_RANK = {URGENT: 0, HIGH: 1, MEDIUM: 2, LOW: 3};
// Teams from the board: id -> Set of its people's ids, and person id -> their first team by name.
const teamPeople = new Map();
const teamOf = new Map();

/** Take in the board's teams ([{id, name, people}], by name): the team filter and grouping. */
export function setTeams(teams) {
  teamPeople.clear();
  teamOf.clear();
  for (const team of teams || []) {
    teamPeople.set(String(team.id), new Set(team.people));
    for (const person of team.people) if (!teamOf.has(person)) teamOf.set(person, team);
  }
}

/** The view a URL asks for; unknown values fall back to the default. */
export function readView(location) {
  const params = new URLSearchParams(location.search);
  const view = {show: "all", q: "", employee: "", project: "", priority: "", team: "", group: "", view: "cards", sort: ""};
  for (const key of KEYS) view[key] = (params.get(key) || "").trim();
  if (STATUSES.includes(params.get("status"))) view.show = params.get("status");
  if (params.get("stale") === "true") view.show = "stale";
  if (params.get("at_risk") === "true") view.show = "at_risk";
  if (params.get("blocked") === "true") view.show = "blocked";
  const old = OLD_HASHES[location.hash.slice(1).toLowerCase()];  // links from before the URL held it
  if (old) view.show = old;
  if (!["employee", "project", "team"].includes(view.group)) view.group = "";
  if (view.view !== "table") view.view = "cards";
  if (!(view.sort in SORTS)) view.sort = "";
  return view;
}

/** The URL of a view: the task board's own query names, defaults left out. */
export function viewUrl(view, pathname) {
  const params = new URLSearchParams();
  if (STATUSES.includes(view.show)) params.set("status", view.show);
  if (["stale", "at_risk", "blocked"].includes(view.show)) params.set(view.show, "true");
  for (const key of KEYS) {
    if (view[key] && !(key === "view" && view[key] === "cards")) params.set(key, view[key]);
  }
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

const searchText = new WeakMap();  // task object -> its searchable text, lower case

/** Whether a task passes the view's narrowing (everything but the chip): search and selects. */
export function narrowing(view) {
  const words = view.q.toLowerCase().split(/\s+/).filter(Boolean);
  return (task) => {
    if (view.employee && String(task.assignee.id) !== view.employee) return false;
    if (view.project && String(task.project ? task.project.id : "none") !== view.project) return false;
    if (view.priority && task.priority !== view.priority) return false;
    if (view.team && !teamPeople.get(view.team)?.has(task.assignee.id)) return false;
    if (!words.length) return true;
    let text = searchText.get(task);  // an event brings a new task object, so never stale
    if (text === undefined) {
      text = [task.title, task.assignee.username, task.assignee.full_name || "",
              task.project ? task.project.name : ""].join("\n").toLowerCase();
      searchText.set(task, text);
    }
    return words.every((word) => text.includes(word));
  };
}

/** Whether a task counts under a chip. */
export function underChip(show, task) {
  if (show === "all") return true;
  if (show === "stale") return Boolean(task.is_stale);
  if (show === "at_risk") return Boolean(task.at_risk);
  if (show === "blocked") return Boolean(task.is_blocked);
  return task.status === show;
}

const collator = new Intl.Collator(lang);  // far quicker than localeCompare; the reader's order

/** The section a task goes in: a number (0: no project), or "all" when not grouped. */
export function sectionKey(group, task) {
  if (group === "employee") return task.assignee.id;
  if (group === "project") return task.project ? task.project.id : 0;
  if (group === "team") return teamOf.get(task.assignee.id)?.id || 0;  // 0: in no team, last
  return "all";
}

export function sectionLabel(group, task) {
  if (group === "employee") return task.assignee.full_name || task.assignee.username;
  if (group === "team") return teamOf.get(task.assignee.id)?.name || t("No team");
  return task.project ? task.project.name : (group === "project" ? t("No project") : "");
}

/** Sections in label order, "No project" last. */
export function sortSections(sections) {
  return sections.sort((a, b) =>
    (a.key === 0) - (b.key === 0) || collator.compare(a.label, b.label) || String(a.key).localeCompare(String(b.key)));
}

const time = (iso) => (iso ? Date.parse(iso) : null);

/** Each order the monitor offers: a key of a task (null: last), ascending; "" is newest first. */
const SORTS = {
  "": null,
  due: (task) => time(task.due_date),
  priority: (task) => PRIORITY_RANK[task.priority] ?? 9,
  progress: (task) => task.progress_percentage,
  updated: (task) => {
    const at = time(task.last_progress_update_at);
    return at === null ? null : -at;  // the latest first
  },
  assignee: (task) => (task.assignee.full_name || task.assignee.username).toLowerCase(),
};

/** How two task ids compare under `sort` (ties: the newer first); `tasks` maps id -> task. */
export function comparator(sort, tasks) {
  const key = SORTS[sort];
  if (!key) return (a, b) => b - a;
  return (a, b) => {
    const x = key(tasks.get(a));
    const y = key(tasks.get(b));
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return typeof x === "string" ? collator.compare(x, y) || (x < y ? -1 : 1) : x - y;
    }
    return b - a;
  };
}
