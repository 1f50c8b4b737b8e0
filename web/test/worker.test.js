/** The real worker.js, driven through messages as the delegate page drives it. */

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { WEB, sampleContextJson, sampleManifestJson } from "./helpers.js";

test("worker.js answers each request in order, errors included", async () => {
  const worker = new Worker(path.join(WEB, "test", "worker_shim.js"));
  const replies = [];
  const done = new Promise((resolve) => {
    worker.on("message", (m) => {
      replies.push(m);
      if (replies.length === 8) resolve();
    });
  });
  const plaintext = {
    object_id: "w-1",
    style_id: "delegate",
    contests: [{ object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-abstain-sel", vote: 1 }] }],
  };
  // Sent all at once: the worker must not run a later request before an earlier one ends.
  worker.postMessage({ type: "encrypt", id: 1, plaintext });
  worker.postMessage({ type: "init", id: 2, context: sampleContextJson(), manifest: sampleManifestJson() });
  worker.postMessage({ type: "prepare", id: 3, objectId: "w-1", styleId: "delegate" });
  worker.postMessage({ type: "encrypt", id: 4, plaintext });
  worker.postMessage({ type: "reveal", id: 5, objectId: "w-1" });
  worker.postMessage({ type: "cast", id: 6, objectId: "w-1" });
  worker.postMessage({ type: "tally", id: 7 });
  worker.postMessage({ type: "encrypt", id: 8, plaintext: { ...plaintext, object_id: "w-2", style_id: "nope" } });
  await done;
  await worker.terminate();

  assert.deepEqual(replies.map((r) => [r.id, r.type]), [
    [1, "error"], [2, "ready"], [3, "prepared"], [4, "encrypted"], [5, "revealed"], [6, "error"], [7, "error"], [8, "error"],
  ]);
  assert.equal(replies[0].error, "SessionError");
  assert.equal(replies[1].manifestHash, sampleContextJson().manifest_hash);
  assert.equal(replies[3].precomputed, true);
  assert.ok(!JSON.stringify(replies[3]).includes('"vote"'));
  assert.equal(replies[3].ballot.nonce, null);
  assert.equal(replies[4].choices["motion-1"]["motion-1-abstain-sel"], 1);
  assert.equal(replies[4].ballot.code, replies[3].trackingCode);
  assert.match(replies[5].message, /no encrypted ballot w-1/);
  assert.match(replies[6].message, /unknown request type "tally"/);
  assert.equal(replies[7].error, "InvalidManifest");
});

test("BallotClient turns the protocol into promises, rejecting with the worker's error class", async () => {
  const { BallotClient } = await import("../js/ballot_client.js");
  const thread = new Worker(path.join(WEB, "test", "worker_shim.js"));
  // Node's Worker speaks EventEmitter; give the client the browser's shape.
  const client = new BallotClient({
    postMessage: (m) => thread.postMessage(m),
    addEventListener: (type, listener) => thread.on(type, (data) => listener({ data })),
  });
  try {
    const ready = await client.init(sampleContextJson(), sampleManifestJson());
    assert.equal(ready.type, "ready");
    const plaintext = { object_id: "c-1", style_id: "delegate", contests: [] };
    const [prepared, encrypted] = await Promise.all([client.prepare("c-1", "delegate"), client.encrypt(plaintext, { timestamp: 42 })]);
    assert.equal(prepared.objectId, "c-1");
    assert.equal(encrypted.ballot.timestamp, 42);
    assert.equal(encrypted.precomputed, true);
    const forgotten = await client.cast("c-1");
    assert.equal(forgotten.type, "forgotten");
    await assert.rejects(client.reveal("c-1"), (e) => e.name === "SessionError" && /no encrypted ballot c-1/.test(e.message));
  } finally {
    await thread.terminate();
  }
});
