/**
 * The presidium console: attendance and quorum, the agenda item on stage, the livestream
 * address, creating, editing, deleting and opening votes with their countdown, live turnout (a
 * count, never an interim result: the server has none), closing now, extending and cancelling
 * ("Bist Du sicher?" with the turnout in the question), the guardians' progress on the tally,
 * the counted result (embargoed: only the presidium sees it, with the rule and its base) and
 * announcing it on the projector and the delegates' pages.  Every step is the server's
 * decision; the list follows the live events, so two consoles stay in step.
 */

import { $, api, clock, el, follow, formatRemaining, page, selectionLabels, t } from "./common.js";
import {
  agendaItems, chooseAgendaItem, chosenAgendaItem, connectAgenda, refreshAgenda, resetAgendaChoice,
  showAgenda,
} from "./presidium_agenda.js";
import { quorumForm } from "./quorum.js";
import "./speakers_projector.js"; // who speaks and their time, as on the projector
import { electedNames, lotLine, roundsPanel, seatsOpen, shortfallLine } from "./rounds_panel.js";

const timers = new Map();

function say(text) {
  $("announce").textContent = text;
}

function showError(e) {
  $("form-error").textContent = e ? e.message : "";
  $("form-error").hidden = !e;
}

async function refreshAttendance() {
  try {
    const a = await api("GET", "/api/presidium/attendance");
    $("attendance").textContent = `${t("presidium.checked_in", {
      present: a.voting_checked_in, members: a.voting_members, needed: a.quorum_needed,
    })} – ${a.quorate ? t("presidium.quorate") : t("presidium.not_quorate")}`;
  } catch (e) {
    $("attendance").textContent = e.message;
  }
}

async function decryptionProgress() {
  try {
    const body = await api("GET", "/api/presidium/guardians");
    return new Map((body.decryptions || []).map((d) => [d.vote_id, d]));
  } catch {
    return new Map();
  }
}

/** "Bist Du sicher?": resolves true when the presidium member confirms. */
function sure(text, yes) {
  const dialog = $("sure");
  $("sure-text").textContent = text;
  $("sure-yes").textContent = yes;
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.removeEventListener("close", onClose);
      $("sure-yes").onclick = null;
      $("sure-back").onclick = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onClose = () => done(false);
    dialog.addEventListener("close", onClose);
    $("sure-yes").onclick = () => done(true);
    $("sure-back").onclick = () => done(false);
    dialog.showModal();
    $("sure-back").focus();
  });
}

function listError(e) {
  $("votes-error").textContent = e ? e.message : "";
  $("votes-error").hidden = !e;
}

const button = (text, onclick, attrs = {}) => el("button", { type: "button", onclick, ...attrs }, text);

// in the convention's time zone (page data, EVOTE_TIME_ZONE), not the device's
const timeOf = (iso) => new Date(iso).toLocaleTimeString(page.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: page.timeZone });

function turnoutText(vote) {
  return t("presidium.turnout", { cast: vote.turnout.cast, roll: vote.turnout.roll });
}

/** The result as only the presidium sees it before the announcement: totals, verdict, rule. */
function resultPanel(vote, result) {
  const labels = selectionLabels(vote);
  const rows = [];
  for (const totals of Object.values(result.totals)) {
    for (const [selection, value] of Object.entries(totals)) {
      rows.push(el("tr", {}, el("th", { scope: "row" }, labels[selection] ?? selection), el("td", {}, String(value))));
    }
  }
  let verdict;
  if (result.kind === "motion") verdict = result.outcome.adopted ? t("projector.adopted") : t("projector.rejected");
  else verdict = (result.outcome.elected || []).length ? t("projector.elected", { names: electedNames(result) }) : t("projector.nobody");
  const panel = el("div", { class: "result-panel" },
    el("p", { class: result.announced_at ? "muted" : "embargo" },
      result.announced_at ? t("presidium.announced_at", { time: timeOf(result.announced_at) }) : t("presidium.embargo")),
    el("table", { class: "totals" }, el("caption", { class: "sr-only" }, t("presidium.totals")), el("tbody", {}, ...rows)),
    el("p", { class: "verdict-line" }, el("strong", {}, verdict), ` – ${result.threshold_text || ""}`),
    el("p", {}, t("projector.ballots", { cast: result.ballots_cast, roll: result.roll_size })));
  if (!result.valid) panel.append(el("p", { class: "error" }, t("projector.invalid")));
  return panel;
}

async function act(promise, message) {
  try {
    const vote = await promise;
    if (vote?.server_time) clock.sync(vote.server_time);
    listError(null);
    if (message) say(message);
    await refreshVotes();
  } catch (e) {
    listError(e);
  }
}

