/**
 * The delegate page's speakers' section (docs/speakers.md): ask to speak or make a point of
 * order, see one's place, withdraw; the speaking time while one speaks; the quota
 * self-declaration; and, once the presidium marks one "next", the technician check (self-test,
 * "bereit", the WebRTC call to a technician, the technician's "ok"/"Problem" with their note).
 *
 * A module of its own, imported by delegate.js, so the ballot code and this never meet. The
 * self-test and the call (tech_selftest.js, rtc.js) load only when the check starts: the page
 * stays within its weight budget for everybody else (docs/web.md).
 */

import { $, api, el, page, t } from "./common.js";
import { listOf, loadSpeakers, onLive, speechCountdown, who } from "./speakers_view.js";

const section = $("speak");
let view = null; // GET /api/speakers
let list = null; // the public state, refreshed by every `speakers` event
let stopTimer = () => {};
let check = null; // { entryId, box, selfTest, calls }

const body = el("div", { id: "speak-body" });
const current = el("p", { id: "speak-current", "aria-live": "polite" });
const timer = el("p", { id: "speak-timer", class: "countdown", role: "timer", "aria-live": "off" });
const status = el("p", { id: "speak-status", "aria-live": "polite" });
const failure = el("p", { id: "speak-error", class: "error", role: "alert", hidden: true });
const buttons = el("p", { class: "row" });
const quota = el("select", { id: "speak-quota" },
  ...["", "woman", "flinta"].map((v) => el("option", { value: v }, t(`speakers.quota.${v || "none"}`))));
const checkBox = el("div", { id: "tech-check", class: "tech-check", hidden: true });
body.append(current, timer, status, buttons, failure, checkBox,
  el("details", { class: "quota" }, el("summary", {}, t("speakers.quota")),
    el("p", {}, el("label", { for: "speak-quota" }, t("speakers.quota.label")), " ", quota)));
section.append(body);

quota.addEventListener("change", () => act(() => api("PUT", "/api/speakers/profile", { quota: quota.value })));

async function act(step) {
  failure.hidden = true;
  try {
    const result = await step();
    if (result?.list !== undefined) view = result;
    render();
  } catch (e) {
    failure.textContent = e.message;
    failure.hidden = false;
  }
}

const ask = (kind) => act(() => api("POST", `/api/speakers/lists/${list.list_id}/entries`, { kind }));
const withdraw = (entry) => act(() => api("DELETE", `/api/speakers/lists/${list.list_id}/entries/${entry.entry_id}`));

function myStatus(entry) {
  const kind = entry.kind === "point_of_order" ? t("speakers.point_of_order") : t("speakers.speech");
  if (entry.state === "speaking") return t("speakers.you_speak");
  if (entry.beyond) return t("speakers.you_beyond", { kind });
  return t("speakers.your_place", { kind, place: entry.place ?? "–" });
}

function render() {
  list = listOf(view) ?? list;
  section.hidden = !list;
  if (!list) return;
  stopTimer();
  const speaking = list.current;
  current.textContent = speaking ? t("speakers.now", { name: who(speaking) }) : t("speakers.nobody");
  stopTimer = speechCountdown(timer, speaking, (time) => t("speakers.time_left", { time }));
  const mine = view?.mine ?? [];
  const lines = [el("span", {}, `${list.title} – ${t("speakers.count", { total: list.total })}${list.closed ? ` (${t("speakers.closed")})` : ""}`)];
  for (const entry of mine) lines.push(el("br"), el("strong", {}, myStatus(entry)));
  status.replaceChildren(...lines);
  const has = (kind) => mine.some((e) => e.kind === kind);
  const row = [];
  if (!has("speech")) row.push(el("button", { type: "button", id: "speak-ask", class: "primary", disabled: list.closed, onclick: () => ask("speech") }, t("speakers.ask")));
  if (!has("point_of_order")) row.push(el("button", { type: "button", id: "speak-go", class: "secondary", onclick: () => ask("point_of_order") }, t("speakers.ask_go")));
  for (const entry of mine.filter((e) => e.state === "waiting")) {
    row.push(el("button", { type: "button", class: "withdraw", "data-entry": entry.entry_id, onclick: () => withdraw(entry) },
      entry.kind === "point_of_order" ? t("speakers.withdraw_go") : t("speakers.withdraw")));
  }
  buttons.replaceChildren(...row);
  renderCheck(mine.find((e) => e.prepared || e.state === "speaking"));
}

