/**
 * The speaker's self-test before the technician call: camera preview, a microphone level
 * meter and the choice of devices, all inside the browser (nothing is sent until "bereit").
 */

import { el, t } from "./common.js";

export class SelfTest {
  /** `onStream(stream)` whenever the devices (and so the stream) change. */
  constructor(container, onStream) {
    this.onStream = onStream;
    this.stream = null;
    this.audio = null;
    this.preview = el("video", { id: "check-preview", class: "preview", autoplay: true, muted: true, playsinline: true, "aria-label": t("check.preview") });
    this.preview.muted = true;
    this.meter = el("meter", { id: "check-level", min: "0", max: "1", value: "0", "aria-label": t("check.level") });
    this.camera = el("select", { id: "check-camera" });
    this.mic = el("select", { id: "check-mic" });
    this.status = el("p", { id: "check-status", role: "status" });
    this.startButton = el("button", { type: "button", id: "check-start", class: "secondary", onclick: () => this.start() }, t("check.start"));
    for (const select of [this.camera, this.mic]) select.addEventListener("change", () => this.start());
    container.append(
      el("p", {}, t("check.intro")),
      this.preview,
      el("p", { class: "row" }, el("label", { for: "check-level" }, t("check.level")), " ", this.meter),
      el("p", { class: "row" }, el("label", { for: "check-camera" }, t("check.camera")), " ", this.camera),
      el("p", { class: "row" }, el("label", { for: "check-mic" }, t("check.mic")), " ", this.mic),
      this.startButton, this.status,
    );
  }

  async start() {
    const constraints = {
      video: this.camera.value ? { deviceId: { exact: this.camera.value } } : true,
      audio: this.mic.value ? { deviceId: { exact: this.mic.value } } : true,
    };
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
      this.status.textContent = t("check.denied", { reason: e.name });
      this.status.className = "error";
      return null;
    }
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = stream;
    this.preview.srcObject = stream;
    this.preview.play?.().catch(() => {});
    this.status.textContent = t("check.running");
    this.status.className = "ok";
    this.startButton.hidden = true;
    await this.fillDevices(stream);
    this.listen(stream);
    this.onStream?.(stream);
    return stream;
  }

  async fillDevices(stream) {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const using = Object.fromEntries(stream.getTracks().map((track) => [track.kind, track.getSettings().deviceId]));
    const fill = (select, kind, used) => {
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) =>
        el("option", { value: d.deviceId, selected: d.deviceId === used }, d.label || `${kind} ${i + 1}`)));
    };
    fill(this.camera, "videoinput", using.video);
    fill(this.mic, "audioinput", using.audio);
  }

  /** The level meter: the loudest sample of each frame, from an analyser on the microphone. */
  listen(stream) {
    this.audio?.close();
    if (!stream.getAudioTracks().length) return;
    const audio = new AudioContext();
    this.audio = audio;
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      if (this.audio !== audio) return;
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s));
      this.meter.value = Math.min(1, peak);
      this.meter.dataset.peak = String(Math.max(Number(this.meter.dataset.peak || 0), peak));
      requestAnimationFrame(tick);
    };
    tick();
  }

  stop() {
    this.audio?.close();
    this.audio = null;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }
}
