/**
 * An announced result in words and bars, the same on the projector and in the delegate's
 * result card (/vote): the verdict as a party says it ("Angenommen – Einfache Mehrheit
 * erreicht"), the bars in ballot order, and one sentence for screen readers.
 */

import { selectionLabels, t } from "./common.js";
import { electedNames } from "./rounds_panel.js";

const ANSWERS = ["yes", "no", "abstain"];

/** "Angenommen – Einfache Mehrheit erreicht", "Gewählt: Ada", ... (and "Nicht beschlussfähig"). */
export function verdictText(result) {
  let text;
  let good;
  if (result.kind === "motion") {
    good = Boolean(result.outcome.adopted);
    text = `${good ? t("projector.adopted") : t("projector.rejected")} – ${
      t(`projector.${good ? "majority" : "no_majority"}.${result.majority_rule}`)}`;
  } else {
    const elected = result.outcome.elected || [];
    good = elected.length > 0;
    text = good ? t("projector.elected", { names: electedNames(result) }) : t("projector.nobody");
  }
  return { text, good, invalid: !result.valid };
}

/**
 * Groups of bars for chart.js, in ballot order (yes, no, abstain; candidates as listed),
 * whatever the JSON's order. Per candidate: one group per person, the name once and three
 * bars (Ja, Nein, Enthaltung).
 */
export function resultGroups(vote, result) {
  const labels = selectionLabels(vote);
  const order = Object.keys(labels);
  const totals = Object.assign({}, ...Object.values(result.totals));
  const kindOf = (id) => {
    const last = id.split("-").pop();
    if (ANSWERS.includes(last)) return last;
    return id.startsWith("overall-") ? "abstain" : "candidate";
  };
  const bar = (id, label) => ({ label, value: totals[id] ?? 0, kind: kindOf(id) });
  if (vote.kind === "per_candidate") {
    return vote.candidates.map((name, i) => ({
      name,
      bars: ANSWERS.map((a) => `candidate-${i + 1}-${a}`).filter((id) => id in totals).map((id) => bar(id, t(`vote.${kindOf(id)}`))),
    }));
  }
  const ids = order.filter((id) => id in totals).concat(Object.keys(totals).filter((id) => !order.includes(id)));
  return [{ bars: ids.map((id) => bar(id, labels[id] ?? id)) }];
}

/** One natural sentence: "Ergebnis von „A1“: Angenommen – Einfache Mehrheit erreicht. Ja 12, Nein 3, Enthaltung 1." */
export function resultSentence(vote, result) {
  const verdict = verdictText(result);
  const counts = resultGroups(vote, result)
    .map((g) => (g.name ? `${g.name}: ` : "") + g.bars.map((b) => `${b.label} ${b.value}`).join(", "))
    .join("; ");
  const invalid = verdict.invalid ? ` ${t("projector.invalid")}` : "";
  return t("result.sentence", { title: result.title, verdict: verdict.text, counts }) + invalid;
}
