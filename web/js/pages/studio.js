/**
 * The studio output (/studio), captured by OBS or vMix into the livestream
 * (docs/deployment.md, "Studio output"): the speaker a technician handed over ("live")
 * full-screen, their name and delegation as a lower third, and the speaking time.
 *
 * The picture comes straight from the speaker's browser over WebRTC (this page says hello like
 * a technician and the speaker's page calls it); where the convention uses external rooms the
 * page says so and names the room the picture comes from.
 */

import { $, follow, t } from "./common.js";
import { loadSpeakers, onLive, speechCountdown, who } from "./speakers_view.js";
import { Mailbox, ViewerSide } from "./rtc.js";

const RETRY_MS = 3000;
let view = null;
let shown = null; // { entry, viewer }
let stop = () => {};
const mailbox = new Mailbox((message) => shown?.viewer?.handle(message));
mailbox.active = () => shown !== null;
mailbox.prime().catch(() => {});

/** The live speaker: the one speaking if handed over, else the next handed over. */
function liveEntry(list) {
  if (!list) return null;
  if (list.current?.tech === "live") return list.current;
  return list.waiting.find((e) => e.tech === "live") ?? null;
}

function connect(entry) {
  shown?.viewer?.close();
  const video = $("studio-video");
  video.srcObject = null;
  shown = { entry, viewer: null };
  if (!entry) return;
  if (entry.room_url) {
    $("studio-source").textContent = t("studio.external", { url: entry.room_url });
    return;
  }
  const mine = shown;
  mine.viewer = new ViewerSide({
    entryId: entry.entry_id, speakerId: entry.participant_id, iceServers: view.call.ice_servers,
    mailbox, video,
    onState: (state) => {
      $("studio").dataset.connection = state;
      if (["failed", "disconnected", "closed"].includes(state) && shown === mine) {
        setTimeout(() => shown === mine && mine.viewer.start().catch(() => {}), RETRY_MS);
      }
    },
  });
  mine.viewer.start().catch(() => {});
}

function render() {
  const list = view?.list;
  const entry = liveEntry(list);
  if ((entry?.entry_id ?? null) !== (shown?.entry?.entry_id ?? null)) connect(entry);
  $("studio").hidden = !entry;
  $("studio-idle").hidden = Boolean(entry);
  stop();
  if (!entry) return;
  $("studio-name").textContent = entry.name;
  $("studio-delegation").textContent = entry.delegation || "";
  const speaking = list.current?.entry_id === entry.entry_id ? list.current : null;
  stop = speechCountdown($("studio-time"), speaking);
  $("studio-source").textContent = entry.room_url ? t("studio.external", { url: entry.room_url }) : "";
  document.title = `${t("studio.title")}: ${who(entry)}`;
}

async function refresh() {
  try {
    view = await loadSpeakers();
    render();
  } catch {}
}

onLive("snapshot", refresh);
onLive("speakers", refresh);
follow({});
