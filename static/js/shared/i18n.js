// The reader's language and time zone (SPEC 11.4): t("…") and tn(…) look a message up in the
// catalog the server makes from the same .po files as the pages (catalog.js loads it before a
// page's script runs), and the Intl formats write in the person's zone, not the browser's.
// Nothing here runs t() at import time: a module may be evaluated before the catalog arrives.

const root = typeof document === "undefined" ? null : document.documentElement;
export const lang = root?.lang || "en";
export const zone = root?.dataset.zone || undefined;  // undefined: the browser's (a worker)
let messages = {};
let forms = {one: 0, other: 1};  // CLDR category -> the catalog's plural form

/** The catalog of /i18n/<lang>.json: {messages, plural}. */
export function setCatalog(body) {
  messages = body.messages || {};
  forms = body.plural || forms;
}

function fill(text, values) {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A message in the reader's language, its {name} placeholders filled from `values`. */
export function t(msgid, values) {
  const found = messages[msgid];
  return fill(typeof found === "string" && found ? found : msgid, values);
}

let rules = null;

/** The plural form for `count` ({num} is the count in the locale's digits, ungrouped, as the
 * server's ngettext writes it). */
export function tn(singular, plural, count, values = {}) {
  const found = messages[singular];
  rules ||= new Intl.PluralRules(lang);
  const text = Array.isArray(found) ? found[forms[rules.select(count)] ?? found.length - 1]
    : count === 1 ? singular : plural;
  return fill(text, {num: number(count, {useGrouping: false}), ...values});
}

/** Marks a message for extraction where it is written; t() says it where it is shown. */
export const N_ = (msgid) => msgid;

const cache = new Map();

function formatter(kind, options) {
  const key = kind + JSON.stringify(options);
  if (!cache.has(key)) {
    cache.set(key, kind === "number" ? new Intl.NumberFormat(lang, options)
      : new Intl.DateTimeFormat(lang, {timeZone: zone, ...options}));
  }
  return cache.get(key);
}

/** 1234.5 -> "1,234.5", "1.234,5", "1 234,5". */
export function number(value, options = {}) {
  return formatter("number", options).format(value);
}

/** A Date in the reader's zone, with Intl.DateTimeFormat's options. */
export function dateText(date, options) {
  return formatter("date", options).format(date);
}

/** "2025-12-09": the calendar day a moment falls on in the reader's zone. */
export function dayKey(date) {
  const parts = Object.fromEntries(formatter("date", {year: "numeric", month: "2-digit", day: "2-digit",
    calendar: "gregory", numberingSystem: "latn"}).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** "2 h 05 min", "35 min": a duration in the reader's words (the server says it the same way). */
export function minutesText(minutes) {
  const whole = Math.max(0, Math.floor(minutes || 0));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (!hours) return t("{minutes} min", {minutes: number(rest)});
  if (!rest) return t("{hours} h", {hours: number(hours)});
  return t("{hours} h {minutes} min", {hours: number(hours), minutes: String(rest).padStart(2, "0")});
}

/** A number as typed in any of the languages: "1.5", "1,5", "١٫٥" -> 1.5; NaN if none. */
export function parseDecimal(text) {
  let value = String(text).trim().replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x6f0)).replace("٫", ".");
  if (/^-?\d*,\d+$/.test(value)) value = value.replace(",", ".");
  return value === "" ? NaN : Number(value);
}

/** Milliseconds the reader's zone is ahead of UTC at `date`. */
function offsetAt(date) {
  const parts = Object.fromEntries(formatter("date", {year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23", calendar: "gregory",
    numberingSystem: "latn"}).formatToParts(date).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(date.getTime() / 1000) * 1000;
}

/** The moment the reader's day containing `date` began (their midnight, not the browser's). */
export function midnightOf(date = new Date()) {
  const [year, month, day] = dayKey(date).split("-").map(Number);
  const guess = Date.UTC(year, month - 1, day) - offsetAt(date);
  return new Date(Date.UTC(year, month - 1, day) - offsetAt(new Date(guess)));
}

/** The reader's wall-clock text of a moment for <input type="datetime-local">: 2031-05-04T16:30. */
export function localInput(date) {
  const offset = offsetAt(date);
  return new Date(date.getTime() + offset).toISOString().slice(0, 16);
}

/** A server sentence from its `words` (services/language/text.py): its msgid looked up in the
 * catalog, its %(name)s placeholders filled with values said the same way (a list joined as the
 * language joins lists, {date} written as the language writes a day). */
export function say(words) {
  if (words === null || words === undefined) return "";
  if (Array.isArray(words)) return new Intl.ListFormat(lang).format(words.map(say));
  if (typeof words !== "object") return String(words);
  if ("date" in words) return dateText(new Date(`${words.date}T12:00:00Z`), {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});
  const found = messages[words.msgid];
  rules ||= new Intl.PluralRules(lang);
  let text = found && !Array.isArray(found) ? found : words.msgid;
  if (words.plural !== undefined) {
    text = Array.isArray(found) ? found[forms[rules.select(words.count)] ?? found.length - 1]
      : words.count === 1 ? words.msgid : words.plural;
  }
  const values = words.values || {};
  return text.replace(/%(?:\((\w+)\))?(0?\d*)([sd%])/g, (whole, name, width, kind) => {
    if (kind === "%") return "%";
    if (!(name in values)) return whole;
    const value = say(values[name]);
    return width && kind === "d" ? value.padStart(Number(width), "0") : value;
  });
}

/** An object the server wrote a sentence for ({text, words}: an audit row): English as written,
 * any other language said again from its words. */
export function sentence(item) {
  return lang === "en" || !item.words ? item.text : say(item.words);
}
