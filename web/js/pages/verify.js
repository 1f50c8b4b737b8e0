/**
 * The second device's check of a challenged ballot (reached through the QR code).
 *
 * The link's fragment (#p=challenge payload) never reaches a server, and the page asks the
 * server for nothing: `checkChallengePayload` encrypts the revealed choice again from the
 * revealed master nonce and requires the tracking code the delegate saw (docs/browser-crypto.md,
 * "The challenge payload").  The choice is shown for the delegate to compare with what they
 * chose on the first device.  This page is still served by the convention's server; the same
 * payload is checked independently of it by web/challenge-check.html (opened from disk) and by
 * `evote-verify challenge`.
 */

import { $, el, t } from "./common.js";
import { checkChallengePayload } from "../crypto/challenge_check.js";
import { decodePayload } from "../crypto/challenge_payload.js";
import { describeChoices } from "../challenge_view.js";

async function run() {
  if (!/(?:^#|&)p=/.test(location.hash)) throw new Error(t("verify.missing"));
  const payload = await decodePayload(location.hash);
  const checked = await checkChallengePayload(payload);
  const lines = describeChoices(payload.manifest, checked.choices).map(({ title, chosen }) => {
    const names = chosen.map((c) => (c.answer ? t(`vote.${c.answer}`) : c.name));
    return `${title}: ${names.length ? names.join(", ") : t("vote.none_chosen")}`;
  });
  $("verify-status").className = "ok";
  $("verify-status").textContent = t("verify.ok", { code: checked.trackingCode });
  $("verify-choice").replaceChildren(...lines.map((line) => el("li", {}, line)));
  $("verify-compare").hidden = false;
  $("verify-fingerprint").textContent = t("verify.fingerprint", { manifest: checked.manifestHash, extended: checked.extendedBaseHash });
  $("verify-fingerprint").hidden = false;
}

/**
 * What went wrong, in the page's language: the check's errors are English sentences for
 * developers, so the page says by the error's kind what it means for the delegate, and keeps
 * the technical sentence on the console.
 */
const KINDS = ["ChallengeFailed", "InvalidPayload", "InvalidContext", "InvalidManifest", "InvalidElement"];

function failure(e) {
  if (e.message === t("verify.missing")) return e.message;
  console.warn("check failed:", e);
  return t(`verify.error.${KINDS.includes(e.name) ? e.name : "other"}`);
}

run().catch((e) => {
  $("verify-status").className = "error";
  $("verify-status").textContent = t("verify.failed", { message: failure(e) });
});
