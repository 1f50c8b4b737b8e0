/**
 * web/js/pages/receipts.js: the code from the fragment, the search of the board, the signed
 * message's bytes, the receipt check (WebCrypto Ed25519) and the complaint file.  The last test
 * has the server's Python sign a receipt and checks it here, so both framings agree.
 */

import { test } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import path from "node:path";
import {
  announcedKey,
  checkReceipt,
  codeFromFragment,
  complaint,
  findCode,
  receiptMessage,
  sha256Hex,
  storageKey,
  storedReceipts,
} from "../js/pages/receipts.js";
import { EVOTE_PYTHON, REPO, runPython } from "./helpers.js";

const { subtle } = webcrypto;
const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

const BOARD = { vote_id: 4, title: "A1", cast: ["0A1B", "77FF"], spoiled: ["C0DE"] };

test("the tracking code comes from the fragment only, as upper-case hex", () => {
  assert.equal(codeFromFragment("#code=0A1B"), "0A1B");
  assert.equal(codeFromFragment("#code=0a1b"), "0A1B");
  assert.equal(codeFromFragment("code=77FF&x=1"), "77FF");
  assert.equal(codeFromFragment(""), null);
  assert.equal(codeFromFragment("#code="), null);
  assert.equal(codeFromFragment("#code=<script>"), null);
  assert.equal(codeFromFragment("#other=0A1B"), null);
});

test("the board is searched here: cast, spoiled or missing", () => {
  assert.equal(findCode(BOARD, "0A1B"), "cast");
  assert.equal(findCode(BOARD, "C0DE"), "spoiled");
  assert.equal(findCode(BOARD, "0A1C"), null);
  assert.equal(findCode(BOARD, null), null);
  assert.equal(findCode({ cast: [], spoiled: [] }, "0A1B"), null);
});

test("the signed message is the documented bytes", () => {
  const got = receiptMessage({ election_scope_id: "v", tracking_code: "0A", ballot_hash: "FF", timestamp: 12, state: "cast" });
  const want = Buffer.concat([
    Buffer.from("evote-receipt-v1\0"),
    Buffer.from([0, 0, 0, 1]), Buffer.from("v"),
    Buffer.from([0, 0, 0, 2]), Buffer.from("0A"),
    Buffer.from([0, 0, 0, 2]), Buffer.from("FF"),
    Buffer.from([0, 0, 0, 2]), Buffer.from("12"),
    Buffer.from([0, 0, 0, 4]), Buffer.from("cast"),
  ]);
  assert.deepEqual(Buffer.from(got), want);
});

async function signed(fields) {
  const pair = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const publicKey = hex(await subtle.exportKey("raw", pair.publicKey));
  const receipt = { type: "evote/receipt", version: 1, vote_id: 4, ...fields, public_key: publicKey };
  receipt.signature = hex(await subtle.sign({ name: "Ed25519" }, pair.privateKey, receiptMessage(receipt)));
  return receipt;
}

const FIELDS = { election_scope_id: "evote-1-vote-4", tracking_code: "0A1B", ballot_hash: "BEEF", timestamp: 1_800_000_000, state: "cast" };
const expect = (r, over = {}) => ({
  voteId: 4, scopeId: "evote-1-vote-4", trackingCode: "0A1B", timestamp: 1_800_000_000, state: "cast", publicKey: r.public_key, ...over,
});

test("a receipt is checked against the ballot, the announced key and its signature", async () => {
  const r = await signed(FIELDS);
  assert.deepEqual(await checkReceipt(r, expect(r), subtle), { problems: [], signature: true });
  // another ballot's code, another key than the context announced, a changed field
  assert.deepEqual((await checkReceipt(r, expect(r, { trackingCode: "77FF" }), subtle)).problems, ["tracking_code"]);
  assert.deepEqual((await checkReceipt(r, expect(r, { publicKey: "00".repeat(32) }), subtle)).problems, ["public_key"]);
  const tampered = { ...r, ballot_hash: "BEEE" };
  assert.deepEqual(await checkReceipt(tampered, expect(r), subtle), { problems: ["signature"], signature: false });
  assert.deepEqual((await checkReceipt({ ...r, signature: "zz" }, expect(r), subtle)).problems, ["signature"]);
  // a browser without Ed25519 still compares the fields, and says the signature is unchecked
  const noEd25519 = { importKey: async () => { throw new Error("NotSupportedError"); } };
  assert.deepEqual(await checkReceipt(r, expect(r), noEd25519), { problems: [], signature: null });
});

test("receipts are kept per participant and vote, and found again for the vote", () => {
  const data = new Map();
  const storage = {
    get length() { return data.size; },
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => data.set(k, String(v)),
  };
  assert.equal(storageKey(12, 4), "evote-receipt/v1/12/4");
  storage.setItem(storageKey(12, 4), JSON.stringify({ type: "evote/receipt", vote_id: 4, tracking_code: "0A1B" }));
  storage.setItem(storageKey(13, 4), JSON.stringify({ type: "evote/receipt", vote_id: 4, tracking_code: "77FF" }));
  storage.setItem(storageKey(12, 14), JSON.stringify({ type: "evote/receipt", vote_id: 14, tracking_code: "C0DE" }));
  storage.setItem("evote-receipt/v1/12/44", "not json");
  storage.setItem("unrelated", "{}");
  assert.deepEqual(storedReceipts(storage, 4).map((r) => r.tracking_code).sort(), ["0A1B", "77FF"]);
  assert.deepEqual(storedReceipts(storage, 14).map((r) => r.tracking_code), ["C0DE"]);
  assert.equal(announcedKey({ extended_data: { evote_receipt_key_ed25519: "ab" } }), "ab");
  assert.equal(announcedKey({ extended_data: null }), null);
});

test("the complaint file carries the receipt and the hash of the board's bytes", async () => {
  const bytes = new TextEncoder().encode(JSON.stringify(BOARD));
  const sha256 = await sha256Hex(bytes, subtle);
  assert.equal(sha256, (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex"));
  const r = await signed(FIELDS);
  const file = complaint(r, { url: "/api/votes/4/bulletin-board", sha256, fetchedAt: "2026-11-28T10:02:00Z" });
  assert.deepEqual(file, {
    type: "evote/complaint",
    version: 1,
    receipt: r,
    board: { url: "/api/votes/4/bulletin-board", sha256, fetched_at: "2026-11-28T10:02:00Z", found: false },
  });
});

test("a receipt signed by the server's Python verifies here", async (t) => {
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO, "src"))})
import nacl.signing
from evote.record.receipts import receipt_message
key = nacl.signing.SigningKey(bytes(range(32)))
fields = ${JSON.stringify(FIELDS)}
message = receipt_message(fields["election_scope_id"], fields["tracking_code"], fields["ballot_hash"], fields["timestamp"], fields["state"])
print(json.dumps(dict(fields, type="evote/receipt", version=1, vote_id=4,
      public_key=key.verify_key.encode().hex(), signature=key.sign(message).signature.hex())))
`;
  const run = runPython(EVOTE_PYTHON, ["-c", script]);
  if (run === null) return t.skip(`no project venv at ${EVOTE_PYTHON}`);
  assert.equal(run.status, 0, run.stderr);
  const r = JSON.parse(run.stdout);
  assert.deepEqual(await checkReceipt(r, expect(r), subtle), { problems: [], signature: true });
});
