/**
 * One page as a person sees it: log in, open `path`, wait for `waitFor`, run axe-core, take a
 * screenshot, and print what the page shows in the elements of `read` (id -> text) as one JSON
 * line. For pages whose state a Python test prepares (the key ceremony page mid-ceremony).
 *
 * Config (env EVOTE_E2E, JSON): {base, login, password, path, waitFor, read: [ids], shot}.
 */

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(import.meta.dirname, "..", "package.json"));
const { chromium } = require("playwright-core");
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");

const config = JSON.parse(process.env.EVOTE_E2E);
const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const csp = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "de-DE" });
    const page = await context.newPage();
    page.on("console", (m) => {
      console.error("[e2e] console", m.type(), m.text());
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    page.on("pageerror", (e) => console.error("[e2e] page error", e.message));
    await page.goto(`${config.base}/login`);
    await page.fill("#login", config.login);
    await page.fill("#password", config.password);
    await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
    await page.goto(`${config.base}${config.path}`);
    await page.locator(config.waitFor).first().waitFor(WAIT);
    await page.evaluate(`${AXE}\n;0`);
    const axe = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const read = {};
    for (const id of config.read || []) read[id] = (await page.locator(`#${id}`).innerText()).trim();
    if (config.shot) {
      fs.mkdirSync(path.dirname(config.shot), { recursive: true });
      await page.screenshot({ path: config.shot, fullPage: true });
    }
    console.log(JSON.stringify({
      read, csp,
      axe: axe.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })),
    }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
