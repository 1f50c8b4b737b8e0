/**
 * The ballot worker in a real browser: Debian's Chromium, driven by playwright-core.
 * The page starts web/js/worker.js through BallotClient, encrypts and challenges a
 * ballot; Node then checks the result as a second device would.  Skips when Chromium
 * or playwright-core is absent (`apt-get install chromium`, `npm ci --prefix web`).
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { WEB, sampleContextJson, sampleManifestJson } from "./helpers.js";
import { serveWeb } from "./serve.js";
import { checkChallengedBallot, checkChallengePayload } from "../js/crypto/challenge_check.js";
import { decodePayload } from "../js/crypto/challenge_payload.js";

const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";

function playwright() {
  try {
    return createRequire(path.join(WEB, "package.json"))("playwright-core");
  } catch {
    return null;
  }
}

const pw = playwright();
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !pw ? "playwright-core not installed (npm ci --prefix web)" : false;

const PAGE = `<!doctype html><meta charset="utf-8"><title>worker check</title>
<script type="module">
import { BallotClient } from "/js/ballot_client.js";
const json = (u) => fetch(u).then((r) => r.json());
async function run() {
  const [context, manifest] = await Promise.all([json("/test/vectors/sample_context.json"), json("/test/vectors/sample_manifest.json")]);
  const ballots = BallotClient.start();
  const ready = await ballots.init(context, manifest);
  const plaintext = { object_id: "chromium-1", style_id: "delegate", contests: [
    { object_id: "executive", ballot_selections: [{ object_id: "bob-sel", vote: 1 }, { object_id: "carol-sel", vote: 1 }] }] };
  await ballots.prepare("chromium-1", "delegate");
  const encrypted = await ballots.encrypt(plaintext);
  const revealed = await ballots.reveal("chromium-1");
  let refused = null;
  try { await ballots.cast("chromium-1"); } catch (e) { refused = e.name; }
  return { ready, encrypted, revealed, refused };
}
run().then((r) => (window.result = r), (e) => (window.result = { error: e.name + ": " + e.message }));
</script>`;

test("the worker encrypts and opens a ballot in headless Chromium", { skip, timeout: 120_000 }, async () => {
  const server = await serveWeb({ "/check.html": PAGE });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/check.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    const r = await page.evaluate(() => window.result);
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.ready.manifestHash, sampleContextJson().manifest_hash);
    assert.equal(r.encrypted.precomputed, true);
    assert.equal(r.encrypted.ballot.nonce, null);
    assert.equal(r.refused, "SessionError"); // spoiled by the challenge: cannot be cast
    assert.deepEqual(r.revealed.choices.executive, { "alice-sel": 0, "bob-sel": 1, "carol-sel": 1, "dave-sel": 0 });
    // What Chromium made is what a second device reconstructs from the revealed nonce.
    const checked = await checkChallengedBallot({
      context: sampleContextJson(),
      manifest: sampleManifestJson(),
      ballot: r.revealed.ballot,
      masterNonce: r.revealed.masterNonce,
    });
    assert.equal(checked.trackingCode, r.encrypted.trackingCode);
    // The payload Chromium's worker compressed is checked offline from itself alone.
    const offline = await checkChallengePayload(await decodePayload(r.revealed.checkPayload));
    assert.equal(offline.trackingCode, r.encrypted.trackingCode);
    assert.deepEqual(offline.choices.executive, r.revealed.choices.executive);
    assert.deepEqual({ ...r.revealed.ballot, nonce: null, contests: null }, { ...r.encrypted.ballot, contests: null });
  } finally {
    await browser.close();
    await server.close();
  }
});
