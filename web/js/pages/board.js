/** The bulletin board of one vote: every tracking code, the delegate's own highlighted. */

import { $, api, el, page, t } from "./common.js";

async function run() {
  const mine = new URLSearchParams(location.search).get("code");
  let board;
  try {
    board = await api("GET", `/api/votes/${page.voteId}/bulletin-board`);
  } catch (e) {
    $("board-status").textContent = e.code === "vote_not_closed" ? t("board.wait") : e.message;
    return;
  }
  $("board-vote").textContent = `– ${board.title}`;
  const item = (code) => el("li", code === mine ? { class: "mine", "aria-current": "true" } : {}, code);
  $("board-cast").replaceChildren(...board.cast.map(item));
  $("board-spoiled").replaceChildren(...board.spoiled.map(item));
  if (mine) {
    const found = board.cast.includes(mine) || board.spoiled.includes(mine);
    $("board-status").className = found ? "ok" : "error";
    $("board-status").textContent = found ? t("board.found") : t("board.not_found");
    document.querySelector(".mine")?.scrollIntoView({ block: "center" });
  }
}

run();
