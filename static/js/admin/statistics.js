// Statistics: the server renders the charts; on any change the page fetches them again (coalesced).
import "../shared/catalog.js";
import {PushClient} from "../shared/push.js";
import {connectionBadge, fetchPage, localizeTimes, replaceFromHtml} from "../shared/ui.js";

const QUIET_MS = 1500;      // gather a burst of events into one refresh
const EVERY_MS = 60000;     // presence time grows without events: refresh each minute anyway
let live = document.getElementById("stats-live");
let timer = 0;

async function refresh() {
  timer = 0;
  const team = live.dataset.team ? `&team=${live.dataset.team}` : "";
  const html = await fetchPage(`/dashboard/tasks/statistics/?partial=1&hours=${live.dataset.hours}${team}`, "text");
  live = replaceFromHtml(live, html);
}

function soon() {
  if (!timer) timer = setTimeout(() => refresh().catch(() => {}), QUIET_MS);
}

localizeTimes();
new PushClient({
  cursor: Number(live.dataset.cursor),
  onEvent: soon,
  onReset: async () => {
    await refresh();
    return Number(live.dataset.cursor);
  },
  onState: connectionBadge(document.getElementById("connection")),
}).start();
setInterval(() => {
  if (document.visibilityState === "visible") soon();
}, EVERY_MS);
