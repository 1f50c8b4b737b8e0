/**
 * Browser ballot encryption in headless Chromium: the real worker, naive vs fixed-base.
 *
 *   npm ci --prefix web     # playwright-core (a driver only: no browser is downloaded)
 *   node bench/browser_encrypt_chromium.mjs [--runs N] [--chromium /usr/bin/chromium]
 *
 * Serves web/ from a local HTTP server, opens a page in Debian's Chromium and
 *  1. starts web/js/worker.js and times init (the g and K tables) as the page sees it;
 *  2. has the worker encrypt the sample 10-selection ballot N times (fixed-base);
 *  3. has it prepare and then encrypt N ballots (powers computed before the click);
 *  4. encrypts the same ballot on the page with square-and-multiply (the baseline),
 *     interleaved with step 2 so that both see the same load on this shared machine.
 * Prints ms per ballot for each path and the ratios, all measured in the same run,
 * and the bytes of JavaScript the worker loads (its module graph, from disk).
 */

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { serveWeb } from "../web/test/serve.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, "..", "web");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", 10));
const executablePath = arg("--chromium", "/usr/bin/chromium");
const { chromium } = createRequire(path.join(WEB, "package.json"))("playwright-core");

const PAGE = `<!doctype html><meta charset="utf-8"><title>evote encryption bench</title>
<script type="module">
import { loadManifest } from "/js/crypto/manifest.js";
import { fromHex } from "/js/crypto/group.js";
import { naivePowers } from "/js/crypto/powers.js";
import { encryptBallot } from "/js/crypto/ballot.js";
import { randomNonce } from "/js/crypto/random.js";

const RUNS = ${runs};
const plaintext = (id) => ({ object_id: id, style_id: "delegate", contests: [
  { object_id: "motion-1", ballot_selections: [{ object_id: "motion-1-yes-sel", vote: 1 }] },
  { object_id: "executive", ballot_selections: [{ object_id: "alice-sel", vote: 1 }, { object_id: "dave-sel", vote: 1 }] } ] });
const json = (url) => fetch(url).then((r) => r.json());

function ask(worker, message) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.type === "error" ? reject(new Error(e.data.message)) : resolve(e.data));
    worker.postMessage(message);
  });
}

async function run() {
  const [context, manifest] = await Promise.all([json("/test/vectors/sample_context.json"), json("/test/vectors/sample_manifest.json")]);
  const t0 = performance.now();
  const worker = new Worker("/js/worker.js", { type: "module" });
  const ready = await ask(worker, { type: "init", context, manifest });
  const initMs = performance.now() - t0;
  const loaded = await loadManifest(manifest, context.manifest_hash);
  const election = { manifest: loaded, qBar: fromHex(context.crypto_extended_base_hash) };
  const naive = naivePowers(fromHex(context.elgamal_public_key));
  const naiveBallot = (id) => encryptBallot({ election, plaintext: plaintext(id), masterNonce: randomNonce(), timestamp: 1, powers: naive });
  await ask(worker, { type: "encrypt", plaintext: plaintext("warm") });
  await naiveBallot("nw");
  // Naive runs are interleaved with the fixed-base ones, so a change in the machine's
  // load (it is shared) hits both paths alike and the ratio stays meaningful.
  let fixed = 0, fixedRoundTrip = 0, naiveTotal = 0, naiveRuns = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await ask(worker, { type: "encrypt", plaintext: plaintext("f" + i) });
    fixedRoundTrip += performance.now() - t;
    fixed += r.encryptMs;
    await ask(worker, { type: "cast", objectId: "f" + i });
    if (i % 4 === 0) {
      const tn = performance.now();
      await naiveBallot("n" + i);
      naiveTotal += performance.now() - tn;
      naiveRuns++;
    }
  }
  const naiveMs = naiveTotal / naiveRuns;
  let click = 0, prepare = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = await ask(worker, { type: "prepare", objectId: "p" + i, styleId: "delegate" });
    prepare += p.prepareMs;
    const t = performance.now();
    const r = await ask(worker, { type: "encrypt", plaintext: plaintext("p" + i) });
    if (!r.precomputed) throw new Error("prepare was not used");
    click += performance.now() - t;
  }
  return {
    userAgent: navigator.userAgent, tablesMs: ready.tablesMs, initMs,
    fixedMs: fixed / RUNS, fixedRoundTripMs: fixedRoundTrip / RUNS,
    prepareMs: prepare / RUNS, clickMs: click / RUNS, naiveMs,
  };
}
run().then((r) => (window.benchResult = r), (e) => (window.benchResult = { error: String(e) }));
</script>`;

/** The files worker.js loads: itself and its static imports, transitively. */
function workerModuleGraph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const m of fs.readFileSync(entry, "utf-8").matchAll(/^import .* from "(\.[^"]+)";$/gm)) {
    workerModuleGraph(path.resolve(path.dirname(entry), m[1]), seen);
  }
  return seen;
}

const server = await serveWeb({ "/bench.html": PAGE });
const browser = await chromium.launch({ executablePath, headless: true });
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/bench.html`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 300_000 });
  const r = await page.evaluate(() => window.benchResult);
  if (r.error) throw new Error(r.error);
  const version = r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? r.userAgent;
  console.log(`browser ballot encryption in headless ${version}: 10 selections, all proofs, window 8`);
  console.log(`  worker init (tables for g, K) : ${r.tablesMs.toFixed(0)} ms in the worker, ${r.initMs.toFixed(0)} ms from new Worker() to ready`);
  console.log(`  naive square-and-multiply     : ${r.naiveMs.toFixed(1)} ms/ballot`);
  console.log(`  fixed-base, in the worker     : ${r.fixedMs.toFixed(1)} ms/ballot (${r.fixedRoundTripMs.toFixed(1)} ms page round trip)`);
  console.log(`  prepared, at the click        : ${r.clickMs.toFixed(1)} ms page round trip (prepare beforehand: ${r.prepareMs.toFixed(1)} ms)`);
  console.log(`  speed-up fixed vs naive       : ${(r.naiveMs / r.fixedMs).toFixed(1)}x   (goal: <= 50 ms/ballot, tables < 1000 ms)`);
  console.log(`  speed-up click vs naive       : ${(r.naiveMs / r.clickMs).toFixed(1)}x`);
  const graph = workerModuleGraph(path.join(WEB, "js", "worker.js"));
  const bytes = [...graph].reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`  worker's modules              : ${graph.size} files, ${(bytes / 1024).toFixed(1)} KB uncompressed`);
} finally {
  await browser.close();
  await server.close();
}
