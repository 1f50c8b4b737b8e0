/**
 * Fixed-base exponentiation with precomputed windowed tables ("full table" method).
 *
 * The ballot encryptor knows every exponent it uses (nonces, proof commitments), and
 * every base is g or the election key K, so all of its exponentiations can use tables
 * built once per election.  Row i of a table holds base^(j · 2^(w·i)) for j in
 * [1, 2^w); base^e is then the product of one entry per w-bit digit of e: about
 * 256/w multiplications instead of ~384 for square-and-multiply.  With w = 8 a table
 * is 32 × 255 elements (about 4 MB) and costs 8160 multiplications to build.
 */

import { P } from "./constants.js";

export const DEFAULT_WINDOW_BITS = 8;
const EXPONENT_BITS = 256;

export class FixedBaseTable {
  /**
   * @param {bigint} base  the fixed base (g or K), already checked to be a group element
   * @param {number} windowBits  w; 8 is the sweet spot between build time and speed
   */
  constructor(base, windowBits = DEFAULT_WINDOW_BITS) {
    if (!Number.isInteger(windowBits) || windowBits < 1 || windowBits > 12) {
      throw new RangeError("windowBits must be an integer in [1, 12]");
    }
    this.base = base % P;
    this.windowBits = windowBits;
    this.rows = [];
    const w = BigInt(windowBits);
    const rowCount = Math.ceil(EXPONENT_BITS / windowBits);
    const width = (1 << windowBits) - 1;
    let rowBase = this.base; // base^(2^(w·i))
    for (let i = 0; i < rowCount; i++) {
      const row = new Array(width + 1);
      row[0] = 1n;
      let acc = rowBase;
      for (let j = 1; j <= width; j++) {
        row[j] = acc;
        acc = (acc * rowBase) % P;
      }
      this.rows.push(row);
      rowBase = acc; // rowBase^(2^w) = previous row's last entry times rowBase
    }
    this.mask = (1n << w) - 1n;
    this.shift = w;
  }

  /** base^exponent mod p for 0 <= exponent < 2^256 (any exponent mod q). */
  pow(exponent) {
    if (exponent < 0n || exponent >> BigInt(EXPONENT_BITS) !== 0n) {
      throw new RangeError("fixed-base exponent out of range [0, 2^256)");
    }
    let result = 1n;
    let first = true;
    let e = exponent;
    for (let i = 0; e !== 0n; i++) {
      const digit = Number(e & this.mask);
      if (digit !== 0) {
        result = first ? this.rows[i][digit] : (result * this.rows[i][digit]) % P;
        first = false;
      }
      e >>= this.shift;
    }
    return result;
  }
}
