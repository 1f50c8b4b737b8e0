/**
 * What the ballot worker does, without the worker: one election's tables, the ballots it
 * encrypted and the nonces it keeps for a possible challenge.
 *
 * Kept apart from worker.js so Node tests drive the same state machine the browser runs.
 * The plaintext choice and the nonces stay in here: `encrypt` hands out only the
 * ballot as it is submitted (no nonces) and its tracking code; `reveal` hands out the
 * nonces and the choice read back from them, and spoils that ballot for good; `cast`
 * forgets them.  Randomness (crypto.getRandomValues) and the clock come in as arguments.
 */

import { elementModQ, toHex } from "./crypto/group.js";
import { loadContext } from "./crypto/context.js";
import { loadManifest } from "./crypto/manifest.js";
import { tablePowers, cachedPowers } from "./crypto/powers.js";
import { encryptBallot, withoutNonces, ballotToJson } from "./crypto/ballot.js";
import { openChallengedBallot } from "./crypto/challenge.js";
import { randomNonce, systemRandomBytes } from "./crypto/random.js";
import { challengePayload, encodePayload } from "./crypto/challenge_payload.js";
import { CodeError, masterSecret, signBallot, slotKey } from "./crypto/credential.js";

export class SessionError extends Error {
  constructor(message) {
    super(message);
    this.name = "SessionError";
  }
}

/** The ballot's JSON value with hex strings, as it goes over the wire. */
const wire = (ballot) => JSON.parse(ballotToJson(ballot));

export class BallotSession {
  constructor({ randomBytes = systemRandomBytes, now = () => Date.now() } = {}) {
    this.randomBytes = randomBytes;
    this.now = now;
    this.election = null;
    this.powers = null;
    this.pending = new Map(); // object_id → encrypted ballot with nonces, until cast or revealed
    this.prepared = new Map(); // object_id → { styleId, masterNonce, powers } computed ahead of the click
    this.used = new Set(); // object_ids encrypted in this session: never encrypted twice
    this.candidate = null; // a derived code not yet found on the roll
    this.votingCode = null; // { master, keys: Map slot → {signingKey, publicKey} }: the voting code's secret, here only
  }

  /**
   * Take the voting code typed from the committee's letter (docs/credentials.md) and derive
   * its master secret under the event's derivation `kdf` (≈ 0.2-1 s: PBKDF2).  A typing
   * mistake is answered at once ({status: "typo", reason}).  The secret is held back until
   * `checkCredential` finds its check key on the roll.  The code never leaves the worker.
   */
  async credential({ code, kdf }) {
    this.forgetCredential();
    try {
      this.candidate = await masterSecret(code, kdf);
    } catch (error) {
      if (error instanceof CodeError) return { status: "typo", reason: error.reason };
      throw error;
    }
    return { status: "derived" };
  }

  /**
   * Check the derived code's slot-0 key against the committee's anonymous check roll
   * `{eligible, revoked}` the page read from the server; keep the code only if it is on it.
   * The answer names no key and no secret.
   */
  async checkCredential({ roll, nextSlot }) {
    const master = this.candidate;
    this.candidate = null;
    if (!master) throw new SessionError("no voting code to check: send credential first");
    const { publicKey } = await slotKey(master, 0);
    const status = (roll?.eligible ?? []).includes(publicKey) ? "ok" : (roll?.revoked ?? []).includes(publicKey) ? "revoked" : "unknown";
    if (status === "ok") {
      this.votingCode = { master, keys: new Map() };
      // the next votes' keys, derived now so that no vote's opening waits for them
      if (Number.isInteger(nextSlot) && nextSlot > 0) for (let j = nextSlot; j < nextSlot + 3; j++) this.slotKey(j).catch(() => {});
    } else master.fill(0);
    return { status };
  }

  /** Forget the voting code (wrong account, logout). */
  forgetCredential() {
    this.votingCode?.master.fill(0);
    this.candidate?.fill(0);
    this.votingCode = null;
    this.candidate = null;
    return { forgotten: true };
  }

  /**
   * The signing key of vote slot `slot`, derived once (a few WebCrypto calls) and kept with the
   * code.  Kept as a promise, so a derivation started ahead (after the check, after a cast) is
   * the one a vote's opening awaits, never a second one.
   */
  slotKey(slot) {
    if (!this.votingCode) return Promise.reject(new SessionError("this vote needs your voting code first"));
    const keys = this.votingCode.keys;
    if (!keys.has(slot)) keys.set(slot, slotKey(this.votingCode.master, slot));
    return keys.get(slot);
  }

  /** Check the context, load the manifest against it and build the fixed-base tables. */
  async init({ context, manifest, windowBits }) {
    const started = this.now();
    if (!context || typeof context !== "object") throw new SessionError("init needs the election context");
    const { publicKey, qBar } = await loadContext(context);
    const loaded = await loadManifest(manifest, context.manifest_hash);
    this.powers = tablePowers(publicKey, windowBits);
    this.election = { manifest: loaded, qBar };
    this.published = { context, manifest }; // as given: the challenge payload carries them
    this.pending.clear();
    this.prepared.clear();
    return { manifestHash: toHex(loaded.manifestHash), tablesMs: this.now() - started };
  }

