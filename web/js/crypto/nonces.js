/**
 * The Nonces sequence of electionguard 1.4.0: an endless, indexable stream of
 * exponents derived from one seed by hashing.
 *
 * Every nonce on a ballot comes out of such a sequence, seeded from the ballot's
 * master nonce.  So revealing the master nonce (a Benaloh challenge) lets anyone
 * re-derive every selection nonce and open the ballot, and nothing random has to be
 * stored besides that one number.
 *   seed' = H(seed, headers...) if headers are given, else seed;
 *   nonce[i] = H(seed', i, extra headers...).
 */

import { hashElems } from "./hash.js";

export class Nonces {
  /** Use `Nonces.create`; the constructor takes the already-mixed seed. */
  constructor(mixedSeed) {
    this.seed = mixedSeed;
  }

  static async create(seed, ...headers) {
    return new Nonces(headers.length > 0 ? await hashElems(seed, ...headers) : seed);
  }

  /** nonce[index], optionally bound to extra string headers. */
  get(index, ...headers) {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError("nonce index must be a non-negative integer");
    return hashElems(this.seed, index, ...headers);
  }

  /** nonce[start], ..., nonce[stop - 1]. */
  slice(start, stop) {
    const out = [];
    for (let i = start; i < stop; i++) out.push(this.get(i));
    return Promise.all(out);
  }
}
