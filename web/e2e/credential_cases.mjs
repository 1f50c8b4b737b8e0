/**
 * The voting code on the delegate page, the cases a delegate meets (issue 14), in Debian's
 * Chromium on a phone in German, with axe-core on the page with the prompt.
 *
 * Started by tests/server/web/test_browser_credential.py (server, committee, delegates):
 *   - "typo": a mistyped code is named at once and nothing is requested at all;
 *   - "replaced": the code of a replaced letter is named as replaced; the new one works;
 *   - "late": the vote opens before the code was typed; "Stimme abgeben" asks for the code
 *     first (no dialog, nothing encrypted or sent); typed then, the ballot is cast signed.
 * Prints one JSON line with what it saw.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(import.meta.dirname, "..", "package.json"));
const { chromium } = require("playwright-core");
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");
const config = JSON.parse(process.env.EVOTE_E2E);
const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };
const log = (...a) => console.error("[e2e]", ...a);
const out = { cases: {}, csp: [], untranslated: [] };

async function newPage(browser, who) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "de-DE" });
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error", who, e.message));
  page.on("console", (m) => {
    log("console", who, m.type(), m.text());
    if (/Content Security Policy/i.test(m.text())) out.csp.push(`${who}: ${m.text()}`);
    if (m.text().startsWith("evote: no text")) out.untranslated.push(`${who}: ${m.text()}`);
  });
  return page;
}

async function login(page, person) {
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
}

async function call(page, method, url, body) {
  const me = await (await page.request.get(`${config.base}/api/me`)).json();
  const response = await page.request.fetch(`${config.base}${url}`, {
    method,
    headers: { "X-CSRF-Token": me.csrf_token, "Content-Type": "application/json", Accept: "application/json" },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  assert.ok(response.ok(), `${method} ${url}: ${response.status()} ${JSON.stringify(data)}`);
  return data;
}

/** Every request the page makes while `action` runs (the worker's own module loads aside). */
async function requestsDuring(page, action) {
  const seen = [];
  const record = (r) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith("/js/")) seen.push(`${r.method()} ${url.pathname}`);
  };
  page.on("request", record);
  try {
    await action();
  } finally {
    page.off("request", record);
  }
  return seen;
}

async function typeCode(page, code) {
  await page.locator("#credential-code").fill(code);
  await page.locator("#credential-submit").click();
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const presidium = await newPage(browser, "presidium");
    await login(presidium, config.presidium);
    const pages = {};
    for (const [name, person] of Object.entries(config.delegates)) {
      pages[name] = await newPage(browser, name);
      await login(pages[name], person);
      await pages[name].goto(`${config.base}/vote`);
      await pages[name].locator("#credential-code").waitFor({ state: "visible", ...WAIT });
    }
    await pages.typo.evaluate(`${AXE}\n;0`);
    const axe = await pages.typo.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    out.axe = axe.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));

    // A typo: said at once; not even the check roll is read.
    const typo = config.delegates.typo.code;
    const at = [...typo].findIndex((c, i) => c !== "-" && typo[i + 1] !== "-" && i + 1 < typo.length && c !== typo[i + 1]);
    const swapped = typo.slice(0, at) + typo[at + 1] + typo[at] + typo.slice(at + 2); // two neighbours swapped
    const typoRequests = await requestsDuring(pages.typo, async () => {
      await typeCode(pages.typo, swapped);
      await pages.typo.locator("#credential-error", { hasText: "Tippfehler" }).waitFor(WAIT);
    });
    out.cases.typo = { requests: typoRequests, error: await pages.typo.locator("#credential-error").textContent(),
      focused: await pages.typo.evaluate(() => document.activeElement?.id) };
    await typeCode(pages.typo, typo);
    await pages.typo.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
    log("typo done");

    // The code of a replaced letter, then the new one.
    const replaced = pages.replaced;
    await typeCode(replaced, config.delegates.replaced.oldCode);
    await replaced.locator("#credential-error", { hasText: "ersetzt" }).waitFor(WAIT);
    out.cases.replaced = { error: await replaced.locator("#credential-error").textContent() };
    await typeCode(replaced, config.delegates.replaced.code);
    await replaced.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
    log("replaced done");

    // The vote opens; "late" has not typed the code yet.
    const vote = await call(presidium, "POST", "/api/votes", {
      kind: "motion", title: "Antrag A2: Zugangscodes", majority_rule: "simple", duration_seconds: 900, with_abstain: true,
    });
    await call(presidium, "POST", `/api/votes/${vote.id}/open`);
    const late = pages.late;
    await late.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
    await late.getByRole("radio", { name: "Ja", exact: true }).check();
    const lateRequests = await requestsDuring(late, async () => {
      await late.getByRole("button", { name: "Stimme abgeben …" }).click();
      await late.locator("#credential-error", { hasText: "Zugangscode" }).waitFor(WAIT);
    });
    out.cases.late = { requests: lateRequests, error: await late.locator("#credential-error").textContent(),
      dialogOpen: await late.locator("#confirm").evaluate((d) => d.open),
      focused: await late.evaluate(() => document.activeElement?.id) };
    await typeCode(late, config.delegates.late.code);
    await late.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
    const receipts = {};
    for (const [name, page] of Object.entries(pages)) {
      await page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
      await page.getByRole("radio", { name: "Ja", exact: true }).check();
      await page.getByRole("button", { name: "Stimme abgeben …" }).click();
      await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
      await page.getByRole("button", { name: "Ja, Stimme abgeben" }).click();
      await page.locator("#receipt").waitFor({ state: "visible", ...WAIT });
      receipts[name] = (await page.locator("#receipt-code").textContent()).trim();
    }
    out.voteId = vote.id;
    out.receipts = receipts;
    log("cast");

    // The letter's QR code scanned on a phone that is not logged in: the login page comes
    // first, and the code in the address's fragment survives the login to the delegate page.
    const phone = await newPage(browser, "phone");
    await phone.goto(`${config.base}/delegate#credential=${config.delegates.late.code}`);
    await phone.locator("#login").waitFor(WAIT);
    await phone.fill("#login", config.delegates.late.login);
    await phone.fill("#password", config.delegates.late.password);
    await phone.click("form button[type=submit]");
    await phone.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
    out.cases.qrBeforeLogin = { url: phone.url() };
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
