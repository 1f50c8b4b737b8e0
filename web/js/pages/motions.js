/**
 * The motion pages' steps. Each <form class="act"> is one call to the motions API: its
 * data-url and data-method, its named fields as JSON (data-type="int"/"bool", a checkbox as
 * true/false, data-optional left out when empty), confirmed with "Bist Du sicher?" where the
 * form says data-sure; checkboxes marked data-list that share a name give the list of the
 * checked ones' values. Afterwards the page is loaded again from the server, which renders the
 * new state (or the page data-next names, "{id}" being the answer's id): the rules and the
 * texts shown stay the server's. Refusals are shown in the form, in the page's language.
 */

import { $, api, t } from "./common.js";
import { sure } from "./staff.js";

const DONE = "evote-motions/done";

function value(input) {
  const type = input.dataset.type || (input.type === "number" ? "int" : input.type === "checkbox" ? "check" : "str");
  if (type === "check") return input.checked;
  if (type === "int") return Number.parseInt(input.value, 10);
  if (type === "bool") return input.value === "true";
  return input.value;
}

/** The form's named fields as the API's JSON body. */
export function body(form) {
  const data = {};
  for (const input of form.elements) {
    if (!input.name || input.disabled) continue;
    if ("list" in input.dataset) {
      // checkboxes sharing a name: the list of the checked ones' values
      data[input.name] ??= [];
      if (input.checked) data[input.name].push(input.dataset.type === "int" ? Number.parseInt(input.value, 10) : input.value);
      continue;
    }
    if (input.type === "radio" && !input.checked) continue;
    if (input.hasAttribute("data-optional") && input.value.trim() === "") continue;
    data[input.name] = value(input);
  }
  return data;
}

function go(next) {
  const url = new URL(next, location.href);
  if (url.pathname === location.pathname && url.search === location.search) {
    history.replaceState(null, "", url);
    location.reload();
  } else {
    location.assign(url);
  }
}

async function send(form) {
  const error = form.querySelector(".error");
  error.hidden = true;
  if (form.dataset.sure && !(await sure(form.dataset.sure, form.dataset.yes))) return;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const answer = await api(form.dataset.method || "POST", form.dataset.url, body(form));
    sessionStorage.setItem(DONE, form.dataset.done || t("motions.done"));
    go(form.dataset.next ? form.dataset.next.replace("{id}", String(answer?.id ?? "")) : location.href);
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    button.disabled = false;
    button.focus();
  }
}

for (const form of document.querySelectorAll("form.act")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}

// After a step: say what happened, and bring the changed item (the #fragment) into view.
const done = sessionStorage.getItem(DONE);
if (done !== null) {
  sessionStorage.removeItem(DONE);
  if (done) {
    $("done").textContent = done;
    $("done").hidden = false;
  }
}
if (location.hash) {
  const target = document.getElementById(location.hash.slice(1));
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  }
}
