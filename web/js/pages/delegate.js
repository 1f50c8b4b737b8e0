/**
 * The delegate page: check-in, agenda and open vote live from the server, the ballot form,
 * "Bist Du Dir sicher?", encryption in the ballot worker, cast or challenge (Benaloh).
 *
 * The worker (../worker.js through ../ballot_client.js) starts only when a vote opens, so the
 * page itself stays small (docs/web.md: page-weight budget).  The plaintext choice goes from
 * the form to the worker and nowhere else; the server gets the encrypted ballot only.
 *
 * The order of a cast follows Benaloh: the ballot is encrypted and its tracking code shown
 * in the confirmation dialog *before* the delegate says "cast" or "check", so the device is
 * committed to the encryption before it learns whether it will be audited.
 *
 * An open or roll-call vote (vote.secrecy "open" / "roll_call") is not secret by its nature:
 * the page says so above the question, skips the worker and sends the choice itself after the
 * same "Bist Du Dir sicher?" (POST /api/votes/<id>/choice).  A secret vote never takes that
 * path: the server refuses a plaintext choice for it (409 secret_vote).
 */

import { $, ApiError, api, clock, countdown, el, follow, page, selectionLabels, shortCode, t } from "./common.js";
import { BallotForm } from "./ballot_form.js";
import { BallotClient } from "../ballot_client.js";
import "./speak.js"; // the speakers' list and the technician check (its own section)
import { askForCredential, credentialReady, credentialRefused, setupCredential } from "./credential_prompt.js";

let current = null; // { vote, form, stopCountdown, ready, codeSeed, ballotId, pending }
let worker = null;
/** The ballot worker, started at the first need: a vote opening, or the voting code typed. */
const ballotWorker = () => (worker ??= BallotClient.start("/js/worker.js"));

// The voting code (credentials committee): asked once per page load, kept in the worker only.
setupCredential(page.credentials, ballotWorker);

const announce = (text) => {
  $("announce").textContent = "";
  setTimeout(() => ($("announce").textContent = text), 50);
};

function show(id, visible) {
  $(id).hidden = !visible;
}

function error(id, message) {
  $(id).textContent = message || "";
  show(id, Boolean(message));
}

// ---- check-in -------------------------------------------------------------------------

// Without JavaScript the form posts to /checkin (the start page's check-in); with it, the
// page checks in through the API and stays where it is.
$("checkin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const me = await api("POST", "/api/checkin");
    page.checkedIn = true;
    page.canVote = me.can_vote;
    show("checkin", false);
    $("checkin-done").textContent = t("checkin.done") + (me.can_vote || page.staff ? "" : ` ${t("checkin.no_vote")}`);
    show("checkin-done", true);
    // The button just pressed is gone with its card: the focus goes to the sentence that
    // replaced it, not to the top of the page (a keyboard or screen-reader user stays here).
    $("checkin-done").focus();
    // A vote already open stays closed to a late check-in: say so on its card at once.
    if (current && !current.closed && !current.vote.you_have_voted) {
      $("vote-status").textContent = page.staff ? t("vote.staff") : page.canVote ? t("vote.not_on_roll") : t("checkin.no_vote");
    }
  } catch (e) {
    error("checkin-error", e.message);
  }
});

// ---- live ----------------------------------------------------------------------------

function setAgenda(title) {
  $("agenda-title").textContent = title || t("agenda.none");
}

follow({
  snapshot(event) {
    // Also after a reconnect: a vote that closed meanwhile is closed here too.
    setAgenda(event.agenda);
    if (current && !current.closed && event.open_vote?.id !== current.vote.id) closeVote();
    if (event.open_vote) openVote(event.open_vote.id);
    else if (!current) $("vote-status").textContent = page.staff ? `${t("vote.none")} ${t("vote.staff")}` : t("vote.none");
  },
  announced(event) {
    showResultCard(event.vote_id);
  },
  agenda(event) {
    setAgenda(event.title);
  },
  vote_opened(event) {
    // The event carries the vote (manifest, context, device) when small enough: no request
    // at the moment a thousand pages open it; another device's earlier cast shows at the cast.
    // The roll is frozen at the opening: this page is on it if it was checked in by then.
    // openVote announces title and time left together.
    // A vote of one group or delegation (electorate): whether this page is on its roll only
    // the server knows, so such a vote is fetched (GET says you_are_on_roll).
    openVote(event.vote_id, event.vote && !event.vote.electorate ? {
      ...event.vote, server_time: event.server_time, you_have_voted: false,
      you_are_on_roll: Boolean(page.checkedIn && page.canVote),
    } : null);
  },
  vote_closed(event) {
    if (current?.vote.id === event.vote_id) closeVote();
  },
  vote_extended(event) {
    // the presidium gave more time: the countdown restarts towards the new end
    if (current?.vote.id !== event.vote_id || current.closed) return;
    current.vote.closes_at = event.closes_at;
    startCountdown();
    if (canStillVote()) announce(t("vote.extended", { time: spokenTime(clock.remaining(event.closes_at)) }));
  },
  vote_cancelled(event) {
    if (current?.vote.id === event.vote_id && !current.closed) closeVote(t("vote.cancelled"));
  },
});

