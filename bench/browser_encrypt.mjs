/**
 * Browser ballot encryption, naive vs fixed-base, in Node (same V8 BigInt as Chromium).
 *
 *   node bench/browser_encrypt.mjs [--runs N] [--window W]
 *
 * Encrypts the sample 10-selection ballot (motion: 3 choices + 1 placeholder;
 * executive: 4 candidates + 2 placeholders), with every proof and the contests'
 * extended data, with square-and-multiply (the baseline) interleaved with the
 * fixed-base tables built as the worker builds them, and last as the worker does it
 * when the page sends "prepare": powers computed before the click, hashing at the click.
 * Prints ms per ballot for each, the table build time and the ratios; all paths are
 * measured in the same run.
 * bench/browser_encrypt_chromium.mjs runs the same in headless Chromium.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadManifest } from "../web/js/crypto/manifest.js";
import { fromHex } from "../web/js/crypto/group.js";
import { naivePowers, tablePowers, cachedPowers } from "../web/js/crypto/powers.js";
import { encryptBallot } from "../web/js/crypto/ballot.js";
import { randomNonce } from "../web/js/crypto/random.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VECTORS = path.join(HERE, "..", "web", "test", "vectors");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("--runs", 10);
const windowBits = arg("--window", 8);

export const BENCH_PLAINTEXT = {
  object_id: "bench",
  style_id: "delegate",
  contests: [
    { object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-yes-sel", vote: 1 }] },
    { object_id: "executive", ballot_selections: [{ object_id: "alice-sel", vote: 1 }, { object_id: "dave-sel", vote: 1 }] },
  ],
};

const context = JSON.parse(fs.readFileSync(path.join(VECTORS, "sample_context.json")));
const manifestJson = JSON.parse(fs.readFileSync(path.join(VECTORS, "sample_manifest.json")));
const manifest = await loadManifest(manifestJson, context.manifest_hash);
const election = { manifest, qBar: fromHex(context.crypto_extended_base_hash) };
const publicKey = fromHex(context.elgamal_public_key);

const ballotWith = (powers, id) =>
  encryptBallot({ election, plaintext: { ...BENCH_PLAINTEXT, object_id: id }, masterNonce: randomNonce(), timestamp: 1, powers });

/**
 * ms per ballot for both paths; one naive ballot after every fourth fixed-base one, so a
 * change in the load of this shared machine hits both alike and the ratio stays meaningful.
 */
async function timeBoth(naive, fixed, n) {
  await ballotWith(naive, "warm-naive");
  await ballotWith(fixed, "warm-fixed");
  let naiveTotal = 0;
  let naiveRuns = 0;
  let fixedTotal = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await ballotWith(fixed, `fixed-${i}`);
    fixedTotal += performance.now() - t;
    if (i % 4 === 0) {
      const tn = performance.now();
      await ballotWith(naive, `naive-${i}`);
      naiveTotal += performance.now() - tn;
      naiveRuns++;
    }
  }
  return { naiveMs: naiveTotal / naiveRuns, fixedMs: fixedTotal / n };
}

/** Prepare (dry run through a caching wrapper), then time only the click's encryption. */
async function timeAfterPrepare(powers, n) {
  let prepareTotal = 0;
  let clickTotal = 0;
  for (let i = 0; i < n; i++) {
    const masterNonce = randomNonce();
    const cache = cachedPowers(powers);
    const plaintext = { ...BENCH_PLAINTEXT, object_id: `prepared-${i}` };
    const t0 = performance.now();
    await encryptBallot({ election, plaintext: { ...plaintext, contests: [] }, masterNonce, timestamp: 0, powers: cache });
    const t1 = performance.now();
    await encryptBallot({ election, plaintext, masterNonce, timestamp: 1, powers: cache });
    clickTotal += performance.now() - t1;
    prepareTotal += t1 - t0;
  }
  return { prepareMs: prepareTotal / n, clickMs: clickTotal / n };
}

const selections = manifest.contests.reduce((n, c) => n + c.selections.length + c.placeholders.length, 0);
const built = performance.now();
const tables = tablePowers(publicKey, windowBits);
const tablesMs = performance.now() - built;
const { naiveMs, fixedMs } = await timeBoth(naivePowers(publicKey), tables, runs);
const { prepareMs, clickMs } = await timeAfterPrepare(tables, runs);

console.log(`browser ballot encryption in Node ${process.version}: ${selections} selections, all proofs, window ${windowBits}`);
console.log(`  naive square-and-multiply : ${naiveMs.toFixed(1)} ms/ballot`);
console.log(`  fixed-base tables         : ${fixedMs.toFixed(1)} ms/ballot (tables for g and K built in ${tablesMs.toFixed(0)} ms)`);
console.log(`  prepared, at the click    : ${clickMs.toFixed(1)} ms/ballot (prepare beforehand: ${prepareMs.toFixed(1)} ms)`);
console.log(`  speed-up fixed vs naive   : ${(naiveMs / fixedMs).toFixed(1)}x   (goal: <= 50 ms/ballot, tables < 1000 ms)`);
console.log(`  speed-up click vs naive   : ${(naiveMs / clickMs).toFixed(1)}x`);
