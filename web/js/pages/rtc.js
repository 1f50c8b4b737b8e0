/**
 * The technician call: WebRTC between the speaker's browser and a technician's (or the studio
 * page's), with evote only as the messenger (docs/speakers.md, "Technician check").
 *
 * Signalling goes through the mailbox `POST/GET /api/speakers/signals`; the live stream only
 * says that a message waits (`signal`, addressed to its recipient), and while a call is being
 * made the page also looks every few seconds, so a missed event costs seconds, not the call.
 * Audio and video go from browser to browser (or through the configured TURN server), never
 * through evote.
 *
 * Who calls whom: the technician (or the studio) says `hello`; the speaker's page answers each
 * hello with an offer carrying its camera and microphone; the other side answers (a technician
 * adds their microphone, so the speaker hears them); ICE candidates both ways; `bye` ends it.
 * Each hello names a new call (`call`), which every later message of it repeats: an answer or
 * a candidate of an older call (two hellos crossing, a reconnect) is dropped, never applied to
 * the newer connection.
 */

import { api, page } from "./common.js";
import { onLive } from "./speakers_view.js";

const POLL_MS = 3000;

/** The page's signalling mailbox: handle(message) for each new message addressed to it. */
export class Mailbox {
  constructor(handle) {
    this.handle = handle;
    this.after = null; // null: not primed yet (older messages are not for this page load)
    this.busy = null;
    this.again = false;
    onLive("signal", () => this.fetch());
    setInterval(() => this.active?.() && this.fetch(), POLL_MS);
  }

  /** Skip what waited before this page was opened: a stale hello would start a stale call. */
  async prime() {
    const { signals } = await api("GET", "/api/speakers/signals?after=0");
    this.after = signals.length ? signals[signals.length - 1].signal_id : 0;
  }

  async fetch() {
    if (this.busy) {
      this.again = true;
      return this.busy;
    }
    this.busy = (async () => {
      do {
        this.again = false;
        if (this.after === null) await this.prime();
        const { signals } = await api("GET", `/api/speakers/signals?after=${this.after}`);
        for (const message of signals) {
          this.after = Math.max(this.after, message.signal_id);
          try {
            await this.handle(message);
          } catch (e) {
            console.warn("signal not handled", message.kind, e);
          }
        }
      } while (this.again);
    })().catch(() => {}).finally(() => (this.busy = null));
    return this.busy;
  }

  send(entryId, to, kind, payload = "") {
    return api("POST", "/api/speakers/signals", { entry_id: entryId, to, kind, payload });
  }
}

/** A message's JSON payload, {} when empty or not JSON (a bye carries nothing). */
function parse(payload) {
  try {
    return payload ? JSON.parse(payload) : {};
  } catch {
    return {};
  }
}

function addCandidate(state, candidate) {
  if (state.pc.remoteDescription) return state.pc.addIceCandidate(candidate);
  state.pending.push(candidate);
  return null;
}

async function flushCandidates(state) {
  for (const candidate of state.pending.splice(0)) await state.pc.addIceCandidate(candidate);
}

/**
 * The speaker's side: one peer connection per technician or studio page that said hello,
 * each sending `stream` (camera and microphone from the self-test).
 */
export class SpeakerSide {
  constructor({ entryId, iceServers, mailbox, onTalkback, onPeer }) {
    Object.assign(this, { entryId, iceServers, mailbox, onTalkback, onPeer });
    this.stream = null;
    this.peers = new Map(); // participant id -> { pc, pending }
    addEventListener("pagehide", () => this.hangUp(true));
  }

  setStream(stream) {
    this.stream = stream;
    for (const { pc } of this.peers.values()) {
      for (const sender of pc.getSenders()) {
        const track = stream.getTracks().find((t) => t.kind === sender.track?.kind);
        if (track) sender.replaceTrack(track);
      }
    }
  }

