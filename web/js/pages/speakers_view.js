/**
 * What every page showing the speakers' list shares: the live `speakers` events (from the one
 * stream the page already follows: common.js re-dispatches each event as `evote-live`), the
 * list as a numbered list of names, and the speaking-time countdown on the server's clock.
 *
 * The order is the server's (docs/speakers.md): pages never compute it, they show `place`.
 */

import { api, clock, countdown, el, t } from "./common.js";

/** Calls fn(event) for each live event of `type` ("*" for all: fn(type, event)). */
export function onLive(type, fn) {
  document.addEventListener("evote-live", (e) => {
    if (type === "*") fn(e.detail.type, e.detail.event);
    else if (e.detail.type === type) fn(e.detail.event);
  });
}

/** GET /api/speakers: the active list with the viewer's own requests; syncs the clock. */
export async function loadSpeakers() {
  const view = await api("GET", "/api/speakers");
  if (view.server_time) clock.sync(view.server_time);
  return view;
}

/** "Name (Delegation)" */
export function who(entry) {
  return entry.delegation ? `${entry.name} (${entry.delegation})` : entry.name;
}

/** The state's public fields (the live event carries the list itself, the GET wraps it). */
export function listOf(eventOrView) {
  if (!eventOrView) return null;
  if ("waiting" in eventOrView) return eventOrView;
  return eventOrView.list ?? null;
}

/** <li> items of the waiting entries: place, name, point of order, "next", technician state. */
export function waitingItems(list, extra = () => []) {
  return list.waiting.map((entry) => {
    const marks = [];
    if (entry.kind === "point_of_order") marks.push(el("span", { class: "tag go" }, t("speakers.point_of_order")));
    if (entry.prepared) marks.push(el("span", { class: "tag next" }, t("speakers.prepared")));
    if (entry.tech) marks.push(el("span", { class: `tag tech-${entry.tech}` }, t(`speakers.tech.${entry.tech}`)));
    if (entry.beyond) marks.push(el("span", { class: "tag beyond" }, t("speakers.beyond")));
    return el("li", { "data-entry": entry.entry_id, class: entry.beyond ? "beyond" : "" },
      el("span", { class: "place" }, entry.place ? `${entry.place}.` : "–"), " ",
      el("span", { class: "name" }, who(entry)), " ", ...marks, ...extra(entry));
  });
}

/** A countdown of the current speech in `node` ("2:59"), or nothing; returns a stop function. */
export function speechCountdown(node, current, format = (time) => time) {
  if (!current?.ends_at) {
    node.textContent = "";
    return () => {};
  }
  return countdown(node, current.ends_at, format, () => node.classList.add("over"), (left) => {
    node.classList.toggle("over", left === 0);
  });
}
