// Loads the reader's catalog (/i18n/<lang>.json, named by <html data-catalog>) before a page's
// own script runs: every entry script imports this module first. English needs none; offline
// with no cached copy, the page speaks English rather than not at all.
import {setCatalog} from "./i18n.js";

const url = document.documentElement.dataset.catalog;
if (url) {
  try {
    const response = await fetch(url, {credentials: "same-origin"});
    if (response.ok) setCatalog(await response.json());
  } catch (err) {
    console.warn("no catalog for this language; English meanwhile", err);
  }
}
