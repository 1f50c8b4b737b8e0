/**
 * The ballot form of one vote, built from the vote's JSON, and the choice read back from it.
 *
 * Kinds (src/evote/voting/manifest.py is the other side of these ids):
 *   motion         one contest "motion", exactly one of yes / no (/ abstain)
 *   election       one contest "election", up to `seats` of the candidates; the limit is
 *                  enforced here by disabling further boxes once it is reached. With
 *                  overall_no / overall_abstain the contest also has "overall-no" (Gesamtnein)
 *                  and "overall-abstain" (Gesamtenthaltung): choosing one clears and disables
 *                  every candidate and the other, so this form never makes a mixed ballot
 *                  (ElectionGuard's limit could not refuse one for more than one seat)
 *   per_candidate  one contest "candidate-i" per candidate, each exactly one of yes/no/abstain
 * The plaintext lists only marked selections (vote 1); the worker encrypts the rest as 0.
 */

import { el, t } from "./common.js";

const ANSWERS = ["yes", "no", "abstain"];

function radios(name, legend, answers, idPrefix, hideLegend = false) {
  // A motion's legend repeats the heading above it: kept for screen readers only.
  const set = el("fieldset", { class: "choices" }, el("legend", hideLegend ? { class: "sr-only" } : {}, legend));
  for (const answer of answers) {
    const id = `${idPrefix}-${answer}`;
    set.append(
      el("label", { for: id, class: "option" },
        el("input", { type: "radio", id, name, value: answer, required: true }),
        el("span", {}, t(`vote.${answer}`))),
    );
  }
  return set;
}

export class BallotForm {
  constructor(container, vote) {
    this.vote = vote;
    this.container = container;
    container.replaceChildren();
    if (vote.kind === "motion") {
      const answers = vote.with_abstain ? ANSWERS : ANSWERS.slice(0, 2);
      container.append(radios("motion", vote.title, answers, "motion", true));
    } else if (vote.kind === "election") {
      this.buildElection();
    } else {
      vote.candidates.forEach((name, i) => {
        const contest = `candidate-${i + 1}`;
        container.append(radios(contest, name, ANSWERS, contest));
      });
    }
  }

  buildElection() {
    const { candidates, seats } = this.vote;
    const hint = el("p", { id: "pick-hint" }, t("vote.pick", { k: seats, n: candidates.length }));
    const counter = el("p", { id: "pick-count", class: "muted", "aria-live": "polite" });
    const set = el("fieldset", { class: "choices", "aria-describedby": "pick-hint pick-count" },
      el("legend", { class: "sr-only" }, this.vote.title));
    this.boxes = candidates.map((name, i) => {
      const id = `candidate-${i + 1}`;
      const box = el("input", { type: "checkbox", id, name: "election", value: id });
      set.append(el("label", { for: id, class: "option" }, box, el("span", {}, name)));
      return box;
    });
    this.overall = [];
    const overallSet = el("fieldset", { class: "choices overall" }, el("legend", {}, t("vote.overall_or")));
    for (const [wanted, id] of [[this.vote.overall_no, "overall-no"], [this.vote.overall_abstain, "overall-abstain"]]) {
      if (!wanted) continue;
      const box = el("input", { type: "checkbox", id, name: "election-overall", value: id });
      overallSet.append(el("label", { for: id, class: "option" }, box, el("span", {}, t(`vote.${id}`))));
      this.overall.push(box);
    }
    const update = (event) => {
      const changed = event?.target;
      if (changed && this.overall.includes(changed) && changed.checked) {
        for (const b of [...this.boxes, ...this.overall]) if (b !== changed) b.checked = false;
      }
      const overall = this.overall.some((b) => b.checked);
      const count = this.boxes.filter((b) => b.checked).length;
      for (const b of this.boxes) b.disabled = overall || (!b.checked && count >= seats);
      counter.textContent = overall ? t("vote.picked_overall") : t("vote.picked", { count, k: seats });
    };
    set.addEventListener("change", update);
    overallSet.addEventListener("change", update);
    this.container.append(hint, set);
    if (this.overall.length) this.container.append(overallSet);
    this.container.append(counter);
    update();
  }

  /** { plaintextContests, summary } or null when a question is unanswered. */
  read() {
    const form = this.container;
    if (this.vote.kind === "election") {
      const overall = this.overall.filter((b) => b.checked);
      const marked = this.boxes.filter((b) => b.checked);
      if (marked.length > this.vote.seats) return null; // cannot happen through the page
      if (overall.length) {
        // an overall option alone: never mixed with candidates or with the other option
        if (overall.length > 1 || marked.length) return null;
        return {
          contests: [{ object_id: "election", ballot_selections: [{ object_id: overall[0].value, vote: 1 }] }],
          summary: [`${this.vote.title}: ${t(`vote.${overall[0].value}`)}`],
        };
      }
      const names = marked.map((b) => this.vote.candidates[Number(b.value.split("-")[1]) - 1]);
      return {
        contests: [{ object_id: "election", ballot_selections: marked.map((b) => ({ object_id: b.value, vote: 1 })) }],
        summary: [`${this.vote.title}: ${names.length ? names.join(", ") : t("vote.none_chosen")}`],
      };
    }
    const contests = [];
    const summary = [];
    const names = this.vote.kind === "motion" ? ["motion"] : this.vote.candidates.map((_, i) => `candidate-${i + 1}`);
    for (const [i, contest] of names.entries()) {
      const checked = form.querySelector(`input[name="${contest}"]:checked`);
      if (!checked) return null;
      const selection = contest === "motion" ? checked.value : `${contest}-${checked.value}`;
      contests.push({ object_id: contest, ballot_selections: [{ object_id: selection, vote: 1 }] });
      const label = contest === "motion" ? this.vote.title : this.vote.candidates[i];
      summary.push(`${label}: ${t(`vote.${checked.value}`)}`);
    }
    return { contests, summary };
  }

  setDisabled(disabled) {
    for (const input of this.container.querySelectorAll("input")) input.disabled = disabled;
    if (!disabled && this.boxes) this.boxes[0]?.closest("fieldset")?.dispatchEvent(new Event("change"));
  }
}
