/**
 * The delegate page in headless Chromium, driven for bench/delegate_page.py (which runs two
 * demo conventions, one with a credentials committee and one without, and opens the votes).
 *
 * Config (env EVOTE_BENCH, JSON): {chromium, sides: {name: {base, login, password, code?}}}.
 * Protocol on stdin/stdout, one line each:
 *   → "ready"                     every side's page is logged in, checked in, code entered
 *   ← "go SIDE"   → "t0"          the clock starts now; Python opens a vote on that side
 *   → "sent SIDE MS READY ENC SEND" the page posted its ballot MS ms after "t0"; the phases
 * The delegate clicks as fast as a script can (the choice, "Stimme abgeben …", then "Ja, Stimme
 * abgeben" once the ballot is encrypted): what is left is the page's own work from the vote's
 * opening to the ballot on the wire (live event, worker init, device hash, prepare, encrypt,
 * and with a committee the slot key and the signature).
 */

import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(path.join(import.meta.dirname, "..", "web", "package.json"));
const { chromium } = require("playwright-core");
const config = JSON.parse(process.env.EVOTE_BENCH);
const WAIT = { timeout: 60_000 };
const say = (line) => process.stdout.write(`${line}\n`);

const browser = await chromium.launch({ executablePath: config.chromium, headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const pages = {};
try {
  for (const [name, side] of Object.entries(config.sides)) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "de-DE" });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("[bench] page error", name, e.message));
    await page.goto(`${side.base}/login`);
    await page.fill("#login", side.login);
    await page.fill("#password", side.password);
    await Promise.all([page.waitForURL(`${side.base}/`), page.click("form button[type=submit]")]);
    await page.goto(`${side.base}/vote`);
    await page.locator("#checkin-button").click();
    await page.locator("#checkin-done").waitFor({ state: "visible", ...WAIT });
    if (side.code) {
      await page.locator("#credential-code").fill(side.code);
      await page.locator("#credential-submit").click();
      await page.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
    }
    pages[name] = page;
  }
  say("ready");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, name] = line.trim().split(" ");
    if (command === "quit") break;
    if (command !== "go") continue;
    const page = pages[name];
    const sent = new Promise((resolve) => {
      const seen = (request) => {
        if (request.method() === "POST" && /\/api\/votes\/\d+\/ballots$/.test(request.url())) {
          page.off("request", seen);
          resolve(performance.now());
        }
      };
      page.on("request", seen);
    });
    const t0 = performance.now();
    say("t0");
    await page.waitForFunction(() => {
      const button = document.getElementById("ballot-submit");
      return button && !button.disabled && !document.getElementById("ballot-form").hidden;
    }, null, { ...WAIT, polling: "raf" });
    const tReady = performance.now();
    await page.getByRole("radio", { name: "Ja", exact: true }).check();
    await page.locator("#ballot-submit").click();
    const tAsked = performance.now();
    await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, { ...WAIT, polling: "raf" });
    const tEncrypted = performance.now();
    await page.locator("#confirm-cast").click();
    const t1 = await sent;
    await page.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    // total, then the phases: opening → form ready (live event, worker init, prepare), the
    // click → ballot encrypted (and signed), the cast click → the POST on the wire
    say(`sent ${name} ${[t1 - t0, tReady - t0, tEncrypted - tAsked, t1 - tEncrypted].map((x) => x.toFixed(1)).join(" ")}`);
  }
} finally {
  await browser.close();
}
process.exit(0); // stdin may still be open
