/**
 * The delegate page's ballot form in headless Chromium: the k-of-n limit is enforced, every
 * per-candidate question must be answered, and the plaintext read from the form names exactly
 * the selections of src/evote/voting/manifest.py.  Skips without Chromium or playwright-core.
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

const TEXTS = { "vote.yes": "Ja", "vote.no": "Nein", "vote.abstain": "Enthaltung", "vote.pick": "Wähle bis zu {k} von {n}.",
  "vote.picked": "{count} von höchstens {k} gewählt.", "vote.none_chosen": "niemand",
  "vote.overall_or": "Oder für den ganzen Stimmzettel:", "vote.overall-no": "Nein zu allen (Gesamtnein)",
  "vote.overall-abstain": "Enthaltung (Gesamtenthaltung)", "vote.picked_overall": "Keine Person gewählt." };
const PAGE = `<!doctype html><meta charset="utf-8"><title>form</title>
<script type="application/json" id="page-data">${JSON.stringify({ lang: "de", t: TEXTS, csrf: "" })}</script>
<div id="questions"></div>
<script type="module">
import { BallotForm } from "/js/pages/ballot_form.js";
window.make = (vote) => { window.form = new BallotForm(document.getElementById("questions"), vote); };
window.ready = true;
</script>`;

test("the ballot form enforces k of n and reads every kind of vote", { skip, timeout: 120_000 }, async () => {
  const server = await serveWeb({ "/form.html": PAGE });
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/form.html`);
    await page.waitForFunction(() => window.ready);
    const read = () => page.evaluate(() => window.form.read());

    // Election: 2 of 4.  After two marks the other boxes cannot be checked.
    await page.evaluate(() => window.make({ kind: "election", title: "Vorstand", candidates: ["Ada", "Bert", "Cem", "Dora"], seats: 2 }));
    assert.deepEqual((await read()).contests, [{ object_id: "election", ballot_selections: [] }]); // blank is allowed
    await page.getByRole("checkbox", { name: "Ada" }).check();
    await page.getByRole("checkbox", { name: "Cem" }).check();
    assert.equal(await page.getByRole("checkbox", { name: "Bert" }).isDisabled(), true);
    assert.equal(await page.getByRole("checkbox", { name: "Dora" }).isDisabled(), true);
    assert.match(await page.locator("#pick-count").textContent(), /2 von höchstens 2/);
    const election = await read();
    assert.deepEqual(election.contests[0].ballot_selections.map((s) => s.object_id), ["candidate-1", "candidate-3"]);
    assert.deepEqual(election.summary, ["Vorstand: Ada, Cem"]);
    await page.getByRole("checkbox", { name: "Cem" }).uncheck();
    assert.equal(await page.getByRole("checkbox", { name: "Dora" }).isDisabled(), false);
    // Keyboard: Tab to a box and Space marks it.
    await page.getByRole("checkbox", { name: "Dora" }).focus();
    await page.keyboard.press("Space");
    assert.equal(await page.getByRole("checkbox", { name: "Dora" }).isChecked(), true);

    // Overall No / abstention: picking one clears and disables every candidate and the other,
    // so the form never makes a ballot that mixes them (the proofs allow it for k > 1).
    await page.evaluate(() => window.make({ kind: "election", title: "Liste", candidates: ["Ada", "Bert", "Cem"], seats: 2,
      overall_no: true, overall_abstain: true }));
    await page.getByRole("checkbox", { name: "Ada" }).check();
    await page.getByRole("checkbox", { name: "Nein zu allen (Gesamtnein)" }).check();
    assert.equal(await page.getByRole("checkbox", { name: "Ada" }).isChecked(), false);
    assert.equal(await page.getByRole("checkbox", { name: "Ada" }).isDisabled(), true);
    let overall = await read();
    assert.deepEqual(overall.contests, [{ object_id: "election", ballot_selections: [{ object_id: "overall-no", vote: 1 }] }]);
    assert.deepEqual(overall.summary, ["Liste: Nein zu allen (Gesamtnein)"]);
    await page.getByRole("checkbox", { name: "Enthaltung (Gesamtenthaltung)" }).check();
    assert.equal(await page.getByRole("checkbox", { name: "Nein zu allen (Gesamtnein)" }).isChecked(), false);
    overall = await read();
    assert.deepEqual(overall.contests[0].ballot_selections, [{ object_id: "overall-abstain", vote: 1 }]);
    await page.getByRole("checkbox", { name: "Enthaltung (Gesamtenthaltung)" }).uncheck();
    assert.equal(await page.getByRole("checkbox", { name: "Bert" }).isDisabled(), false);
    assert.equal(await page.getByRole("group", { name: "Oder für den ganzen Stimmzettel:" }).count(), 1);

    // Yes/no/abstain per candidate: nothing is read until every question is answered.
    await page.evaluate(() => window.make({ kind: "per_candidate", title: "Beisitz", candidates: ["Ada", "Bert"], seats: 2 }));
    await page.locator("#candidate-1-yes").check();
    assert.equal(await read(), null);
    await page.locator("#candidate-2-abstain").check();
    const perCandidate = await read();
    assert.deepEqual(perCandidate.contests, [
      { object_id: "candidate-1", ballot_selections: [{ object_id: "candidate-1-yes", vote: 1 }] },
      { object_id: "candidate-2", ballot_selections: [{ object_id: "candidate-2-abstain", vote: 1 }] },
    ]);
    assert.deepEqual(perCandidate.summary, ["Ada: Ja", "Bert: Enthaltung"]);
    assert.equal(await page.getByRole("group", { name: "Ada" }).count(), 1); // each question is a labelled group

    // A motion without abstention offers two answers; arrow keys move between them.
    await page.evaluate(() => window.make({ kind: "motion", title: "Antrag A1", with_abstain: false, candidates: [] }));
    assert.equal(await page.getByRole("radio").count(), 2);
    await page.getByRole("radio", { name: "Ja" }).focus();
    await page.keyboard.press("ArrowDown");
    assert.deepEqual((await read()).contests, [{ object_id: "motion", ballot_selections: [{ object_id: "no", vote: 1 }] }]);
  } finally {
    await browser.close();
    await server.close();
  }
});
