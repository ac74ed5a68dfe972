// The time zone field of the language and zone form (templates/_language_zone.html): the zones
// this browser knows as suggestions, and this device's own zone named beside it.
import "./catalog.js";
import {t} from "./i18n.js";

for (const form of document.querySelectorAll(".language-zone")) {
  const list = form.querySelector("datalist");
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [];
  list.replaceChildren(...zones.map((zone) => Object.assign(document.createElement("option"), {value: zone})));
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const note = form.querySelector("[data-device-zone]");
  if (device && note) note.textContent = t("This device is in {zone}.", {zone: device});
}
