/**
 * The presidium console: attendance and quorum, the agenda item on stage, the livestream
 * address, creating and opening votes with their countdown, live turnout (a count, never an
 * interim result: the server has none), the guardians' progress on the tally, and announcing
 * a counted result on the projector and the delegates' pages.
 */

import { $, api, clock, el, follow, formatRemaining, t } from "./common.js";

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

function voteItem(vote, progress) {
  const state = el("span", { class: "state" }, t(`presidium.state.${vote.state}`));
  const item = el("li", { "data-vote": vote.id }, el("strong", {}, vote.title), state);
  if (vote.state === "draft") {
    item.append(el("button", { type: "button", class: "primary", onclick: () => openVote(vote.id) },
      `${t("presidium.open")} (${formatRemaining(vote.duration_seconds * 1000)})`));
  } else if (vote.state === "open") {
    const counter = el("span", { class: "countdown", role: "timer" });
    const turnout = el("span", { class: "turnout-count", "aria-live": "polite" },
      t("presidium.turnout", { cast: vote.turnout.cast, roll: vote.turnout.roll }));
    item.append(counter, turnout);
    const tick = () => (counter.textContent = formatRemaining(clock.remaining(vote.closes_at)));
    tick();
    timers.set(vote.id, setInterval(tick, 250));
  } else if (vote.state === "closed") {
    const p = progress.get(vote.id);
    item.append(el("span", {}, t("presidium.turnout", { cast: vote.turnout.cast, roll: vote.turnout.roll })),
      el("span", {}, t("presidium.tally_wait", { done: `${p ? p.direct_shares.length : 0}/${p ? p.quorum : "?"}` })));
  } else if (vote.state === "decrypted") {
    item.append(el("span", {}, t("presidium.turnout", { cast: vote.turnout.cast, roll: vote.turnout.roll })),
      el("button", { type: "button", class: "primary", onclick: () => announce(vote.id) }, t("presidium.announce")),
      el("a", { href: `/votes/${vote.id}/board` }, t("board.title")));
  }
  return item;
}

async function refreshVotes() {
  const [{ votes }, progress] = await Promise.all([api("GET", "/api/votes"), decryptionProgress()]);
  for (const timer of timers.values()) clearInterval(timer);
  timers.clear();
  $("votes").replaceChildren(...votes.slice().reverse().map((v) => voteItem(v, progress)));
}

async function openVote(id) {
  try {
    const vote = await api("POST", `/api/votes/${id}/open`);
    clock.sync(vote.server_time);
    say(t("vote.opened", { title: vote.title }));
    await refreshVotes();
  } catch (e) {
    showError(e);
  }
}

async function announce(id) {
  try {
    await api("POST", `/api/votes/${id}/announce`);
    say(t("presidium.announced"));
  } catch (e) {
    showError(e);
  }
}

$("vote-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const kind = form.kind.value;
  const body = {
    kind,
    title: form.title.value.trim(),
    majority_rule: form.majority_rule.value,
    duration_seconds: Number(form.duration_seconds.value),
  };
  if (kind === "motion") body.with_abstain = form.with_abstain.checked;
  else {
    body.candidates = form.candidates.value.split("\n").map((s) => s.trim()).filter(Boolean);
    body.seats = Number(form.seats.value);
  }
  try {
    await api("POST", "/api/votes", body);
    showError(null);
    form.title.value = "";
    form.candidates.value = "";
    await refreshVotes();
  } catch (e) {
    showError(e);
  }
});

function showAgenda({ items, current }) {
  $("agenda-current").textContent = current || t("agenda.none");
  $("agenda-items").replaceChildren(...items.map((item) => {
    const onStage = item.title === current;
    const call = el("button", { type: "button", "aria-label": `${t("presidium.agenda_set")}: ${item.title}`,
      onclick: () => callItem(item.id) }, t("presidium.agenda_set"));
    return el("li", onStage ? { "aria-current": "true", class: "on-stage" } : {}, el("span", {}, item.title), call);
  }));
}

async function refreshAgenda() {
  showAgenda(await api("GET", "/api/agenda"));
}

async function callItem(id) {
  try {
    showAgenda(await api("POST", `/api/agenda/${id}/call`));
  } catch (e) {
    showError(e);
  }
}

$("agenda-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    showAgenda(await api("POST", "/api/agenda", { title: $("agenda-input").value }));
    $("agenda-input").value = "";
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
  result: refreshVotes,
});

refreshAttendance();
setInterval(refreshAttendance, 15_000);
