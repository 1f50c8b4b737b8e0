/**
 * The ballot worker: a module Web Worker that owns the election's fixed-base tables
 * and every secret of the ballots it encrypts.
 *
 * Start it with `new Worker("/js/worker.js", { type: "module" })`.  Protocol (each
 * request may carry an `id`, echoed in its reply):
 *   {type: "init", context, manifest}     → {type: "ready", manifestHash, tablesMs}
 *   {type: "prepare", objectId, styleId}  → {type: "prepared", objectId, powersCached, prepareMs}
 *                                           (optional: precomputes the ballot's powers ahead of the click)
 *   {type: "encrypt", plaintext, timestamp?, codeSeed?}
 *                                         → {type: "encrypted", objectId, trackingCode, ballot, encryptMs, precomputed}
 *   {type: "reveal", objectId}            → {type: "revealed", objectId, masterNonce, selectionNonces, choices, ballot, spoiled}
 *   {type: "cast", objectId}              → {type: "forgotten", objectId}
 *   {type: "credential", code, kdf}      → {type: "credential", status: "derived" | "typo", reason?}
 *   {type: "checkCredential", roll, nextSlot} → {type: "credential", status: "ok" | "unknown" | "revoked"}
 *                                           (the voting code: kept here if its check key is on the roll, never sent)
 *   {type: "forgetCredential"}            → {type: "forgotten"}
 * "prepare" and "encrypt" take `credentialSlot` when the vote needs a signed ballot; "encrypted"
 * then carries `credential: {key, signature}` (public key and Ed25519 signature, no secret).
 *   any failure                           → {type: "error", error: <class name>, message}
 * `ballot` in "encrypted" has no nonces: it is what the page sends to the server.
 * See docs/browser-crypto.md.
 */

import { BallotSession } from "./ballot_session.js";

const session = new BallotSession();
const handlers = {
  init: ["ready", (m) => session.init(m)],
  prepare: ["prepared", (m) => session.prepare(m)],
  encrypt: ["encrypted", (m) => session.encrypt(m)],
  reveal: ["revealed", (m) => session.reveal(m)],
  cast: ["forgotten", (m) => session.cast(m)],
  credential: ["credential", (m) => session.credential(m)],
  checkCredential: ["credential", (m) => session.checkCredential(m)],
  forgetCredential: ["forgotten", () => session.forgetCredential()],
};

// Requests run one at a time, in order: a reveal can never overtake its encrypt.
let queue = Promise.resolve();

self.addEventListener("message", (event) => {
  const message = event.data || {};
  queue = queue.then(async () => {
    const handler = handlers[message.type];
    try {
      if (!handler) throw new Error(`unknown request type ${JSON.stringify(message.type)}`);
      const result = await handler[1](message);
      self.postMessage({ type: handler[0], id: message.id, ...result });
    } catch (error) {
      self.postMessage({ type: "error", id: message.id, error: error.name || "Error", message: error.message });
    }
  });
});
