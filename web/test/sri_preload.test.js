/**
 * What the pages' Subresource Integrity does in Chromium, and where it stops (docs/web.md):
 * - a page's module whose bytes differ from its `integrity` attribute is not run;
 * - a module preloaded with `<link rel="modulepreload" integrity>` is checked, and an import
 *   made while that preload is under way gets the checked result;
 * - but Chromium does not remember a *failed* preload: an import made after it fetches the
 *   file again, unchecked.  The last test pins that limit, so the docs are revisited if a
 *   Chromium update changes it.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { WEB } from "./helpers.js";
import { serveWeb } from "./serve.js";

const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const pw = (() => {
  try {
    return createRequire(path.join(WEB, "package.json"))("playwright-core");
  } catch {
    return null;
  }
})();
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !pw ? "playwright-core not installed (npm ci --prefix web)" : false;

const sri = (file) => `sha384-${createHash("sha384").update(fs.readFileSync(path.join(WEB, file))).digest("base64")}`;

const wrong = `sha384-${createHash("sha384").update("something else").digest("base64")}`;

const PAGES = {
  // The entry module itself pinned, rightly or not.
  "/entry-right.html": `<!doctype html><script type="module" src="/js/crypto/constants.js" integrity="${sri("js/crypto/constants.js")}"></script>`,
  "/entry-wrong.html": `<!doctype html><script type="module" src="/js/crypto/constants.js" integrity="${wrong}"></script>`,
  // A preloaded dependency with a wrong value, imported once its preload has failed.
  "/preload-later.html": `<!doctype html><link rel="modulepreload" href="/js/crypto/constants.js" integrity="${wrong}" onerror="window.preload = 'failed'">`,
};

async function withPages(run) {
  const server = await serveWeb(PAGES);
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await run(async (name) => {
      const tab = await browser.newPage();
      const blocked = [];
      tab.on("console", (m) => /integrity/.test(m.text()) && blocked.push(m.text()));
      await tab.goto(`${server.url}${name}`);
      return { tab, blocked };
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

test("a page module whose bytes differ from its integrity value is not run", { skip, timeout: 120_000 }, async () => {
  await withPages(async (open) => {
    const right = await open("/entry-right.html");
    await right.tab.waitForLoadState("load");
    assert.deepEqual(right.blocked, []);
    const bad = await open("/entry-wrong.html");
    await bad.tab.waitForLoadState("load");
    assert.equal(bad.blocked.length, 1, "Chromium reports the blocked module");
  });
});

test("limit: after a failed preload, a later import fetches the module again unchecked", { skip, timeout: 120_000 }, async () => {
  await withPages(async (open) => {
    const { tab, blocked } = await open("/preload-later.html");
    await tab.waitForFunction(() => window.preload === "failed", null, { timeout: 30_000 });
    assert.equal(blocked.length, 1);
    const outcome = await tab.evaluate(() => import("/js/crypto/constants.js").then(() => "ran", () => "refused"));
    assert.equal(outcome, "ran");
  });
});
