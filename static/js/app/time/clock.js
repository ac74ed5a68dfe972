// Moments the web app measures itself. The server computes every instant from its own clock: the
// app sends only how long ago something happened, measured on the monotonic clock while the page
// that saw it is still open (performance.now()), else as a difference of two wall-clock readings
// (a device's wrong clock is wrong by the same amount in both, so it cancels).

/** This moment (or `ms`, a Date.now() reading a little earlier) as a mark that can be kept. */
export function mark(ms = Date.now()) {
  return {ms, perf: performance.now() - (Date.now() - ms), origin: performance.timeOrigin};
}

/** `m` moved by `deltaMs`. */
export function shift(m, deltaMs) {
  return {ms: m.ms + deltaMs, perf: m.perf + deltaMs, origin: m.origin};
}

/** Milliseconds since `m` (never negative). */
export function msSince(m) {
  const ms = m.origin === performance.timeOrigin ? performance.now() - m.perf : Date.now() - m.ms;
  return Math.max(0, ms);
}

/** Milliseconds from `a` to `b`, on the monotonic clock when one page took both. */
export function between(a, b) {
  return a.origin === b.origin ? b.perf - a.perf : b.ms - a.ms;
}

/** An old outbox entry's ISO time (written before marks existed) as a mark. */
export function markFromIso(iso) {
  return iso ? {ms: Date.parse(iso), perf: 0, origin: -1} : null;
}

/** The *_ago_seconds fields of a timer change, as the server takes them: whole seconds, left out
 * under a second (the server's now is right then). Each is rounded to the nearest second, so a
 * run keeps its length on average; the server treats moments a second or two apart on the wrong
 * side of a neighbour as the same moment. A finished run keeps its measured length, unless its
 * start must not move earlier (`marks.keepStart`: it begins where the server ended a timer). */
export function agoFields(kind, marks) {
  const started = marks.started && msSince(marks.started) / 1000;
  const ended = marks.ended && msSince(marks.ended) / 1000;
  if (kind === "time-entry") {
    if (marks.keepStart) {
      const startedAgo = Math.floor(started);
      return {started_ago_seconds: startedAgo, ended_ago_seconds: Math.max(0, Math.min(Math.ceil(ended), startedAgo - 1))};
    }
    const endedAgo = Math.round(ended);
    const length = Math.max(1, Math.round(between(marks.started, marks.ended) / 1000));
    return {started_ago_seconds: endedAgo + length, ended_ago_seconds: endedAgo};
  }
  if (kind === "timer-start" && started >= 1) return {started_ago_seconds: Math.round(started)};
  if (kind === "timer-stop" && ended >= 1) return {ended_ago_seconds: Math.round(ended)};
  return {};
}
