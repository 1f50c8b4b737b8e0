/**
 * A whole vote in Debian's Chromium, driven by playwright-core against a live evote server.
 *
 * Started by tests/server/web/test_browser_vote.py, which runs the server, plays the
 * guardians and moves the server's clock; this script is every person at a browser:
 *   - the presidium sets the agenda item and the livestream, creates and opens a motion;
 *   - three delegates log in, check in and vote; the first challenges its ballot first
 *     (Benaloh), checks it on a "second device" (the verifier page behind the QR code),
 *     then votes again;
 *   - the countdown closes the vote on every page; once the guardians have decrypted, the
 *     presidium announces the result and the projector shows it;
 *   - the bulletin board lists the three tracking codes (the code in the link's fragment, the
 *     signed receipt kept in localStorage and checked); the record is downloaded.
 * It measures what the delegate page loads before the ballot worker starts, saves the
 * screenshots for the README, and prints one JSON line with what Python checks next.
 *
 * With a credentials committee (each delegate's `credential` in the config), the first delegate
 * types a wrong code first (the page says so, and nothing leaves the page but the read of the
 * public check roll), then the right one; the second types it; the third opens the letter's
 * QR-code address (/delegate#credential=…).
 *
 * Config (env EVOTE_E2E, JSON): {base, presidium: {login, password}, delegates: [{login,
 * password, credential?}], wrongCredential?, screenshots, record}.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(path.join(import.meta.dirname, "..", "package.json"));
const { chromium } = require("playwright-core");

const config = JSON.parse(process.env.EVOTE_E2E);
const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };
const log = (...a) => console.error("[e2e]", ...a);
/** What Chromium refused under the pages' Content-Security-Policy: must stay empty. */
const cspViolations = [];
const watchCsp = (page, who) => page.on("console", (m) => {
  if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${who}: ${m.text()}`);
});

async function login(browser, person, viewport) {
  const context = await browser.newContext({ viewport, locale: "de-DE" });
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error", person.login, e.message));
  page.on("console", (m) => log("console", person.login, m.type(), m.text()));
  watchCsp(page, person.login);
  page.on("response", (r) => r.status() >= 400 && log("http", r.status(), r.url()));
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
  return page;
}

/** Bytes the delegate page transfers from navigation until it starts the ballot worker. */
function measureUntilWorker(page) {
  const bodies = [];
  let workerStarted = false;
  page.on("response", (response) => {
    // The live stream never ends, so its body never arrives; its bytes are events, not page.
    if (!workerStarted && !response.url().endsWith("/api/live")) bodies.push(response.body().then((b) => ({ url: response.url(), bytes: b.length })).catch(() => null));
  });
  const started = new Promise((resolve) => page.on("worker", () => { workerStarted = true; resolve(); }));
  return {
    started,
    async total() {
      const items = (await Promise.all(bodies)).filter(Boolean);
      return { bytes: items.reduce((s, x) => s + x.bytes, 0), files: items };
    },
  };
}

/**
 * The voting code, typed (or, with `fromLetter`, opened from the letter's QR-code address).
 * Returns every request the page made meanwhile, so the caller can check what left the page.
 */
async function enterCredential(page, code, { fromLetter = false, expectError = null } = {}) {
  const requests = [];
  const seen = (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? "", headers: r.headers() });
  page.on("request", seen);
  try {
    if (fromLetter) {
      await page.goto(`${config.base}/delegate#credential=${code}`);
      assert.equal(new URL(page.url()).hash, "", "the code is taken out of the address");
    } else {
      await page.locator("#credential-code").fill(code);
      await page.locator("#credential-submit").click();
    }
    if (expectError) {
      await page.locator("#credential-error", { hasText: expectError }).waitFor(WAIT);
    } else {
      await page.locator("#credential-done").waitFor({ state: "visible", ...WAIT });
      assert.equal(await page.locator("#credential-code").inputValue(), "", "the typed code is cleared");
    }
  } finally {
    page.off("request", seen);
  }
  return requests;
}

