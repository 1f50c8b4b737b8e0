/**
 * A contest's `extended_data`: the package's ContestData (under-/null-vote marker,
 * no write-ins) in electionguard 1.4.0's hashed ElGamal, so guardians can read it and
 * the JSON has the same fields as a ballot the package encrypted.
 *
 * Format, as the package does it:
 *   message  = 2-byte big-endian pad length ‖ JSON ‖ zero bytes, 512 bytes in all;
 *   session  = H(g^n, K^n); key bytes are the hex bytes of session and of Q̄;
 *   block i  = message[32i, 32i+32) XOR HMAC(session, LE32(i+1) ‖ Q̄ ‖ LE32(4096));
 *   mac key  = HMAC(session, LE32(0) ‖ Q̄ ‖ LE32(4096)); mac = HMAC(mac key, g^n bytes ‖ data).
 * Byte strings are written as the package writes them: upper-case hex of the number
 * they spell (so leading zero bytes vanish).
 */

import { toHex } from "./group.js";
import { hashElems } from "./hash.js";

const MESSAGE_BYTES = 512;
const BLOCK_BYTES = 32;
const encoder = new TextEncoder();

/** The ContestData text Python's json.dumps writes: ", " and ": " separators. */
export function contestDataJson(error) {
  return `{"error": ${error === null ? "null" : JSON.stringify(error)}, "error_data": null, "write_ins": null}`;
}

export function paddedMessage(text) {
  const body = encoder.encode(text);
  const padding = MESSAGE_BYTES - 2 - body.length;
  if (padding < 0) throw new RangeError("contest data does not fit in 512 bytes");
  const out = new Uint8Array(MESSAGE_BYTES);
  out[0] = padding >> 8;
  out[1] = padding & 0xff;
  out.set(body, 2);
  return out;
}

/** bytes.fromhex of the package's hex text (even length, so always whole bytes). */
function hexBytes(x) {
  const hex = toHex(x);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesHex(bytes) {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return toHex(x);
}

function le32(n) {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function hmac(keyBytes, message) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

/** Hashed ElGamal of `message` (512 bytes) under nonce n; resolves to the JSON object. */
export async function encryptContestData(message, nonce, qBar, powers) {
  const pad = powers.g(nonce);
  const session = hexBytes(await hashElems(pad, powers.k(nonce)));
  const seed = hexBytes(qBar);
  const bitLength = le32(message.length * 8);
  const blocks = [];
  for (let i = 0; i < message.length / BLOCK_BYTES; i++) {
    blocks.push(hmac(session, concat(le32(i + 1), seed, bitLength)));
  }
  const keys = await Promise.all(blocks);
  const data = new Uint8Array(message.length);
  keys.forEach((k, i) => {
    for (let j = 0; j < BLOCK_BYTES; j++) data[i * BLOCK_BYTES + j] = message[i * BLOCK_BYTES + j] ^ k[j];
  });
  const macKey = await hmac(session, concat(le32(0), seed, bitLength));
  const mac = await hmac(macKey, concat(hexBytes(pad), data));
  return { pad, data: bytesHex(data), mac: bytesHex(mac) };
}
