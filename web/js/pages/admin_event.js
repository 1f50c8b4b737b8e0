/**
 * The admin page's event card and letters: the event's name and public address (printed on the
 * access letters), check-in opened and closed, the quorum rule (quorum.js); first passwords for
 * everyone who has none, as one PDF of letters to download and print. The PDF comes once in
 * the server's answer and stays in this tab (a blob: link); the server keeps no copy.
 */

import { $, api, el, t } from "./common.js";
import { quorumForm } from "./quorum.js";
import { downloadLink, showError, sure } from "./staff.js";

function showEvent(settings) {
  const form = $("event-form");
  form.name.value = settings.name;
  form.public_url.value = settings.public_url;
  $("event-status").textContent = t(`admin.event_status.${settings.status}`);
  $("event-open").hidden = settings.status !== "draft";
  $("event-close").hidden = settings.status !== "open";
}

async function loadEvent() {
  try {
    showEvent(await api("GET", "/api/event/settings"));
  } catch (e) {
    showError("event-error", e);
  }
}

$("event-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    showEvent(await api("PATCH", "/api/event/settings", { name: form.name.value, public_url: form.public_url.value }));
    showError("event-error", null);
    $("announce").textContent = t("admin.event_saved");
  } catch (e) {
    showError("event-error", e);
  }
});

async function setStatus(path, question, yes) {
  if (!(await sure(question, yes))) return;
  try {
    await api("POST", path);
    showError("event-error", null);
    await loadEvent();
  } catch (e) {
    showError("event-error", e);
  }
}

$("event-open").addEventListener("click", () => setStatus("/api/event/open", t("admin.event_open_confirm"), t("admin.event_open")));
$("event-close").addEventListener("click", () => setStatus("/api/event/close", t("admin.event_close_confirm"), t("admin.event_close")));

export async function loadLetters() {
  try {
    const { without_password: count } = await api("GET", "/api/admin/letters");
    $("letters-count").textContent = t("admin.letters_count", { count });
    $("letters-issue").disabled = count === 0;
  } catch (e) {
    showError("letters-error", e);
  }
}

$("letters-issue").addEventListener("click", async () => {
  if (!(await sure(t("admin.letters_confirm"), t("admin.letters_button")))) return;
  $("letters-issue").disabled = true;
  try {
    const body = await api("POST", "/api/admin/letters");
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "");
    $("letters-done").replaceChildren(el("div", { class: "ok", role: "status" },
      el("p", {}, t("admin.letters_issued", { count: body.issued, remaining: body.remaining })),
      el("p", {}, downloadLink(body.letters_pdf, "application/pdf", `letters-${stamp}.pdf`, t("admin.letters_download")))));
    showError("letters-error", null);
  } catch (e) {
    showError("letters-error", e);
  }
  await loadLetters();
});

loadEvent();
quorumForm();
loadLetters();
