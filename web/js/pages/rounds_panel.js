/**
 * The console's panel under an announced election whose seats are not all filled: what the
 * statutes allow next (GET /api/votes/<id>/next-round), the next round opened with one click
 * (POST .../next-round, linked to this one), and for a tie at the last seat the lot drawn from
 * the record's hash and the value the presidium announces (POST .../lot, rules/lots.py).
 */

import { api, el, t } from "./common.js";

const button = (text, onclick, attrs = {}) => el("button", { type: "button", onclick, ...attrs }, text);

/** Whether `result` (an announced election) leaves seats open. */
export function seatsOpen(vote, result) {
  if (!result || !vote.announced_at || vote.kind === "motion" || !result.outcome) return false;
  const filled = (result.outcome.elected || []).length + (result.lot?.drawn?.length || 0);
  return filled < result.outcome.seats;
}

/** The panel; `sure(text, yes)` is the console's "Bist Du sicher?", `act(promise, message)` its runner. */
export function roundsPanel(vote, result, { sure, act }) {
  const id = (what) => `${what}-${vote.id}`;
  const panel = el("div", { class: "rounds-panel" });
  const policy = el("select", { id: id("policy") },
    el("option", { value: "top_two" }, t("rounds.policy.top_two")),
    el("option", { value: "all_remaining" }, t("rounds.policy.all_remaining")));
  const rule = el("select", { id: id("next-rule") },
    el("option", { value: "simple" }, t("presidium.rule.simple")),
    el("option", { value: vote.majority_rule }, t("rounds.same_rule")));
  const who = el("p", { class: "muted", "aria-live": "polite" });
  const show = async () => {
    const { proposal } = await api("GET", `/api/votes/${vote.id}/next-round?policy=${policy.value}`);
    if (!proposal) return;
    who.textContent = t(`rounds.reason.${proposal.reason}`, { names: proposal.candidates.join(", "), seats: proposal.seats });
    lot.hidden = !proposal.lot_possible;
  };
  policy.addEventListener("change", () => show().catch(() => {}));
  const open = button(t("rounds.open"), async () => {
    if (await sure(t("rounds.open_confirm", { title: vote.title, names: who.textContent }), t("rounds.open"))) {
      act(api("POST", `/api/votes/${vote.id}/next-round`, { policy: policy.value, majority_rule: rule.value }));
    }
  }, { class: "primary" });
  const value = el("input", { id: id("announced"), maxlength: "200" });
  const lot = el("div", { class: "row", hidden: true },
    el("label", { for: id("announced") }, t("rounds.announced_value")), value,
    button(t("rounds.draw"), async () => {
      if (!value.value.trim()) return value.focus();
      if (await sure(t("rounds.draw_confirm", { value: value.value.trim() }), t("rounds.draw"))) {
        act(api("POST", `/api/votes/${vote.id}/lot`, { announced_value: value.value.trim() }));
      }
    }));
  panel.append(el("h3", {}, t("rounds.title")), who,
    el("span", { class: "row" }, el("label", { for: id("policy") }, t("rounds.policy")), policy),
    el("span", { class: "row" }, el("label", { for: id("next-rule") }, t("rounds.next_rule")), rule),
    open, lot);
  show().catch(() => {});
  return panel;
}

/** One line for a drawn lot, shown with the result. */
export function lotLine(result) {
  if (!result?.lot) return null;
  return el("p", { class: "lot" }, t("rounds.lot_drawn", { names: result.lot.drawn.join(", "), value: result.lot.announced_value, seed: result.lot.seed.slice(0, 16) }));
}

/** "Ada (Quotenplatz), Bo (offener Platz)" when seats were filled by the quota rule, else the names. */
export function electedNames(result) {
  const byRule = result?.outcome?.seats_by_rule;
  if (!byRule) return (result?.outcome?.elected || []).join(", ");
  return byRule.map((s) => `${s.name} (${t(`quota.rule.${s.rule}`)})`).join(", ");
}

/** The quota's vacant places, said under the verdict (or null). */
export function shortfallLine(result) {
  const n = result?.outcome?.quota?.shortfall;
  return n ? el("p", { class: "shortfall" }, t("quota.shortfall", { n })) : null;
}
