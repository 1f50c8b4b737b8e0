/**
 * The technicians' page (/technik): the shared queue of speakers who pressed "bereit", one
 * speaker at a time in a WebRTC call (their picture and sound here, the technician's voice
 * back), "ok" or "Problem" with a note the speaker reads, and the hand-over "live" to the
 * studio. A dropped call says "Verbindung verloren" here and on the list (docs/speakers.md).
 */

import { $, api, el, follow, page, t } from "./common.js";
import { loadSpeakers, onLive, who } from "./speakers_view.js";
import { Mailbox, ViewerSide } from "./rtc.js";

let view = null;
let call = null; // { entry, viewer }
let talkback = null;
const mailbox = new Mailbox((message) => call?.viewer?.handle(message));
mailbox.active = () => call !== null;
mailbox.prime().catch(() => {});

function entries() {
  const list = view?.list;
  if (!list) return [];
  return [...(list.current ? [list.current] : []), ...list.waiting];
}

async function act(step) {
  $("tech-error").hidden = true;
  try {
    const result = await step();
    await refresh();
    return result;
  } catch (e) {
    $("tech-error").textContent = e.message;
    $("tech-error").hidden = false;
    return null;
  }
}

const post = (entry, step, body) => api("POST", `/api/speakers/entries/${entry.entry_id}/${step}`, body);

function setLine(text, bad) {
  $("call-state").textContent = text;
  $("call-state").className = bad ? "error" : "ok";
}

async function startCall(entry) {
  call?.viewer?.close();
  const video = $("call-video");
  video.srcObject = null;
  call = { entry, viewer: null, lost: false };
  $("call-panel").hidden = false;
  $("call-name").textContent = who(entry);
  if (entry.room_url) {
    $("call-room").href = entry.room_url;
    $("call-room").parentElement.hidden = false;
    setLine(t("tech.external"), false);
    return;
  }
  if (talkback === null) {
    talkback = await navigator.mediaDevices?.getUserMedia({ audio: true }).catch(() => undefined);
  }
  const mine = call;
  mine.viewer = new ViewerSide({
    entryId: entry.entry_id, speakerId: entry.participant_id, iceServers: view.call.ice_servers,
    mailbox, video, talkback: talkback || null,
    onState: (state) => connection(mine, state),
  });
  setLine(t("tech.calling"), false);
  await mine.viewer.start();
}

function connection(mine, state) {
  if (call !== mine) return;
  if (state === "connected") {
    mine.lost = false;
    setLine(t("tech.connected"), false);
    if (["ready", "lost"].includes(mine.entry.tech)) post(mine.entry, "check", { state: "connected" }).catch(() => {});
  } else if (["disconnected", "failed", "closed"].includes(state) && !mine.lost) {
    mine.lost = true;
    setLine(t("tech.lost"), true);
    post(mine.entry, "check", { state: "lost" }).catch(() => {});
  }
}

function verdict(state) {
  if (!call) return;
  act(() => post(call.entry, "check", { state, note: $("call-note").value }));
}

function render() {
  const all = entries();
  const queue = all.filter((e) => e.tech === "ready" && !e.technician_id);
  $("queue").replaceChildren(...queue.map((entry) => el("li", {}, who(entry), " ",
    el("button", { type: "button", class: "take", onclick: () => take(entry) }, t("tech.take")))));
  $("queue-empty").hidden = queue.length > 0;
  const mine = all.filter((e) => e.technician_id === page.me);
  $("mine").replaceChildren(...mine.map((entry) => el("li", {}, who(entry), " ",
    el("span", { class: `tag tech-${entry.tech}` }, t(`speakers.tech.${entry.tech}`)), " ",
    el("button", { type: "button", class: "open", onclick: () => startCall(entry) }, t("tech.open")))));
  if (call) {
    const fresh = all.find((e) => e.entry_id === call.entry.entry_id);
    if (!fresh || fresh.technician_id !== page.me) {
      call.viewer?.close();
      call = null;
      $("call-panel").hidden = true;
      return;
    }
    const again = fresh.tech === "ready" && call.entry.tech !== "ready"; // the speaker came back
    call.entry = fresh;
    $("call-tech").textContent = t(`speakers.tech.${fresh.tech}`);
    if (again && call.viewer) {
      call.lost = false;
      call.viewer.start().catch(() => {});
    }
  }
}

async function take(entry) {
  const taken = await act(() => post(entry, "take"));
  if (taken) await startCall({ ...entry, technician_id: page.me, room_url: taken.room_url });
}

async function refresh() {
  try {
    view = await loadSpeakers();
    render();
  } catch {}
}

$("do-ok").addEventListener("click", () => verdict("ok"));
$("do-problem").addEventListener("click", () => verdict("problem"));
$("do-live").addEventListener("click", () => verdict("live"));
$("do-again").addEventListener("click", () => call && startCall(call.entry));
$("do-release").addEventListener("click", () => {
  if (!call) return;
  const entry = call.entry;
  call.viewer?.close();
  call = null;
  $("call-panel").hidden = true;
  act(() => post(entry, "release"));
});
onLive("snapshot", refresh);
onLive("speakers", refresh);
follow({});
