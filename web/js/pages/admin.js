/**
 * The admin page: the participants (list with filter and groups, create, edit, deactivate and
 * reactivate) and the CSV import, whose refusals are shown line by line (nothing is imported
 * until every line is right); the event's settings and the access letters live in
 * admin_event.js. Every rule is the server's (api/admin.py): own roles, duplicates, sizes.
 */

import { $, api, el, page, t } from "./common.js";
import { loadLetters } from "./admin_event.js";
import { checkInText, showError, sure } from "./staff.js";

let people = [];
let editing = null;

async function load() {
  try {
    people = (await api("GET", "/api/admin/participants")).participants;
    render();
  } catch (e) {
    showError("list-error", e);
  }
}

function render() {
  const query = $("filter").value.trim().toLowerCase();
  const shown = people.filter((p) => !query || [p.name, p.email, p.login_name, p.delegation, ...p.groups]
    .some((v) => v.toLowerCase().includes(query)));
  $("people-body").replaceChildren(...shown.map((p) => el("tr", { class: p.active ? "" : "absent" },
    el("td", {}, p.name), el("td", {}, p.delegation), el("td", {}, p.roles.join(", ")),
    el("td", {}, p.groups.join(", ")), el("td", {}, p.voting_right ? t("staff.yes") : t("staff.no")),
    el("td", {}, checkInText(p)),
    el("td", { class: "buttons" },
      el("button", { type: "button", onclick: () => startEditing(p), "aria-label": `${t("presidium.edit")}: ${p.name}` }, t("presidium.edit")),
      p.id === page.me ? "" : el("button", { type: "button", onclick: () => toggle(p) },
        p.active ? t("admin.deactivate") : t("admin.reactivate"))))));
  $("people-count").textContent = t("admin.count", { shown: shown.length, total: people.length });
  renderGroups();
}

/** The groups with how many active members each has; a click filters the list by the group. */
function renderGroups() {
  const counts = new Map();
  for (const p of people) if (p.active) for (const g of p.groups) counts.set(g, (counts.get(g) || 0) + 1);
  const names = [...counts.keys()].sort((a, b) => a.localeCompare(b, page.lang));
  $("groups").replaceChildren(names.length ? `${t("admin.groups_list")}: ` : t("admin.no_groups"),
    ...names.map((g) => el("button", { type: "button", class: "chip", onclick: () => {
      $("filter").value = g;
      render();
    } }, `${g} (${counts.get(g)})`)));
}

function startEditing(p) {
  editing = p.id;
  const form = $("create-form");
  form.name.value = p.name;
  form.email.value = p.email;
  form.delegation.value = p.delegation;
  for (const box of form.querySelectorAll("input[name=roles]")) box.checked = p.roles.includes(box.value);
  form.groups.value = p.groups.join(", ");
  form.voting_right.checked = p.voting_right;
  $("create-submit").textContent = t("presidium.save");
  $("edit-stop").hidden = false;
  $("editing").textContent = t("admin.editing", { name: p.name });
  $("editing").hidden = false;
  form.name.focus();
}

function stopEditing() {
  editing = null;
  $("create-form").reset();
  $("create-submit").textContent = t("admin.create_button");
  $("edit-stop").hidden = true;
  $("editing").hidden = true;
}

$("edit-stop").addEventListener("click", stopEditing);

async function toggle(p) {
  if (p.active && !(await sure(t("admin.deactivate_confirm", { name: p.name }), t("admin.deactivate")))) return;
  showError("list-error", null);
  try {
    await api("PATCH", `/api/admin/participants/${p.id}`, { active: !p.active });
    await load();
  } catch (e) {
    showError("list-error", e);
  }
}

$("filter").addEventListener("input", render);

$("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const roles = [...form.querySelectorAll("input[name=roles]:checked")].map((box) => box.value);
  const groups = form.groups.value.split(",").map((g) => g.trim()).filter(Boolean);
  showError("create-error", null);
  const body = {
    name: form.name.value, email: form.email.value, delegation: form.delegation.value,
    roles, groups, voting_right: form.voting_right.checked,
  };
  try {
    if (editing === null) {
      const made = await api("POST", "/api/admin/participants", body);
      $("announce").textContent = t("admin.created", { name: made.name });
    } else {
      const saved = await api("PATCH", `/api/admin/participants/${editing}`, body);
      $("announce").textContent = t("admin.saved", { name: saved.name });
    }
    stopEditing();
    await load();
    loadLetters();
  } catch (e) {
    showError("create-error", e);
  }
});

$("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = $("csv-file").files[0];
  if (!file) return;
  $("import-errors").replaceChildren();
  $("import-result").hidden = true;
  showError("import-error", null);
  let response;
  try {
    response = await fetch("/api/admin/participants/import", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "text/csv", Accept: "application/json", "X-CSRF-Token": page.csrf },
      body: await file.text(),
    });
  } catch {
    showError("import-error", { message: t("error.network") });
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    $("import-result").textContent = t("admin.imported", { count: body.imported });
    $("import-result").hidden = false;
    $("import-result").focus();
    await load();
    loadLetters();
    return;
  }
  showError("import-error", { message: t("admin.import_failed") });
  $("import-errors").replaceChildren(...(body.errors || [{ line: "–", message: body.message }])
    .map((e) => el("li", {}, t("admin.line", { line: e.line }), " ", e.message)));
  $("import-error").focus();
});

load();
