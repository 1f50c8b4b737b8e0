/**
 * Every kind of issue 15 in Debian's Chromium, from opening to the announced result.
 *
 * Started by tests/server/web/test_browser_kinds.py (live server, guardians, the server's
 * clock); this script is every person at a browser: the presidium creates each vote on the
 * console's form and opens it, three delegates vote (the first two are in the group
 * "Frauen"), the presidium announces, the projector shows the result:
 *   1. an election with overall No (Gesamtnein), which wins;
 *   2. a Frauenvotum (only the group votes; the third delegate is told so);
 *   3. an open vote (offene Abstimmung), labelled, counted without guardians;
 *   4. a roll-call vote (namentliche Abstimmung), each name with its choice on the projector;
 *   5. a tie at the last seat, drawn by lot with the presidium's announced value;
 *   6. a tie opened as a runoff (Stichwahl) with one click, and its second round;
 *   7. quota seats on one ballot, each seat with its rule.
 * Prints one JSON line with what Python checks next.
 *
 * Config (env EVOTE_E2E, JSON): {base, presidium: {login, password}, delegates: [{login, password}]}.
 */

import assert from "node:assert/strict";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(import.meta.dirname, "..", "package.json"));
const { chromium } = require("playwright-core");

const config = JSON.parse(process.env.EVOTE_E2E);
const CHROMIUM = process.env.EVOTE_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };
const log = (...a) => console.error("[e2e]", ...a);
const csp = [];