// ---- the announced result, as a card on this page -------------------------------------
//
// The result comes to the delegate here, in words and bars (result_view.js: the projector's
// wording), with a button back to the page; "Ergebnis ansehen" brings it back.

async function showResultCard(voteId) {
  try {
    const [{ verdictText, resultGroups, resultSentence }, { resultChart }, result, vote] = await Promise.all([
      import("./result_view.js"), import("./chart.js"),
      api("GET", `/api/votes/${voteId}/result`), api("GET", `/api/votes/${voteId}`)]);
    if (current && current.vote.id !== voteId && !current.closed) return; // a newer vote is open
    const said = verdictText(result);
    const title = t("result.title", { title: result.title });
    $("result-card-title").textContent = title;
    $("result-card-verdict").className = `verdict small ${said.good ? "yes" : "no"}`;
    $("result-card-verdict").textContent = said.text + (said.invalid ? ` ${t("projector.invalid")}` : "");
    $("result-card-chart").replaceChildren(resultChart(resultGroups(vote, result), title, result.ballots_cast));
    $("result-card-threshold").textContent = result.threshold_text || "";
    $("result-card-ballots").textContent = t("projector.ballots", { cast: result.ballots_cast, roll: result.roll_size });
    show("result-open-line", false);
    show("result-card", true);
    announce(resultSentence(vote, result));
  } catch (e) {
    console.warn("no result card", e);
  }
}

$("result-card-back").addEventListener("click", () => {
  show("result-card", false);
  show("result-open-line", true);
  $("result-open").focus();
});

$("result-open").addEventListener("click", () => {
  show("result-open-line", false);
  show("result-card", true);
  $("result-card").focus();
});

// ---- a vote opens ----------------------------------------------------------------------

async function deviceHash(device) {
  const [{ hashElems }, { toHex }] = await Promise.all([import("../crypto/hash.js"), import("../crypto/group.js")]);
  return toHex(await hashElems(device.device_id, device.session_id, device.launch_code, device.location));
}

async function newBallot() {
  current.ballotId = `ballot-${crypto.randomUUID()}`;
  current.pending = null;
  await worker.prepare(current.ballotId, "delegate", { credentialSlot: current.vote.credential_slot });
}

