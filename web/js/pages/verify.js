/**
 * The second device's check of a challenged ballot (reached through the QR code).
 *
 * The link's fragment (#v=vote&c=tracking code&n=master nonce) never reaches a server.  The
 * page fetches the public copy of the spoiled ballot with the vote's context and manifest,
 * and `checkChallengedBallot` opens it with the nonce and re-encrypts the opened choice:
 * the result must be the ballot byte for byte.  The choice is shown for the delegate to
 * compare with what they chose on the first device.
 */

import { $, api, el, t } from "./common.js";
import { checkChallengedBallot } from "../crypto/challenge_check.js";

const ANSWERS = ["yes", "no", "abstain"];

/** Display names by selection id; yes/no/abstain in the page's language. */
function candidateNames(manifest) {
  const names = {};
  for (const c of manifest.candidates) names[c.object_id] = c.name?.text?.[0]?.value ?? c.object_id;
  const labels = {};
  for (const contest of manifest.contests) {
    for (const s of contest.ballot_selections) {
      const answer = s.object_id.split("-").pop();
      const name = ANSWERS.includes(answer) ? t(`vote.${answer}`) : names[s.candidate_id] ?? s.object_id;
      labels[s.object_id] = { contest: contest.name, name };
    }
  }
  return labels;
}

async function run() {
  const params = new URLSearchParams(location.hash.slice(1));
  const [vote, code, nonce] = [params.get("v"), params.get("c"), params.get("n")];
  if (!vote || !code || !nonce) throw new Error(t("verify.missing"));
  const data = await api("GET", `/api/votes/${encodeURIComponent(vote)}/challenged-ballots/${encodeURIComponent(code)}`);
  const { state: _state, ...ballot } = data.ballot; // the box state is the server's, not the encryption's
  const checked = await checkChallengedBallot({ context: data.context, manifest: data.manifest, ballot, masterNonce: nonce });
  const labels = candidateNames(data.manifest);
  const lines = [];
  for (const [contest, selections] of Object.entries(checked.choices)) {
    const marked = Object.entries(selections).filter(([, v]) => v === 1).map(([id]) => labels[id]?.name ?? id);
    const title = data.manifest.contests.find((c) => c.object_id === contest)?.name ?? contest;
    lines.push(`${title}: ${marked.length ? marked.join(", ") : t("vote.none_chosen")}`);
  }
  $("verify-status").className = "ok";
  $("verify-status").textContent = t("verify.ok", { code: checked.trackingCode });
  $("verify-choice").replaceChildren(...lines.map((line) => el("li", {}, line)));
  $("verify-compare").hidden = false;
}

run().catch((e) => {
  $("verify-status").className = "error";
  $("verify-status").textContent = t("verify.failed", { message: e.message });
});
