/**
 * The projector view: the agenda item, the open vote's countdown and turnout (a count only),
 * and the result the presidium announced, as a bar chart with the decision.
 */

import { $, api, countdown, el, follow, page, selectionLabels, t } from "./common.js";
import { barChart } from "./chart.js";
import { electedNames } from "./rounds_panel.js";
import "./speakers_projector.js"; // the speakers' list, in its own section

const COLORS = { yes: "#0b6e3a", no: "#a11", abstain: "#777" };
let stop = null;

async function showResult(voteId) {
  const [result, vote] = await Promise.all([api("GET", `/api/votes/${voteId}/result`), api("GET", `/api/votes/${voteId}`)]);
  $("live").hidden = true;
  const labels = selectionLabels(vote);
  // Bars in ballot order (yes, no, abstain; candidates as listed), whatever the JSON's order.
  const order = Object.keys(labels);
  const bars = [];
  for (const totals of Object.values(result.totals)) {
    for (const [selection, value] of Object.entries(totals)) {
      const answer = selection.split("-").pop();
      bars.push({ id: selection, label: labels[selection] ?? selection, value, color: COLORS[answer] ?? "#1d5fa8" });
    }
  }
  bars.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  $("result-title").textContent = withSecrecy(result.title, result.secrecy);
  $("chart").replaceChildren(barChart(bars, `${t("projector.title")}: ${result.title}`, result.ballots_cast));
  const verdict = $("verdict");
  if (result.kind === "motion") {
    const adopted = result.outcome.adopted;
    verdict.className = `verdict ${adopted ? "yes" : "no"}`;
    verdict.textContent = `${adopted ? t("projector.adopted") : t("projector.rejected")} – ${
      t(`projector.${adopted ? "majority" : "no_majority"}.${result.majority_rule}`)}`;
  } else {
    const elected = result.outcome.elected || [];
    verdict.className = `verdict ${elected.length ? "yes" : "no"}`;
    verdict.textContent = elected.length ? t("projector.elected", { names: electedNames(result) }) : t("projector.nobody");
    if (result.lot) verdict.append(el("br"), t("rounds.lot_drawn", { names: result.lot.drawn.join(", "), value: result.lot.announced_value, seed: result.lot.seed.slice(0, 16) }));
    if (result.outcome.quota?.shortfall) verdict.append(el("br"), t("quota.shortfall", { n: result.outcome.quota.shortfall }));
  }
  if (!result.valid) verdict.append(el("br"), t("projector.invalid"));
  // a roll call: each name with its choice, published after the close
  $("roll-call")?.remove();
  if (result.roll_call) {
    const answer = (c) => (c ? t(`vote.${c}`) : t("rollcall.none"));
    $("chart").after(el("table", { id: "roll-call", class: "roll-call" },
      el("caption", {}, t("rollcall.title")),
      el("tbody", {}, ...result.roll_call.map((p) => el("tr", {}, el("th", { scope: "row" }, p.name), el("td", {}, answer(p.choice)))))));
  }
  // what the count was measured against: "nötig: 4 Stimmen, mehr als die Hälfte der 6 …"
  $("threshold").textContent = result.threshold_text || "";
  $("ballots").textContent = t("projector.ballots", { cast: result.ballots_cast, roll: result.roll_size });
  $("announce").textContent = `${result.title}: ${verdict.textContent}`;
}

const withSecrecy = (title, secrecy) => (secrecy && secrecy !== "secret" ? `${title} – ${t(`secrecy.${secrecy}`)}` : title);

function showLive(vote) {
  stop?.();
  $("live").hidden = false;
  // an open or roll-call vote says so on the wall, so nobody takes it for a secret one
  $("live-title").textContent = withSecrecy(vote.title, vote.secrecy);
  $("live-turnout").textContent = t("presidium.turnout", { cast: vote.turnout?.cast ?? 0, roll: vote.turnout?.roll ?? vote.roll ?? 0 });
  stop = countdown($("live-countdown"), vote.closes_at, (time) => time);
}

follow({
  snapshot(event) {
    $("agenda-title").textContent = event.agenda || "";
    if (event.open_vote) showLive(event.open_vote);
    if (page.voteId) showResult(page.voteId).catch(() => {});
  },
  agenda(event) {
    $("agenda-title").textContent = event.title;
  },
  vote_opened(event) {
    showLive({ title: event.title, secrecy: event.secrecy, closes_at: event.closes_at, turnout: { cast: 0, roll: event.roll } });
  },
  turnout(event) {
    $("live-turnout").textContent = t("presidium.turnout", { cast: event.cast, roll: event.roll });
  },
  vote_closed() {
    stop?.();
    $("live-countdown").textContent = t("vote.closed");
  },
  vote_extended(event) {
    stop?.();
    stop = countdown($("live-countdown"), event.closes_at, (time) => time);
  },
  vote_cancelled() {
    stop?.();
    $("live-countdown").textContent = t("vote.cancelled");
  },
  announced(event) {
    page.voteId = event.vote_id;
    showResult(event.vote_id);
  },
});