async function openVote(voteId, shipped = null) {
  if (current?.vote.id === voteId) return;
  const vote = shipped ?? (await api("GET", `/api/votes/${voteId}`));
  clock.sync(vote.server_time);
  if (vote.state !== "open") return;
  current?.stopCountdown?.();
  current = { vote };
  $("vote-status").textContent = "";
  show("result-card", false);
  show("result-open-line", false);
  $("vote-title").textContent = vote.title;
  // labelled on every vote, so nobody takes an open vote for a secret one
  $("vote-secrecy").textContent = t(`secrecy.${vote.secrecy || "secret"}.note`);
  $("vote-secrecy").className = `secrecy ${vote.secrecy || "secret"}`;
  show("vote-panel", true);
  show("receipt", false);
  error("receipt-warning", "");
  show("challenge", false);
  error("ballot-error", "");
  error("vote-closed-note", "");
  show("resend", false);
  startCountdown();
  announceOpened(vote);
  // A ballot sent before a reload whose answer never came: send exactly that one again.
  const unsent = pendingBallot(vote.id);
  if (unsent) {
    show("ballot-form", false);
    send(unsent);
    return;
  }
  if (!page.checkedIn || !page.canVote || vote.you_are_on_roll === false) {
    show("ballot-form", false);
    // Said before any choice: a check-in after the opening does not join the running vote.
    $("vote-status").textContent = page.staff ? t("vote.staff")
      : !page.checkedIn ? t("checkin.needed") : !page.canVote ? t("checkin.no_vote")
      : vote.electorate ? t("vote.not_in_electorate", { who: [vote.electorate.group, vote.electorate.delegation].filter(Boolean).join(", ") })
      : t("vote.not_on_roll");
    return;
  }
  if (vote.you_have_voted) {
    show("ballot-form", false);
    $("vote-status").textContent = t("vote.already");
    remembered(vote.id).then((code) => {
      if (!code || current?.vote.id !== vote.id) return;
      $("vote-status").textContent = ""; // the receipt says it
      showReceipt(vote.id, code);
    });
    return;
  }
  show("ballot-form", true);
  current.form = new BallotForm($("ballot-questions"), vote);
  if (isOpenVote(vote)) {
    $("ballot-submit").disabled = false; // nothing to encrypt, no worker
    $("ballot-submit").textContent = t("vote.submit");
    return;
  }
  $("ballot-submit").disabled = true;
  $("ballot-submit").textContent = t("vote.loading");
  const mine = current;
  ballotWorker();
  try {
    await worker.init(vote.context, vote.manifest);
    mine.codeSeed = await deviceHash(vote.encryption_device);
    if (current !== mine) return;
    await newBallot();
    $("ballot-submit").disabled = false;
    $("ballot-submit").textContent = t("vote.submit");
  } catch (e) {
    error("ballot-error", `${e.name}: ${e.message}`);
  }
}

/** The countdown towards current.vote.closes_at (again after an extension). */
function startCountdown() {
  current.stopCountdown?.();
  // The timer itself is silent for screen readers (aria-live off); one minute and ten
  // seconds before the close they hear the time left once.
  const milestones = [60_000, 10_000];
  const format = (time) => {
    // the same time inside "Bist Du Dir sicher?", which covers the page's countdown
    $("confirm-countdown").textContent = t("vote.remaining", { time });
    return t("vote.remaining", { time });
  };
  current.stopCountdown = countdown($("countdown"), current.vote.closes_at, format, null, (left) => {
    while (milestones.length && left <= milestones[0]) {
      const due = milestones.shift();
      if (left > due - 2000 && left > 0 && canStillVote()) announce(t("vote.remaining", { time: spokenTime(left) }));
    }
  });
}

/**
 * Time left as a screen reader should say it: "15 Minuten", "1 Minute", "10 Sekunden" (not
 * "15:00", which is read as a clock time). Whole minutes from one minute up.
 */
function spokenTime(ms) {
  const seconds = Math.ceil(ms / 1000);
  if (seconds >= 60) {
    const minutes = Math.round(seconds / 60);
    return minutes === 1 ? t("time.minute") : t("time.minutes", { n: minutes });
  }
  return seconds === 1 ? t("time.second") : t("time.seconds", { n: seconds });
}

/** Whether the ballot form is still the delegate's to fill in (for the time warnings). */
function canStillVote() {
  return Boolean(current && !current.closed && !current.sending && !$("ballot-form").hidden);
}

/** One announcement at the opening: the title and the time left. */
function announceOpened(vote) {
  if (current.announcedOpen) return;
  current.announcedOpen = true;
  announce(t("vote.opened_left", { title: vote.title, time: spokenTime(clock.remaining(vote.closes_at)) }));
}

function closeVote(message = t("vote.closed")) {
  current.stopCountdown?.();
  current.closed = true;
  $("countdown").textContent = message;
  $("vote-status").textContent = message;
  $("ballot-submit").disabled = true;
  current.form?.setDisabled(true);
  if ($("confirm").open && !current.sending) {
    // The delegate was about to cast: say plainly that the vote did not count, and put the
    // focus on that (not on the page's body, where a closing dialog leaves it).
    $("confirm").close();
    closedBeforeArrival();
    return;
  }
  if (!current.sending) announce(message);
}

/** The vote closed before this delegate's ballot arrived: said once, with the focus on it. */
function closedBeforeArrival() {
  show("ballot-form", false);
  show("resend", false);
  error("vote-closed-note", t("vote.closed_before"));
  $("vote-closed-note").focus();
}