  /**
   * Precompute every exponentiation of ballot `objectId` while the delegate reads the
   * form: its master nonce is drawn now and a blank ballot is encrypted through a
   * caching wrapper (see powers.cachedPowers).  Optional; `encrypt` uses it when present.
   */
  async prepare({ objectId, styleId, credentialSlot }) {
    if (!this.election) throw new SessionError("the worker has no election yet: send init first");
    if (Number.isInteger(credentialSlot) && this.votingCode) {
      await this.slotKey(credentialSlot);
      this.slotKey(credentialSlot + 1).catch(() => {}); // the next vote's, ahead
    }
    if (this.used.has(objectId)) throw new SessionError(`ballot ${objectId} was already encrypted; use a new ballot id`);
    const started = this.now();
    const masterNonce = randomNonce(this.randomBytes);
    const powers = cachedPowers(this.powers);
    await encryptBallot({
      election: this.election,
      plaintext: { object_id: objectId, style_id: styleId, contests: [] },
      masterNonce,
      timestamp: 0,
      powers,
    });
    this.prepared.get(objectId)?.powers.clear();
    this.prepared.set(objectId, { styleId, masterNonce, powers });
    return { objectId, powersCached: powers.size(), prepareMs: this.now() - started };
  }

  /**
   * Encrypt a plaintext ballot (object_id, style_id, contests[].ballot_selections[]).
   * `timestamp` (seconds) and `codeSeed` (hex: previous tracking code or device hash)
   * may come from the server; otherwise the clock and the manifest hash are used.
   * `credentialSlot` (the vote's slot, when the event has a credentials committee): the
   * ballot is also signed with the voting code's key for that slot, over the vote id, the
   * manifest hash and its crypto_hash; the reply carries `credential: {key, signature}`.
   */
  async encrypt({ plaintext, timestamp, codeSeed, credentialSlot }) {
    if (!this.election) throw new SessionError("the worker has no election yet: send init first");
    const signer = Number.isInteger(credentialSlot) ? await this.slotKey(credentialSlot) : null;
    const objectId = plaintext && plaintext.object_id;
    if (this.used.has(objectId)) throw new SessionError(`ballot ${objectId} was already encrypted; use a new ballot id`);
    const started = this.now();
    const ready = this.prepared.get(objectId);
    const usable = Boolean(ready && plaintext && ready.styleId === plaintext.style_id);
    let ballot;
    try {
      ballot = await encryptBallot({
        election: this.election,
        plaintext,
        masterNonce: usable ? ready.masterNonce : randomNonce(this.randomBytes),
        timestamp: timestamp ?? Math.floor(this.now() / 1000),
        codeSeed: codeSeed === undefined || codeSeed === null ? undefined : elementModQ(codeSeed, "code seed"),
        powers: usable ? ready.powers : this.powers,
      });
    } finally {
      // A prepared master nonce serves one encryption attempt at most, and K^r goes with it.
      if (ready) ready.powers.clear();
      this.prepared.delete(objectId);
    }
    this.used.add(objectId);
    this.pending.set(objectId, ballot);
    const credential = signer && {
      key: signer.publicKey,
      signature: await signBallot(signer.signingKey, this.published.manifest.election_scope_id,
        toHex(this.election.manifest.manifestHash), toHex(ballot.crypto_hash)),
    };
    if (signer) this.slotKey(credentialSlot + 1).catch(() => {}); // the next vote's, ahead
    return {
      objectId,
      trackingCode: toHex(ballot.code),
      ballot: wire(withoutNonces(ballot)),
      credential,
      encryptMs: this.now() - started,
      precomputed: usable,
    };
  }

  /**
   * Benaloh challenge: the nonces and the choice they open to; the ballot is spoiled.
   * `checkPayload` is the text a second device checks offline (challenge_payload.js).
   */
  async reveal({ objectId }) {
    const ballot = this.takePending(objectId);
    const opened = await openChallengedBallot({
      election: this.election,
      ballot,
      masterNonce: ballot.nonce,
      powers: this.powers,
    });
    const checkPayload = await encodePayload(
      challengePayload({ ...this.published, ballot: wire(ballot), masterNonce: ballot.nonce, choices: opened.contests }),
    );
    const selectionNonces = {};
    for (const c of ballot.contests) {
      selectionNonces[c.object_id] = Object.fromEntries(c.ballot_selections.map((s) => [s.object_id, toHex(s.nonce)]));
    }
    return {
      objectId,
      spoiled: true,
      masterNonce: toHex(ballot.nonce),
      selectionNonces,
      choices: opened.contests,
      ballot: wire(ballot),
      checkPayload,
    };
  }

  /** The ballot was cast: forget its nonces, so nothing can open it any more. */
  cast({ objectId }) {
    this.takePending(objectId);
    return { objectId, forgotten: true };
  }

  takePending(objectId) {
    const ballot = this.pending.get(objectId);
    if (!ballot) throw new SessionError(`no encrypted ballot ${objectId} waiting to be cast or challenged`);
    this.pending.delete(objectId);
    return ballot;
  }
}
