/** The browser's voting-code derivation against the committee tool's vectors (tests/vectors/credentials.json). */

import { test } from "node:test";
import assert from "node:assert/strict";
import { CodeError, ballotMessage, bytesToHex, masterSecret, parseCode, signBallot, slotKey, slotSeed } from "../js/crypto/credential.js";
import { sharedVector } from "./helpers.js";

const vectors = sharedVector("credentials.json");

test("codes parse as the committee's tool parses them", () => {
  for (const c of vectors.cases) assert.equal(parseCode(c.typed), c.code, c.style);
  for (const bad of vectors.invalid) {
    assert.throws(() => parseCode(bad.typed), (e) => e instanceof CodeError, bad.typed);
  }
  assert.equal(parseCode("RMZTW-BCNTH-P6ZPM-8B78T").length, 23);
  // every single changed character and every swap of neighbours is caught by the check character
  const code = vectors.cases[0].code.replaceAll("-", "");
  for (let i = 0; i + 1 < code.length; i++) {
    if (code[i] === code[i + 1]) continue;
    const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
    assert.throws(() => parseCode(swapped), (e) => e.reason === "typo");
  }
});

test("master secret, slot seeds and public keys equal the Python ones byte for byte", async () => {
  for (const c of vectors.cases) {
    const master = await masterSecret(c.typed, vectors.kdf);
    assert.equal(bytesToHex(master), c.master, c.style);
    for (const [slot, want] of Object.entries(c.slots)) {
      assert.equal(bytesToHex(await slotSeed(master, Number(slot))), want.seed);
      assert.equal((await slotKey(master, Number(slot))).publicKey, want.public_key, `${c.style} slot ${slot}`);
    }
  }
});

test("the ballot signature is the one the server and V23 check", async () => {
  const v = vectors.ballot_signature;
  assert.equal(bytesToHex(ballotMessage(v.vote_id, v.manifest_hash, v.crypto_hash)), v.message);
  const master = await masterSecret(v.code, vectors.kdf);
  const { signingKey, publicKey } = await slotKey(master, v.slot);
  assert.equal(publicKey, v.public_key);
  // Ed25519 is deterministic: the same key and message give the same signature
  assert.equal(await signBallot(signingKey, v.vote_id, v.manifest_hash, v.crypto_hash), v.signature);
  // a short hash (leading zero byte dropped by toHex) is padded back to 32 bytes
  assert.deepEqual(ballotMessage("v", "ff", "1"), ballotMessage("v", "00".repeat(31) + "ff", "0".repeat(63) + "1"));
});

test("a derivation the browser does not know is refused", async () => {
  await assert.rejects(masterSecret(vectors.cases[0].code, { ...vectors.kdf, name: "other" }));
  await assert.rejects(masterSecret(vectors.cases[0].code, { ...vectors.kdf, salt: "00" }));
});

test("the ballot session keeps a code on the roll and signs cast ballots with the vote's slot key", async () => {
  const { BallotSession, SessionError } = await import("../js/ballot_session.js");
  const { sampleContextJson, sampleManifestJson } = await import("./helpers.js");
  const c = vectors.cases[0];
  const session = new BallotSession();
  await session.init({ context: sampleContextJson(), manifest: sampleManifestJson() });
  const plaintext = (id) => ({ object_id: id, style_id: "delegate", contests: [] });
  await assert.rejects(session.encrypt({ plaintext: plaintext("b-0"), credentialSlot: 1 }), SessionError);
  const roll = { eligible: [c.slots["0"].public_key], revoked: [] };
  const check = async (code, r) => {
    const derived = await session.credential({ code, kdf: vectors.kdf });
    return derived.status === "derived" ? session.checkCredential({ roll: r }) : derived;
  };
  assert.deepEqual(await check(vectors.cases[1].code, roll), { status: "unknown" });
  assert.deepEqual(await check("RMZTW-BCNTH-P6ZPM-8B782", roll), { status: "typo", reason: "typo" });
  assert.deepEqual(await check("RMZTW", roll), { status: "typo", reason: "length" });
  assert.deepEqual(await check(c.code, { eligible: [], revoked: roll.eligible }), { status: "revoked" });
  assert.equal(session.votingCode, null, "a code that is not on the roll is not kept");
  await assert.rejects(session.checkCredential({ roll }), SessionError);
  assert.deepEqual(await check(c.typed, roll), { status: "ok" });

  await session.prepare({ objectId: "b-1", styleId: "delegate", credentialSlot: 2 });
  const encrypted = await session.encrypt({ plaintext: plaintext("b-1"), credentialSlot: 2 });
  assert.equal(encrypted.credential.key, c.slots["2"].public_key);
  const key = await crypto.subtle.importKey("raw", Buffer.from(encrypted.credential.key, "hex"), { name: "Ed25519" }, false, ["verify"]);
  const message = ballotMessage(sampleManifestJson().election_scope_id, sampleContextJson().manifest_hash, encrypted.ballot.crypto_hash);
  assert.ok(await crypto.subtle.verify({ name: "Ed25519" }, key, Buffer.from(encrypted.credential.signature, "hex"), message));
  assert.ok(!JSON.stringify(encrypted).includes(c.code.slice(0, 5)), "nothing of the code leaves the worker");
  const unsigned = await session.encrypt({ plaintext: plaintext("b-2") });
  assert.equal(unsigned.credential, null);
  session.forgetCredential();
  await assert.rejects(session.encrypt({ plaintext: plaintext("b-3"), credentialSlot: 2 }), SessionError);
});

test("without WebCrypto Ed25519 the BigInt signer gives the same keys and signatures", async () => {
  const ed = await import("../js/crypto/ed25519.js");
  // RFC 8032, section 7.1, tests 1 and 2
  const rfc = [
    ["9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"],
    ["4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"],
  ];
  for (const [seed, message, publicKey, signature] of rfc) {
    assert.equal(bytesToHex(await ed.publicKey(Buffer.from(seed, "hex"))), publicKey);
    assert.equal(bytesToHex(await ed.sign(Buffer.from(seed, "hex"), Buffer.from(message, "hex"))), signature);
  }
  for (const c of vectors.cases) {
    const master = await masterSecret(c.code, vectors.kdf);
    for (const [slot, want] of Object.entries(c.slots)) {
      const key = await slotKey(master, Number(slot), crypto.subtle, { webCryptoEd25519: false });
      assert.ok(key.signingKey.seed, "the BigInt path was taken");
      assert.equal(key.publicKey, want.public_key);
    }
  }
  const v = vectors.ballot_signature;
  const key = await slotKey(await masterSecret(v.code, vectors.kdf), v.slot, crypto.subtle, { webCryptoEd25519: false });
  assert.equal(await signBallot(key.signingKey, v.vote_id, v.manifest_hash, v.crypto_hash), v.signature);
});