  async handle(message) {
    if (message.entry_id !== this.entryId) return;
    const peer = message.sender;
    const body = parse(message.payload);
    if (message.kind === "hello") return this.call(peer, body.call);
    const state = this.peers.get(peer);
    if (!state || (message.kind !== "bye" && body.call !== state.call)) return; // an older call's
    if (message.kind === "answer") {
      await state.pc.setRemoteDescription(body.description);
      await flushCandidates(state);
    } else if (message.kind === "ice") {
      await addCandidate(state, body.candidate);
    } else if (message.kind === "bye") {
      state.pc.close();
      this.peers.delete(peer);
    }
  }

  async call(peer, call) {
    if (!this.stream || typeof call !== "string") return;
    this.peers.get(peer)?.pc.close();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const state = { pc, pending: [], call };
    this.peers.set(peer, state);
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    pc.onicecandidate = (e) => {
      if (e.candidate) this.mailbox.send(this.entryId, peer, "ice", JSON.stringify({ call, candidate: e.candidate })).catch(() => {});
    };
    pc.ontrack = (e) => this.onTalkback?.(e.streams[0] ?? new MediaStream([e.track]));
    pc.onconnectionstatechange = () => this.onPeer?.(peer, pc.connectionState);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.mailbox.send(this.entryId, peer, "offer", JSON.stringify({ call, description: pc.localDescription }));
  }

  /** End every call; `leaving`: the page goes away (keepalive requests outlive it). */
  hangUp(leaving = false) {
    for (const [peer, { pc }] of this.peers) {
      pc.close();
      if (leaving) {
        fetch("/api/speakers/signals", {
          method: "POST", keepalive: true, credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": page.csrf },
          body: JSON.stringify({ entry_id: this.entryId, to: peer, kind: "bye", payload: "" }),
        }).catch(() => {});
      } else {
        this.mailbox.send(this.entryId, peer, "bye").catch(() => {});
      }
    }
    this.peers.clear();
  }
}

/**
 * The technician's or the studio's side of one speaker's call: says hello, answers the offer,
 * shows the incoming picture and sound in `video`; `onState` gets the connection's state
 * ("connected", "disconnected", "failed", …), `talkback` (optional) is sent to the speaker.
 */
export class ViewerSide {
  constructor({ entryId, speakerId, iceServers, mailbox, video, onState, talkback = null }) {
    Object.assign(this, { entryId, speakerId, iceServers, mailbox, video, onState, talkback });
    this.state = null;
  }

  /** Say hello: a new call, named so that answers to an older hello are told apart. */
  start() {
    this.call = Math.random().toString(36).slice(2) + Date.now().toString(36);
    return this.mailbox.send(this.entryId, this.speakerId, "hello", JSON.stringify({ call: this.call }));
  }

  async handle(message) {
    if (message.entry_id !== this.entryId || message.sender !== this.speakerId) return;
    const body = parse(message.payload);
    const call = body.call;
    if (message.kind !== "bye" && call !== this.call) return; // the offer of an older hello
    if (message.kind === "offer") {
      this.state?.pc.close();
      const pc = new RTCPeerConnection({ iceServers: this.iceServers });
      const state = { pc, pending: [], call };
      this.state = state;
      pc.ontrack = (e) => {
        this.video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
        this.video.play?.().catch(() => {});
      };
      pc.onicecandidate = (e) => {
        if (e.candidate) this.mailbox.send(this.entryId, this.speakerId, "ice", JSON.stringify({ call, candidate: e.candidate })).catch(() => {});
      };
      pc.onconnectionstatechange = () => {
        if (this.state === state) this.onState?.(pc.connectionState);
      };
      await pc.setRemoteDescription(body.description);
      if (this.talkback) for (const track of this.talkback.getTracks()) pc.addTrack(track, this.talkback);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await this.mailbox.send(this.entryId, this.speakerId, "answer", JSON.stringify({ call, description: pc.localDescription }));
      await flushCandidates(state);
    } else if (message.kind === "ice" && this.state?.call === call) {
      await addCandidate(this.state, body.candidate);
    } else if (message.kind === "bye" && this.state) {
      const { pc } = this.state;
      this.state = null;
      pc.close();
      this.onState?.("closed");
    }
  }

  close() {
    if (!this.state) return;
    this.state.pc.close();
    this.state = null;
    this.mailbox.send(this.entryId, this.speakerId, "bye").catch(() => {});
  }
}
