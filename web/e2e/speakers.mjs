/**
 * The speakers' list with the technician check, in Debian's Chromium with a fake camera and
 * microphone (issue 17): a delegate asks to speak, the presidium marks them "next", the
 * delegate runs the self-test and presses "bereit", a technician takes them from the queue and
 * sees their picture over a real WebRTC connection on loopback (frames counted), says "ok" with
 * a note the delegate reads and hands over "live"; the studio page shows them full-screen with
 * the lower third, the presidium gives them the floor and the studio counts the speaking time
 * down; the projector and the console show the list and the time. Then the delegate's page closes: "Verbindung verloren".
 *
 * Started by tests/server/web/test_browser_speakers.py, which seats the people and opens the
 * list; prints one JSON line with what Python checks next. Config (env EVOTE_E2E, JSON):
 * {base, presidium, technician, delegate: {login, password, id, name}, entryId, screenshots}.
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
  "--disable-component-update", "--disable-sync", "--no-first-run",
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required"];
const WAIT = { timeout: Number(process.env.EVOTE_E2E_WAIT || 60_000) };
const log = (...a) => console.error("[e2e]", ...a);
const out = { axe: {}, csp: [], errors: [] };

async function newPage(browser, who, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: "de-DE" });
  await context.grantPermissions(["camera", "microphone"], { origin: config.base });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    log("page error", who, e.message);
    out.errors.push(`${who}: ${e.message}`);
  });
  page.on("console", (m) => {
    log("console", who, m.type(), m.text());
    if (/Content Security Policy/i.test(m.text())) out.csp.push(`${who}: ${m.text()}`);
  });
  return page;
}

async function login(page, person, next) {
  await page.goto(`${config.base}/login`);
  await page.fill("#login", person.login);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${config.base}/`), page.click("form button[type=submit]")]);
  if (next) await page.goto(`${config.base}${next}`);
}

async function axe(page, name) {
  await page.evaluate(`${AXE}\n;0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  out.axe[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/** Frames decoded so far by the <video> `selector` and its size (0 until a picture arrives). */
const frames = (page, selector) => page.evaluate((s) => {
  const v = document.querySelector(s);
  const tracks = v?.srcObject?.getVideoTracks?.() ?? [];
  return { tracks: tracks.length, frames: v?.getVideoPlaybackQuality?.().totalVideoFrames ?? 0, width: v?.videoWidth ?? 0 };
}, selector);

async function waitFrames(page, selector) {
  await page.waitForFunction((s) => {
    const v = document.querySelector(s);
    return v?.srcObject?.getVideoTracks().length > 0 && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5;
  }, selector, WAIT);
  return frames(page, selector);
}

const text = async (page, selector) => (await page.locator(selector).textContent())?.trim();

