// The calendar feed's secret address: read when its section is first opened (the server makes
// one on first ask), copied with the shared copy button, replaced on request after a confirmation.
import "../shared/copy.js";
import {reason} from "../shared/http.js";
import {t} from "../shared/i18n.js";

export function wireCalendar(call) {
  const section = document.getElementById("calendar");
  const input = document.getElementById("calendar-url");
  const status = document.getElementById("calendar-status");
  const copy = document.getElementById("calendar-copy");
  const rotate = document.getElementById("calendar-rotate");

  async function ask(method, url, done) {
    let response;
    try {
      response = await call(method, url, method === "POST" ? {} : undefined);
    } catch (err) {
      status.textContent = t("The calendar address needs the server, which cannot be reached now.");
      return;
    }
    if (!response.ok) {
      status.textContent = await reason(response);
      return;
    }
    input.value = (await response.json()).url;
    input.placeholder = "";
    copy.disabled = rotate.disabled = false;
    copy.textContent = t("Copy");
    status.textContent = done;
  }

  section.addEventListener("toggle", () => {
    if (section.open && !input.value) ask("GET", "/api/me/calendar/", "");
  });
  rotate.addEventListener("click", () => {
    if (!confirm(t("Make a new calendar address? The current one stops working at once: calendars subscribed to it must be given the new one."))) return;
    ask("POST", "/api/me/calendar/rotate/", t("A new address is ready; the old one no longer works."));
  });
}