/** What a delegate reads, in the page's two languages (the third delegate switches to English). */
const UI = {
  de: { checkIn: "Anwesenheit bestätigen", submit: "Stimme abgeben …", sure: "Bist Du Dir sicher?", cast: "Ja, Stimme abgeben",
    yes: "Ja", no: "Nein", opened: "Abstimmung geöffnet: ", left: /Noch (5:00|4:[0-5]\d)/, closed: "Die Abstimmung ist geschlossen." },
  en: { checkIn: "Check in", submit: "Cast vote …", sure: "Are you sure?", cast: "Yes, cast my vote",
    yes: "Yes", no: "No", opened: "Vote open: ", left: /(5:00|4:[0-5]\d) left/, closed: "The vote is closed." },
};
const lang = new WeakMap();
const ui = (page) => UI[lang.get(page) || "de"];

async function choose(page, answer) {
  await page.getByRole("radio", { name: ui(page)[answer], exact: true }).check();
  await submit(page);
}

async function submit(page) {
  await page.getByRole("button", { name: ui(page).submit }).click();
  await page.getByRole("dialog", { name: ui(page).sure }).waitFor(WAIT);
  await page.getByRole("button", { name: ui(page).cast }).waitFor({ state: "visible" });
  await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
}

async function cast(page) {
  await page.getByRole("button", { name: ui(page).cast }).click();
  await page.locator("#receipt").waitFor({ state: "visible", ...WAIT });
  return (await page.locator("#receipt-code").textContent()).trim();
}

