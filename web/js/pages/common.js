/**
 * What every evote page needs: its texts, the CSRF token, JSON calls to the API and the live
 * stream with the server's clock.  Imports nothing, so a page costs one more small request.
 *
 * The page's data is JSON rendered by the server into <script id="page-data">: the strings
 * of the page's language (`t`), the session's CSRF token and page specifics.
 */

export const page = JSON.parse(document.getElementById("page-data").textContent);

/** Set when this page's logout form is sent (the live stream's end then is ours). */
let leaving = false;

/**
 * The text for `key`, with {name} placeholders filled from `vars`.  A key without a text shows
 * as itself and is reported on the console ("evote: no text …"): the browser tests fail on it
 * (issue 12: no page shows a text without a German entry).
 */
export function t(key, vars = {}) {
  if (!(key in page.t)) console.error(`evote: no text for ${key}`);
  const text = page.t[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export const $ = (id) => document.getElementById(id);

/** Element helper: el("li", {class: "x"}, "text", child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/**
 * A refused API call.  The message is the page's text for the stable `error` code
 * (`error.<code>`, in the page's language); for a code without one (a test catches that, and
 * the console says so) a general sentence with the HTTP status, never the server's English.
 * The server's own message stays in `detail` for the console and bug reports.
 */
function refusalText(status, body) {
  const code = body?.error;
  if (code && page.t[`error.${code}`]) return page.t[`error.${code}`];
  console.error(`evote: no text for error.${code}`);
  return t("error.http", { status });
}

export class ApiError extends Error {
  constructor(status, body) {
    super(refusalText(status, body));
    this.detail = body?.message;
    this.name = "ApiError";
    this.status = status;
    this.code = body?.error;
  }
}

/**
 * A JSON call; a body that is a string is sent as it is (the ballot, byte for byte).
 * `extraHeaders`: e.g. a cast ballot's Evote-Credential-Key and -Signature.
 */
export async function api(method, url, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", ...extraHeaders };
  if (method !== "GET") headers["X-CSRF-Token"] = page.csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: "network", message: t("error.network") });
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * The server's clock as seen from here.  Every live event and vote carries `server_time`;
 * the offset to the local clock is taken from each, so a countdown ends when the server
 * closes the vote, not when this device's clock says so.  Network delay makes the
 * countdown end a fraction of a second late here, never early.
 */
export const clock = {
  offset: 0,
  sync(serverTime) {
    const server = Date.parse(serverTime);
    if (!Number.isNaN(server)) this.offset = server - Date.now();
  },
  now() {
    return Date.now() + this.offset;
  },
  /** Milliseconds left until the ISO time `until`, never negative. */
  remaining(until) {
    return Math.max(0, Date.parse(until) - this.now());
  },
};

/** "4:05" from milliseconds (rounded up, so 0:00 shows only at the end). */
export function formatRemaining(ms) {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, "0")}`;
}

/**
 * Follows /api/live: calls handlers[type](event) for each event, after syncing the clock.
 *
 * EventSource reconnects by itself after a dropped connection, but gives up for good on a
 * non-200 answer, such as the 503 a full server sends.  Then the page polls
 * /api/live/snapshot (a cheap read), so it still learns that a vote opened, and tries the
 * stream again after 5-15 s (spread, so a thousand pages do not come back at once), polling
 * in between until a place is free.  The snapshot each connection or poll brings resets the
 * page.
 *
 * Events are numbered (`id`). When the stream breaks (its worker or server died, or the
 * server restarted), the page comes back to any server and names the last number it got:
 * EventSource sends it as `Last-Event-ID` when it reconnects by itself, and a stream reopened
 * here carries it as `?last_event_id=`. The server then sends the events missed meanwhile, in
 * order, before the snapshot, so no vote opened, closed or announced is lost without a reload.
 * An event seen twice (replayed and live at once) is handled once.
 *
 * The server ends a stream with an `ended` event when the page must not reconnect:
 * `replaced` (the account opened more pages than it may stream to; this one keeps polling
 * instead) or `session_ended` (logout, deactivation, new password: handlers.ended, by
 * default the login page).
 */
export function follow(handlers, { retryDelay = () => 5000 + Math.random() * 10000 } = {}) {
  const types = ["snapshot", "vote_opened", "vote_closed", "vote_extended", "vote_cancelled", "votes_changed",
    "agenda", "turnout", "result", "announced", "stage", "speakers", "signal"];
  let stopped = false;
  let lastId = null;
  const seen = new Set();
  const dispatch = (type, event, fromStream = true) => {
    if (typeof event.id === "number" && type !== "snapshot") {
      if (seen.has(event.id)) return;
      seen.add(event.id);
      if (seen.size > 1000) seen.delete(seen.values().next().value);
    }
    // A polled snapshot moves the mark only for a page that never had a stream: events it
    // reflects but did not deliver (an announcement) still come when the stream reopens.
    if (typeof event.id === "number" && (fromStream || lastId === null)) lastId = event.id;
    if (event.server_time) clock.sync(event.server_time);
    handlers[type]?.(event);
    // for a page's further modules (the speakers' list): onLive() in speakers_view.js
    document.dispatchEvent(new CustomEvent("evote-live", { detail: { type, event } }));
  };
  const end = (event) => {
    stopped = true;
    // This page's own logout ended the stream: the form's answer leads to the login page
    // (which confirms the logout once); a second navigation would swallow that.
    if (leaving) return;
    if (handlers.ended) handlers.ended(event);
    else location.assign("/login");
  };
  /** One poll of the snapshot; false when the session is gone (and the page ended). */
  const poll = async () => {
    try {
      dispatch("snapshot", await api("GET", "/api/live/snapshot"), false);
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        end({ type: "ended", reason: "session_ended" });
        return false;
      }
    }
    return true;
  };
  const pollForever = async () => {
    if (stopped || !(await poll())) return;
    setTimeout(pollForever, retryDelay());
  };
  const open = () => {
    if (stopped) return null;
    const source = new EventSource(lastId === null ? "/api/live" : `/api/live?last_event_id=${lastId}`);
    for (const type of types) {
      source.addEventListener(type, (message) => dispatch(type, JSON.parse(message.data)));
    }
    source.addEventListener("ended", (message) => {
      source.close();
      const event = JSON.parse(message.data);
      if (event.reason === "replaced") pollForever();
      else end(event);
    });
    source.addEventListener("error", async () => {
      if (source.readyState !== EventSource.CLOSED || stopped) return;
      if (await poll()) setTimeout(open, retryDelay());
    });
    return source;
  };
  return open();
}

/**
 * A countdown in `node` until `closesAt`; calls `done` once at zero and `onTick(ms left)` on
 * every tick.  Returns a stop function.
 */
export function countdown(node, closesAt, format, done, onTick) {
  let finished = false;
  const tick = () => {
    const left = clock.remaining(closesAt);
    node.textContent = format(formatRemaining(left));
    onTick?.(left);
    if (left === 0 && !finished) {
      finished = true;
      done?.();
    }
  };
  tick();
  const timer = setInterval(tick, 250);
  return () => clearInterval(timer);
}

/**
 * A tracking code as people read it: its first 8 characters in two groups ("2D78 1526"); the
 * full code stays one click away (issue 12, item 10). Eight hex characters are 32 bits: enough
 * to find one's own ballot in the public list among thousands, and short enough to compare.
 */
export function shortCode(code) {
  const s = String(code);
  return `${s.slice(0, 4)} ${s.slice(4, 8)}`;
}

/** Candidate display names by selection id, from a vote's JSON (`kind`, `candidates`). */
export function selectionLabels(vote) {
  const labels = {};
  const answers = ["yes", "no", "abstain"];
  if (vote.kind === "motion") {
    for (const a of answers) labels[a] = t(`vote.${a}`);
  } else {
    vote.candidates.forEach((name, i) => {
      const id = `candidate-${i + 1}`;
      labels[id] = name;
      for (const a of answers) labels[`${id}-${a}`] = `${name}: ${t(`vote.${a}`)}`;
    });
    for (const id of ["overall-no", "overall-abstain"]) labels[id] = t(`vote.${id}`);
  }
  return labels;
}

/**
 * Logging out forgets what this browser kept for the person (signed receipts, a ballot still
 * waiting for its receipt): on a shared computer the next person must not be shown them.  The
 * server's answer to /logout also sends `Clear-Site-Data: "storage"`; this covers browsers
 * without it.
 */
export const KEPT_PREFIXES = ["evote-receipt/", "evote-pending/"];
export function forgetKept(storage = globalThis.localStorage) {
  try {
    const keys = [];
    for (let i = 0; i < storage.length; i++) keys.push(storage.key(i));
    for (const key of keys) if (KEPT_PREFIXES.some((p) => key?.startsWith(p))) storage.removeItem(key);
  } catch {}
}
for (const form of document.querySelectorAll('form[action="/logout"]')) {
  form.addEventListener("submit", () => {
    leaving = true;
    forgetKept();
  });
}
