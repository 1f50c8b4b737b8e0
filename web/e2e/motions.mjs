/**
 * A motion from submission to the adopted text, in Debian's Chromium (issue 16's "done when").
 *
 * Started by tests/server/web/test_browser_motions.py, which runs the server, plays the
 * guardians and moves the server's clock (as for the whole vote); this script is every person
 * at a browser:
 *   - the motions committee creates the kinds of motion (S, P, A) on /motions;
 *   - delegate 1, on a phone, writes motion A and submits it; the committee admits and numbers
 *     it (A1);
 *   - delegate 2 writes an amendment by editing the motion's text (2035 -> 2030), submits it;
 *     the committee admits it (Ä1 zu A1, Zeile 2) and recommends adopting it;
 *   - the presidium opens the amendment vote from the motion page with one click; three
 *     delegates cast real encrypted ballots on /vote; the countdown closes it on the server,
 *     the guardians decrypt, the presidium announces on the console; the motion's text moves on;
 *   - the presidium opens the final vote, the delegates adopt it, it is announced, and the
 *     motion reads "in geänderter Fassung angenommen".
 * It checks the amendment's reason with a <script> in it is shown as text and never runs, has the
 * committee publish the list and a visitor without an account read it, runs axe-core on the
 * motion pages (delegate, committee with every tool open, presidium, the public list), saves screenshots of the motion page with its diff (wide and
 * phone), downloads the final vote's record and the resolutions book, and prints one JSON line
 * for the Python side.
 *
 * Config (env EVOTE_E2E, JSON): {base, committee, presidium, delegates: [3 x {login, password}],
 * screenshots, record, resolutions}.
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
const log = (...a) => console.error("[e2e]", ...a);
const cspViolations = [];
const axeFound = {};

const MOTION_TEXT = `Die Versammlung möge beschließen:

Der Parteitag fordert eine **klimaneutrale** Verwaltung bis 2035.
Dazu werden alle Dienstgebäude saniert.

- Photovoltaik auf jedem geeigneten Dach
- Wärmepumpen statt Gasheizungen

Die Finanzierung erfolgt aus dem Klimafonds.`;
const SCRIPT_REASON = "Schneller ist besser. <script>window.pwned = 1</script> <img src=x onerror=\"window.pwned = 2\">";

async function login(browser, person, viewport) {
  const context = await browser.newContext({ viewport, locale: "de-DE" });
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error", person.login, e.message));
  page.on("console", (m) => {
    log("console", person.login, m.type(), m.text());
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${person.login}: ${m.text()}`);
  });
  page.on("response", (r) => r.status() >= 400 && log("http", r.status(), r.url()));
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
  return page;
}

/** axe-core in the page (evaluated through the devtools protocol, so the page's CSP stays). */
async function axe(page, name) {
  await page.evaluate(`${AXE}\n;0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  axeFound[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/** Click a step's button and wait for the page the step reloads (its "done" notice). */
async function step(page, button) {
  await Promise.all([page.waitForEvent("load", WAIT), button.click()]);
  await page.locator("#done").waitFor({ state: "visible", ...WAIT });
}

async function vote(page, answer, title) {
  await page.goto(`${config.base}/vote`);
  await page.locator("#vote-title", { hasText: title }).waitFor(WAIT);
  await page.waitForFunction(() => !document.getElementById("ballot-submit").disabled, null, WAIT);
  await page.getByRole("radio", { name: answer, exact: true }).check();
  await page.getByRole("button", { name: "Stimme abgeben …" }).click();
  await page.getByRole("dialog", { name: "Bist Du Dir sicher?" }).waitFor(WAIT);
  await page.waitForFunction(() => !document.getElementById("confirm-cast").disabled, null, WAIT);
  await page.getByRole("button", { name: "Ja, Stimme abgeben" }).click();
  await page.locator("#receipt").waitFor({ state: "visible", ...WAIT });
}

/** Everyone votes, the countdown ends on the server, the guardians decrypt, the presidium announces. */
async function decide(presidium, delegates, answers, title) {
  for (const [i, page] of delegates.entries()) await vote(page, answers[i], title);
  log("cast", title);
  await presidium.goto(`${config.base}/presidium`);
  const announce = presidium.locator("li", { hasText: title }).getByRole("button", { name: "Ergebnis verkünden" });
  await announce.waitFor({ timeout: 3 * WAIT.timeout });
  await announce.click();
  await presidium.locator("li", { hasText: title }).getByText("Auf dem Beamer").waitFor({ state: "attached", ...WAIT });
  log("announced", title);
}

async function main() {
  fs.mkdirSync(config.screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const shot = (page, name) => page.screenshot({ path: path.join(config.screenshots, name), fullPage: true });
  try {
    // The committee sets up the kinds of motion.
    const committee = await login(browser, config.committee, { width: 1200, height: 900 });
    await committee.goto(`${config.base}/motions`);
    await committee.getByText("Einstellungen der Antragskommission").click();
    await step(committee, committee.getByRole("button", { name: "Antragsarten anlegen (S, P, A)" }));
    await committee.getByRole("heading", { name: "Sonstige Anträge (A)" }).waitFor(WAIT);

    // Delegate 1, on a phone, writes the motion and submits it.
    const [author, amender, third] = [
      await login(browser, config.delegates[0], { width: 390, height: 844 }),
      await login(browser, config.delegates[1], { width: 1280, height: 900 }),
      await login(browser, config.delegates[2], { width: 1280, height: 900 }),
    ];
    await author.locator("main").getByRole("link", { name: "Anträge", exact: true }).click();
    await author.getByText("Neuer Antrag").click();
    await author.getByRole("combobox", { name: "Antragsart" }).selectOption({ label: "A: Sonstige Anträge" });
    await author.getByRole("textbox", { name: "Titel" }).fill("Klimaneutrale Verwaltung");
    await author.getByRole("textbox", { name: "Antragstext" }).fill(MOTION_TEXT);
    await author.getByRole("textbox", { name: "Begründung" }).fill("Weil es Zeit wird.");
    await Promise.all([author.waitForURL(/\/motions\/\d+$/, WAIT), author.getByRole("button", { name: "Als Entwurf anlegen" }).click()]);
    const motionUrl = author.url();
    const motionId = Number(motionUrl.match(/\/motions\/(\d+)$/)[1]);
    await step(author, author.getByRole("button", { name: "Einreichen" }));
    assert.equal((await author.locator("h1 + .meta .mstate").textContent()).trim(), "eingereicht");
    log("motion submitted", motionId);

    // The committee admits and numbers it.
    await committee.goto(motionUrl);
    await step(committee, committee.getByRole("button", { name: "Zulassen", exact: true }));
    await committee.locator("h1 .mlabel", { hasText: "A1" }).waitFor(WAIT);

    // Delegate 2 writes an amendment by editing the text, and submits it.
    await amender.goto(motionUrl);
    await amender.getByText("Änderungsantrag stellen").click();
    const editor = amender.locator("#amend-text");
    await editor.fill((await editor.inputValue()).replace("bis 2035.", "bis 2030."));
    await amender.getByRole("textbox", { name: "Kurztitel (freiwillig)" }).fill("Fünf Jahre früher");
    await amender.locator("#amend-reason").fill(SCRIPT_REASON);
    await Promise.all([amender.waitForEvent("load", WAIT), amender.getByRole("button", { name: "Änderungsantrag als Entwurf anlegen" }).click()]);
    await amender.waitForURL(/#a\d+$/, WAIT);
    const amendmentId = Number(amender.url().match(/#a(\d+)$/)[1]);
    const article = (page) => page.locator(`#a${amendmentId}`);
    await step(amender, article(amender).getByRole("button", { name: "Einreichen" }));
    log("amendment submitted", amendmentId);

    // The committee admits it and recommends adopting it.
    await committee.goto(motionUrl);
    await step(committee, article(committee).getByRole("button", { name: "Zulassen", exact: true }));
    await article(committee).locator("details.committee > summary").click();
    await article(committee).getByRole("combobox", { name: "Empfehlung der Antragskommission" }).selectOption("adopt");
    await article(committee).getByRole("textbox", { name: "Begründung der Empfehlung" }).fill("Machbar und dringend.");
    await step(committee, article(committee).getByRole("button", { name: "Empfehlung speichern" }));
    const amendmentHeading = (await article(committee).locator("h3 .mlabel").textContent()).trim();
    // every tool of the committee open, for axe-core
    await committee.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    await axe(committee, "committee");
    // the committee publishes the list; a visitor without an account reads it
    await committee.goto(`${config.base}/motions`);
    await committee.getByText("Einstellungen der Antragskommission").click();
    await step(committee, committee.getByRole("button", { name: "Öffentliche Antragsliste einschalten" }));
    const publicUrl = await committee.getByRole("link", { name: "Öffentliche Antragsliste" }).getAttribute("href");
    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "de-DE" })).newPage();
    await visitor.goto(`${config.base}${publicUrl}`);
    const publicText = await visitor.locator("main").textContent();
    await axe(visitor, "public");

    // Delegates read it: line numbers, the amendment as a diff, the reason as text.
    await amender.goto(motionUrl);
    await author.goto(motionUrl);
    const diffDeleted = (await article(amender).locator(".diff del").allTextContents()).map((s) => s.trim());
    const diffInserted = (await article(amender).locator(".diff ins").allTextContents()).map((s) => s.trim());
    await article(amender).locator("details:not(.tools) > summary").click();
    const reasonShown = await article(amender).locator("details .motion-text").textContent();
    const pwned = await amender.evaluate(() => window.pwned ?? null);
    const injected = await amender.evaluate(() => document.querySelectorAll("main script, main img, main iframe").length);
    const lineNumbers = await author.locator(".motion-text:not(.diff) .no").allTextContents();
    await shot(amender, "motion.png");
    await shot(author, "motion-phone.png");
    await axe(author, "motion");
    await author.goto(`${config.base}/motions`);
    await axe(author, "motions");
    log("read");

    // The presidium opens the amendment vote from the motion page (reached from the console).
    const presidium = await login(browser, config.presidium, { width: 1200, height: 900 });
    await presidium.goto(`${config.base}/presidium`);
    await presidium.locator("main").getByRole("link", { name: /^Anträge:/ }).click();
    await presidium.getByRole("link", { name: /A1 Klimaneutrale Verwaltung/ }).click();
    await axe(presidium, "presidium");
    await article(presidium).getByRole("button", { name: "Abstimmung über Ä1 zu A1 öffnen" }).click();
    await step(presidium, presidium.getByRole("button", { name: "Ja, öffnen" }));
    const amendmentVoteTitle = "Ä1 zu A1, Zeile 2: Fünf Jahre früher";
    await decide(presidium, [author, amender, third], ["Ja", "Ja", "Nein"], amendmentVoteTitle);

    await presidium.goto(motionUrl);
    await article(presidium).locator(".mstate", { hasText: "angenommen" }).waitFor(WAIT);
    const amendedLine = await presidium.locator("#z2 .tx").textContent();
    // The final vote, on the text as amended.
    await presidium.getByRole("button", { name: "Schlussabstimmung über A1 öffnen" }).click();
    await step(presidium, presidium.getByRole("button", { name: "Ja, öffnen" }));
    await decide(presidium, [author, amender, third], ["Ja", "Ja", "Enthaltung"], "A1: Klimaneutrale Verwaltung");

    await author.goto(motionUrl);
    const finalState = (await author.locator("h1 + .meta .mstate").textContent()).trim();
    const versionLine = await author.locator("article > p.muted.small").first().textContent();
    await shot(author, "motion-adopted-phone.png");
    const motion = await (await author.request.get(`${config.base}/api/motions/${motionId}`)).json();
    const final = motion.votes.find((v) => v.purpose === "final");
    const record = await author.request.get(`${config.base}/api/votes/${final.vote_id}/record.zip`);
    assert.equal(record.status(), 200);
    fs.writeFileSync(config.record, await record.body());
    const resolutions = await author.request.get(`${config.base}/motions/resolutions.pdf`);
    assert.equal(resolutions.status(), 200);
    fs.writeFileSync(config.resolutions, await resolutions.body());

    console.log(JSON.stringify({
      motionId, amendmentId, amendmentHeading, diffDeleted, diffInserted, reasonShown, pwned, injected,
      lineNumbers, amendedLine, finalState, versionLine, motion, publicUrl, publicText, axe: axeFound, csp: cspViolations,
    }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
