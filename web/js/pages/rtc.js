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
    if (message.kind === "hello") return this.call(peer);
    const state = this.peers.get(peer);
    if (!state) return;
    if (message.kind === "answer") {
      await state.pc.setRemoteDescription(JSON.parse(message.payload));
      await flushCandidates(state);
    } else if (message.kind === "ice") {
      await addCandidate(state, JSON.parse(message.payload));
    } else if (message.kind === "bye") {
      state.pc.close();
      this.peers.delete(peer);
    }
  }

  async call(peer) {
    if (!this.stream) return;
    this.peers.get(peer)?.pc.close();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const state = { pc, pending: [] };
    this.peers.set(peer, state);
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    pc.onicecandidate = (e) => {
      if (e.candidate) this.mailbox.send(this.entryId, peer, "ice", JSON.stringify(e.candidate)).catch(() => {});
    };
    pc.ontrack = (e) => this.onTalkback?.(e.streams[0] ?? new MediaStream([e.track]));
    pc.onconnectionstatechange = () => this.onPeer?.(peer, pc.connectionState);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.mailbox.send(this.entryId, peer, "offer", JSON.stringify(pc.localDescription));
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

  start() {
    return this.mailbox.send(this.entryId, this.speakerId, "hello");
  }

  async handle(message) {
    if (message.entry_id !== this.entryId || message.sender !== this.speakerId) return;
    if (message.kind === "offer") {
      this.state?.pc.close();
      const pc = new RTCPeerConnection({ iceServers: this.iceServers });
      const state = { pc, pending: [] };
      this.state = state;
      pc.ontrack = (e) => {
        this.video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
        this.video.play?.().catch(() => {});
      };
      pc.onicecandidate = (e) => {
        if (e.candidate) this.mailbox.send(this.entryId, this.speakerId, "ice", JSON.stringify(e.candidate)).catch(() => {});
      };
      pc.onconnectionstatechange = () => {
        if (this.state === state) this.onState?.(pc.connectionState);
      };
      await pc.setRemoteDescription(JSON.parse(message.payload));
      if (this.talkback) for (const track of this.talkback.getTracks()) pc.addTrack(track, this.talkback);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await this.mailbox.send(this.entryId, this.speakerId, "answer", JSON.stringify(pc.localDescription));
      await flushCandidates(state);
    } else if (message.kind === "ice" && this.state) {
      await addCandidate(this.state, JSON.parse(message.payload));
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
