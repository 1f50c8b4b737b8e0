/**
 * The console's agenda: items added, renamed, moved up or down, deleted ("Bist Du sicher?") and
 * called onto the stage; the called one is marked (by id, so two items of one title are told
 * apart), each item lists its votes, and the vote form's agenda choice follows the list.
 * Every change is the server's (`/api/agenda`); the list is redrawn from its answer and from
 * the live `agenda` event, so two consoles stay in step.
 */

import { $, api, el, t } from "./common.js";

let agenda = { items: [], current: null, current_id: null };
let hooks = { voteLabel: (id) => `#${id}`, sure: async () => true, error: () => {} };

/** presidium.js hands in how to name a vote, ask "Bist Du sicher?" and show a refusal. */
export function connectAgenda(given) {
  hooks = { ...hooks, ...given };
}

export const agendaItems = () => agenda.items;

const button = (text, onclick, attrs = {}) => el("button", { type: "button", onclick, ...attrs }, text);

async function change(promise) {
  try {
    showAgenda(await promise);
    hooks.error(null);
    return true;
  } catch (e) {
    hooks.error(e);
    return false;
  }
}

function move(id, step) {
  const ids = agenda.items.map((i) => i.id);
  const at = ids.indexOf(id);
  const to = at + step;
  if (at < 0 || to < 0 || to >= ids.length) return;
  [ids[at], ids[to]] = [ids[to], ids[at]];
  change(api("PUT", "/api/agenda/order", { ids })).then(() => {
    // keep the keyboard where it was: on the same button of the moved item
    document.querySelector(`[data-item="${id}"] .move-${step < 0 ? "up" : "down"}`)?.focus();
  });
}

function editRow(item, li) {
  const input = el("input", { value: item.title, maxlength: "300", required: true, id: `agenda-edit-${item.id}`,
    "aria-label": t("presidium.agenda_rename", { title: item.title }) });
  const form = el("form", { class: "row", onsubmit: async (event) => {
    event.preventDefault();
    await change(api("PATCH", `/api/agenda/${item.id}`, { title: input.value }));
  } }, input, el("button", { type: "submit", class: "primary" }, t("presidium.save")),
  button(t("presidium.back"), () => showAgenda(agenda)));
  li.replaceChildren(form);
  input.focus();
}

function itemRow(item, index, count) {
  const li = el("li", item.current ? { "data-item": item.id, "aria-current": "true", class: "on-stage" } : { "data-item": item.id });
  const title = el("span", { class: "agenda-title" }, `${index + 1}. ${item.title}`);
  const label = (key) => `${t(key)}: ${item.title}`;
  li.append(title);
  if (item.current) li.append(el("span", { class: "badge" }, t("presidium.agenda_now")));
  li.append(el("span", { class: "row agenda-actions" },
    button(t("presidium.agenda_set"), () => change(api("POST", `/api/agenda/${item.id}/call`)),
      { "aria-label": label("presidium.agenda_set"), disabled: item.current }),
    button("↑", () => move(item.id, -1), { class: "move-up", "aria-label": label("presidium.agenda_up"), disabled: index === 0 }),
    button("↓", () => move(item.id, 1), { class: "move-down", "aria-label": label("presidium.agenda_down"), disabled: index === count - 1 }),
    button(t("presidium.edit"), () => editRow(item, li), { "aria-label": label("presidium.edit") }),
    button(t("presidium.delete"), async () => {
      if (await hooks.sure(t("presidium.agenda_delete_confirm", { title: item.title }), t("presidium.delete_yes"))) {
        change(api("DELETE", `/api/agenda/${item.id}`));
      }
    }, { "aria-label": label("presidium.delete") })));
  if (item.votes.length) {
    li.append(el("ul", { class: "agenda-votes muted" }, ...item.votes.map((id) => el("li", {}, hooks.voteLabel(id)))));
  }
  return li;
}

/** The vote form's agenda choice: "none" and every item; a new vote defaults to the called one. */
function fillChoice() {
  const select = $("v-agenda");
  if (!select) return;
  const kept = select.value;
  select.replaceChildren(el("option", { value: "" }, t("presidium.agenda_no_item")),
    ...agenda.items.map((i) => el("option", { value: String(i.id) }, i.title)));
  const known = kept === "" || agenda.items.some((i) => String(i.id) === kept);
  select.value = select.dataset.touched && known ? kept : String(agenda.current_id ?? "");
}

export function showAgenda(given) {
  agenda = given;
  $("agenda-current").textContent = given.current || t("agenda.none");
  $("agenda-items").replaceChildren(...given.items.map((item, i) => itemRow(item, i, given.items.length)));
  fillChoice();
}

export async function refreshAgenda() {
  try {
    showAgenda(await api("GET", "/api/agenda"));
  } catch (e) {
    hooks.error(e);
  }
}

/** The form's agenda choice for a draft being edited (null: none). */
export function chooseAgendaItem(id) {
  const select = $("v-agenda");
  if (!select) return;
  select.value = id == null ? "" : String(id);
  select.dataset.touched = "1";
}

/** What the form sends: the chosen item's id or null. */
export function chosenAgendaItem() {
  const value = $("v-agenda")?.value;
  return value ? Number(value) : null;
}

/** After a vote is saved, a new one defaults to the called item again. */
export function resetAgendaChoice() {
  const select = $("v-agenda");
  if (!select) return;
  delete select.dataset.touched;
  select.value = String(agenda.current_id ?? "");
}

$("v-agenda")?.addEventListener("change", (event) => (event.target.dataset.touched = "1"));

$("agenda-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await change(api("POST", "/api/agenda", { title: $("agenda-input").value }))) $("agenda-input").value = "";
});