async function login(browser, person, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "de-DE" });
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error", person.login, e.message));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    log("console", person.login, m.type(), m.text());
  });
  page.on("response", (r) => r.status() >= 400 && log("http", r.status(), r.url()));
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
  return page;
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const seen = { csp };
  try {
    const presidium = await login(browser, config.presidium, { width: 1300, height: 1000 });
    await presidium.goto(`${config.base}/presidium`);
    const delegates = [];
    for (const person of config.delegates) {
      const page = await login(browser, person);
      await page.goto(`${config.base}/vote`);
      await page.getByRole("button", { name: "Anwesenheit bestätigen" }).click();
      await page.locator("#checkin-done").waitFor({ state: "visible", ...WAIT });
      delegates.push(page);
    }
    const projector = await login(browser, config.presidium);
    await projector.goto(`${config.base}/projector`);
    const form = presidium.locator("#vote-form");

    /** The console's form, every field set (the form keeps some between votes). */
    async function create(v) {
      await form.getByRole("combobox", { name: "Art", exact: true }).selectOption(v.kind || "motion");
      await form.getByRole("combobox", { name: "Abstimmungsart" }).selectOption(v.secrecy || "secret");
      await form.getByRole("textbox", { name: "Titel", exact: true }).fill(v.title);
      if (v.candidates) {
        await form.getByRole("textbox", { name: "Kandidierende (eine Person je Zeile)" }).fill(v.candidates.join("\n"));
        await presidium.locator("#v-seats").fill(String(v.seats || 1));
        await form.locator("#v-overall-no").setChecked(Boolean(v.overallNo));
        await form.locator("#v-quota-mode").selectOption(v.quotaMode || "none");
        await form.locator("#v-quota-members").fill((v.quotaMembers || []).join("\n"));
      }
      await form.getByRole("combobox", { name: "Mehrheit", exact: true }).selectOption(v.rule || "simple");
      await form.getByRole("textbox", { name: "Nur diese Gruppe stimmt ab" }).fill(v.group || "");
      await form.getByRole("spinbutton", { name: "Countdown (Sekunden)" }).fill("300");
      await form.getByRole("button", { name: "Anlegen" }).click();
      const item = presidium.locator("#votes li", { hasText: v.title });
      await item.waitFor(WAIT);
      return item;
    }

    async function open(item) {
      await item.getByRole("button", { name: /^Öffnen/ }).click();
    }

    /** Each delegate marks `marks[i]` (checkbox labels, or a radio answer); null: not on the roll. */
    async function vote(title, marks, { secret = true } = {}) {
      for (const [i, page] of delegates.entries()) {
        await page.locator("#vote-title", { hasText: title }).waitFor(WAIT);
        if (marks[i] === null) continue;
        await page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
        for (const label of marks[i].check || []) await page.getByRole("checkbox", { name: label, exact: true }).check();
        if (marks[i].radio) await page.getByRole("radio", { name: marks[i].radio, exact: true }).check();
        await page.getByRole("button", { name: "Stimme abgeben …" }).click();
        await page.getByRole("dialog", { name: "Bist Du Dir sicher?" }).waitFor(WAIT);
        await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
        await page.getByRole("button", { name: "Ja, Stimme abgeben" }).click();
        if (secret) await page.locator("#receipt").waitFor({ state: "visible", ...WAIT });
        else await page.locator("#vote-status", { hasText: "gezählt" }).waitFor(WAIT);
      }
    }

    async function announce(item, title) {
      const button = item.getByRole("button", { name: "Ergebnis verkünden" });
      await button.waitFor({ timeout: 3 * WAIT.timeout });
      await button.click();
      await projector.locator("#result-title", { hasText: title }).waitFor(WAIT);
      return (await projector.locator("#verdict").textContent()).trim();
    }

    const sure = async () => {
      await presidium.locator("#sure-yes").waitFor({ state: "visible", ...WAIT });
      await presidium.locator("#sure-yes").click();
    };

    // 1. Overall No wins a one-seat election.
    log("overall no");
    let item = await create({ kind: "election", title: "Kassenprüfung", candidates: ["Ada"], overallNo: true, rule: "absolute" });
    await open(item);
    await delegates[0].getByRole("checkbox", { name: "Nein zu allen (Gesamtnein)" }).waitFor(WAIT);
    await vote("Kassenprüfung", [{ check: ["Nein zu allen (Gesamtnein)"] }, { check: ["Nein zu allen (Gesamtnein)"] }, { check: ["Ada"] }]);
    seen.overallNo = await announce(item, "Kassenprüfung");

    // 2. A Frauenvotum: only the group's delegates vote.
    log("frauenvotum");
    item = await create({ title: "Frauenvotum zu A3", group: "Frauen" });
    seen.electorateLabel = (await item.locator(".electorate").textContent()).trim();
    await open(item);
    await delegates[2].locator("#vote-status", { hasText: "beschränkt" }).waitFor(WAIT);
    seen.notInGroup = (await delegates[2].locator("#vote-status").textContent()).trim();
    await vote("Frauenvotum zu A3", [{ radio: "Ja" }, { radio: "Ja" }, null]);
    seen.frauenvotum = await announce(item, "Frauenvotum zu A3");

    // 3. An open vote: labelled, counted at the close without guardians.
    log("open vote");
    item = await create({ title: "Tagesordnung annehmen", secrecy: "open" });
    seen.consoleOpenLabel = (await item.locator(".secrecy").textContent()).trim();
    await open(item);
    await delegates[0].locator("#vote-secrecy", { hasText: "Offene Abstimmung" }).waitFor(WAIT);
    seen.delegateOpenLabel = (await delegates[0].locator("#vote-secrecy").textContent()).trim();
    await projector.locator("#live-title", { hasText: "offene Abstimmung" }).waitFor(WAIT);
    seen.projectorLiveLabel = (await projector.locator("#live-title").textContent()).trim();
    await vote("Tagesordnung annehmen", [{ radio: "Ja" }, { radio: "Nein" }, { radio: "Ja" }], { secret: false });
    seen.openVote = await announce(item, "Tagesordnung annehmen");
    seen.openTitle = (await projector.locator("#result-title").textContent()).trim();

    // 4. A roll call: each name with its choice, after the close.
    log("roll call");
    item = await create({ title: "Namentlich: A7", secrecy: "roll_call" });
    await open(item);
    await delegates[1].locator("#vote-secrecy", { hasText: "Namentliche Abstimmung" }).waitFor(WAIT);
    await vote("Namentlich: A7", [{ radio: "Ja" }, { radio: "Nein" }, { radio: "Enthaltung" }], { secret: false });
    seen.rollCall = await announce(item, "Namentlich: A7");
    await projector.locator("#roll-call").waitFor(WAIT);
    seen.rollCallRows = (await projector.locator("#roll-call tr").allTextContents()).map((s) => s.trim());

    // 5. A tie at the last seat, broken by lot with the announced value.
    log("lot");
    item = await create({ kind: "election", title: "Schriftführung", candidates: ["Ada", "Bo"] });
    await open(item);
    await vote("Schriftführung", [{ check: ["Ada"] }, { check: ["Bo"] }, { check: [] }]);
    seen.tie = await announce(item, "Schriftführung");
    // the panel is drawn first and filled when the proposal arrives: wait for its words
    await item.locator(".rounds-panel p", { hasText: /\S/ }).first().waitFor(WAIT);
    seen.tieProposal = (await item.locator(".rounds-panel p", { hasText: /\S/ }).first().textContent()).trim();
    await item.getByRole("textbox", { name: "Angesagter Wert für das Los" }).fill("Herz Dame");
    await item.getByRole("button", { name: "Los ziehen" }).click();
    await sure();
    item = presidium.locator("#votes li", { hasText: "Schriftführung" });
    await item.locator(".lot").waitFor(WAIT);
    seen.lotLine = (await item.locator(".lot").textContent()).trim();

    // 6. A tie opened as a runoff with one click, then its second round.
    log("runoff");
    item = await create({ kind: "election", title: "Beisitz", candidates: ["Cem", "Dag", "Eli"] });
    await open(item);
    await vote("Beisitz", [{ check: ["Cem"] }, { check: ["Dag"] }, { check: ["Eli"] }]);
    seen.firstRound = await announce(item, "Beisitz");
    await item.locator(".rounds-panel p", { hasText: "Gleichstand" }).waitFor(WAIT);
    await item.getByRole("button", { name: "Nächsten Wahlgang öffnen" }).click();
    await sure();
    const second = presidium.locator("#votes li", { hasText: "Beisitz – 2. Wahlgang" });
    await second.waitFor(WAIT);
    await vote("Beisitz – 2. Wahlgang", [{ check: ["Dag"] }, { check: ["Dag"] }, { check: ["Cem"] }]);
    seen.secondRound = await announce(second, "Beisitz – 2. Wahlgang");

    // 7. Quota seats on one ballot: each seat with its rule.
    log("quota");
    item = await create({ kind: "election", title: "Vorstand", candidates: ["Bo", "Ada", "Cem"], seats: 2,
      quotaMode: "one_ballot", quotaMembers: ["Ada"] });
    await open(item);
    const cross = { check: ["Bo", "Cem"] };
    await vote("Vorstand", [cross, cross, { check: ["Bo", "Ada"] }]);
    seen.quota = await announce(item, "Vorstand");
    seen.voteIds = await presidium.locator("#votes li").evaluateAll((items) => items.map((li) => Number(li.dataset.vote)).sort((a, b) => a - b));
    console.log(JSON.stringify(seen));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
