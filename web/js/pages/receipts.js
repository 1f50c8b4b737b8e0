/**
 * Signed receipts on this device, and the search of the bulletin board (docs/ballot-box.md,
 * "Signed receipts").  No DOM here, so node --test runs it as it is.
 *
 * - The delegate page checks the receipt the server returns (the ballot just encrypted, the key
 *   the context announced before casting, and, where WebCrypto has Ed25519, the signature) and
 *   keeps it in localStorage, one entry per participant and vote.
 * - The board page takes the tracking code from the address's fragment (`#code=…`), which the
 *   browser never sends, fetches the whole board and searches it here: the server cannot tell
 *   whose code is looked up.  If the code is missing, it builds the complaint file that
 *   `evote-verify --receipt FILE RECORD` checks.
 */

export const STORAGE_PREFIX = "evote-receipt/v1/";
export const CONTEXT_FIELD = "evote_receipt_key_ed25519";
const TAG = "evote-receipt-v1\0";
const HEX_CODE = /^[0-9A-F]+$/;

/** localStorage key of one participant's receipt in one vote. */
export function storageKey(participantId, voteId) {
  return `${STORAGE_PREFIX}${participantId}/${voteId}`;
}

/** The receipt key the vote's context announces (`extended_data`), or null. */
export function announcedKey(context) {
  const key = context?.extended_data?.[CONTEXT_FIELD];
  return typeof key === "string" ? key : null;
}

/** The tracking code in a fragment like "#code=3F…" (upper-case hex), or null. */
export function codeFromFragment(hash) {
  const code = new URLSearchParams(String(hash || "").replace(/^#/, "")).get("code");
  const upper = code?.trim().toUpperCase();
  return upper && HEX_CODE.test(upper) ? upper : null;
}

/** Where a code is on the board: "cast", "spoiled" or null. */
export function findCode(board, code) {
  if (!code) return null;
  if (board.cast?.includes(code)) return "cast";
  if (board.spoiled?.includes(code)) return "spoiled";
  return null;
}

/** The signed bytes: tag, then each field as a 4-byte big-endian length and its UTF-8. */
export function receiptMessage(r) {
  const enc = new TextEncoder();
  const parts = [enc.encode(TAG)];
  for (const field of [r.election_scope_id, r.tracking_code, r.ballot_hash, String(r.timestamp), r.state]) {
    const bytes = enc.encode(field);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    parts.push(length, bytes);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fromHex(hex) {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/**
 * Check a receipt against what this device knows; resolves to {problems, signature}.
 * `problems` lists what does not match (empty when all does); `signature` is true or false,
 * or null when this browser cannot check Ed25519 (then only the fields are compared).
 */
export async function checkReceipt(receipt, expected, subtle = globalThis.crypto?.subtle) {
  const problems = [];
  const want = {
    type: "evote/receipt",
    version: 1,
    vote_id: expected.voteId,
    election_scope_id: expected.scopeId,
    tracking_code: expected.trackingCode,
    timestamp: expected.timestamp,
    state: expected.state,
    public_key: expected.publicKey,
  };
  for (const [name, value] of Object.entries(want)) {
    if (receipt?.[name] !== value) problems.push(name);
  }
  if (!/^[0-9a-f]{128}$/.test(receipt?.signature ?? "")) problems.push("signature");
  if (problems.length) return { problems, signature: false };
  let signature = null;
  try {
    const key = await subtle.importKey("raw", fromHex(receipt.public_key), { name: "Ed25519" }, false, ["verify"]);
    signature = await subtle.verify({ name: "Ed25519" }, key, fromHex(receipt.signature), receiptMessage(receipt));
  } catch {
    signature = null; // no Ed25519 in this browser's WebCrypto
  }
  if (signature === false) problems.push("signature");
  return { problems, signature };
}

/** Every receipt kept on this device for one vote (any participant), newest format only. */
export function storedReceipts(storage, voteId) {
  const found = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(STORAGE_PREFIX) || !key.endsWith(`/${voteId}`)) continue;
    try {
      const receipt = JSON.parse(storage.getItem(key));
      if (receipt?.type === "evote/receipt" && receipt.vote_id === voteId) found.push(receipt);
    } catch {}
  }
  return found;
}

/** SHA-256 of bytes, lower-case hex. */
export async function sha256Hex(bytes, subtle = globalThis.crypto?.subtle) {
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The complaint file: the signed receipt and the board exactly as this browser fetched it. */
export function complaint(receipt, board) {
  return {
    type: "evote/complaint",
    version: 1,
    receipt,
    board: { url: board.url, sha256: board.sha256, fetched_at: board.fetchedAt, found: false },
  };
}
