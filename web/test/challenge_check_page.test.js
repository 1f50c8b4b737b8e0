/**
 * web/challenge-check.html, the standalone challenge check published with each release:
 * it is what the build makes of the current modules, its SHA-256 is the one the docs give,
 * and in Chromium, opened from disk, it passes a genuine payload, fails a tampered one and
 * makes no request but for itself and its own blob: modules.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { OUTPUT, buildHtml, sha256 } from "../tools/build_challenge_check.js";
import { decodePayload, encodePayload } from "../js/crypto/challenge_payload.js";
import { OWN_VECTORS, REPO, WEB } from "./helpers.js";

const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const pw = (() => {
  try {
    return createRequire(path.join(WEB, "package.json"))("playwright-core");
  } catch {
    return null;
  }
})();
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !pw ? "playwright-core not installed (npm ci --prefix web)" : false;

const vector = () => fs.readFileSync(path.join(OWN_VECTORS, "challenge_payload.txt"), "utf-8").trim();
const CODE = "AB46919FBE78DE30F17CF7F4428E34A244C2105839B17815367013BEE0BEC09F";

test("web/challenge-check.html is what the build makes of the current modules", () => {
  assert.ok(
    fs.readFileSync(OUTPUT, "utf-8") === buildHtml(),
    "web/challenge-check.html is out of date: run `node web/tools/build_challenge_check.js` and update its SHA-256 in docs/browser-crypto.md",
  );
});

test("docs/browser-crypto.md gives the file's SHA-256", () => {
  const docs = fs.readFileSync(path.join(REPO, "docs", "browser-crypto.md"), "utf-8");
  const documented = docs.match(/SHA-256 of `web\/challenge-check\.html`: `([0-9a-f]{64})`/);
  assert.ok(documented, "docs/browser-crypto.md must say: SHA-256 of `web/challenge-check.html`: `<hex>`");
  assert.equal(documented[1], sha256(fs.readFileSync(OUTPUT)), "update the SHA-256 in docs/browser-crypto.md");
});

test("the file forbids every network request in its own Content-Security-Policy", () => {
  const html = fs.readFileSync(OUTPUT, "utf-8");
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)[1];
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /connect-src|https?:/);
  assert.doesNotMatch(html, /\bsrc="|\bhref="/); // nothing to load: no script, style or image by address
});

test("opened from disk in Chromium, the file passes a genuine payload and fails a tampered one", { skip, timeout: 120_000 }, async () => {
  const tampered = await decodePayload(vector());
  tampered.choices["motion-1"] = ["motion-1-no-sel"];
  const otherNonce = await decodePayload(vector());
  otherNonce.master_nonce = otherNonce.master_nonce.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ locale: "de-DE" });
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    const file = pathToFileURL(OUTPUT).href;
    // The QR code's link, with this file instead of the server: it checks on opening.
    await page.goto(`${file}#p=${vector()}`);
    await page.locator("#status.ok, #status.error").waitFor({ timeout: 60_000 });
    assert.match(await page.locator("#status").textContent(), /^Prüfung bestanden/);
    assert.equal(await page.locator("#code").textContent(), CODE);
    assert.deepEqual(await page.locator("#choice li").allTextContents(), ["Motion 1: motion-1-yes-sel", "Executive: alice-sel, carol-sel"]);
    // Pasted: a changed choice, then a changed nonce, then the genuine text again.
    for (const [payload, verdict] of [
      [tampered, /^Prüfung fehlgeschlagen: ChallengeFailed: .*AB46919F/],
      [otherNonce, /^Prüfung fehlgeschlagen: ChallengeFailed/],
      ["not a payload", /^Prüfung fehlgeschlagen: InvalidPayload/],
    ]) {
      await page.locator("#payload").fill(typeof payload === "string" ? payload : await encodePayload(payload));
      await page.getByRole("button", { name: "Prüfen" }).click();
      await page.locator("#status.ok, #status.error").waitFor({ timeout: 60_000 });
      assert.match(await page.locator("#status").textContent(), verdict);
      assert.equal(await page.locator("#details").isHidden(), true);
    }
    await page.locator("#payload").fill(`https://evote.example.org/verify#p=${vector()}`);
    await page.getByRole("button", { name: "Prüfen" }).click();
    await page.locator("#status.ok").waitFor({ timeout: 60_000 });
    const foreign = requests.filter((u) => !u.startsWith(file.split("#")[0]) && !u.startsWith("blob:"));
    assert.deepEqual(foreign, []);
  } finally {
    await browser.close();
  }
});
