/**
 * The challenge-payload vector: a ballot encrypted and challenged through BallotSession (the
 * worker's code), with fixed random bytes and clock, so its payload is the same every run.
 *
 *   node web/test/challenge_vector.js > web/test/vectors/challenge_payload.txt
 *
 * The Python verifier's tests check `evote-verify challenge` against that file, and
 * challenge_payload.test.js that the worker still produces the same payload.
 */

import { fileURLToPath } from "node:url";
import { BallotSession } from "../js/ballot_session.js";
import { sampleContextJson, sampleManifestJson, seededBytes } from "./helpers.js";

export const VECTOR_BALLOT_ID = "ballot-5f0c9e2a-7d41-4b8e-9a36-1c2d3e4f5a6b";

export async function challengeVector() {
  const session = new BallotSession({ randomBytes: seededBytes("challenge vector"), now: () => 1_795_607_030_000 });
  await session.init({ context: sampleContextJson(), manifest: sampleManifestJson() });
  const plaintext = {
    object_id: VECTOR_BALLOT_ID,
    style_id: "delegate",
    contests: [
      { object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-yes-sel", vote: 1 }] },
      { object_id: "executive", ballot_selections: [{ object_id: "alice-sel", vote: 1 }, { object_id: "carol-sel", vote: 1 }] },
    ],
  };
  await session.prepare({ objectId: VECTOR_BALLOT_ID, styleId: "delegate" });
  const encrypted = await session.encrypt({ plaintext, timestamp: 1_795_610_400, codeSeed: "3A5C0B7E9D1F2468ACE013579BDF02468ACE13579BDF0246" });
  const revealed = await session.reveal({ objectId: VECTOR_BALLOT_ID });
  return { encrypted, revealed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { revealed } = await challengeVector();
  process.stdout.write(`${revealed.checkPayload}\n`);
}