// ---- confirm, cast, challenge -----------------------------------------------------------

$("ballot-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!current || current.closed) return;
  const choice = current?.form?.read();
  if (!choice) {
    error("ballot-error", t("vote.incomplete"));
    return;
  }
  if (!credentialReady(current.vote.credential_slot)) {
    askForCredential(); // before the dialog: nothing is encrypted or sent without the code
    return;
  }
  error("ballot-error", "");
  $("confirm-choice").replaceChildren(...choice.summary.map((line) => el("li", {}, line)));
  $("confirm-challenge").hidden = isOpenVote(current.vote);
  if (isOpenVote(current.vote)) {
    // said again right above the button: this choice goes to the server as it is
    current.openChoice = choice.contests[0].ballot_selections[0].object_id;
    $("confirm-code-line").textContent = t(`secrecy.${current.vote.secrecy}.confirm`);
    $("confirm-cast").disabled = false;
    $("confirm").showModal();
    $("confirm-cast").focus();
    return;
  }
  $("confirm-code-line").textContent = t("vote.loading");
  $("confirm-cast").disabled = true;
  $("confirm-challenge").disabled = true;
  $("confirm").showModal();
  const plaintext = { object_id: current.ballotId, style_id: "delegate", contests: choice.contests };
  try {
    const encrypted = await worker.encrypt(plaintext, {
      timestamp: current.vote.ballot_timestamp, codeSeed: current.codeSeed, credentialSlot: current.vote.credential_slot,
    });
    current.pending = encrypted;
    $("confirm-code-line").replaceChildren(`${t("confirm.code")} `,
      el("strong", { class: "code-short", id: "confirm-code-short" }, shortCode(encrypted.trackingCode)),
      el("details", { class: "code-full" }, el("summary", {}, t("code.full")),
        el("code", { class: "code", id: "confirm-code" }, encrypted.trackingCode)));
    $("confirm-cast").disabled = false;
    $("confirm-challenge").disabled = false;
    $("confirm-cast").focus();
  } catch (e) {
    $("confirm-code-line").textContent = `${e.name}: ${e.message}`;
  }
});

$("confirm-back").addEventListener("click", () => $("confirm").close());

// Leaving the dialog without casting abandons that encryption: the next try gets a new one.
$("confirm").addEventListener("close", () => {
  if (current?.pending && !current.pending.used && !current.closed) newBallot();
});

function failed(e) {
  $("confirm").close();
  if (e instanceof ApiError && e.code === "vote_closed") {
    closedBeforeArrival();
    return;
  }
  error("ballot-error", t("cast.failed", { message: e.message }));
  if (e instanceof ApiError && e.status === 401) reloginLink("ballot-error");
}

/** A link to the login page after a message that the session is gone. */
function reloginLink(id) {
  $(id).append(" ", el("a", { href: "/login" }, t("cast.relogin")));
}

// ---- the ballot on its way: kept until its receipt comes --------------------------------
//
// The encrypted ballot (never the choice) is kept in localStorage, per participant and vote,
// from just before it is sent until its signed receipt is in.  If the answer is lost (the
// connection dropped after sending), the page sends exactly these bytes again, also after a
// reload; the server answers a resend of the same ballot with the same receipt
// (voting/ballot_box.py, `_known`), so it counts at most once.

const pendingKey = (voteId) => `evote-pending/v1/${page.participantId}/${voteId}`;

function pendingBallot(voteId) {
  try {
    const kept = JSON.parse(localStorage.getItem(pendingKey(voteId)));
    return typeof kept?.ballot === "string" && typeof kept.trackingCode === "string" ? kept : null;
  } catch {
    return null;
  }
}

function keepPending(voteId, kept) {
  try {
    localStorage.setItem(pendingKey(voteId), JSON.stringify(kept));
  } catch {}
}

function dropPending(voteId) {
  try {
    localStorage.removeItem(pendingKey(voteId));
  } catch {}
}

