// Talking to the API from a page: the XSRF token read one way (the cookie every page sets), JSON
// in and out, and a refusal turned into the server's own words (in the reader's language).
import {t} from "./i18n.js";

/** The _xsrf cookie Tornado sets on every page that carries a form or the web app. */
export function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export function xsrfHeaders() {
  const token = xsrfToken();
  return token ? {"X-XSRFToken": token} : {};
}

/** A same-origin API call with the session cookie and the XSRF header; rejects when offline. */
export function call(method, url, body) {
  const headers = {Accept: "application/json", ...xsrfHeaders()};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(url, {method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body)});
}

/** {code, message, status} of a refused answer (the one JSON error shape), in words. */
export async function refusal(response) {
  const body = await response.json().catch(() => ({}));
  const error = body.error || {};
  return {code: error.code || "error", status: response.status,
    message: error.message || t("The server answered {status}.", {status: response.status})};
}

/** The message alone. */
export async function reason(response) {
  return (await refusal(response)).message;
}
