// Words for the values the API sends as codes: written once for the pages and the web app, said
// in the reader's language where they are shown (t() at the time of use, never at import).
import {N_, t} from "./i18n.js";

const STATUS = {PENDING: N_("Pending"), IN_PROGRESS: N_("In progress"), DONE: N_("Done"),
  CANCELLED: N_("Cancelled")};
const PRIORITY = {LOW: N_("Low"), MEDIUM: N_("Medium"), HIGH: N_("High"), URGENT: N_("Urgent")};
const OCCUPANCY = {ACTIVE: N_("active"), IDLE: N_("idle"), OFFLINE: N_("offline"), PAUSED: N_("paused")};

const said = (table) => new Proxy(table, {get: (words, code) => (code in words ? t(words[code]) : undefined)});

/** STATUS_TEXT.DONE -> "Done" in the reader's language (undefined for an unknown code). */
export const STATUS_TEXT = said(STATUS);
export const PRIORITY_TEXT = said(PRIORITY);
export const OCCUPANCY_TEXT = said(OCCUPANCY);

/** "Blocked by #4, #9" for a task waiting on open predecessors, else "". */
export function blockedText(task) {
  const ids = task.blocked_by || [];
  return ids.length ? t("Blocked by {ids}", {ids: ids.map((id) => `#${id}`).join(", ")}) : "";
}