function voteItem(vote, progress, result) {
  const state = el("span", { class: "state" }, t(`presidium.state.${vote.state}`));
  const secrecy = vote.secrecy || "secret";
  const item = el("li", { "data-vote": vote.id }, el("strong", {}, vote.title), state,
    el("span", { class: `secrecy ${secrecy}` }, t(`secrecy.${secrecy}`)),
    el("span", { class: "kind muted" }, kindText(vote.kind, vote.seats)),
    el("span", { class: "rule muted" }, vote.rule_text || ""));
  if (vote.electorate) {
    const who = [vote.electorate.group, vote.electorate.delegation].filter(Boolean).join(", ");
    item.append(el("span", { class: "electorate" }, t("presidium.electorate", { who })));
  }
  const item_ = agendaItems().find((i) => i.id === vote.agenda_item_id);
  if (item_) item.append(el("span", { class: "muted" }, t("presidium.under_item", { title: item_.title })));
  if (onProjector(vote)) item.append(el("span", { class: "badge projected" }, t(vote.state === "open" ? "presidium.projector_live" : "presidium.projector_result")));
  const latest = () => current.get(vote.id) || vote;
  if (vote.state === "draft") {
    item.append(
      button(`${t("presidium.open")} (${formatRemaining(vote.duration_seconds * 1000)})`, () => openVote(vote.id), { class: "primary" }),
      button(t("presidium.edit"), () => {
        startEditing(vote);
        showFieldsOf(vote.kind);
        chooseAgendaItem(vote.agenda_item_id);
      }),
      button(t("presidium.delete"), async () => {
        if (await sure(t("presidium.delete_confirm", { title: vote.title }), t("presidium.delete_yes"))) {
          act(api("DELETE", `/api/votes/${vote.id}`));
        }
      }));
  } else if (vote.state === "open") {
    const counter = el("span", { class: "countdown", role: "timer" });
    const turnout = el("span", { class: "turnout-count", "aria-live": "polite" }, turnoutText(vote));
    const seconds = el("input", { type: "number", min: "1", max: "3600", value: "60", id: `extend-${vote.id}`, class: "seconds" });
    item.append(counter, turnout,
      el("span", { class: "row" },
        el("label", { for: `extend-${vote.id}` }, t("presidium.extend_by")), seconds,
        button(t("presidium.extend"), () => act(api("POST", `/api/votes/${vote.id}/extend`, { seconds: Number(seconds.value) })))),
      button(t("presidium.close_now"), async () => {
        const v = latest();
        const text = t("presidium.close_confirm", { title: v.title, cast: v.turnout.cast, roll: v.turnout.roll });
        if (await sure(text, t("presidium.close_yes"))) {
          act(api("POST", `/api/votes/${vote.id}/close`), t("presidium.closed_early", { title: vote.title }));
        }
      }, { class: "primary" }),
      cancelButton(vote, latest));
    const tick = () => (counter.textContent = formatRemaining(clock.remaining(latest().closes_at)));
    tick();
    timers.set(vote.id, setInterval(tick, 250));
  } else if (vote.state === "closed") {
    const p = progress.get(vote.id);
    item.append(el("span", {}, turnoutText(vote)),
      el("span", {}, t("presidium.tally_wait", { done: `${p ? p.direct_shares.length : 0}/${p ? p.quorum : "?"}` })),
      cancelButton(vote, latest));
  } else if (vote.state === "decrypted") {
    item.append(el("span", {}, turnoutText(vote)),
      button(vote.announced_at ? t("presidium.show_again") : t("presidium.announce"), () => announce(vote.id), { class: "primary" }));
    // an open vote has no board and no record: nothing was encrypted
    if ((vote.secrecy || "secret") === "secret") {
      item.append(el("a", { href: `/votes/${vote.id}/board` }, t("board.title")),
        el("a", { href: `/api/votes/${vote.id}/record.zip` }, t("presidium.record")));
    }
    if (result) item.append(resultPanel(vote, result));
    const drawn = lotLine(result);
    if (drawn) item.append(drawn);
    const vacant = shortfallLine(result);
    if (vacant) item.append(vacant);
    if (seatsOpen(vote, result)) item.append(roundsPanel(vote, result, { sure, act }));
  }
  return item;
}

