/**
 * The voting code on the delegate page (docs/credentials.md): asked once per page load, handed
 * to the ballot worker, which derives the keys and keeps them in its memory only.
 *
 * Checked before any vote, against the slot-0 roll: the committee's anonymous set of check
 * keys, which the page reads whole (GET /api/committee/slots/0, the same list for everyone).
 * The worker compares its check key with it, so the server learns nothing about the code, not
 * even which check key this account holds: the server never knows whose key is whose, and a
 * check that asked it "is this key Anna's?" would tell it.  What this check proves is that the
 * code is one the committee issued and did not revoke (docs/threat-model.md says why that is
 * enough).  A code from the letter's QR code arrives in the address's fragment
 * (/delegate#credential=…), which no browser sends; it is taken out of the address at once.
 */

import { $, api, t } from "./common.js";

const state = { ok: false, busy: null };

function say(id, text) {
  $(id).textContent = text || "";
  $(id).hidden = !text;
}

/** Whether a vote with this `credential_slot` can be signed here (no slot: nothing needed). */
export function credentialReady(slot) {
  return slot === null || slot === undefined || state.ok;
}

/** The prompt is needed and not yet answered: show it with a note and put the focus on it. */
export function askForCredential() {
  $("credential").hidden = false;
  say("credential-error", t("credential.needed"));
  $("credential-code").focus();
}

async function check(worker, settings, typed) {
  say("credential-error", "");
  $("credential-submit").disabled = true;
  $("credential-submit").textContent = t("credential.checking");
  try {
    if (!settings.kdf) {
      // no letters were uploaded when the page loaded: ask the server now
      const status = await api("GET", "/api/committee");
      Object.assign(settings, { kdf: status.kdf, next_slot: status.next_slot });
      if (!settings.kdf) throw Object.assign(new Error(t("credential.not_issued")), { shown: true });
    }
    // a typing mistake is told before anything is fetched
    const derived = await worker().credential(typed, settings.kdf);
    let status = derived.status;
    if (status === "derived") {
      const roll = await api("GET", "/api/committee/slots/0"); // the same list for everyone
      status = (await worker().checkCredential({ eligible: roll.eligible, revoked: roll.revoked }, settings.next_slot)).status;
    }
    if (status !== "ok") {
      // "unknown": no check key of the roll; "revoked": replaced by a newer letter
      const text = { typo: `credential.${derived.reason}`, unknown: "credential.wrong", revoked: "credential.revoked" }[status];
      say("credential-error", t(text));
      $("credential-code").focus();
      return;
    }
    state.ok = true;
    $("credential-code").value = "";
    $("credential").hidden = true;
    $("credential-done").hidden = false;
  } catch (e) {
    // no WebCrypto at all: an old browser, or the page not on https (browsers withhold it)
    const unsupported = !globalThis.crypto?.subtle || e.name === "NotSupportedError";
    say("credential-error", unsupported ? t("credential.unsupported") : e.message);
  } finally {
    $("credential-submit").disabled = false;
    $("credential-submit").textContent = t("credential.check");
  }
}

/** The code was refused by the server for a cast (revoked meanwhile, …): ask again. */
export async function credentialRefused(worker) {
  state.ok = false;
  await worker().forgetCredential().catch(() => {});
  $("credential-done").hidden = true;
  $("credential").hidden = false;
}

/**
 * Set up the prompt.  `settings` is the page's `credentials` ({required, kdf, voter});
 * `worker()` starts the ballot worker if it is not running yet.
 */
export function setupCredential(settings, worker) {
  const fromLetter = new URLSearchParams(location.hash.slice(1)).get("credential");
  if (fromLetter !== null) history.replaceState(null, "", location.pathname + location.search);
  if (!settings?.required || !settings.voter) return;
  $("credential").hidden = false;
  $("credential-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.busy ??= check(worker, settings, $("credential-code").value).finally(() => (state.busy = null));
  });
  if (fromLetter) {
    $("credential-code").value = fromLetter;
    $("credential-form").requestSubmit();
  }
}