/** Send the kept ballot `unsent` ({ballot, trackingCode}) and show what came of it. */
async function send(unsent, { fromDialog = false } = {}) {
  const vote = current.vote;
  const mine = current;
  mine.sending = true;
  show("resend", false);
  error("ballot-error", "");
  if (!fromDialog) $("vote-status").textContent = t("cast.resending");
  try {
    // the voting code's public key and signature (no secret), when the vote asks for them
    const signed = unsent.credential
      ? { "Evote-Credential-Key": unsent.credential.key, "Evote-Credential-Signature": unsent.credential.signature }
      : {};
    const receipt = await api("POST", `/api/votes/${vote.id}/ballots`, unsent.ballot, signed);
    dropPending(vote.id);
    if (current !== mine) return;
    $("confirm").close();
    show("ballot-form", false);
    const check = await keepReceipt(vote, unsent.trackingCode, receipt);
    showReceipt(vote.id, receipt.tracking_code);
    error("receipt-warning", check.problems.length ? t("cast.receipt_bad", { what: check.problems.join(", ") }) : "");
    $("receipt").dataset.signature = String(check.signature); // true, false, or null: not checkable here
    $("vote-status").textContent = ""; // the receipt's heading says "Deine Stimme ist abgegeben." (once)
    $("receipt-title").focus();
  } catch (e) {
    if (current !== mine) return;
    if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
      // No answer (or a broken one): the ballot may be in the box. Keep it and offer to resend.
      $("confirm").close();
      show("ballot-form", false);
      $("vote-status").textContent = "";
      $("resend-text").textContent = t("cast.lost");
      show("resend", true);
      $("resend-text").focus();
      return;
    }
    const forGood = !(e instanceof ApiError && e.status === 401); // after a new login it can still go
    if (e instanceof ApiError && ["credential_not_on_roll", "credential_revoked"].includes(e.code)) credentialRefused(ballotWorker);
    if (forGood) dropPending(vote.id);
    if (forGood && !mine.closed && e.code !== "already_voted" && e.code !== "vote_closed") {
      // refused for good while the vote is open: a fresh ballot form and encryption
      if (fromDialog) await newBallot();
      else {
        current.stopCountdown?.();
        current = null;
        await openVote(vote.id);
      }
    }
    failed(e);
  } finally {
    mine.sending = false;
  }
}

$("resend-button").addEventListener("click", () => {
  const unsent = current && pendingBallot(current.vote.id);
  if (unsent) send(unsent);
});

/** An open or roll-call vote: its choice is sent in plaintext (never a secret vote's). */
const isOpenVote = (vote) => vote.secrecy === "open" || vote.secrecy === "roll_call";

async function sendOpenChoice() {
  const mine = current;
  $("confirm-cast").disabled = true;
  mine.sending = true;
  try {
    await api("POST", `/api/votes/${mine.vote.id}/choice`, { choice: mine.openChoice });
    if (current !== mine) return;
    $("confirm").close();
    show("ballot-form", false);
    $("vote-status").textContent = t(`secrecy.${mine.vote.secrecy}.done`);
    announce($("vote-status").textContent);
  } catch (e) {
    failed(e);
  } finally {
    mine.sending = false;
  }
}

$("confirm-cast").addEventListener("click", async () => {
  if (isOpenVote(current.vote)) return sendOpenChoice();
  const encrypted = current.pending;
  $("confirm-cast").disabled = true;
  $("confirm-challenge").disabled = true;
  $("confirm-code-line").textContent = t("cast.busy");
  encrypted.used = true; // from here on this encryption is the one to cast, or to resend
  const unsent = { ballot: JSON.stringify(encrypted.ballot), trackingCode: encrypted.trackingCode, credential: encrypted.credential ?? null };
  keepPending(current.vote.id, unsent);
  worker.cast(encrypted.objectId).catch(() => {}); // the nonces are not needed to cast
  await send(unsent, { fromDialog: true });
});

$("confirm-challenge").addEventListener("click", async () => {
  const encrypted = current.pending;
  $("confirm-cast").disabled = true;
  $("confirm-challenge").disabled = true;
  try {
    // The server records the ballot as spoiled first; only then are its nonces opened here.
    await api("POST", `/api/votes/${current.vote.id}/spoiled-ballots`, JSON.stringify(encrypted.ballot));
    encrypted.used = true;
    const revealed = await worker.reveal(encrypted.objectId);
    $("confirm").close();
    showChallenge(encrypted, revealed);
  } catch (e) {
    failed(e);
  }
});

