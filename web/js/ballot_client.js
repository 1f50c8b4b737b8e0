/**
 * The page's side of the ballot worker: each request is a promise.
 *
 *   const ballots = BallotClient.start();                 // new Worker("/js/worker.js")
 *   await ballots.init(context, manifest);                // tables built (≈0.3 s)
 *   ballots.prepare(ballotId, "delegate");                // while the delegate reads
 *   const { ballot, trackingCode } = await ballots.encrypt(plaintext, { timestamp, codeSeed });
 *   // POST ballot → server; then either
 *   await ballots.cast(ballotId);                         // forget the nonces, or
 *   const { choices, masterNonce } = await ballots.reveal(ballotId);   // challenge: spoiled
 *
 * A failed request rejects with an Error whose `name` is the worker's error class.
 * This module is loaded by the page itself, so it stays tiny and imports nothing.
 */

export class BallotClient {
  /** @param worker  anything with postMessage and addEventListener("message", ...) */
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.waiting = new Map();
    worker.addEventListener("message", (event) => this.settle(event.data || {}));
  }

  static start(url = "/js/worker.js") {
    return new BallotClient(new Worker(url, { type: "module" }));
  }

  request(type, fields) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type, id, ...fields });
    });
  }

  settle(reply) {
    const pending = this.waiting.get(reply.id);
    if (!pending) return;
    this.waiting.delete(reply.id);
    if (reply.type === "error") {
      const error = new Error(reply.message);
      error.name = reply.error;
      pending.reject(error);
    } else {
      pending.resolve(reply);
    }
  }

  init(context, manifest) {
    return this.request("init", { context, manifest });
  }

  prepare(objectId, styleId, { credentialSlot } = {}) {
    return this.request("prepare", { objectId, styleId, credentialSlot });
  }

  encrypt(plaintext, { timestamp, codeSeed, credentialSlot } = {}) {
    return this.request("encrypt", { plaintext, timestamp, codeSeed, credentialSlot });
  }

  /** Hand the typed voting code to the worker, which derives its keys ... */
  credential(code, kdf) {
    return this.request("credential", { code, kdf });
  }

  /** ... and keeps them only if the code's check key is on `roll` ({eligible, revoked}). */
  checkCredential(roll, nextSlot) {
    return this.request("checkCredential", { roll, nextSlot });
  }

  forgetCredential() {
    return this.request("forgetCredential", {});
  }

  reveal(objectId) {
    return this.request("reveal", { objectId });
  }

  cast(objectId) {
    return this.request("cast", { objectId });
  }
}
