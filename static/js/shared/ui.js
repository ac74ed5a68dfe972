// Small helpers the pages share: times in the reader's language and zone (not the browser's),
// the connection badge, a highlight.
import {el} from "./dom.js";
import {N_, dateText, dayKey, t} from "./i18n.js";

// The shapes the server writes too (services/language/formats.py): CLDR's skeletons.
const SAME_YEAR = {day: "numeric", month: "short", hour: "numeric", minute: "2-digit"};
const OTHER_YEAR = {...SAME_YEAR, year: "numeric"};
const TIME_ONLY = {hour: "numeric", minute: "2-digit"};
const DAY_ONLY = {day: "numeric", month: "short"};

/** "3 Dec, 14:05" (today: "14:05"); "" for null. Today and the year are the reader's. */
export function shortTime(iso, {todayAsTime = true} = {}) {
  if (!iso) return "";
  const date = new Date(iso);
  const now = new Date();
  if (todayAsTime && dayKey(date) === dayKey(now)) return dateText(date, TIME_ONLY);
  return dateText(date, dayKey(date).slice(0, 4) === dayKey(now).slice(0, 4) ? SAME_YEAR : OTHER_YEAR);
}

export function shortDay(iso) {
  return iso ? dateText(new Date(iso), DAY_ONLY) : "";
}

export function clockTime(iso) {
  return iso ? dateText(new Date(iso), TIME_ONLY) : "";
}

/** Server-rendered <time datetime> and SVG <text data-at>, written again in the scripts' shape
 * (the reader's language and zone, as the server wrote them; this year's dates without the year). */
export function localizeTimes(root = document) {
  for (const el of root.querySelectorAll("time[datetime][data-local]")) {
    el.textContent = shortTime(el.dateTime, {todayAsTime: false});
  }
  for (const el of root.querySelectorAll("time[datetime][data-day]")) {
    el.textContent = shortDay(el.dateTime);
  }
  for (const el of root.querySelectorAll("[data-at]")) {
    el.textContent = "atLong" in el.dataset ? shortTime(el.dataset.at, {todayAsTime: false})
      : clockTime(el.dataset.at);
  }
}

const STATE_TEXT = {
  connecting: N_("Connecting…"),
  live: N_("Live"),
  polling: N_("Live (polling)"),
  reconnecting: N_("Reconnecting…"),
  paused: N_("Paused"),
  signedout: N_("Signed out"),
};
const STATE_TITLE = {
  connecting: N_("Opening the live update channel"),
  live: N_("Live over WebSocket: changes appear at once"),
  polling: N_("WebSocket is unavailable; live over HTTP long-polling"),
  reconnecting: N_("The connection was lost; retrying with backoff"),
  paused: N_("Live updates are paused"),
  signedout: N_("Your session ended: sign in again to see live updates"),
};

/** Where "sign in again" leads: the login page, then back to this page. */
export function signInUrl() {
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** Keeps the badge (templates/_connection.html) truthful about the push client's state; signed
 * out, it offers to sign in again and come back here. */
export function connectionBadge(element) {
  const text = element.querySelector(".conn-text");
  return (state) => {
    element.dataset.state = state;
    text.textContent = STATE_TEXT[state] ? t(STATE_TEXT[state]) : state;
    element.title = STATE_TITLE[state] ? t(STATE_TITLE[state]) : "";
    element.querySelector(".conn-signin")?.remove();
    if (state === "signedout") {
      element.append(el("a", {class: "conn-signin", href: signInUrl()}, t("Sign in again")));
    }
  };
}

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

/** Briefly highlight an element that just changed. */
export function flash(element) {
  if (reducedMotion.matches || !element.animate) return;
  element.animate(
    [{boxShadow: "0 0 0 3px rgba(37, 99, 235, 0.75)"}, {boxShadow: "0 0 0 3px rgba(37, 99, 235, 0)"}],
    {duration: 1800, easing: "ease-out"});
}

/** GET a same-origin JSON (or HTML) resource; a lost session rejects with .signedOut set. */
export async function fetchPage(url, as = "json") {
  const response = await fetch(url, {credentials: "same-origin", cache: "no-store"});
  if (response.status === 401 || (response.redirected && new URL(response.url).pathname === "/login")) {
    throw Object.assign(new Error("signed out"), {signedOut: true});
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return as === "json" ? response.json() : response.text();
}

/** Swap a server-rendered fragment (already escaped by the template) in place of `target`. */
export function replaceFromHtml(target, html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const fresh = doc.getElementById(target.id);
  if (!fresh) return target;
  const node = document.importNode(fresh, true);
  target.replaceWith(node);
  localizeTimes(node);
  return node;
}
