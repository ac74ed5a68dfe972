// The integrations page hears when an endpoint is disabled (after failing for 24 h) and says so
// at once, naming the endpoint and the reason; a reload shows the table's new state. The form's
// event boxes: "Every event" or single ones.
import "../shared/catalog.js";
import {el} from "../shared/dom.js";
import {t} from "../shared/i18n.js";
import {PushClient} from "../shared/push.js";

const notices = document.getElementById("live-notices");

function endpointDisabled(event) {
  if (event.type !== "webhook.disabled" || !event.webhook) return;
  notices.append(el("p", {class: "notice notice-error", data: {webhook: String(event.webhook.id)}},
    t("Endpoint #{id} ({url}) was disabled: {reason}. Enable it from its page once the receiver works again.",
      {id: event.webhook.id, url: event.webhook.url, reason: event.webhook.disabled_reason})));
  const row = document.querySelector(`tr[data-webhook="${event.webhook.id}"] td:nth-child(4)`);
  if (row) row.textContent = t("disabled");
}

new PushClient({
  cursor: Number(notices.dataset.cursor),
  onEvent: endpointDisabled,
  onReset: async () => {
    window.location.reload();
    return Number(notices.dataset.cursor);
  },
}).start();

// "Every event" and single events exclude each other: ticking one clears the other kind.
const every = document.querySelector('input[name="events"][value="*"]');
const single = [...document.querySelectorAll('input[name="events"]:not([value="*"])')];
every?.addEventListener("change", () => {
  if (every.checked) for (const box of single) box.checked = false;
});
for (const box of single) {
  box.addEventListener("change", () => {
    every.checked = !single.some((other) => other.checked);
  });
}
