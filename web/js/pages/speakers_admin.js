/**
 * The presidium's speakers' page (/speakers): open an agenda item's list, close or reopen it,
 * quota on or off and the rule for an empty side, guests, the speaking time; per request: mark
 * as next (technician check), call, move up, remove; end the speech; the minutes.
 * Every step is the server's (docs/speakers.md); the page shows its answer and the live events.
 */

import { $, api, el, follow, t } from "./common.js";
import { listOf, loadSpeakers, onLive, speechCountdown, waitingItems, who } from "./speakers_view.js";
import { sure } from "./staff.js";

let view = null;
let stop = () => {};

async function act(step) {
  $("speakers-error").hidden = true;
  try {
    const result = await step();
    if (result && "list" in result) view = result;
    render();
    return result;
  } catch (e) {
    $("speakers-error").textContent = e.message;
    $("speakers-error").hidden = false;
    return null;
  }
}

const base = () => `/api/speakers/lists/${view.list.list_id}`;
const steer = (entry, step, body) => act(() => api("POST", `${base()}/entries/${entry.entry_id}/${step}`, body));

function entryButtons(list) {
  return (entry) => {
    const index = list.waiting.indexOf(entry);
    const previous = list.waiting.slice(0, index).reverse()
      .find((e) => e.kind === entry.kind && (!list.quota || entry.kind === "point_of_order" || e.side === entry.side));
    return [
      el("span", { class: "muted side" }, entry.side === "quota" ? ` ${t("speakers.side.quota")}` : ""),
      el("span", { class: "buttons" },
        el("button", { type: "button", class: "prepare", disabled: entry.prepared, onclick: () => steer(entry, "prepare") }, t("speakers.do.prepare")),
        el("button", { type: "button", class: "call", onclick: () => act(() => api("POST", `${base()}/next`, { entry_id: entry.entry_id })) }, t("speakers.do.call")),
        el("button", { type: "button", class: "up", disabled: !previous, "aria-label": t("speakers.do.up_label", { name: entry.name }), onclick: () => steer(entry, "move", { before: previous.entry_id }) }, "↑"),
        el("button", { type: "button", class: "remove", onclick: async () => {
          if (await sure(t("speakers.remove_confirm", { name: who(entry) }), t("speakers.do.remove"))) steer(entry, "remove");
        } }, t("speakers.do.remove"))),
      entry.tech_note ? el("span", { class: "muted" }, ` ${entry.tech_note}`) : "",
    ];
  };
}

function render() {
  const list = listOf(view);
  $("speakers-panel").hidden = !list;
  if (!list) return;
  $("speakers-item").textContent = list.title;
  $("opt-closed").checked = list.closed;
  $("opt-quota").checked = list.quota;
  $("opt-empty").value = list.when_side_empty;
  $("opt-guests").checked = list.guests;
  if (document.activeElement !== $("opt-seconds")) $("opt-seconds").value = list.speaking_seconds;
  stop();
  const speaking = list.current;
  $("speakers-now").textContent = speaking ? t("speakers.now", { name: who(speaking) }) : t("speakers.nobody");
  stop = speechCountdown($("speakers-timer"), speaking);
  $("speakers-stop").disabled = !speaking;
  $("speakers-list").replaceChildren(...waitingItems(list, entryButtons(list)));
  $("speakers-total").textContent = t("speakers.count", { total: list.total });
  $("speakers-minutes").replaceChildren(...(view.minutes ?? []).map((row) =>
    el("li", {}, `${row.name}${row.delegation ? ` (${row.delegation})` : ""}${row.kind === "point_of_order" ? ` – ${t("speakers.point_of_order")}` : ""}`)));
}

async function refresh() {
  try {
    view = await loadSpeakers();
    $("set-group").value = view.quota_group;
    render();
  } catch {}
}

async function loadAgenda() {
  const agenda = await api("GET", "/api/agenda");
  $("open-item").replaceChildren(...agenda.items.map((item) => el("option", { value: item.id }, item.title)));
}

$("open-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act(() => api("POST", "/api/speakers/lists", { agenda_item_id: Number($("open-item").value) }));
});
$("options-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act(() => api("PATCH", base(), {
    closed: $("opt-closed").checked, quota: $("opt-quota").checked, when_side_empty: $("opt-empty").value,
    guests: $("opt-guests").checked, speaking_seconds: Number($("opt-seconds").value),
  }));
});
$("settings-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act(() => api("PUT", "/api/speakers/settings", { quota_group: $("set-group").value }));
});
$("speakers-next").addEventListener("click", async () => {
  const result = await act(() => api("POST", `${base()}/next`, {}));
  if (result && !result.list.current) {
    $("speakers-error").textContent = t("speakers.none_left");
    $("speakers-error").hidden = false;
  }
});
$("speakers-stop").addEventListener("click", () => act(() => api("POST", `${base()}/stop`, {})));

onLive("snapshot", refresh);
onLive("speakers", refresh); // the full list (sides, technicians' notes) is the GET's
onLive("agenda", () => loadAgenda().catch(() => {}));
loadAgenda().catch(() => {});
follow({});
