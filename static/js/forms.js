// Task forms (assign, edit): due dates are typed in local time and sent with the zone offset.
import {localizeTimes} from "./ui.js";

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

localizeTimes();
