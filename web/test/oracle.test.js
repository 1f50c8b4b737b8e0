/**
 * Cross-checks with Microsoft's electionguard 1.4.0 (the conformance venv, .oracle):
 * a ballot encrypted by the JS with a random master nonce must pass the package's
 * `is_valid_encryption`, equal the package's own encryption from that nonce, and
 * carry extended data the package decrypts.  Skips when the venv is absent.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BallotSession } from "../js/ballot_session.js";
import { ORACLE_PYTHON, WEB, knownKey, sampleContextJson, sampleManifestJson, runPython } from "./helpers.js";

const CHECK = path.join(WEB, "test", "oracle_check.py");
const skip = fs.existsSync(ORACLE_PYTHON) ? false : `no conformance venv at ${ORACLE_PYTHON}`;

function tempJson(dir, name, value) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

async function jsBallot(context, id, contests) {
  const session = new BallotSession();
  await session.init({ context, manifest: sampleManifestJson() });
  await session.encrypt({ plaintext: { object_id: id, style_id: "delegate", contests } });
  return session.reveal({ objectId: id }); // the ballot with its nonces, as a challenge reveals it
}

test("a JS ballot passes electionguard 1.4.0 and equals the package's encryption", { skip }, async () => {
  const { context, secret_key: secretKey } = knownKey();
  const revealed = await jsBallot(context, "oracle-1", [
    { object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-yes-sel", vote: 1 }] },
    { object_id: "executive", ballot_selections: [{ object_id: "carol-sel", vote: 1 }] },
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evote-oracle-"));
  try {
    const args = [
      CHECK,
      tempJson(dir, "ballot.json", revealed.ballot),
      tempJson(dir, "context.json", context),
      tempJson(dir, "manifest.json", sampleManifestJson()),
      "--master-nonce",
      revealed.masterNonce,
      "--secret-key",
      secretKey,
    ];
    const run = runPython(ORACLE_PYTHON, args);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const result = JSON.parse(run.stdout.trim().split("\n").pop());
    assert.equal(result.valid, true);
    assert.equal(result.same_as_package, true);
    assert.deepEqual(result.contest_data.map((d) => JSON.parse(d).error), [null, "undervote"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the package refuses a JS ballot whose proof was altered (the check can fail)", { skip }, async () => {
  const context = sampleContextJson();
  const revealed = await jsBallot(context, "oracle-2", []);
  const ballot = structuredClone(revealed.ballot);
  const proof = ballot.contests[0].ballot_selections[1].proof;
  proof.proof_zero_response = proof.proof_one_response;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evote-oracle-"));
  try {
    const run = runPython(ORACLE_PYTHON, [
      CHECK,
      tempJson(dir, "ballot.json", ballot),
      tempJson(dir, "context.json", context),
      tempJson(dir, "manifest.json", sampleManifestJson()),
    ]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.equal(JSON.parse(run.stdout.trim().split("\n").pop()).valid, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
