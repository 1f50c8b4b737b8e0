/**
 * Where a delegate could be misled (issue 12, items 1-5), each walked in Debian's Chromium on a
 * 390x844 phone in German, partly by keyboard only, with axe-core on the login page, the
 * delegate page and the projector.
 *
 * Started by tests/server/web/test_browser_delegate.py (server, people, key ceremony); this
 * script is every person at a browser:
 *   1. the vote closes while "Bist Du Dir sicher?" is open: the dialog showed the countdown, the
 *      page then says the ballot was not counted, with the focus on that sentence;
 *   2. the ballot arrived but its answer was lost: the page keeps the encrypted ballot, offers
 *      to send it again (and sends it again by itself after a reload), ending with the receipt;
 *   3. a shared computer: after logout the next person finds no receipt of the previous one;
 *   4. a check-in after the opening: the vote card says at once that this vote is not theirs;
 *   5. a new password during the session: the login page says why;
 *  12. keyboard only: log in, check in, choose, confirm, read the receipt, the focus following.
 * Prints one JSON line with what Python checks next.
 *
 * Config (env EVOTE_E2E, JSON): {base, presidium, support, support2, delegates: {case1: {login,
 * password, id}, ...}, screenshots}.
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
const PHONE = { width: 390, height: 844 };
const log = (...a) => console.error("[e2e]", ...a);
const cspViolations = [];
const untranslated = []; // "evote: no text for …" from common.js: a text without an entry
const out = { axe: {}, cases: {} };

function watch(page, who) {
  page.on("pageerror", (e) => log("page error", who, e.message));
  page.on("console", (m) => {
    log("console", who, m.type(), m.text());
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${who}: ${m.text()}`);
    if (m.text().startsWith("evote: no text")) untranslated.push(`${who}: ${m.text()}`);
  });
}

async function newPage(browser, who, viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: "de-DE" });
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

/** axe-core in the page (evaluated through the devtools protocol, so the page's CSP stays). */
async function axe(page, name) {
  await page.evaluate(`${AXE}\n;0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  out.axe[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/** A JSON call with the page's session and CSRF token (the presidium's and support's API). */
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

const ready = (page) => page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);

/** Tab until the element matching `selector` has the focus (keyboard only). */
async function tabTo(page, selector, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Choose with the keyboard, open "Bist Du Dir sicher?" and wait for the tracking code. */
async function chooseByKeyboard(page, answer) {
  await tabTo(page, `#motion-${answer}, input[name=motion]`);
  // in a radio group the arrow keys move; Space marks the focused one
  while (!(await page.evaluate((a) => document.activeElement.id === `motion-${a}`, answer))) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Space");
  await tabTo(page, "#ballot-submit");
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Bist Du Dir sicher?" }).waitFor(WAIT);
  await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
  return (await page.locator("#confirm-code").textContent()).trim();
}

/** How often the page's visible text says `text` ("Deine Stimme ist abgegeben." once). */
const times = (page, text) => page.evaluate((s) => document.body.innerText.split(s).length - 1, text);

const kept = (page, prefix) => page.evaluate((p) => Object.keys(localStorage).filter((k) => k.startsWith(p))
  .map((k) => ({ key: k, value: localStorage.getItem(k) })), prefix);

/** The next cast of this page gets through to the server, but its answer is lost. */
async function loseNextAnswer(page) {
  await page.route("**/api/votes/*/ballots", async (route) => {
    await route.fetch(); // the server takes the ballot ...
    await route.abort("connectionreset"); // ... and the page never hears back
  }, { times: 1 });
}

async function main() {
  fs.mkdirSync(config.screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const shot = (page, name) => page.screenshot({ path: path.join(config.screenshots, name), fullPage: true });
  const d = config.delegates;
  try {
    const presidium = await newPage(browser, "presidium", { width: 1200, height: 900 });
    await presidium.goto(`${config.base}/login`);
    await axe(presidium, "login");
    await login(presidium, config.presidium);
    await presidium.goto(`${config.base}/presidium`);
    const support = await newPage(browser, "support", { width: 1200, height: 900 });
    await login(support, config.support);
    const support2 = await newPage(browser, "support2", { width: 1200, height: 900 });
    await login(support2, config.support2);

    const pages = {};
    for (const name of Object.keys(d)) {
      if (name === "keys") continue; // logs in and checks in by keyboard below
      pages[name] = await newPage(browser, name);
      await login(pages[name], d[name]);
      await pages[name].goto(`${config.base}/vote`);
    }
    // What screen readers hear: every text the page puts in its live region (#announce).
    for (const name of ["case2", "case10"]) {
      await pages[name].evaluate(() => {
        window.evoteSaid = [];
        const region = document.getElementById("announce");
        new MutationObserver(() => region.textContent && window.evoteSaid.push(region.textContent))
          .observe(region, { childList: true, characterData: true, subtree: true });
      });
    }
    const projector = await newPage(browser, "projector", { width: 1280, height: 720 });
    // by the projector link: no one's personal login on the wall (issue 12, item 8)
    await Promise.all([projector.waitForURL(`${config.base}/projector`), projector.goto(`${config.base}${config.projectorLink}`)]);

    // 12. Keyboard only, part 1: log in and check in with Tab, typing and Enter (no click).
    const keys = await newPage(browser, "keys");
    const keyboard = out.cases.keyboard = {};
    await keys.goto(`${config.base}/login`);
    await tabTo(keys, "#login");
    await keys.keyboard.type(d.keys.login);
    await keys.keyboard.press("Tab");
    keyboard.afterName = await keys.evaluate(() => document.activeElement.id);
    await keys.keyboard.type(d.keys.password);
    await Promise.all([keys.waitForURL(`${config.base}/`), keys.keyboard.press("Enter")]);
    await tabTo(keys, 'main a[href="/vote"]');
    await Promise.all([keys.waitForURL(`${config.base}/vote`), keys.keyboard.press("Enter")]);
    await tabTo(keys, "#checkin-button");
    await keys.keyboard.press("Enter");
    await keys.locator("#checkin-done").waitFor({ state: "visible", ...WAIT });
    keyboard.afterCheckin = await keys.evaluate(() => document.activeElement.id);

    const vote = await call(presidium, "POST", "/api/votes", {
      kind: "motion", title: "Antrag A1: Beitragsordnung", majority_rule: "simple", duration_seconds: 900, with_abstain: true,
    });
    await call(presidium, "POST", `/api/votes/${vote.id}/open`);
    out.voteId = vote.id;
    log("vote open", vote.id);
    for (const name of ["case1", "case2", "case2reload", "case3"]) await ready(pages[name]);
    await axe(pages.case2, "delegate");
    await projector.locator("#live-title", { hasText: "Antrag A1" }).waitFor(WAIT);
    await axe(projector, "projector");

    // 12, part 2: choose (arrow keys, Space), "Bist Du Dir sicher?" (Enter), the receipt.
    await ready(keys);
    keyboard.code = await chooseByKeyboard(keys, "abstain");
    keyboard.inDialog = await keys.evaluate(() => document.activeElement.id);
    await keys.keyboard.press("Enter"); // "Ja, Stimme abgeben"
    await keys.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    keyboard.afterCast = await keys.evaluate(() => document.activeElement.id);
    keyboard.receiptShort = await keys.locator("#receipt-code-short").textContent();
    await tabTo(keys, "#receipt summary");
    await keys.keyboard.press("Enter"); // "ganzen Code zeigen"
    keyboard.receiptFull = (await keys.locator("#receipt-code").isVisible()) ? (await keys.locator("#receipt-code").textContent()).trim() : null;
    log("case 12 done");

    // 4. Checked in after the opening: said on the vote card before any choice, and again after a reload.
    const late = pages.case4;
    await late.locator("#vote-title", { hasText: "Antrag A1" }).waitFor(WAIT);
    await tabTo(late, "#checkin-button");
    await late.keyboard.press("Enter");
    await late.locator("#checkin-done").waitFor({ state: "visible", ...WAIT });
    await late.locator("#vote-status", { hasText: "nimmst Du nicht teil" }).waitFor(WAIT);
    const lateBefore = await late.locator("#vote-status").textContent();
    await late.reload();
    await late.locator("#vote-status", { hasText: "nimmst Du nicht teil" }).waitFor(WAIT);
    out.cases.late = { before: lateBefore, after: await late.locator("#vote-status").textContent(),
      formVisible: await late.locator("#ballot-form").isVisible(), radios: await late.getByRole("radio").count() };
    log("case 4 done");

    // 1. The dialog is open (reached by keyboard) and shows the countdown.
    const first = pages.case1;
    out.cases.closed = { code: await chooseByKeyboard(first, "yes") };
    out.cases.closed.dialogCountdown = await first.locator("#confirm #confirm-countdown").textContent();
    await shot(first, "dialog-countdown.png");

    // 2. The answer is lost; the delegate sends the same ballot again from the page.
    const lost = pages.case2;
    await loseNextAnswer(lost);
    const lostCode = await chooseByKeyboard(lost, "no");
    await lost.keyboard.press("Enter"); // the focus is on "Ja, Stimme abgeben"
    await lost.locator("#resend").waitFor({ state: "visible", ...WAIT });
    const waiting = await kept(lost, "evote-pending/");
    out.cases.lost = { code: lostCode, message: await lost.locator("#resend-text").textContent(),
      focused: await lost.evaluate(() => document.activeElement.id), pending: waiting };
    await shot(lost, "lost-answer.png");
    await lost.keyboard.press("Tab");
    await lost.keyboard.press("Enter"); // "Stimme noch einmal senden"
    await lost.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    out.cases.lost.receiptCode = (await lost.locator("#receipt-code").textContent()).trim();
    out.cases.lost.status = await lost.locator("#receipt-title").textContent();
    out.cases.lost.said = await times(lost, "Deine Stimme ist abgegeben.");
    out.cases.lost.pendingAfter = await kept(lost, "evote-pending/");
    out.cases.lost.receipts = (await kept(lost, "evote-receipt/")).map((r) => JSON.parse(r.value).tracking_code);
    await shot(lost, "lost-answer-recovered.png");
    log("case 2 done");

    // 2b. The answer is lost and the delegate reloads: the page sends the kept ballot by itself.
    const reload = pages.case2reload;
    await loseNextAnswer(reload);
    const reloadCode = await chooseByKeyboard(reload, "yes");
    await reload.getByRole("button", { name: "Ja, Stimme abgeben" }).click();
    await reload.locator("#resend").waitFor({ state: "visible", ...WAIT });
    await reload.reload();
    await reload.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    out.cases.reload = { code: reloadCode, receiptCode: (await reload.locator("#receipt-code").textContent()).trim(),
      status: await reload.locator("#receipt-title").textContent(), said: await times(reload, "Deine Stimme ist abgegeben."),
      pendingAfter: await kept(reload, "evote-pending/") };
    log("case 2b done");

    // 3. A shared computer: one person votes and logs out, the next logs in on the same browser.
    const shared = pages.case3;
    await chooseByKeyboard(shared, "abstain");
    await shared.getByRole("button", { name: "Ja, Stimme abgeben" }).click();
    await shared.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    const before = await kept(shared, "evote-receipt/");
    await tabTo(shared, "button.link"); // "Abmelden" in the header, by keyboard
    await Promise.all([shared.waitForURL(`${config.base}/login`), shared.keyboard.press("Enter")]);
    const afterLogout = await kept(shared, "evote-");
    const loggedOut = await shared.locator("#login-done").textContent();
    await login(shared, d.case3next);
    await shared.goto(`${config.base}/vote`);
    await ready(shared);
    out.cases.shared = { before: before.length, afterLogout, loggedOut, receiptVisible: await shared.locator("#receipt").isVisible(),
      status: await shared.locator("#vote-status").textContent() };
    log("case 3 done");

    // 5. Support gives case 5 a new password while their page is open. A vote is open, so one
    //    support person asks and a second confirms (two-person rule); only then the page ends.
    const reset = pages.case5;
    await ready(reset);
    const asked = await call(support, "POST", `/api/support/participants/${d.case5.id}/credentials`);
    assert.equal(asked.status, "confirmation_needed");
    await call(support2, "POST", `/api/support/participants/${d.case5.id}/credentials/confirm`);
    await reset.waitForURL(`${config.base}/login`, WAIT);
    await reset.locator("#login-notice").waitFor(WAIT);
    out.cases.reset = { notice: await reset.locator("#login-notice").textContent() };
    await reset.reload(); // said once
    out.cases.reset.again = await reset.locator("#login-notice").count();
    log("case 5 done");

    // 11. More time: said to whoever can still vote (case 10), not to who has voted (case 2).
    await call(presidium, "POST", `/api/votes/${vote.id}/extend`, { seconds: 120 });
    await pages.case10.waitForFunction(() => window.evoteSaid.some((s) => s.startsWith("Das Präsidium hat verlängert")), null, WAIT);
    await pages.case2.waitForTimeout(1000);

    // 10. A test of the encryption (challenge): short code in the dialog, the button in plain
    //     words, then straight back at the ballot; the second device's check fits the phone.
    const tester = pages.case10;
    await ready(tester);
    const tested = await chooseByKeyboard(tester, "yes");
    out.cases.challenge = { full: tested, short: await tester.locator("#confirm-code-short").textContent(),
      fullVisible: await tester.locator("#confirm-code").isVisible() };
    await tester.getByRole("button", { name: "Verschlüsselung testen (diese Stimme wird danach verworfen und Du stimmst neu ab)" }).click();
    await tester.locator("#challenge").waitFor({ state: "visible", ...WAIT });
    await ready(tester);
    Object.assign(out.cases.challenge, {
      formVisible: await tester.locator("#ballot-form").isVisible(),
      focusInForm: await tester.evaluate(() => Boolean(document.activeElement?.closest("#ballot-questions"))),
      submitReady: await tester.evaluate(() => !document.getElementById("ballot-submit").disabled),
      status: await tester.locator("#vote-status").textContent(),
    });
    await shot(tester, "challenge-back-at-ballot.png");
    const second = await newPage(browser, "second-device");
    await second.goto(await tester.locator("#challenge-link").getAttribute("href"));
    await second.locator("#verify-status.ok, #verify-status.error").waitFor(WAIT);
    out.cases.challenge.verifyOk = (await second.locator("#verify-status").getAttribute("class")) === "ok";
    out.cases.challenge.verifyOverflow = await second.evaluate(() => document.documentElement.scrollWidth > innerWidth);
    await shot(second, "verify-phone.png");
    // a damaged check text: said in German by the error's kind, not in the checker's English
    await second.goto("about:blank"); // (a new fragment alone would not load the page again)
    await second.goto(`${config.base}/verify#p=AAAA-not-a-payload`);
    await second.locator("#verify-status.error").waitFor(WAIT);
    out.cases.challenge.verifyDamaged = await second.locator("#verify-status").textContent();
    out.cases.challenge.cast = await chooseByKeyboard(tester, "no");
    await tester.keyboard.press("Enter"); // "Ja, Stimme abgeben"
    await tester.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    out.cases.challenge.receiptShort = await tester.locator("#receipt-code-short").textContent();
    out.cases.challenge.receiptFullBefore = await tester.locator("#receipt-code").isVisible();
    await tabTo(tester, "#receipt summary");
    await tester.keyboard.press("Enter"); // "ganzen Code zeigen"
    out.cases.challenge.receiptFullAfter = await tester.locator("#receipt-code").isVisible();
    log("case 10 done");

    // 1, continued: the presidium closes the vote while case 1's dialog is still open.
    await call(presidium, "POST", `/api/votes/${vote.id}/close`);
    await first.locator("#vote-closed-note").waitFor({ state: "visible", ...WAIT });
    Object.assign(out.cases.closed, {
      note: await first.locator("#vote-closed-note").textContent(),
      focused: await first.evaluate(() => document.activeElement.id),
      dialogOpen: await first.evaluate(() => document.getElementById("confirm").open),
      formVisible: await first.locator("#ballot-form").isVisible(),
    });
    await shot(first, "closed-before-arrival.png");
    log("case 1 done");

    // 8 and 9. A per-candidate election with long double names: two delegates vote, the
    // presidium closes, the guardians (Python) decrypt, the presidium announces.
    const election = await call(presidium, "POST", "/api/votes", {
      kind: "per_candidate", title: "Wahl der Rechnungsprüfer:innen", candidates: config.longNames,
      seats: 2, majority_rule: "simple", duration_seconds: 900, with_abstain: true,
    });
    await call(presidium, "POST", `/api/votes/${election.id}/open`);
    for (const name of ["case2", "case3"]) {
      const p = pages[name];
      await p.locator("#vote-title", { hasText: "Wahl der Rechnungsprüfer" }).waitFor(WAIT);
      await ready(p);
      // case 2: Ja to everyone; case 3: Nein to the second person
      const sets = await p.locator("#ballot-questions fieldset").all();
      for (const [i, fieldset] of sets.entries()) await fieldset.getByRole("radio").nth(name === "case3" && i === 1 ? 1 : 0).check();
      await p.locator("#ballot-submit").click();
      await p.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
      await p.locator("#confirm-cast").click();
      await p.locator("#receipt").waitFor({ state: "visible", ...WAIT });
    }
    await call(presidium, "POST", `/api/votes/${election.id}/close`);
    for (let i = 0; ; i++) {
      const state = (await call(presidium, "GET", `/api/votes/${election.id}`)).state;
      if (state === "decrypted") break;
      assert.ok(i < 200, `vote ${election.id} stays ${state}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    await call(presidium, "POST", `/api/votes/${election.id}/announce`);
    await projector.locator(".chart-name").first().waitFor(WAIT);
    /** Labels whose text does not fit their box, or that start left of the window. */
    const clipped = (page, root) => page.evaluate((r) => [...document.querySelectorAll(`${r} .chart-label, ${r} .chart-name, ${r} h1, ${r} h3`)]
      .filter((n) => n.offsetParent && (n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().left < 0 || n.getBoundingClientRect().right > innerWidth + 1))
      .map((n) => n.textContent), root);
    out.cases.projector = {
      names: await projector.locator(".chart-name").allTextContents(),
      rowsPerName: await projector.locator(".chart-group").evaluateAll((gs) => gs.map((g) => g.querySelectorAll(".chart-row").length)),
      clipped: await clipped(projector, "#result"),
      bigCount: (await projector.locator("#ballots .big-number").textContent()).trim(),
      whoShown: await projector.locator(".bar .who").isVisible(),
      verdict: await projector.locator("#verdict").textContent(),
    };
    await shot(projector, "projector-long-names.png");
    await axe(projector, "projector-result");

    const voter = pages.case2;
    await voter.locator("#result-card .chart-name").first().waitFor(WAIT);
    out.cases.resultCard = {
      title: await voter.locator("#result-card-title").textContent(),
      names: await voter.locator("#result-card .chart-name").allTextContents(),
      clipped: await clipped(voter, "#result-card"),
      overflowX: await voter.evaluate(() => document.documentElement.scrollWidth > innerWidth),
    };
    await shot(voter, "result-card.png");
    await axe(voter, "delegate-result");
    await tabTo(voter, "#result-card-back");
    await voter.keyboard.press("Enter");
    out.cases.resultCard.focusAfterBack = await voter.evaluate(() => document.activeElement.id);
    out.cases.resultCard.hiddenAfterBack = await voter.locator("#result-card").isHidden();
    await voter.keyboard.press("Enter");
    out.cases.resultCard.reopened = await voter.locator("#result-card").isVisible();
    log("cases 8, 9 done");
    await voter.waitForFunction(() => window.evoteSaid.some((s) => s.startsWith("Ergebnis von")), null, WAIT);
    out.cases.said = {};
    for (const name of ["case2", "case10"]) out.cases.said[name] = await pages[name].evaluate(() => window.evoteSaid);
  } finally {
    await browser.close();
  }
  out.csp = cspViolations;
  out.untranslated = untranslated;
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
