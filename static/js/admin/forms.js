// Forms of the admin pages: a confirmation where a form asks for one, the focus on the first
// field to correct. Due dates are typed in the person's time zone and read in it by the server.
import "../shared/catalog.js";
import {localizeTimes} from "../shared/ui.js";

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

/** A page answered with errors: the keyboard and the screen reader start at the first field to
 * correct (its message is tied to it by aria-describedby), or at the form's own message. */
function focusFirstError() {
  const field = document.querySelector('form [aria-invalid="true"]');
  if (field) {
    field.focus();
    return;
  }
  const notice = document.querySelector("form .notice-error");
  if (notice) {
    notice.tabIndex = -1;
    notice.focus();
  }
}

localizeTimes();
// After the load: a URL fragment (#dependencies) scrolls the page then and would move focus away.
if (document.readyState === "complete") focusFirstError();
else window.addEventListener("load", focusFirstError, {once: true});
