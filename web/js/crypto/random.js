/**
 * The only source of randomness in the browser crypto: crypto.getRandomValues.
 *
 * Everything else takes its random numbers as arguments, so tests pass a seeded
 * byte source and reproduce a ballot bit for bit.
 */

import { qFromBytes } from "./group.js";

/** A byte source: (n) => Uint8Array of n random bytes. */
export const systemRandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** A master nonce, uniform in [1, q). */
export function randomNonce(randomBytes = systemRandomBytes) {
  for (;;) {
    const x = qFromBytes(randomBytes(64));
    if (x !== 0n) return x;
  }
}
