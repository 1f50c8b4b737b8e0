/**
 * The voting code from the credentials committee's letter, and the Ed25519 keys it gives,
 * exactly as credentials/src/evote_credentials (code.py, derivation.py) makes them
 * (docs/credentials.md; tests/vectors/credentials.json is the contract both must meet):
 *
 *   master = PBKDF2-HMAC-SHA256(20 code characters, "evote-credential-v1" ‖ 0x00 ‖ salt, iterations, 32 bytes)
 *   seed_j = HMAC-SHA256(master, "evote-credential-slot-v1" ‖ 0x00 ‖ u32(j))
 *   key_j  = the Ed25519 key pair of seed_j (RFC 8032)
 *
 * Slot 0 only checks a typed code; slot j signs the ballot of the event's j-th vote over
 *
 *   "evote-ballot-credential-v1" ‖ 0x00 ‖ u32(len(vote id)) ‖ vote id ‖ manifest hash (32) ‖ crypto_hash (32)
 *
 * Everything runs on WebCrypto (PBKDF2, HMAC, Ed25519) where the browser has it; a browser
 * without WebCrypto Ed25519 (older phones) signs with ./ed25519.js instead, which meets the same
 * vectors.  Used by the ballot worker only, so the code and every secret key stay in the
 * worker's memory.
 */

import * as ed25519 from "./ed25519.js";

const encoder = new TextEncoder();

export const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LENGTH = 20;
const IGNORED = new Set([" ", "-", "\t", "\n", "\r", "\u00a0", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014"]);
const KDF_NAME = "evote-credential-v1";
const KDF_TAG = encoder.encode("evote-credential-v1\0");
const SLOT_TAG = encoder.encode("evote-credential-slot-v1\0");
const BALLOT_TAG = encoder.encode("evote-ballot-credential-v1\0");
/** PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410): WebCrypto imports no raw private key. */
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** A typed code that cannot be a voting code; `reason` names why (for the page's texts). */
export class CodeError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = "CodeError";
    this.reason = reason; // "character" | "length" | "typo"
  }
}

/** The canonical code (upper case, dashes) of what was typed, or CodeError. As code.parse_code. */
export function parseCode(text) {
  const compact = [...String(text).toUpperCase()].filter((c) => !IGNORED.has(c)).join("");
  for (const c of compact) {
    if (!ALPHABET.includes(c)) throw new CodeError("character", `character ${JSON.stringify(c)} is not used in voting codes`);
  }
  if (compact.length !== LENGTH) throw new CodeError("length", `a voting code has ${LENGTH} characters, this one ${compact.length}`);
  let sum = 0;
  for (let i = 0; i < LENGTH; i++) sum += (i + 1) * ALPHABET.indexOf(compact[i]);
  if (sum % ALPHABET.length !== 0) throw new CodeError("typo", "the code has a typing mistake (its check character does not fit)");
  return compact.match(/.{5}/g).join("-");
}

export const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
export const bytesToHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const u32 = (n) => Uint8Array.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

/** The 32-byte master secret of a code under the event's derivation {name, iterations, salt}. */
export async function masterSecret(code, kdf, subtle = crypto.subtle) {
  if (kdf?.name !== KDF_NAME) throw new Error(`unknown key derivation ${JSON.stringify(kdf?.name)}`);
  if (!/^[0-9a-f]{32}$/.test(kdf.salt ?? "")) throw new Error("the event's salt is 16 bytes (32 hex digits)");
  if (!Number.isSafeInteger(kdf.iterations) || kdf.iterations < 1) throw new Error("at least one iteration");
  const password = encoder.encode(parseCode(code).replaceAll("-", ""));
  const base = await subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: concat(KDF_TAG, hexToBytes(kdf.salt)), iterations: kdf.iterations },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** seed_j: HMAC-SHA256 of the slot number under the master secret. */
export async function slotSeed(master, slot, subtle = crypto.subtle) {
  if (!Number.isInteger(slot) || slot < 0 || slot >= 2 ** 32) throw new Error("slot out of range");
  const key = await subtle.importKey("raw", master, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", key, concat(SLOT_TAG, u32(slot))));
}

/**
 * The slot's signing key (a non-extractable CryptoKey, or `{seed}` where WebCrypto has no
 * Ed25519) and its public key as 64 lower-case hex digits.  `webCryptoEd25519 = false` forces
 * the BigInt path (tests).
 */
export async function slotKey(master, slot, subtle = crypto.subtle, { webCryptoEd25519 = true } = {}) {
  const seed = await slotSeed(master, slot, subtle);
  if (!webCryptoEd25519 || !(await hasEd25519(subtle))) {
    const publicKey = await ed25519.publicKey(seed);
    return { signingKey: { seed, publicKey }, publicKey: bytesToHex(publicKey) };
  }
  const pkcs8 = concat(PKCS8_PREFIX, seed);
  // Imported once extractable only to read the public half ("x") from its JWK.
  const jwk = await subtle.exportKey("jwk", await subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]));
  const signingKey = await subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  seed.fill(0);
  pkcs8.fill(0);
  const x = atob(jwk.x.replaceAll("-", "+").replaceAll("_", "/"));
  return { signingKey, publicKey: bytesToHex(Uint8Array.from(x, (c) => c.charCodeAt(0))) };
}

/** What a slot key signs for one cast ballot; hashes as the ballot writes them (upper-case hex). */
export function ballotMessage(voteId, manifestHash, cryptoHash) {
  if (!voteId) throw new Error("the vote id is empty");
  const number = (hex, what) => {
    if (!/^[0-9A-Fa-f]{1,64}$/.test(hex ?? "")) throw new Error(`the ${what} must be a 256-bit number in hex`);
    return hexToBytes(hex.padStart(64, "0"));
  };
  const id = encoder.encode(voteId);
  return concat(BALLOT_TAG, u32(id.length), id, number(manifestHash, "manifest hash"), number(cryptoHash, "crypto_hash"));
}

/** The ballot's signature (128 lower-case hex digits) under a slot key. */
export async function signBallot(signingKey, voteId, manifestHash, cryptoHash, subtle = crypto.subtle) {
  const message = ballotMessage(voteId, manifestHash, cryptoHash);
  if (signingKey?.seed) return bytesToHex(await ed25519.sign(signingKey.seed, message, signingKey.publicKey));
  return bytesToHex(new Uint8Array(await subtle.sign({ name: "Ed25519" }, signingKey, message)));
}

let ed25519Support = null;
/** Whether this browser's WebCrypto signs Ed25519 (asked once, with a throw-away key). */
function hasEd25519(subtle) {
  ed25519Support ??= subtle
    .importKey("pkcs8", concat(PKCS8_PREFIX, new Uint8Array(32)), { name: "Ed25519" }, false, ["sign"])
    .then(() => true, () => false);
  return ed25519Support;
}
