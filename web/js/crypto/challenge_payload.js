/**
 * The challenge payload: everything a second device needs to check a challenged ballot
 * offline, without asking the server that served the first device's code.
 *
 * A full ballot (about 90 KB with its proofs) does not fit into a QR code, so the payload
 * carries what the ballot is a function of instead (docs/browser-crypto.md, "The
 * challenge payload"): the election context (K, the guardians' commitment hash and
 * the manifest hash), the manifest (so the names shown are the ones its hash commits to), the
 * ballot's id, style, timestamp and code seed, the revealed master nonce, the choice, and
 * the tracking code the delegate saw.  The checker encrypts the choice again from the
 * master nonce and must arrive at that tracking code: the code is H(code_seed, timestamp,
 * crypto_hash) and crypto_hash covers every ciphertext, so a device that encrypted
 * anything else cannot produce a payload that checks.
 *
 * Text form: the payload's JSON, UTF-8, compressed with raw DEFLATE (RFC 1951), in
 * base64url without padding.  In a link it is the fragment parameter `p`
 * (`/verify#p=...`), which browsers never send to a server.
 */

import { toHex } from "./group.js";

export const PAYLOAD_TYPE = "evote/challenge";
export const PAYLOAD_VERSION = 1;

/**
 * The context fields the check needs.  The rest of context.json is left out to keep the QR
 * small; the base hashes Q = H(p, q, g, n, k, manifest_hash) and Q̄ = H(Q, commitment_hash)
 * follow from these and are recomputed by every checker.
 */
export const CONTEXT_FIELDS = ["number_of_guardians", "quorum", "elgamal_public_key", "commitment_hash", "manifest_hash"];

/** Bounds on what a decoder accepts: a pasted text, and what it may inflate to. */
export const MAX_TEXT = 16_384;
export const MAX_JSON = 262_144;

const HEX = /^[0-9A-Fa-f]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class InvalidPayload extends Error {
  constructor(message) {
    super(message);
    this.name = "InvalidPayload";
  }
}

const hexText = (x) => (typeof x === "bigint" ? toHex(x) : x);

/**
 * The payload of a revealed ballot.
 * @param context  context.json of the vote (only CONTEXT_FIELDS are kept)
 * @param manifest  manifest.json of the vote, as the worker was given it
 * @param ballot  the encrypted ballot (object_id, style_id, timestamp, code_seed, code)
 * @param masterNonce  the revealed master nonce (hex or BigInt)
 * @param choices  { contest: { selection: 0 | 1 } }, as `reveal` reads them back
 */
export function challengePayload({ context, manifest, ballot, masterNonce, choices }) {
  const trimmed = Object.fromEntries(CONTEXT_FIELDS.map((k) => [k, context[k]]));
  const chosen = Object.fromEntries(
    Object.entries(choices).map(([contest, votes]) => [contest, Object.keys(votes).filter((id) => votes[id] === 1)]),
  );
  return {
    type: PAYLOAD_TYPE,
    version: PAYLOAD_VERSION,
    context: trimmed,
    manifest,
    ballot: {
      object_id: ballot.object_id,
      style_id: ballot.style_id,
      timestamp: ballot.timestamp,
      code_seed: hexText(ballot.code_seed),
      code: hexText(ballot.code),
    },
    master_nonce: hexText(masterNonce),
    choices: chosen,
  };
}

function toBase64Url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate, refusing more than MAX_JSON bytes of output (a small text could expand a lot). */
async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_JSON) {
      await reader.cancel();
      throw new InvalidPayload(`the payload inflates to more than ${MAX_JSON} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The payload as text: base64url(deflate-raw(UTF-8 JSON)). */
export async function encodePayload(payload) {
  return toBase64Url(await deflate(new TextEncoder().encode(JSON.stringify(payload))));
}

/**
 * The base64url text inside whatever was pasted or scanned: a link with `#p=...` (or
 * `?p=...`), `p=...`, or the text alone.  Whitespace and line breaks are ignored.
 */
export function payloadText(input) {
  if (typeof input !== "string") throw new InvalidPayload("expected the payload as text");
  const compact = input.replace(/\s+/g, "");
  if (compact.length > MAX_TEXT) throw new InvalidPayload(`the payload is longer than ${MAX_TEXT} characters`);
  const match = compact.match(/(?:^|[#?&])p=([^&#]*)/);
  const text = match ? match[1] : compact;
  if (!text || !BASE64URL.test(text)) throw new InvalidPayload("the payload is not base64url text (A-Z, a-z, 0-9, - and _)");
  return text;
}

function requireHex(value, where) {
  if (typeof value !== "string" || !HEX.test(value)) throw new InvalidPayload(`${where} must be a hex string`);
}

function requireString(value, where) {
  if (typeof value !== "string" || value === "") throw new InvalidPayload(`${where} must be a non-empty string`);
}

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

/** Check the payload's shape (not its cryptography: that is checkChallengePayload's job). */
export function validatePayload(payload) {
  if (!isObject(payload)) throw new InvalidPayload("the payload is not a JSON object");
  if (payload.type !== PAYLOAD_TYPE || payload.version !== PAYLOAD_VERSION) {
    throw new InvalidPayload(`expected ${PAYLOAD_TYPE} version ${PAYLOAD_VERSION}, got ${payload.type} version ${payload.version}`);
  }
  const { context, manifest, ballot, choices } = payload;
  if (!isObject(context)) throw new InvalidPayload("context must be an object");
  for (const k of CONTEXT_FIELDS.slice(2)) requireHex(context[k], `context.${k}`);
  if (!isObject(manifest)) throw new InvalidPayload("manifest must be an object");
  if (!isObject(ballot)) throw new InvalidPayload("ballot must be an object");
  requireString(ballot.object_id, "ballot.object_id");
  requireString(ballot.style_id, "ballot.style_id");
  if (!Number.isSafeInteger(ballot.timestamp) || ballot.timestamp < 0) throw new InvalidPayload("ballot.timestamp must be whole seconds");
  requireHex(ballot.code_seed, "ballot.code_seed");
  requireHex(ballot.code, "ballot.code");
  requireHex(payload.master_nonce, "master_nonce");
  if (!isObject(choices)) throw new InvalidPayload("choices must be an object");
  for (const [contest, chosen] of Object.entries(choices)) {
    if (!Array.isArray(chosen) || !chosen.every((id) => typeof id === "string")) {
      throw new InvalidPayload(`choices.${contest} must be a list of selection ids`);
    }
  }
  return payload;
}

/** Decode a pasted or scanned payload (see payloadText) and check its shape. */
export async function decodePayload(input) {
  const text = payloadText(input);
  let json;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(await inflate(fromBase64Url(text)));
  } catch (e) {
    if (e instanceof InvalidPayload) throw e;
    throw new InvalidPayload("the payload is not compressed JSON: was it copied completely?");
  }
  let payload;
  try {
    payload = JSON.parse(json);
  } catch {
    throw new InvalidPayload("the payload is not valid JSON");
  }
  return validatePayload(payload);
}
