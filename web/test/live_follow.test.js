/**
 * follow() in headless Chromium: a page that the server turns away (503, server full) comes
 * back by itself, because EventSource alone never retries a non-200 answer.  Skips without
 * Chromium or playwright-core.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { WEB } from "./helpers.js";
import { serveWeb } from "./serve.js";

const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
let pw = null;
try {
  pw = createRequire(path.join(WEB, "package.json"))("playwright-core");
} catch {}
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !pw ? "playwright-core not installed (npm ci --prefix web)" : false;

const PAGE = `<!doctype html><meta charset="utf-8"><title>live</title>
<script type="application/json" id="page-data">${JSON.stringify({ lang: "de", t: {}, csrf: "" })}</script>
<script type="module">
import { follow } from "/js/pages/common.js";
window.seen = [];
follow({ agenda: (event) => window.seen.push(event.title) }, { retryDelay: () => 50 });
</script>`;

test("a page refused with 503 reconnects and then gets its events", { skip, timeout: 60_000 }, async () => {
  const server = await serveWeb({ "/live.html": PAGE });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    let calls = 0;
    await page.route("**/api/live", (route) => {
      calls += 1;
      if (calls === 1) return route.fulfill({ status: 503, headers: { "retry-after": "1" }, body: "full" });
      return route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
        body: `retry: 60000\nevent: agenda\ndata: ${JSON.stringify({ title: "TOP 1" })}\n\n`,
      });
    });
    await page.goto(`${server.url}/live.html`);
    await page.waitForFunction(() => window.seen.length > 0, null, { timeout: 20_000 });
    assert.equal(calls >= 2, true);
    assert.equal(await page.evaluate(() => window.seen[0]), "TOP 1");
  } finally {
    await browser.close();
    await server.close();
  }
});
