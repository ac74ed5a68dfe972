// Words for the values the API sends as codes: written once for the pages and the web app.

export const STATUS_TEXT = {PENDING: "Pending", IN_PROGRESS: "In progress", DONE: "Done", CANCELLED: "Cancelled"};
export const PRIORITY_TEXT = {LOW: "Low", MEDIUM: "Medium", HIGH: "High", URGENT: "Urgent"};
export const OCCUPANCY_TEXT = {ACTIVE: "active", IDLE: "idle", OFFLINE: "offline", PAUSED: "paused"};

/** "1 comment", "2 comments": `many` defaults to one + "s". */
export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** "Blocked by #4, #9" for a task waiting on open predecessors, else "". */
export function blockedText(task) {
  const ids = task.blocked_by || [];
  return ids.length ? `Blocked by ${ids.map((id) => `#${id}`).join(", ")}` : "";
}
