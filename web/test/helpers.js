/** Shared fixtures for the browser-crypto tests: vectors, the sample election, Python. */

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadManifest } from "../js/crypto/manifest.js";
import { fromHex } from "../js/crypto/group.js";
import { tablePowers, naivePowers } from "../js/crypto/powers.js";

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = path.resolve(WEB, "..");
export const OWN_VECTORS = path.join(WEB, "test", "vectors");
export const SHARED_VECTORS = path.join(REPO, "tests", "vectors");

export const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf-8"));
export const ownVector = (name) => readJson(path.join(OWN_VECTORS, name));
export const sharedVector = (name) => readJson(path.join(SHARED_VECTORS, name));
export const sharedVectorExists = (name) => fs.existsSync(path.join(SHARED_VECTORS, name));

export const sampleManifestJson = () => ownVector("sample_manifest.json");
export const sampleContextJson = () => ownVector("sample_context.json");
export const knownKey = () => ownVector("known_key_context.json");

const cache = new Map();

/** The sample election (or the known-key one), with its tables built once per process. */
export async function election({ context = sampleContextJson(), kind = "table" } = {}) {
  const key = `${context.elgamal_public_key}:${kind}`;
  if (!cache.has(key)) {
    const publicKey = fromHex(context.elgamal_public_key);
    const manifest = await loadManifest(sampleManifestJson(), context.manifest_hash);
    const powers = kind === "table" ? tablePowers(publicKey) : naivePowers(publicKey);
    cache.set(key, { election: { manifest, qBar: fromHex(context.crypto_extended_base_hash) }, powers, publicKey });
  }
  return cache.get(key);
}

/** A deterministic byte source for tests (counter-based; not for production use). */
export function seededBytes(label) {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (label.charCodeAt(i % label.length) * 31 + counter++ * 7 + i) & 0xff;
    return out;
  };
}

/** Run a Python interpreter if it exists; null when it does not (the test then skips). */
export function runPython(interpreter, args) {
  if (!fs.existsSync(interpreter)) return null;
  return spawnSync(interpreter, args, { encoding: "utf-8", cwd: REPO, timeout: 120_000 });
}

export const ORACLE_PYTHON = path.join(REPO, ".oracle", "bin", "python");
export const EVOTE_PYTHON = path.join(REPO, ".venv", "bin", "python");
