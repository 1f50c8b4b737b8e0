/**
 * Cross-check with evote's server core: a ballot from the browser worker must pass
 * evote.crypto.validate.validate_ballot (what the API runs on every submission), and
 * an altered one must be refused.  Skips when the venv or the validator is absent.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BallotSession } from "../js/ballot_session.js";
import { EVOTE_PYTHON, WEB, sampleContextJson, sampleManifestJson, runPython } from "./helpers.js";

const CHECK = path.join(WEB, "test", "evote_check.py");

function check(t, ballot) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evote-check-"));
  try {
    const files = [["ballot.json", ballot], ["context.json", sampleContextJson()], ["manifest.json", sampleManifestJson()]].map(
      ([name, value]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, JSON.stringify(value));
        return file;
      },
    );
    const run = runPython(EVOTE_PYTHON, [CHECK, ...files]);
    if (run === null) return t.skip(`no project venv at ${EVOTE_PYTHON}`);
    if (run.status === 3) return t.skip(run.stdout.trim());
    return run;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function submitted() {
  const session = new BallotSession();
  await session.init({ context: sampleContextJson(), manifest: sampleManifestJson() });
  const reply = await session.encrypt({
    plaintext: {
      object_id: "evote-1",
      style_id: "delegate",
      contests: [{ object_id: "executive", ballot_selections: [{ object_id: "bob-sel", vote: 1 }, { object_id: "dave-sel", vote: 1 }] }],
    },
  });
  return reply.ballot;
}

test("evote.crypto accepts the ballot the browser worker submits", async (t) => {
  const run = check(t, await submitted());
  if (!run) return;
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal(run.stdout.trim(), "valid");
});

test("evote.crypto refuses it once a proof is altered", async (t) => {
  const ballot = await submitted();
  const proof = ballot.contests[1].ballot_selections[2].proof;
  [proof.proof_zero_challenge, proof.proof_one_challenge] = [proof.proof_one_challenge, proof.proof_zero_challenge];
  const run = check(t, ballot);
  if (!run) return;
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^InvalidProof/);
});
