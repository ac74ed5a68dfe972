// Task forms (assign, edit): due dates are typed in local time and sent with the zone offset.
import {localizeTimes} from "../shared/ui.js";

function toLocalInput(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

for (const form of document.querySelectorAll("form[data-task-form]")) {
  const due = form.querySelector('input[name="due_date"]');
  if (due && !due.value && due.dataset.iso) due.value = toLocalInput(due.dataset.iso);
  form.addEventListener("submit", () => {
    const offset = form.querySelector("[data-tz-offset]");
    const when = due && due.value ? new Date(due.value) : new Date();
    if (offset) offset.value = String(when.getTimezoneOffset());
  });
}

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
