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
  async prepare({ objectId, styleId }) {
    if (!this.election) throw new SessionError("the worker has no election yet: send init first");
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
   */
  async encrypt({ plaintext, timestamp, codeSeed }) {
    if (!this.election) throw new SessionError("the worker has no election yet: send init first");
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
    return {
      objectId,
      trackingCode: toHex(ballot.code),
      ballot: wire(withoutNonces(ballot)),
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
