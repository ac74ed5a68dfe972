// The session on this device. A session ended elsewhere (signed out on the dashboard, expired,
// disabled: any 401) hides the user's tasks and removes them, the cached shell and its page, but
// keeps their unsent changes for when they sign in again; a different user signing in on this
// browser clears the previous one's data, unsent changes included.
import {t, tn} from "../shared/i18n.js";
import * as db from "./db.js";

/** At start: the data of anyone else who used the app in this browser go. */
export async function takeOver(userId, tabs) {
  const previous = await db.getMeta("current");
  if (previous !== undefined && previous !== null && previous !== userId) await db.forgetOthers(userId);
  await db.setMeta("current", userId);
  tabs.postMessage({user: userId});  // an open tab of another user stops showing their data
}

/** Another tab said who signed in: a tab of someone else steps aside. */
export function isOtherUser(message, userId) {
  return Boolean(message && typeof message === "object" && message.user !== undefined && message.user !== userId);
}

/** A 401: say so in words, hide what was shown, remove what was kept (the outbox stays). */
export async function endSession(userId) {
  const notice = document.getElementById("signed-out");
  notice.hidden = false;
  notice.querySelector("[data-ref=why]").textContent = t("Your session ended — sign in again.");
  for (const id of ["tasks", "refused", "who", "timerbar", "calendar", "empty", "loading"]) {
    const node = document.getElementById(id);
    if (node) node.hidden = true;
  }
  document.getElementById("tasks").replaceChildren();
  document.getElementById("signout").hidden = true;
  await Promise.all([db.forgetUser(userId, {keepWork: true}), dropShell()]);
}

/** The cached page (it names the user) and scripts: without a session they are not kept. */
export async function dropShell() {
  if (!globalThis.caches) return;
  await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
}

/** The Sign out button: unsent changes would be lost (the server clears this site's storage). */
export async function signOut(event, userId, unsent, sendFirst) {
  event.preventDefault();
  const left = unsent ? await sendFirst() : 0;
  if (left && !confirm(tn("{num} change has not reached the server yet. Signing out deletes them from this device. Sign out anyway?",
    "{num} changes have not reached the server yet. Signing out deletes them from this device. Sign out anyway?", left))) return;
  await db.forgetUser(userId);
  await dropShell();
  event.target.submit();
}
