/**
 * hash_elems, exactly as ElectionGuard 1.x and electionguard 1.4.0 compute it.
 *
 * SHA-256 over "|" and then, for each element, its text followed by "|"; the digest,
 * read big-endian, is reduced mod q.  One byte of difference breaks every proof
 * challenge and ballot hash, so the mapping from JavaScript values to text is fixed
 * here and nowhere else:
 *   - bigint: a group element, exponent or another object's hash → `toHex`
 *     (upper case, even length, no padding);
 *   - number (a safe integer): decimal, as Python's str(int);
 *   - boolean: "True" / "False", as Python's str(bool);
 *   - string: itself;
 *   - null, undefined, empty array: "null";
 *   - non-empty array: the hex of hash_elems over its items.
 * Hashing uses WebCrypto (crypto.subtle), present in browsers, workers and Node 20.
 */

import { Q } from "./constants.js";
import { toHex } from "./group.js";

const encoder = new TextEncoder();

async function elementText(x) {
  if (typeof x === "bigint") return toHex(x);
  if (typeof x === "string") return x;
  if (typeof x === "number") {
    if (!Number.isSafeInteger(x)) throw new TypeError(`cannot hash non-integer or unsafe number ${x}`);
    return String(x);
  }
  if (typeof x === "boolean") return x ? "True" : "False";
  if (x === null || x === undefined) return "null";
  if (Array.isArray(x)) return x.length === 0 ? "null" : toHex(await hashElems(...x));
  throw new TypeError(`hashElems cannot hash ${Object.prototype.toString.call(x)}`);
}

/** H(a, b, ...) in the spec; resolves to a BigInt in [0, q). */
export async function hashElems(...elements) {
  const texts = await Promise.all(elements.map(elementText));
  const bytes = encoder.encode("|" + texts.map((t) => t + "|").join(""));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let value = 0n;
  for (const b of digest) value = (value << 8n) | BigInt(b);
  return value % Q;
}
