/**
 * The bulletin board of one vote: every tracking code, the delegate's own highlighted.
 *
 * The board is fetched whole and searched here; the code to look for comes from the address's
 * fragment (`/votes/7/board#code=3F…`), which the browser never sends, so the server cannot
 * tell whose code is looked up (and so whose board to fake).  When the code is missing and this
 * device keeps the signed receipt for it, the page offers the complaint file that
 * `evote-verify --receipt FILE RECORD` checks against the published record.
 */

import { $, ApiError, el, page, t } from "./common.js";
import { codeFromFragment, complaint, findCode, sha256Hex, storedReceipts } from "./receipts.js";

/** The board's JSON and the exact bytes it came in (their hash goes into a complaint). */
async function fetchBoard(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, { error: "network", message: t("error.network") });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  let data = null;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {}
  if (!response.ok || data === null) throw new ApiError(response.status, data);
  return { data, bytes };
}

function offerComplaint(receipt, board) {
  const file = JSON.stringify(complaint(receipt, board), null, 2);
  const link = $("board-complaint-link");
  link.href = URL.createObjectURL(new Blob([file], { type: "application/json" }));
  link.download = `evote-complaint-vote-${page.voteId}-${receipt.tracking_code.slice(0, 12)}.json`;
  $("board-complaint").hidden = false;
}

async function run() {
  const mine = codeFromFragment(location.hash);
  const url = `/api/votes/${page.voteId}/bulletin-board`;
  let fetched;
  try {
    fetched = await fetchBoard(url);
  } catch (e) {
    $("board-status").textContent = e.code === "vote_not_closed" ? t("board.wait") : e.message;
    return;
  }
  const board = fetched.data;
  $("board-vote").textContent = `– ${board.title}`;
  const item = (code) => el("li", code === mine ? { class: "mine", "aria-current": "true" } : {}, code);
  $("board-cast").replaceChildren(...board.cast.map(item));
  $("board-spoiled").replaceChildren(...board.spoiled.map(item));
  if (!mine) return;
  const found = findCode(board, mine);
  $("board-status").className = found ? "ok" : "error";
  $("board-status").textContent = found ? t("board.found") : t("board.not_found");
  if (found) {
    document.querySelector(".mine")?.scrollIntoView({ block: "center" });
    return;
  }
  let kept = [];
  try {
    kept = storedReceipts(localStorage, page.voteId);
  } catch {}
  const receipt = kept.find((r) => r.tracking_code === mine && r.state === "cast");
  if (receipt) {
    const sha256 = await sha256Hex(fetched.bytes);
    offerComplaint(receipt, { url, sha256, fetchedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
  }
}

run();