/** The technician check of the entry the presidium marked "next" (kept while it lasts). */
function renderCheck(entry) {
  if (!entry) {
    check?.calls?.hangUp();
    check?.selfTest?.stop();
    check = null;
    checkBox.hidden = true;
    checkBox.replaceChildren();
    return;
  }
  if (check?.entryId !== entry.entry_id) {
    startCheck(entry).then(() => render()).catch((e) => console.warn("technician check", e));
    return;
  }
  if (!check.ready) return;
  checkBox.hidden = false;
  const state = $("check-tech");
  state.className = entry.tech === "problem" || entry.tech === "lost" ? "error" : entry.tech === "ok" || entry.tech === "live" ? "ok" : "";
  state.textContent = entry.tech ? t(`check.tech.${entry.tech}`) + (entry.tech_note ? ` – ${entry.tech_note}` : "") : t("check.tech.none");
  $("check-ready").hidden = Boolean(entry.tech) && check.calls !== null;
  if (entry.room_url) {
    const link = $("check-room");
    link.href = entry.room_url;
    link.parentElement.hidden = false;
  }
}

async function startCheck(entry) {
  check?.calls?.hangUp();
  check?.selfTest?.stop();
  const box = { entryId: entry.entry_id, calls: null, selfTest: null, ready: false };
  check = box;
  const [{ SelfTest }, rtc] = await Promise.all([import("./tech_selftest.js"), import("./rtc.js")]);
  if (check !== box) return;
  box.rtc = rtc;
  checkBox.replaceChildren(el("h3", { id: "check-title", tabindex: "-1" }, t("check.title")),
    el("p", {}, t("check.called")));
  box.selfTest = new SelfTest(checkBox, (stream) => box.calls?.setStream(stream));
  const talkback = el("audio", { id: "check-talkback", autoplay: true });
  checkBox.append(
    el("p", { hidden: true }, el("a", { id: "check-room", href: "#", target: "_blank", rel: "noopener" }, t("check.room"))),
    el("button", { type: "button", id: "check-ready", class: "primary", onclick: () => ready(box) }, t("check.ready")),
    el("p", { id: "check-tech", role: "status" }), talkback);
  const external = view?.call?.external_rooms;
  if (!external) {
    const mailbox = new rtc.Mailbox((message) => box.calls?.handle(message));
    mailbox.active = () => check === box && box.calls !== null;
    mailbox.prime().catch(() => {});
    box.mailbox = mailbox;
  }
  box.talkback = talkback;
  box.ready = true;
}

async function ready(box) {
  if (!box.selfTest.stream && !(await box.selfTest.start())) return;
  if (box.mailbox && !box.calls) {
    box.calls = new box.rtc.SpeakerSide({
      entryId: box.entryId, iceServers: view?.call?.ice_servers ?? [], mailbox: box.mailbox,
      onTalkback: (stream) => { box.talkback.srcObject = stream; },
    });
    box.calls.setStream(box.selfTest.stream);
  }
  await act(() => api("POST", `/api/speakers/entries/${box.entryId}/ready`));
  await refresh();
}

async function refresh() {
  try {
    view = await loadSpeakers();
    render();
  } catch {}
}

/** Whether a public state names me: then my own part (place, technician note) is fetched. */
function mentionsMe(state) {
  const me = page.participantId;
  return state.current?.participant_id === me || state.waiting.some((e) => e.participant_id === me);
}

onLive("snapshot", refresh);
api("GET", "/api/speakers/profile").then((p) => (quota.value = p.quota)).catch(() => {});
onLive("speakers", (event) => {
  const had = (view?.mine ?? []).length > 0;
  const other = view?.list?.list_id !== event.list_id;
  list = event;
  if (view) view.list = event;
  if (had || other || mentionsMe(event)) refresh();
  else render();
});
