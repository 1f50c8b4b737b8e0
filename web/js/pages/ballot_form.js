/**
 * The ballot form of one vote, built from the vote's JSON, and the choice read back from it.
 *
 * Kinds (src/evote/voting/manifest.py is the other side of these ids):
 *   motion         one contest "motion", exactly one of yes / no (/ abstain)
 *   election       one contest "election", up to `seats` of the candidates; the limit is
 *                  enforced here by disabling further boxes once it is reached
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
    const update = () => {
      const count = this.boxes.filter((b) => b.checked).length;
      for (const b of this.boxes) b.disabled = !b.checked && count >= seats;
      counter.textContent = t("vote.picked", { count, k: seats });
    };
    set.addEventListener("change", update);
    this.container.append(hint, set, counter);
    update();
  }

  /** { plaintextContests, summary } or null when a question is unanswered. */
  read() {
    const form = this.container;
    if (this.vote.kind === "election") {
      const marked = this.boxes.filter((b) => b.checked);
      if (marked.length > this.vote.seats) return null; // cannot happen through the page
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
    if (!disabled && this.boxes) this.boxes[0]?.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
