/**
 * The support page: find a participant by name, login, e-mail or delegation, see their
 * check-in state and time, issue a new password (shown once, with a printable letter).
 * During an open vote the server only takes a request, which a second person confirms
 * (two-person rule); the page shows who asked and offers the others to confirm. Nothing here
 * touches a vote: the API support may call has no vote in it.
 */

import { $, api, el, page, t } from "./common.js";
import { checkInText, dateTimeOf, downloadLink, showError, sure, timeOf } from "./staff.js";

let selected = null;

function say(text) {
  $("announce").textContent = text;
}

async function search(query) {
  showError("search-error", null);
  try {
    const body = await api("GET", `/api/support/participants?q=${encodeURIComponent(query)}`);
    renderResults(body.participants);
  } catch (e) {
    showError("search-error", e);
  }
}

function renderResults(people) {
  const rows = people.map((p) =>
    el("tr", { class: p.checked_in ? "present" : "absent" },
      el("td", {}, p.name),
      el("td", {}, p.delegation),
      el("td", { class: "code" }, p.login_name),
      el("td", {}, checkInText(p)),
      el("td", {}, p.reissue_requested_at ? el("span", { class: "state" }, t("support.pending_list")) : ""),
      el("td", {}, el("button", { type: "button", onclick: () => select(p.id), "aria-label": `${t("support.select")}: ${p.name}` }, t("support.select")))));
  $("results-body").replaceChildren(...rows);
  $("results").hidden = people.length === 0;
  $("results-count").textContent = people.length ? t("support.results", { count: people.length }) : t("support.none");
  say($("results-count").textContent);
}

async function select(id) {
  showError("detail-error", null);
  try {
    selected = await api("GET", `/api/support/participants/${id}`);
    $("issued").replaceChildren();
    renderDetail();
    $("detail").hidden = false;
    $("detail-title").focus();
  } catch (e) {
    showError("search-error", e);
  }
}

function field(label, value) {
  return [el("dt", {}, label), el("dd", {}, value)];
}

function renderDetail() {
  const p = selected;
  $("detail-title").textContent = p.name;
  $("detail-fields").replaceChildren(
    ...field(t("staff.delegation"), p.delegation || "–"),
    ...field(t("staff.login"), el("span", { class: "code" }, p.login_name)),
    ...field("E-Mail", p.email),
    ...field(t("staff.roles"), p.roles.join(", ")),
    ...field(t("staff.checkin"), checkInText(p)),
    ...field(t("staff.credentials"), p.credentials_issued_at
      ? t("staff.issued_at", { time: dateTimeOf(p.credentials_issued_at) }) : t("staff.no_credentials")),
  );
  const actions = [];
  const request = p.reissue_request;
  if (request) {
    const mine = request.requested_by === page.me;
    actions.push(el("p", { class: "notice", id: "pending" }, mine
      ? t("support.pending_mine")
      : t("support.pending", { name: request.requested_by_name, time: timeOf(request.requested_at) })));
    if (!mine) actions.push(el("button", { type: "button", class: "primary", id: "confirm-reissue", onclick: confirmReissue }, t("support.confirm")));
    actions.push(el("button", { type: "button", onclick: withdraw }, t("support.withdraw")));
  } else if (p.active) {
    actions.push(el("button", { type: "button", class: "primary", id: "reissue", onclick: reissue }, t("support.reissue")));
  }
  $("detail-actions").replaceChildren(...actions);
}

function showIssued(body) {
  const name = selected.name;
  $("issued").replaceChildren(
    el("div", { class: "ok", role: "status" },
      el("p", {}, t("support.issued", { name })),
      el("dl", { class: "facts" },
        el("dt", {}, t("staff.login")), el("dd", { class: "code" }, body.login_name),
        el("dt", {}, t("support.password")), el("dd", { class: "code big-code", id: "new-password" }, body.password),
        el("dt", {}, t("support.login_url")), el("dd", { class: "code" }, body.login_url)),
      el("p", {}, downloadLink(body.letter_pdf, "application/pdf", `letter-${body.login_name}.pdf`, t("support.letter")))));
}

async function after(call) {
  showError("detail-error", null);
  try {
    const response = await call();
    if (response.status === "issued") {
      showIssued(response);
      selected = await api("GET", `/api/support/participants/${selected.id}`);
    } else {
      selected = response;
      if (response.status === "confirmation_needed") say(t("support.asked"));
    }
    renderDetail();
  } catch (e) {
    showError("detail-error", e);
  }
}

async function reissue() {
  if (!(await sure(t("support.reissue_confirm", { name: selected.name }), t("support.reissue_yes")))) return;
  await after(() => api("POST", `/api/support/participants/${selected.id}/credentials`));
}

async function confirmReissue() {
  if (!(await sure(t("support.reissue_confirm", { name: selected.name }), t("support.confirm")))) return;
  await after(() => api("POST", `/api/support/participants/${selected.id}/credentials/confirm`));
}

async function withdraw() {
  await after(() => api("DELETE", `/api/support/participants/${selected.id}/credentials/request`));
}

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  search($("q").value.trim());
});
search("");
