// Passkeys: add one on the Security page, sign in with one on the sign-in page. The browser's
// own JSON forms of WebAuthn options and credentials go to the server as they are.
import "./catalog.js";
import {t} from "./i18n.js";

const xsrf = () => document.querySelector("input[name=_xsrf]").value;

async function post(url, body) {
  const answer = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-XSRFToken": xsrf()},
    body: JSON.stringify(body || {}),
  });
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error((data.error && data.error.message) || t("the server refused"));
  return data;
}

function say(element, text) {
  element.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  element.hidden = false;
}

async function addPasskey(button, status) {
  const {handle, options} = await post("/api/me/passkeys/options/");
  const created = await navigator.credentials.create(
    {publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)});
  const name = document.getElementById("passkey-name").value.trim() || t("Passkey");
  await post("/api/me/passkeys/", {handle, name, credential: created.toJSON()});
  say(status, t("the passkey is added."));
  window.location.reload();
}

async function signIn(status, step) {
  const {handle, options} = step || await post("/login/passkey/options");
  const found = await navigator.credentials.get(
    {publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)});
  const next = document.querySelector("input[name=next]");
  const done = await post("/login/passkey", {handle, credential: found.toJSON(),
                                             next: next ? next.value : null});
  window.location.assign(done.next);
}

function wire(id, statusId, action) {
  const button = document.getElementById(id);
  const status = document.getElementById(statusId);
  if (!button || !window.PublicKeyCredential) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    action(button, status).catch((error) => say(status, error.message || String(error)))
      .finally(() => { button.disabled = false; });
  });
}

wire("add-passkey", "passkey-status", addPasskey);
wire("passkey-signin", "passkey-status", (_button, status) => signIn(status));
// The second step after a right password: the challenge came with the page.
const second = document.getElementById("passkey-second");
if (second) {
  const step = {handle: second.dataset.handle, options: JSON.parse(second.dataset.options)};
  wire("passkey-confirm", "passkey-status", (_button, status) => signIn(status, step));
}