function cancelButton(vote, latest) {
  return button(t("presidium.cancel"), async () => {
    const v = latest();
    const text = t("presidium.cancel_confirm", { title: v.title, cast: v.turnout.cast, roll: v.turnout.roll });
    if (await sure(text, t("presidium.cancel_yes"))) {
      act(api("POST", `/api/votes/${vote.id}/cancel`), t("presidium.cancelled", { title: vote.title }));
    }
  });
}

/** The newest view of each listed vote (turnout and extensions arrive live). */
const current = new Map();

/** The vote whose announced result the projector shows (`/api/event/stage`). */
let projectedVote = null;

/** On the projector: an open vote's countdown, else the result announced last. */
function onProjector(vote) {
  if (vote.state === "open") return true;
  const anyOpen = [...current.values()].some((v) => v.state === "open");
  return !anyOpen && vote.id === projectedVote;
}

function showProjected() {
  const open = [...current.values()].filter((v) => v.state === "open");
  const shown = open.length ? open : [current.get(projectedVote)].filter(Boolean);
  $("on-projector").textContent = shown.length
    ? t("presidium.on_projector", { titles: shown.map((v) => v.title).join(", ") })
    : t("presidium.on_projector_none");
}

async function results(votes) {
  const counted = votes.filter((v) => v.state === "decrypted");
  const found = await Promise.all(counted.map((v) => api("GET", `/api/votes/${v.id}/result`).catch(() => null)));
  return new Map(counted.map((v, i) => [v.id, found[i]]));
}

async function refreshVotes() {
  const [{ votes }, progress, stage, agenda] = await Promise.all([
    api("GET", "/api/votes"), decryptionProgress(), api("GET", "/api/event/stage").catch(() => ({})),
    api("GET", "/api/agenda").catch(() => null),
  ]);
  const counted = await results(votes);
  for (const timer of timers.values()) clearInterval(timer);
  timers.clear();
  current.clear();
  projectedVote = stage.projected_vote_id ?? null;
  for (const v of votes) current.set(v.id, v);
  if (agenda) showAgenda(agenda);  // first: each vote names its item, each item its votes
  $("votes").replaceChildren(...votes.slice().reverse().map((v) => voteItem(v, progress, counted.get(v.id))));
  showProjected();
}

connectAgenda({
  voteLabel(id) {
    const vote = current.get(id);
    return vote ? `${vote.title} (${t(`presidium.state.${vote.state}`)})` : `#${id}`;
  },
  sure,
  error(e) {
    $("agenda-error").textContent = e ? e.message : "";
    $("agenda-error").hidden = !e;
  },
});

async function openVote(id) {
  try {
    const vote = await api("POST", `/api/votes/${id}/open`);
    clock.sync(vote.server_time);
    say(t("vote.opened", { title: vote.title }));
    listError(null);
    await refreshVotes();
  } catch (e) {
    listError(e);
  }
}

async function announce(id) {
  try {
    await api("POST", `/api/votes/${id}/announce`);
    say(t("presidium.announced"));
    await refreshVotes();
  } catch (e) {
    listError(e);
  }
}

// ---- the form: a new vote, or a draft being edited --------------------------------------

/**
 * The fields each kind of vote has; the form shows only these, so nobody sets "Plätze" for a
 * motion or an abstention switch for an election.  Hidden fields are disabled too, so the
 * keyboard skips them and `form.elements` of another kind are never read by mistake.
 */
const FIELDS_OF = {
  motion: ["with_abstain"],
  election: ["candidates", "seats", "overall_no", "overall_abstain", "quota_mode", "quota_members"],
  per_candidate: ["candidates", "seats"],
};
const KIND_FIELDS = ["candidates", "seats", "with_abstain", "overall_no", "overall_abstain", "quota_mode", "quota_members"];

/** The convention's words for a kind: "Wahl: bis zu 3 Personen ankreuzen", not "k aus n". */
export function kindText(kind, seats) {
  if (kind !== "election") return t(`presidium.kind.${kind}`);
  const n = Number(seats) || 1;
  return n === 1 ? t("presidium.kind.election_one") : t("presidium.kind.election_n", { n });
}

function showFieldsOf(kind) {
  const form = $("vote-form");
  const wanted = FIELDS_OF[kind] || [];
  for (const name of KIND_FIELDS) {
    const input = form.elements[name];
    if (!input) continue;
    const shown = wanted.includes(name);
    input.hidden = !shown;
    input.disabled = !shown;
    const label = form.querySelector(`label[for="${input.id}"]`);
    if (label) label.hidden = !shown;
  }
  const seatsLabel = form.querySelector('label[for="v-seats"]');
  if (seatsLabel) seatsLabel.textContent = t(kind === "election" ? "presidium.seats.election" : "presidium.seats.per_candidate");
  form.kind.querySelector('option[value="election"]').textContent = kindText("election", form.seats.value);
}

