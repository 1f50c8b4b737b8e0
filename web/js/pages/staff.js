/**
 * What the organisers' pages (support, admin) share: the "Bist Du sicher?" dialog, times in
 * the browser's zone, a file from base64 to download, and a participant's state in words.
 */

import { $, el, page, t } from "./common.js";

/** "Bist Du sicher?": resolves true when confirmed. The page has <dialog id="sure">. */
export function sure(text, yes) {
  const dialog = $("sure");
  $("sure-text").textContent = text;
  $("sure-yes").textContent = yes;
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.removeEventListener("close", onClose);
      $("sure-yes").onclick = null;
      $("sure-back").onclick = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onClose = () => done(false);
    dialog.addEventListener("close", onClose);
    $("sure-yes").onclick = () => done(true);
    $("sure-back").onclick = () => done(false);
    dialog.showModal();
    $("sure-back").focus();
  });
}

export const timeOf = (iso) =>
  new Date(iso).toLocaleTimeString(page.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: page.timeZone });

export const dateTimeOf = (iso) =>
  new Date(iso).toLocaleString(page.lang, { dateStyle: "short", timeStyle: "short", timeZone: page.timeZone });

/** A link that downloads `base64` as `name` (a blob: URL; nothing leaves the browser). */
export function downloadLink(base64, type, name, text) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  return el("a", { href: url, download: name, class: "button-link" }, text);
}

export function checkInText(p) {
  if (!p.active) return t("staff.inactive");
  return p.checked_in ? t("staff.checked_in_at", { time: timeOf(p.checked_in_at) }) : t("staff.not_checked_in");
}

/** Show `error` (an ApiError or null) in the element with id `id`. */
export function showError(id, error) {
  $(id).textContent = error ? error.message : "";
  $(id).hidden = !error;
}
