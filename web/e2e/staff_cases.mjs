/**
 * The organisers' side (issue 13) walked in Debian's Chromium, in German, at a desk (1280x900):
 *   console: only the chosen kind's fields in the convention's words, the agenda edited,
 *            reordered and called, a vote linked to its item, opened and closed now ("Bist Du
 *            sicher?" with the turnout), which vote is on the projector;
 *   support: a participant found and given a new password (the new one logs in);
 *   admin:   a CSV import refused line by line, then the fixed file imported; a participant
 *            edited;
 *   key ceremony page: who joined, the fingerprint, what is next.
 * axe-core runs on each page; screenshots go to config.screenshots. Prints one JSON line.
 *
 * Started by tests/server/web/test_browser_staff.py. Config (env EVOTE_E2E, JSON): {base,
 * presidium, support, admin: {login, password}, delegate: {login, password, name},
 * screenshots}.
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
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };
const DESK = { width: 1280, height: 900 };
const log = (...a) => console.error("[e2e]", ...a);
const cspViolations = [];
const out = { axe: {}, console: {}, support: {}, admin: {}, ceremony: {} };

function watch(page, who) {
  page.on("pageerror", (e) => log("page error", who, e.message));
  page.on("console", (m) => {
    log("console", who, m.type(), m.text());
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${who}: ${m.text()}`);
  });
}

async function newPage(browser, who) {
  const context = await browser.newContext({ viewport: DESK, locale: "de-DE" });
  const page = await context.newPage();
  watch(page, who);
  return page;
}

async function login(page, person) {
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
}

async function axe(page, name) {
  await page.evaluate(`${AXE}\n;0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  out.axe[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

const visible = (page, selector) => page.locator(selector).isVisible();
const text = async (page, selector) => (await page.locator(selector).textContent()).trim();

async function consoleCases(page, shot) {
  await page.goto(`${config.base}/presidium`);
  await page.locator("#votes").waitFor({ state: "attached", ...WAIT });
  // only the fields of the chosen kind, in the convention's words
  await page.selectOption("#v-kind", "motion");
  out.console.motion = { seats: await visible(page, "#v-seats"), candidates: await visible(page, "#v-candidates"), abstain: await visible(page, "#v-abstain") };
  await page.selectOption("#v-kind", "election");
  await page.fill("#v-seats", "3");
  out.console.election = {
    seats: await visible(page, "#v-seats"), abstain: await visible(page, "#v-abstain"),
    seatsLabel: await text(page, 'label[for="v-seats"]'),
    kindOption: await text(page, '#v-kind option[value="election"]'),
  };

  // the quorum rule, set in the console
  await page.locator("#quorum-rule", { hasText: "mehr als die Hälfte" }).waitFor(WAIT);
  await page.selectOption("#q-strict", "false");
  await page.fill("#q-num", "2");
  await page.fill("#q-den", "3");
  await page.click("#quorum-form button[type=submit]");
  await page.locator("#quorum-rule", { hasText: "mindestens 2/3" }).waitFor(WAIT);
  await page.fill("#q-num", "4");
  await page.click("#quorum-form button[type=submit]");
  await page.locator("#quorum-error").waitFor({ state: "visible", ...WAIT });
  out.console.quorum = { rule: await text(page, "#quorum-rule"), error: await text(page, "#quorum-error") };

  // the agenda: add, reorder, rename, call
  for (const title of ["TOP 1: Eröffnung", "TOP 3: Wahlen", "TOP 2: Satzung"]) {
    await page.fill("#agenda-input", title);
    await page.click("#agenda-form button[type=submit]");
    await page.locator(".agenda-items li", { hasText: title }).waitFor(WAIT);
  }
  await page.getByRole("button", { name: "Nach oben: TOP 2: Satzung" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".agenda-items li[data-item]")[1]?.textContent.includes("TOP 2"), null, WAIT);
  await page.getByRole("button", { name: "Bearbeiten: TOP 3: Wahlen" }).click();
  await page.getByRole("textbox", { name: "Neuer Titel für „TOP 3: Wahlen“" }).fill("TOP 3: Wahlen zum Vorstand");
  await page.keyboard.press("Enter");
  await page.locator(".agenda-items li", { hasText: "TOP 3: Wahlen zum Vorstand" }).waitFor(WAIT);
  await page.getByRole("button", { name: "Aufrufen: TOP 2: Satzung" }).click();
  await page.locator('.agenda-items li[aria-current="true"]', { hasText: "TOP 2: Satzung" }).waitFor(WAIT);
  out.console.agenda = await page.$$eval(".agenda-items > li", (items) => items.map((li) => ({
    title: li.querySelector(".agenda-title").textContent, current: li.getAttribute("aria-current") === "true" })));
  out.console.agendaChoice = await page.$eval("#v-agenda", (s) => s.selectedOptions[0]?.textContent);

  // a motion under the called item, opened, then closed now with the turnout in the question
  await page.selectOption("#v-kind", "motion");
  await page.fill("#v-title", "Satzungsänderung S1");
  await page.fill("#v-duration", "600");
  await page.click("#vote-submit");
  const item = page.locator("#votes li[data-vote]", { hasText: "Satzungsänderung S1" });
  await item.waitFor(WAIT);
  await page.locator(".agenda-votes li", { hasText: "Satzungsänderung S1" }).waitFor(WAIT);
  out.console.underItem = await item.locator("span.muted", { hasText: "zu:" }).textContent();
  await item.getByRole("button", { name: /Öffnen/ }).click();
  await item.locator(".countdown").waitFor(WAIT);
  await page.locator("#on-projector", { hasText: "Satzungsänderung S1" }).waitFor(WAIT);
  out.console.onProjector = await text(page, "#on-projector");
  await axe(page, "console");
  await shot(page, "console.png");
  await item.getByRole("button", { name: "Jetzt schließen …" }).click();
  await page.getByRole("dialog", { name: "Bist Du sicher?" }).waitFor(WAIT);
  out.console.closeQuestion = await text(page, "#sure-text");
  await shot(page, "console-close-now.png");
  await page.click("#sure-yes");
  await item.locator(".state", { hasText: "geschlossen" }).waitFor(WAIT);
  out.console.stateAfter = await text(page, '#votes li[data-vote] .state');
  // the item with a vote that ran is not deleted: the page says why, the item stays
  await page.getByRole("button", { name: "Löschen …: TOP 2: Satzung" }).click();
  await page.click("#sure-yes");
  await page.locator("#agenda-error").waitFor({ state: "visible", ...WAIT });
  out.console.deleteRefused = await text(page, "#agenda-error");
  out.console.itemsAfter = await page.locator(".agenda-items > li").count();
  await page.goto(`${config.base}/presidium/presence`);
  await page.locator("table").first().waitFor(WAIT);
  await axe(page, "presence");
  await shot(page, "presence.png");
}

async function supportCases(browser, page, shot) {
  await page.goto(`${config.base}/support`);
  await page.fill("#q", "Dora Supp");
  await page.click("#search-form button[type=submit]");
  await page.getByRole("button", { name: `Auswählen: ${config.delegate.name}` }).click();
  await page.locator("#reissue").click();
  await page.getByRole("dialog", { name: "Bist Du sicher?" }).waitFor(WAIT);
  await page.click("#sure-yes");
  await page.locator("#new-password").waitFor(WAIT);
  const password = await text(page, "#new-password");
  out.support.letter = await page.locator("#issued a[download]").getAttribute("download");
  await axe(page, "support");
  await shot(page, "support.png");
  // the new password logs in; the old one no longer does
  const delegate = await newPage(browser, "delegate");
  await login(delegate, { login: config.delegate.login, password });
  out.support.newPasswordWorks = true;
  const old = await newPage(browser, "old");
  await old.goto(`${config.base}/login`);
  await old.fill("#login", config.delegate.login);
  await old.fill("#password", config.delegate.password);
  await old.click("form button[type=submit]");
  await old.waitForLoadState();
  out.support.oldPasswordRefused = old.url().includes("/login");
}

async function adminCases(page, shot) {
  await page.goto(`${config.base}/admin`);
  await page.locator("#people-body tr").first().waitFor(WAIT);
  const bad = "name,email,delegation,roles,groups,voting_right\n"
    + "Anna Import,anna@example.org,KV Nord,delegate,,yes\n"
    + "Ben Import,keine-adresse,KV Süd,delegate,,yes\n";
  await page.setInputFiles("#csv-file", { name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.click("#import-form button[type=submit]");
  await page.locator("#import-errors li").first().waitFor(WAIT);
  out.admin.errors = await page.$$eval("#import-errors li", (items) => items.map((li) => li.textContent));
  out.admin.errorFocused = await page.evaluate(() => document.activeElement.id);
  out.admin.afterRefusal = await page.locator("#people-body tr", { hasText: "Anna Import" }).count();
  await shot(page, "admin-import-error.png");
  const fixed = bad.replace("keine-adresse", "ben@example.org");
  await page.setInputFiles("#csv-file", { name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await page.click("#import-form button[type=submit]");
  await page.locator("#import-result").waitFor({ state: "visible", ...WAIT });
  out.admin.imported = await text(page, "#import-result");
  await page.locator("#people-body tr", { hasText: "Ben Import" }).waitFor(WAIT);

  // edit a participant: name and group
  await page.getByRole("button", { name: "Bearbeiten: Ben Import" }).click();
  await page.fill("#c-name", "Ben Importiert");
  await page.fill("#c-groups", "Jugend");
  await page.click("#create-submit");
  await page.locator("#people-body tr", { hasText: "Ben Importiert" }).waitFor(WAIT);
  out.admin.edited = await page.locator("#people-body tr", { hasText: "Ben Importiert" }).locator("td").nth(3).textContent();
  out.admin.groups = await text(page, "#groups");

  // first passwords and their letters for the two imported
  await page.locator("#letters-count", { hasText: "2 aktive" }).waitFor(WAIT);
  await page.click("#letters-issue");
  await page.click("#sure-yes");
  await page.locator("#letters-done a[download]").waitFor(WAIT);
  out.admin.letters = await text(page, "#letters-done p:first-child");
  out.admin.lettersCount = await text(page, "#letters-count");

  // the event's name
  await page.fill("#e-name", "Landesparteitag Herbst");
  await page.click("#event-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("announce").textContent.includes("gespeichert"), null, WAIT);
  out.admin.eventStatus = await text(page, "#event-status");
  await axe(page, "admin");
  await shot(page, "admin.png");
}

async function main() {
  fs.mkdirSync(config.screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const shot = (page, name) => page.screenshot({ path: path.join(config.screenshots, name), fullPage: true });
  try {
    const presidium = await newPage(browser, "presidium");
    await login(presidium, config.presidium);
    await consoleCases(presidium, shot);
    log("console done");
    const support = await newPage(browser, "support");
    await login(support, config.support);
    await supportCases(browser, support, shot);
    log("support done");
    const admin = await newPage(browser, "admin");
    await login(admin, config.admin);
    await adminCases(admin, shot);
    log("admin done");
  } finally {
    await browser.close();
  }
  out.csp = cspViolations;
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