$("vote-form").kind.addEventListener("change", (event) => showFieldsOf(event.target.value));
$("vote-form").seats.addEventListener("input", () => showFieldsOf($("vote-form").kind.value));
showFieldsOf($("vote-form").kind.value);


let editing = null;

function startEditing(vote) {
  editing = vote.id;
  const form = $("vote-form");
  form.kind.value = vote.kind;
  form.title.value = vote.title;
  form.candidates.value = (vote.candidates || []).join("\n");
  form.seats.value = vote.seats;
  form.with_abstain.checked = vote.with_abstain;
  form.overall_no.checked = Boolean(vote.overall_no);
  form.overall_abstain.checked = Boolean(vote.overall_abstain);
  form.quota_mode.value = vote.quota?.mode || "none";
  form.quota_members.value = (vote.quota?.members || []).join("\n");
  form.majority_rule.value = vote.majority_rule;
  form.majority_base.value = vote.majority_base || "valid";
  form.duration_seconds.value = vote.duration_seconds;
  form.secrecy.value = vote.secrecy || "secret";
  form.electorate_group.value = vote.electorate?.group || "";
  form.electorate_delegation.value = vote.electorate?.delegation || "";
  $("vote-submit").textContent = t("presidium.save");
  $("edit-stop").hidden = false;
  $("editing").textContent = t("presidium.editing", { title: vote.title });
  $("editing").hidden = false;
  form.title.focus();
}

function stopEditing() {
  editing = null;
  $("vote-form").title.value = "";
  $("vote-form").candidates.value = "";
  $("vote-form").electorate_group.value = "";
  $("vote-form").electorate_delegation.value = "";
  $("vote-submit").textContent = t("presidium.create");
  $("edit-stop").hidden = true;
  $("editing").hidden = true;
}

$("edit-stop").addEventListener("click", stopEditing);

$("vote-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const kind = form.kind.value;
  const body = {
    kind,
    title: form.title.value.trim(),
    majority_rule: form.majority_rule.value,
    majority_base: form.majority_base.value,
    duration_seconds: Number(form.duration_seconds.value),
    agenda_item_id: chosenAgendaItem(),
  };
  body.secrecy = form.secrecy.value;
  // only a group (Frauenvotum) and/or one delegation votes; empty: everyone
  const group = form.electorate_group.value.trim();
  const delegation = form.electorate_delegation.value.trim();
  body.electorate = group || delegation ? { group: group || null, delegation: delegation || null } : null;
  if (kind === "motion") body.with_abstain = form.with_abstain.checked;
  else {
    body.candidates = form.candidates.value.split("\n").map((s) => s.trim()).filter(Boolean);
    body.seats = Number(form.seats.value);
    if (kind === "election") {
      body.overall_no = form.overall_no.checked;
      body.overall_abstain = form.overall_abstain.checked;
      // quota seats (Mindestquotierung): which candidates count for the women's places
      const members = form.quota_members.value.split("\n").map((s) => s.trim()).filter(Boolean);
      if (form.quota_mode.value !== "none") body.quota = { group: "Frauen", members, mode: form.quota_mode.value };
    }
  }
  try {
    if (editing === null) await api("POST", "/api/votes", body);
    else await api("PATCH", `/api/votes/${editing}`, body);
    showError(null);
    stopEditing();
    resetAgendaChoice();
    await refreshVotes();
  } catch (e) {
    showError(e);
  }
});

$("stream-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("PUT", "/api/event/stage", { livestream_url: $("stream-input").value });
    say(t("presidium.stream_set"));
  } catch (e) {
    showError(e);
  }
});

function updateTurnout(event) {
  const known = current.get(event.vote_id);
  if (known) known.turnout = { cast: event.cast, roll: event.roll };
  const node = document.querySelector(`[data-vote="${event.vote_id}"] .turnout-count`);
  if (node) node.textContent = t("presidium.turnout", { cast: event.cast, roll: event.roll });
}

follow({
  snapshot() {
    refreshAgenda();
    refreshVotes();
  },
  agenda: refreshAgenda,
  turnout: updateTurnout,
  vote_opened() {
    refreshVotes();
    refreshAttendance();
  },
  vote_closed: refreshVotes,
  vote_extended: refreshVotes,
  vote_cancelled: refreshVotes,
  votes_changed: refreshVotes,
  result: refreshVotes,
  announced: refreshVotes,
});

refreshAttendance();
setInterval(refreshAttendance, 15_000);
quorumForm(refreshAttendance);
