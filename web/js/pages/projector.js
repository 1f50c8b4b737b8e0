/**
 * The projector view: the agenda item, the open vote's countdown and turnout (a count only),
 * and the result the presidium announced, as a bar chart with the decision.
 */

import { $, api, countdown, el, follow, page, t } from "./common.js";
import { resultChart } from "./chart.js";
import { resultGroups, resultSentence, verdictText } from "./result_view.js";
import "./speakers_projector.js"; // the speakers' list, in its own section

let stop = null;

async function showResult(voteId) {
  const [result, vote] = await Promise.all([api("GET", `/api/votes/${voteId}/result`), api("GET", `/api/votes/${voteId}`)]);
  $("live").hidden = true;
  $("result-title").textContent = withSecrecy(result.title, result.secrecy);
  $("chart").replaceChildren(resultChart(resultGroups(vote, result), `${t("projector.title")}: ${result.title}`, result.ballots_cast));
  const verdict = $("verdict");
  const said = verdictText(result);
  verdict.className = `verdict ${said.good ? "yes" : "no"}`;
  verdict.textContent = said.text;
  if (result.kind !== "motion") {
    if (result.lot) verdict.append(el("br"), t("rounds.lot_drawn", { names: result.lot.drawn.join(", "), value: result.lot.announced_value, seed: result.lot.seed.slice(0, 16) }));
    if (result.outcome.quota?.shortfall) verdict.append(el("br"), t("quota.shortfall", { n: result.outcome.quota.shortfall }));
  }
  if (said.invalid) verdict.append(el("br"), t("projector.invalid"));
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
  $("ballots").replaceChildren(el("span", { class: "big-number" }, String(result.ballots_cast)), " ",
    t("projector.ballots_of", { roll: result.roll_size }));
  $("announce").textContent = resultSentence(vote, result);
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
