/**
 * The quorum rule in words and its form, for the console and the admin page: "beschlussfähig,
 * wenn mehr als 1/2 der stimmberechtigten Mitglieder eingecheckt sind". The rule is the
 * server's (`/api/event/settings`); it refuses a change while a vote is open or undecided.
 */

import { $, api, t } from "./common.js";

/** "mehr als die Hälfte" for 1/2, else "mehr als 2/3"; "mindestens" for an at-least rule. */
export function quorumText({ numerator, denominator, strict }) {
  if (numerator === 0) return t("quorum.none");
  const share = numerator * 2 === denominator ? t("quorum.half") : `${numerator}/${denominator}`;
  return t(strict ? "quorum.rule_more" : "quorum.rule_least", { share });
}

function fill(form, quorum) {
  form.numerator.value = quorum.numerator;
  form.denominator.value = quorum.denominator;
  form.strict.value = String(quorum.strict);
  $("quorum-rule").textContent = quorumText(quorum);
}

/** Wire the form `#quorum-form`; `changed(settings)` runs after a saved change. */
export async function quorumForm(changed = () => {}) {
  const form = $("quorum-form");
  const error = (e) => {
    $("quorum-error").textContent = e ? e.message : "";
    $("quorum-error").hidden = !e;
  };
  try {
    fill(form, (await api("GET", "/api/event/settings")).quorum);
  } catch (e) {
    error(e);
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const settings = await api("PATCH", "/api/event/settings", { quorum: {
        numerator: Number(form.numerator.value), denominator: Number(form.denominator.value),
        strict: form.strict.value === "true",
      } });
      fill(form, settings.quorum);
      error(null);
      changed(settings);
    } catch (e) {
      error(e);
    }
  });
}