async function main() {
  fs.mkdirSync(config.screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const shot = (page, name) => page.screenshot({ path: path.join(config.screenshots, name), fullPage: true });
  try {
    // The presidium prepares the stage.
    const presidium = await login(browser, config.presidium, { width: 1200, height: 900 });
    await presidium.goto(`${config.base}/presidium`);
    for (const item of ["TOP 6: Bericht des Vorstands", "TOP 7: Satzungsänderung"]) {
      await presidium.getByRole("textbox", { name: "Neuer Tagesordnungspunkt" }).fill(item);
      await presidium.getByRole("button", { name: "Hinzufügen" }).click();
      await presidium.locator("#agenda-items li", { hasText: item }).waitFor(WAIT);
    }
    await presidium.getByRole("button", { name: "Aufrufen: TOP 7: Satzungsänderung" }).click();
    await presidium.locator("#agenda-current", { hasText: "TOP 7" }).waitFor(WAIT);
    await presidium.getByRole("textbox", { name: "Livestream-Adresse" }).fill("https://stream.example.org/hall/index.m3u8");
    await presidium.getByRole("button", { name: "Speichern", exact: true }).click();
    await presidium.getByRole("textbox", { name: "Titel", exact: true }).fill("Antrag S1: Satzungsänderung");
    await presidium.getByRole("spinbutton", { name: "Countdown (Sekunden)" }).fill("300");
    await presidium.getByRole("button", { name: "Anlegen" }).click();
    const openButton = presidium.getByRole("button", { name: /^Öffnen/ });
    await openButton.waitFor(WAIT);

    log("presidium ready");
    // Three delegates log in and check in; one is on a phone-sized screen.
    const delegates = [];
    for (const [i, person] of config.delegates.entries()) {
      const page = await login(browser, person, i === 2 ? { width: 390, height: 844 } : { width: 1280, height: 900 });
      const weight = i === 1 ? measureUntilWorker(page) : null;
      if (i === 2) {
        lang.set(page, "en");
        await page.goto(`${config.base}/vote`);
        await page.getByRole("link", { name: "English" }).click();
        await page.locator("html[lang=en]").waitFor(WAIT);
      } else {
        await page.goto(`${config.base}/vote`);
      }
      await page.getByRole("button", { name: ui(page).checkIn }).click();
      await page.locator("#checkin-done").waitFor({ state: "visible", ...WAIT });
      if (person.credential) {
        if (i === 0) {
          // A wrong code (well formed, from another event): told before any vote, and the only
          // request is the read of the public check roll, which carries nothing of the code.
          const sent = await enterCredential(page, config.wrongCredential, { expectError: "Dieser Zugangscode passt nicht zu Deinem Konto" });
          const compact = config.wrongCredential.replaceAll("-", "");
          const calls = sent.filter((r) => !new URL(r.url).pathname.startsWith("/js/")); // the worker's own modules
          assert.deepEqual(calls.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`), ["GET /api/committee/slots/0"]);
          assert.ok(!JSON.stringify(sent).includes(compact.slice(0, 5)), "the code left the page");
        }
        if (i === 2) await enterCredential(page, person.credential, { fromLetter: true });
        else await enterCredential(page, person.credential.toLowerCase().replaceAll("-", " "));
        if (i === 2) await page.locator("#agenda-title", { hasText: "TOP 7" }).waitFor(WAIT);
      }
      await page.locator("#agenda-title", { hasText: "TOP 7" }).waitFor(WAIT);
      delegates.push({ page, weight });
    }
    log("projector login");
    const projector = await login(browser, config.presidium, { width: 1280, height: 720 });
    await projector.goto(`${config.base}/projector`);

    log("delegates checked in");
    // The presidium opens the vote: every page announces it and shows the countdown.
    log("projector open; opening the vote");
    await openButton.click();
    log("clicked open");
    for (const { page } of delegates) {
      await page.locator("#announce", { hasText: `${ui(page).opened}Antrag S1` }).waitFor({ state: "attached", ...WAIT });
      // 300 s on the server's clock, which runs two hours ahead of this machine's.
      await page.locator("#countdown", { hasText: ui(page).left }).waitFor(WAIT);
      await page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
    }
    await delegates[1].weight.started;
    const weight = await delegates[1].weight.total();
    await shot(delegates[1].page, "delegate.png");
    await shot(delegates[2].page, "delegate-phone.png");

    log("vote open on every page");
    // Delegate 1 challenges an encryption of "Ja" first.
    const first = delegates[0].page;
    await choose(first, "yes");
    assert.match(await first.locator("#confirm-choice").textContent(), /Antrag S1: Satzungsänderung: Ja/);
    await first.locator("#confirm-code").waitFor({ state: "attached", ...WAIT }); // the full code, behind "ganzen Code zeigen"
    const challengedCode = (await first.locator("#confirm-code").textContent()).trim();
    await shot(first, "confirm.png");
    await first.getByRole("button", { name: "Verschlüsselung testen (diese Stimme wird danach verworfen und Du stimmst neu ab)" }).click();
    await first.locator("#challenge").waitFor({ state: "visible", ...WAIT });
    assert.match(await first.locator("#challenge-choice").textContent(), /: Ja$/);
    await first.locator("#challenge-qr svg").waitFor(WAIT);
    await shot(first, "challenge.png");
    const verifyUrl = await first.locator("#challenge-link").getAttribute("href");
    assert.ok(verifyUrl.includes("/verify#"), verifyUrl);

    log("challenged");
    // The second device (not logged in) opens the QR code's link and checks the ballot.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    watchCsp(phone, "phone");
    await phone.goto(verifyUrl);
    await phone.locator("#verify-status.ok, #verify-status.error").waitFor(WAIT);
    const verdict = await phone.locator("#verify-status").textContent();
    assert.match(verdict, /Prüfung bestanden/, verdict);
    assert.ok(verdict.includes(challengedCode), verdict);
    assert.match(await phone.locator("#verify-choice").textContent(), /Satzungsänderung: Ja$/);
    // The same check text in the standalone file from the release, opened from disk.
    const challengePayload = await first.locator("#challenge-payload").inputValue();
    assert.ok(verifyUrl.endsWith(challengePayload));
    await phone.goto(pathToFileURL(path.join(import.meta.dirname, "..", "challenge-check.html")).href);
    await phone.locator("#payload").fill(challengePayload);
    await phone.locator("#check").click(); // the file speaks the browser's language
    await phone.locator("#status.ok, #status.error").waitFor(WAIT);
    assert.equal(await phone.locator("#status").getAttribute("class"), "ok", await phone.locator("#status").textContent());
    assert.equal(await phone.locator("#code").textContent(), challengedCode);
    assert.match(await phone.locator("#choice").textContent(), /Satzungsänderung: (Ja|Yes)$/);

    log("second device checked");
    // Then votes for real.
    // after the test the page is back at the ballot by itself (issue 12, item 10)
    await first.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
    await choose(first, "yes");
    const codes = [await cast(first)];
    assert.notEqual(codes[0], challengedCode);
    await choose(delegates[1].page, "yes");
    codes.push(await cast(delegates[1].page));
    // A reload during the vote: the page knows it has voted and shows the code again.
    await delegates[1].page.reload();
    await delegates[1].page.locator("#receipt-code", { hasText: codes[1] }).waitFor({ state: "attached", ...WAIT });
    // said once, by the receipt's heading (issue 12, item 7), not again in the status line
    assert.equal(await delegates[1].page.locator("#receipt-title").textContent(), "Deine Stimme ist abgegeben.");
    assert.equal(await delegates[1].page.locator("#vote-status").textContent(), "");
    assert.ok(await delegates[1].page.locator("#receipt").isVisible()); // the receipt says it has voted
    await choose(delegates[2].page, "no");
    codes.push(await cast(delegates[2].page));
    log("cast", codes);

    log("all cast");
    // The countdown runs out on the server; every page shows the vote closed.
    for (const { page } of delegates) {
      await page.locator("#vote-status", { hasText: ui(page).closed }).waitFor(WAIT);
    }

    log("closed");
    // Once the guardians have decrypted, the presidium announces; the projector shows it.
    const announce = presidium.getByRole("button", { name: "Ergebnis verkünden" });
    await announce.waitFor({ timeout: 3 * WAIT.timeout });
    await announce.click();
    await projector.locator("#verdict", { hasText: "Angenommen" }).waitFor(WAIT);
    // the result card inside /vote (delegate 3 reads English)
    await delegates[2].page.locator("#result-card", { hasText: /Angenommen|Adopted/ }).waitFor(WAIT);
    const verdictText = await projector.locator("#verdict").textContent();
    const chart = await projector.locator("#chart").textContent();
    await shot(projector, "projector.png");
    await presidium.locator("#on-projector", { hasText: "Auf dem Beamer" }).waitFor({ state: "attached", ...WAIT });
    await shot(presidium, "presidium.png");

    log("projector shows result");
    // The bulletin board, reached from the receipt's link, lists all three codes.
    const receiptSignature = await first.locator("#receipt").getAttribute("data-signature");
    const receiptWarned = await first.locator("#receipt-warning").isVisible();
    await first.locator("#receipt-board").click();
    await first.locator("#board-cast li").first().waitFor(WAIT);
    const boardUrl = first.url();
    const kept = await first.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("evote-receipt/v1/")).map((k) => JSON.parse(localStorage.getItem(k))));
    const board = (await first.locator("#board-cast li").allTextContents()).map((s) => s.trim());
    const boardStatus = await first.locator("#board-status").textContent();
    const spoiled = (await first.locator("#board-spoiled li").allTextContents()).map((s) => s.trim());
    const recordHref = await first.locator("a[download]").getAttribute("href");
    // A code this device holds a receipt for but the board lacks: the page offers the complaint
    // file.  (The receipt is made up here, so the verifier must refuse it: its signature fails.)
    const missing = "ABCDEF0123";
    await first.evaluate(([receipt, code]) => {
      localStorage.setItem(`evote-receipt/v1/0/${receipt.vote_id}`, JSON.stringify({ ...receipt, tracking_code: code }));
    }, [kept[0], missing]);
    await first.goto(boardUrl.replace(/#.*$/, `#code=${missing}`));
    await first.reload();
    await first.locator("#board-complaint-link").waitFor(WAIT);
    const [download] = await Promise.all([first.waitForEvent("download", WAIT), first.locator("#board-complaint-link").click()]);
    const complaintFile = { name: download.suggestedFilename(), body: fs.readFileSync(await download.path(), "utf-8") };
    const missingStatus = await first.locator("#board-status").textContent();

    // A second vote: an election, 2 of 3.  The pages re-initialise the worker for it.
    log("election");
    await presidium.getByRole("combobox", { name: "Art", exact: true }).selectOption("election");
    await presidium.getByRole("textbox", { name: "Titel", exact: true }).fill("Wahl des Vorstands");
    await presidium.getByRole("textbox", { name: "Kandidierende (eine Person je Zeile)" }).fill("Ada\nBert\nCem");
    await presidium.locator("#v-seats").fill("2"); // "Wie viele Personen darf man höchstens ankreuzen?"
    // the rule and its base, stated before the vote opens (issue 15: 2 of 2 ballots were once
    // "Niemand gewählt" because the base was silently the roll)
    await presidium.getByRole("combobox", { name: "Mehrheit" }).selectOption("absolute");
    await presidium.getByRole("combobox", { name: "gemessen an" }).selectOption("valid");
    await presidium.getByRole("button", { name: "Anlegen" }).click();
    const electionRule = await presidium.locator("li", { hasText: "Wahl des Vorstands" }).locator(".rule").textContent();
    await presidium.getByRole("button", { name: /^Öffnen/ }).click();
    const marks = [["Ada", "Cem"], ["Ada"], ["Bert", "Cem"]];
    for (const [i, { page }] of delegates.entries()) {
      if (i === 0) await page.goto(`${config.base}/vote`); // back from the bulletin board
      // The code lived in the ballot worker of the page that was left (the first delegate) or
      // reloaded (the second): the page asks again.
      if (config.delegates[i].credential && i < 2) {
        await page.locator("#credential-code").waitFor({ state: "visible", ...WAIT });
        await enterCredential(page, config.delegates[i].credential);
      }
      await page.locator("#vote-title", { hasText: "Wahl des Vorstands" }).waitFor(WAIT);
      await page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
      for (const name of marks[i]) await page.getByRole("checkbox", { name }).check();
      if (i === 0) assert.equal(await page.getByRole("checkbox", { name: "Bert" }).isDisabled(), true);
      await submit(page);
      assert.match(await page.locator("#confirm-choice").textContent(), new RegExp(`Wahl des Vorstands: ${marks[i].join(", ")}`));
      await cast(page);
    }
    const announceElection = presidium.locator("li", { hasText: "Wahl des Vorstands" }).getByRole("button", { name: "Ergebnis verkünden" });
    await announceElection.waitFor({ timeout: 3 * WAIT.timeout });
    await announceElection.click();
    await projector.locator("#result-title", { hasText: "Wahl des Vorstands" }).waitFor(WAIT);
    await projector.locator("#verdict", { hasText: "Gewählt" }).waitFor(WAIT);
    const electionVerdict = await projector.locator("#verdict").textContent();
    const electionThreshold = await projector.locator("#threshold").textContent();
    const electionChart = await projector.locator("#chart").textContent();
    await shot(projector, "projector-election.png");
    const voteIds = await presidium.locator("#votes li").evaluateAll((items) => items.map((li) => Number(li.dataset.vote)).sort((a, b) => a - b));

    const record = await first.request.get(`${config.base}${recordHref}`);
    assert.equal(record.status(), 200);
    fs.writeFileSync(config.record, await record.body());

    console.log(JSON.stringify({ codes, challengedCode, challengePayload, board, spoiled, boardStatus, boardUrl, kept, receiptSignature, receiptWarned, complaintFile, missingStatus,
      verdict: verdictText, chart, weight,
      electionVerdict, electionChart, electionRule, electionThreshold, voteIds, csp: cspViolations }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