async function main() {
  fs.mkdirSync(config.screenshots, { recursive: true });
  const shot = (page, name) => page.screenshot({ path: path.join(config.screenshots, name) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const entry = (id) => `#speakers-list li[data-entry="${id}"]`;
  try {
    const delegate = await newPage(browser, "delegate", { width: 1100, height: 1300 });
    await login(delegate, config.delegate, "/vote");
    await delegate.locator("#speak").waitFor({ state: "visible", ...WAIT });
    await delegate.click("#speak-ask");
    await delegate.waitForFunction(() => /Platz \d/.test(document.getElementById("speak-status").textContent), null, WAIT);
    out.place = await text(delegate, "#speak-status");
    const mine = await delegate.evaluate(() => fetch("/api/speakers").then((r) => r.json()));
    const entryId = mine.mine[0].entry_id;
    out.entryId = entryId;

    const presidium = await newPage(browser, "presidium", { width: 1280, height: 1000 });
    await login(presidium, config.presidium, "/speakers");
    await presidium.locator(entry(entryId)).waitFor(WAIT);
    out.presidiumList = await presidium.locator("#speakers-list li .name").allTextContents();
    await presidium.click(`${entry(entryId)} button.prepare`);
    await presidium.locator(`${entry(entryId)} .tag.next`).waitFor(WAIT);
    await axe(presidium, "speakers");
    await shot(presidium, "speakers-list.png");

    // the delegate's technician check: self-test, then "bereit"
    await delegate.locator("#tech-check").waitFor({ state: "visible", ...WAIT });
    await delegate.click("#check-start");
    await waitFrames(delegate, "#check-preview");
    await delegate.waitForFunction(() => Number(document.getElementById("check-level").dataset.peak || 0) > 0.01, null, WAIT);
    out.devices = {
      cameras: await delegate.locator("#check-camera option").count(),
      mics: await delegate.locator("#check-mic option").count(),
    };
    await delegate.click("#check-ready");
    await delegate.waitForFunction(() => document.getElementById("check-tech").textContent.includes("wartest"), null, WAIT);

    // a technician takes them from the shared queue and sees them
    const technician = await newPage(browser, "technician");
    await login(technician, config.technician, "/technik");
    await technician.locator("#queue button.take").first().waitFor(WAIT);
    out.queue = await technician.locator("#queue li").allTextContents();
    await technician.click("#queue button.take");
    out.technicianVideo = await waitFrames(technician, "#call-video");
    await technician.waitForFunction(() => document.getElementById("call-state").textContent === "Verbunden.", null, WAIT);
    await technician.waitForFunction(() => document.getElementById("call-tech").textContent === "im Technik-Gespräch", null, WAIT);
    await technician.fill("#call-note", "Ton und Bild gut, bitte näher ans Mikro");
    await technician.click("#do-ok");
    await delegate.waitForFunction(() => document.getElementById("check-tech").textContent.startsWith("Technik ok"), null, WAIT);
    out.delegateNote = await text(delegate, "#check-tech");
    out.talkback = await delegate.evaluate(() => document.getElementById("check-talkback").srcObject?.getAudioTracks().length ?? 0);
    await axe(delegate, "delegate-check");
    await delegate.locator("#speak").screenshot({ path: path.join(config.screenshots, "technician-check.png") });
    await axe(technician, "technik");
    await shot(technician, "technician.png");
    await technician.click("#do-live");

    // the studio shows the live speaker; the presidium gives them the floor
    const studio = await newPage(browser, "studio", { width: 1280, height: 720 });
    await login(studio, config.technician, "/studio");
    await studio.locator("#studio").waitFor({ state: "visible", ...WAIT });
    out.studioVideo = await waitFrames(studio, "#studio-video");
    out.studioName = await text(studio, "#studio-name");
    out.studioDelegation = await text(studio, "#studio-delegation");
    out.timeBefore = await text(studio, "#studio-time");
    await presidium.click(`${entry(entryId)} button.call`);
    await studio.waitForFunction(() => /^\d+:\d\d$/.test(document.getElementById("studio-time").textContent), null, WAIT);
    const first = await text(studio, "#studio-time");
    await studio.waitForFunction((f) => document.getElementById("studio-time").textContent !== f, first, WAIT);
    out.countdown = [first, await text(studio, "#studio-time")];
    await delegate.waitForFunction(() => document.getElementById("speak-timer").textContent.startsWith("Deine Redezeit"), null, WAIT);
    out.delegateTimer = await text(delegate, "#speak-timer");
    await axe(studio, "studio");
    await shot(studio, "studio.png");

    // the projector: who speaks, the time, the list
    const projector = await newPage(browser, "projector");
    await login(projector, config.presidium, "/projector");
    await projector.locator("#speakers").waitFor({ state: "visible", ...WAIT });
    await projector.waitForFunction(() => /^\d+:\d\d$/.test(document.getElementById("speakers-timer").textContent), null, WAIT);
    out.projector = {
      now: await text(projector, "#speakers-now"),
      timer: await text(projector, "#speakers-timer"),
      list: await projector.locator("#speakers-list li .name").allTextContents(),
    };
    await shot(projector, "projector-speakers.png");
    // and the console
    const console_ = await newPage(browser, "console");
    await login(console_, config.presidium, "/presidium");
    await console_.waitForFunction(() => /^\d+:\d\d$/.test(document.getElementById("speakers-timer")?.textContent ?? ""), null, WAIT);
    out.console = { now: await text(console_, "#speakers-now"), timer: await text(console_, "#speakers-timer") };
    await console_.close();

    // the presidium removes someone, after "Bist Du sicher?"
    const olaf = presidium.locator("#speakers-list li", { hasText: "Olaf Offen" });
    await olaf.locator("button.remove").click();
    await presidium.getByRole("dialog").waitFor(WAIT);
    out.removeQuestion = await text(presidium, "#sure-text");
    await presidium.click("#sure-yes");
    await olaf.waitFor({ state: "detached", ...WAIT });
    out.afterRemove = await presidium.locator("#speakers-list li .name").allTextContents();

    // the speaker's page goes away: the technician sees "Verbindung verloren"
    await delegate.close({ runBeforeUnload: true });
    await technician.waitForFunction(() => document.getElementById("call-state").textContent === "Verbindung verloren", null, WAIT);
    out.lost = await text(technician, "#call-state");
    await technician.waitForFunction(() => document.getElementById("call-tech").textContent === "Verbindung verloren", null, WAIT);
    out.lostOnList = await text(technician, "#call-tech");
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  log("failed", e.stack || e);
  console.log(JSON.stringify({ ...out, failed: String(e) }));
  process.exit(1);
});
