/**
 * The standalone challenge check (web/challenge-check.html, built by
 * web/tools/build_challenge_check.js): the same offline check as /verify, in one file that a
 * delegate keeps on their own device, so the check does not come from the server whose code
 * encrypted the ballot.  The file's Content-Security-Policy allows no network at all.
 *
 * Input: the check text, or the QR code's link, pasted, loaded from a file, or in this file's
 * own fragment (challenge-check.html#p=...).
 */

import { checkChallengePayload } from "../js/crypto/challenge_check.js";
import { decodePayload } from "../js/crypto/challenge_payload.js";
import { describeChoices } from "../js/challenge_view.js";

const TEXTS = {
  de: {
    busy: "Prüfe … (einige Sekunden)",
    ok: "Prüfung bestanden: Der Stimmzettel ist eine ehrliche Verschlüsselung dieser Wahl.",
    failed: "Prüfung fehlgeschlagen: {message}",
    empty: "Bitte zuerst den Prüftext einfügen.",
    compare: "Vergleiche: Ist das Deine Wahl, und ist der Tracking-Code der, den Dein Abstimmungsgerät vor der Frage „Abgeben oder prüfen?“ gezeigt hat? Wenn nicht, melde es sofort dem Präsidium. Nach der Abstimmung muss der Code unter den geprüften Stimmzetteln der Anschlagtafel stehen.",
    yes: "Ja",
    no: "Nein",
    abstain: "Enthaltung",
    none: "niemand",
  },
  en: {
    busy: "Checking … (a few seconds)",
    ok: "Check passed: the ballot is an honest encryption of this choice.",
    failed: "Check failed: {message}",
    empty: "Please paste the check text first.",
    compare: "Compare: is this your choice, and is the tracking code the one your voting device showed before asking \"cast or check?\"? If not, tell the presidium at once. After the vote, the code must be among the challenged ballots on the bulletin board.",
    yes: "Yes",
    no: "No",
    abstain: "Abstain",
    none: "nobody",
  },
};

const lang = (navigator.language || "de").toLowerCase().startsWith("de") ? "de" : "en";
const t = (key, values = {}) => TEXTS[lang][key].replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
const $ = (id) => document.getElementById(id);

function show(id, text) {
  $(id).textContent = text;
}

async function check(input) {
  $("result").hidden = false;
  $("details").hidden = true;
  $("choice").replaceChildren();
  $("status").className = "";
  show("status", t("busy"));
  try {
    if (!input.trim()) throw new Error(t("empty"));
    const payload = await decodePayload(input);
    const checked = await checkChallengePayload(payload);
    const lines = describeChoices(payload.manifest, checked.choices).map(({ title, chosen }) => {
      const names = chosen.map((c) => (c.answer ? t(c.answer) : `${c.name}${c.name === c.selectionId ? "" : ` (${c.selectionId})`}`));
      return `${title}: ${names.length ? names.join(", ") : t("none")}`;
    });
    $("status").className = "ok";
    show("status", t("ok"));
    $("choice").replaceChildren(...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    show("code", checked.trackingCode);
    show("vote", payload.manifest.election_scope_id ?? "");
    show("ballot-id", payload.ballot.object_id);
    show("manifest-hash", checked.manifestHash);
    show("extended-hash", checked.extendedBaseHash);
    show("key", `${checked.publicKey.slice(0, 16)}…${checked.publicKey.slice(-16)}`);
    show("compare", t("compare"));
    $("details").hidden = false;
  } catch (e) {
    $("status").className = "error";
    show("status", t("failed", { message: `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` }));
  }
}

document.documentElement.lang = lang;
for (const node of document.querySelectorAll("[data-de]")) node.textContent = node.dataset[lang];
$("check").addEventListener("click", () => check($("payload").value));
$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  if (!file) return;
  $("payload").value = await file.text();
  check($("payload").value);
});
if (/(?:^#|&)p=/.test(location.hash)) {
  $("payload").value = location.hash.slice(1);
  check(location.hash);
}
document.body.dataset.ready = "1";
