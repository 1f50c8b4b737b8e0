/**
 * follow() in headless Chromium: a page that the server turns away (503, server full) comes
 * back by itself, because EventSource alone never retries a non-200 answer, and learns the
 * open vote meanwhile by polling /api/live/snapshot; a page whose stream the server ended
 * (`ended`: replaced, session_ended) does not reconnect.  Skips without Chromium or
 * playwright-core.
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
window.snapshots = [];
window.ended = [];
follow({
  agenda: (event) => window.seen.push(event.title),
  snapshot: (event) => window.snapshots.push(event.open_vote?.id ?? null),
  ended: (event) => window.ended.push(event.reason),
}, { retryDelay: () => 50 });
</script>`;

async function withPage(run) {
  const server = await serveWeb({ "/live.html": PAGE });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await run(await browser.newPage(), server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}

const json = (body, status = 200) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const sse = (text) => ({ status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-store" }, body: text });

test("a page always refused a stream learns the open vote by polling the snapshot", { skip, timeout: 60_000 }, async () => {
  await withPage(async (page, base) => {
    let streams = 0;
    let polls = 0;
    await page.route("**/api/live", (route) => {
      streams += 1;
      return route.fulfill({ status: 503, headers: { "retry-after": "1" }, body: "full" });
    });
    await page.route("**/api/live/snapshot", (route) => {
      polls += 1;
      return route.fulfill(json({ type: "snapshot", open_vote: polls >= 2 ? { id: 7 } : null, server_time: new Date().toISOString() }));
    });
    await page.goto(`${base}/live.html`);
    await page.waitForFunction(() => window.snapshots.includes(7), null, { timeout: 20_000 });
    assert.equal(streams >= 2, true); // and it keeps trying the stream in between
  });
});

test("a replaced page stops streaming and polls instead", { skip, timeout: 60_000 }, async () => {
  await withPage(async (page, base) => {
    let streams = 0;
    let polls = 0;
    await page.route("**/api/live", (route) => {
      streams += 1;
      return route.fulfill(sse(`retry: 50\nevent: snapshot\ndata: {"type":"snapshot","open_vote":null}\n\nevent: ended\ndata: {"type":"ended","reason":"replaced"}\n\n`));
    });
    await page.route("**/api/live/snapshot", (route) => {
      polls += 1;
      return route.fulfill(json({ type: "snapshot", open_vote: { id: 3 } }));
    });
    await page.goto(`${base}/live.html`);
    await page.waitForFunction(() => window.snapshots.filter((id) => id === 3).length >= 3, null, { timeout: 20_000 });
    assert.equal(streams, 1); // never reconnected, although `retry` said 50 ms
    assert.deepEqual(await page.evaluate(() => window.ended), []);
  });
});

test("a page whose session ended stops and says so", { skip, timeout: 60_000 }, async () => {
  await withPage(async (page, base) => {
    let streams = 0;
    await page.route("**/api/live", (route) => {
      streams += 1;
      return route.fulfill(sse(`retry: 50\nevent: ended\ndata: {"type":"ended","reason":"session_ended"}\n\n`));
    });
    await page.goto(`${base}/live.html`);
    await page.waitForFunction(() => window.ended.length > 0, null, { timeout: 20_000 });
    await page.waitForTimeout(500);
    assert.equal(streams, 1);
    assert.deepEqual(await page.evaluate(() => window.ended), ["session_ended"]);
  });
});

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

const isStream = (url) => url.pathname === "/api/live";
const frame = (event) => `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

test("a broken stream resumes where it stopped: Last-Event-ID, missed events once each", { skip, timeout: 60_000 }, async () => {
  // a real HTTP handler, not a route: the test must see the header EventSource itself sends
  const asked = [];
  const live = (req, res) => {
    asked.push([new URL(req.url, "http://x").search, req.headers["last-event-id"] ?? null]);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    if (asked.length === 1) {
      // the server dies after event 4: the body just ends, EventSource reconnects by itself
      res.end(`retry: 50\n\n${frame({ type: "snapshot", id: 3, open_vote: null })}${frame({ type: "agenda", id: 4, title: "TOP 1" })}`);
    } else {
      res.write(`retry: 60000\n\n${frame({ type: "agenda", id: 4, title: "TOP 1" })}${frame({ type: "agenda", id: 5, title: "TOP 2" })}${frame({ type: "snapshot", id: 5, open_vote: null })}`);
      setTimeout(() => res.end(), 2000);
    }
  };
  const server = await serveWeb({ "/live.html": PAGE, "/api/live": live });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/live.html`);
    await page.waitForFunction(() => window.seen.length >= 2, null, { timeout: 20_000 });
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.seen), ["TOP 1", "TOP 2"]); // 4 handled once
    assert.deepEqual(asked.slice(0, 2), [["", null], ["", "4"]]);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("a stream reopened after a refusal names the last event it got", { skip, timeout: 60_000 }, async () => {
  await withPage(async (page, base) => {
    const asked = [];
    await page.route(isStream, (route) => {
      asked.push(new URL(route.request().url()).search);
      if (asked.length === 1) return route.fulfill(sse(`retry: 50\n\n${frame({ type: "agenda", id: 7, title: "TOP 7" })}`));
      if (asked.length === 2) return route.fulfill({ status: 502, body: "no server" }); // proxy: none alive yet
      return route.fulfill(sse(`retry: 60000\n\n${frame({ type: "agenda", id: 8, title: "TOP 8" })}`));
    });
    await page.route("**/api/live/snapshot", (route) => route.fulfill(json({ type: "snapshot", id: 9, open_vote: null })));
    await page.goto(`${base}/live.html`);
    await page.waitForFunction(() => window.seen.includes("TOP 8"), null, { timeout: 20_000 });
    // the poll in between (as of event 9) does not move the mark: 8 must still be sent
    assert.deepEqual(asked.slice(0, 3), ["", "", "?last_event_id=7"]);
  });
});