// The signed receipt stays on this device (localStorage, one entry per participant and vote),
// so a reload still shows the code and the board page can build a complaint from it.  It says
// nothing about the choice.  Checked first: the ballot just encrypted, the key the context
// announced before casting, and the signature where WebCrypto has Ed25519 (./receipts.js).
async function keepReceipt(vote, trackingCode, receipt) {
  const { announcedKey, checkReceipt, storageKey } = await import("./receipts.js");
  const check = await checkReceipt(receipt, {
    voteId: vote.id,
    scopeId: vote.manifest.election_scope_id,
    trackingCode,
    timestamp: vote.ballot_timestamp,
    state: "cast",
    publicKey: announcedKey(vote.context),
  });
  try {
    localStorage.setItem(storageKey(page.participantId, vote.id), JSON.stringify(receipt));
  } catch {}
  return check;
}

async function remembered(voteId) {
  const { storageKey } = await import("./receipts.js");
  try {
    return JSON.parse(localStorage.getItem(storageKey(page.participantId, voteId)))?.tracking_code ?? null;
  } catch {
    return null;
  }
}

function showReceipt(voteId, code) {
  $("receipt-code").textContent = code;
  $("receipt-code-short").textContent = shortCode(code);
  // the code goes in the fragment, which the browser never sends to the server
  $("receipt-board").href = `/votes/${voteId}/board#code=${encodeURIComponent(code)}`;
  show("receipt", true);
}

async function showChallenge(encrypted, revealed) {
  const labels = selectionLabels(current.vote);
  const lines = [];
  // Per-candidate labels already name the candidate ("Ada: Ja"); the others get the title.
  const title = current.vote.kind === "per_candidate" ? "" : `${current.vote.title}: `;
  for (const selections of Object.values(revealed.choices)) {
    const marked = Object.entries(selections).filter(([, v]) => v === 1).map(([id]) => labels[id] ?? id);
    lines.push(`${title}${marked.length ? marked.join(", ") : t("vote.none_chosen")}`);
  }
  $("challenge-choice").replaceChildren(...lines.map((line) => el("li", {}, line)));
  $("challenge-code").textContent = encrypted.trackingCode;
  $("challenge-code-short").textContent = shortCode(encrypted.trackingCode);
  // The check text carries everything a second device needs to check offline
  // (docs/browser-crypto.md, "The challenge payload"); in the link it is the fragment, which
  // browsers never send to a server.
  const payload = revealed.checkPayload;
  const url = `${location.origin}/verify#p=${payload}`;
  $("challenge-link").href = url;
  $("challenge-link").textContent = `${location.origin}/verify#p=${payload.slice(0, 12)}…`;
  $("challenge-payload").value = payload;
  URL.revokeObjectURL($("challenge-download").href);
  $("challenge-download").href = URL.createObjectURL(new Blob([`${url}\n`], { type: "text/plain" }));
  $("challenge-download").download = `evote-challenge-${encrypted.trackingCode.slice(0, 12)}.txt`;
  $("challenge-copied").textContent = "";
  // Straight back to the ballot (issue 12, item 10): the form again, with a fresh encryption
  // on its way, and the test's outcome below it for the second device.
  show("challenge", true);
  show("ballot-form", true);
  current.form.setDisabled(false);
  $("ballot-submit").disabled = true;
  $("vote-status").textContent = t("challenge.back");
  $("ballot-questions").querySelector("input")?.focus();
  announce(t("challenge.back"));
  newBallot().then(() => {
    $("ballot-submit").disabled = Boolean(current?.closed);
  });
  // The QR code is drawn here, from the npm package uqr: the nonce never goes to a server.
  // Without it (npm ci not run), or for a payload too long for a QR code (a vote with very
  // many candidates), the link and the check text still lead the second device to the check.
  const qr = $("challenge-qr");
  qr.replaceChildren();
  try {
    const { renderSVG } = await import("/js/vendor/uqr.mjs");
    qr.innerHTML = renderSVG(url, { border: 2, ecc: "L" });
    qr.setAttribute("role", "img");
    qr.setAttribute("aria-label", t("challenge.qr"));
  } catch (e) {
    console.warn("no QR code", e);
    qr.textContent = t("challenge.no_qr");
  }
}

$("challenge-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("challenge-payload").value);
  } catch {
    $("challenge-payload").select(); // no clipboard permission: selected for a manual copy
    return;
  }
  $("challenge-copied").textContent = t("challenge.copied");
});
