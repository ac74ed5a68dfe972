// Copy buttons: data-copy names the read-only input whose value goes to the clipboard.
import "./catalog.js";
import {t} from "./i18n.js";

for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(source.value);
      button.textContent = t("Copied");
    } catch {
      source.select();  // no clipboard permission: leave it selected for Ctrl+C
      button.textContent = t("Press Ctrl+C");
    }
  });
}
