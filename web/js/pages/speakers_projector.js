/**
 * The speakers' list on the projector and the console (imported by projector.js and
 * presidium.js, shown in their `#speakers` section): who speaks, their time running down on
 * the server's clock, and who follows, live.
 */

import { $, el, t } from "./common.js";
import { listOf, loadSpeakers, onLive, speechCountdown, waitingItems, who } from "./speakers_view.js";

const SHOWN = 10;
let stop = () => {};

function render(state) {
  const section = $("speakers");
  section.hidden = !state;
  if (!state) return;
  stop();
  const speaking = state.current;
  const timer = el("p", { id: "speakers-timer", class: "countdown big", role: "timer" });
  const items = waitingItems({ ...state, waiting: state.waiting.slice(0, SHOWN) });
  section.replaceChildren(
    el("h2", { id: "speakers-title" }, `${t("speakers.title")}: ${state.title}`),
    el("p", { id: "speakers-now", class: "now" }, speaking ? t("speakers.now", { name: who(speaking) }) : t("speakers.nobody")),
    timer,
    el("ol", { id: "speakers-list", class: "speakers-list" }, ...items),
    el("p", { class: "muted" }, t("speakers.count", { total: state.total }) + (state.closed ? ` (${t("speakers.closed")})` : "")),
  );
  stop = speechCountdown(timer, speaking);
}

const refresh = () => loadSpeakers().then((view) => render(listOf(view))).catch(() => {});
onLive("snapshot", refresh);
onLive("speakers", render);
