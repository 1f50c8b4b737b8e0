/**
 * The key ceremony page: where the ceremony stands and since when, what comes next, the
 * fingerprint every guardian compares with their own program (read aloud in the hall), and per
 * guardian whether they joined (public key), confirmed the fingerprint and exchanged backups,
 * with the ones it waits for named, and marked as stalled after a few minutes. Read from
 * `/api/presidium/guardians` every few seconds; starting and aborting are the server's calls.
 */

import { $, api, el, page, t } from "./common.js";
import { sure, timeOf } from "./staff.js";

const POLL_MS = 4000;
const STALLED_MS = 5 * 60 * 1000;
/** After this long in one step, the guardians it waits for are marked as stalled. */

let serverOffset = 0;

function showError(e) {
  $("ceremony-error").textContent = e ? e.message : "";
  $("ceremony-error").hidden = !e;
}

const minutesSince = (iso) => Math.max(0, Math.floor((Date.now() + serverOffset - Date.parse(iso)) / 60000));

function waitingText(w) {
  return t(`ceremony.wait.${w.step}`, { count: w.count });
}

function row(g, ceremony, stalled) {
  const waits = ceremony.waiting_for.filter((w) => w.guardian_id === g.guardian_id);
  const yes = (done, at) => (done ? `✔ ${at ? timeOf(at) : ""}`.trim() : "–");
  return el("tr", { class: waits.length ? (stalled ? "stalled" : "waiting") : "" },
    el("td", {}, String(g.sequence_order)),
    el("td", {}, g.name || g.guardian_id),
    el("td", {}, yes(g.public_key_posted, g.key_posted_at)),
    el("td", {}, yes(g.fingerprint_confirmed, g.fingerprint_confirmed_at)),
    el("td", {}, t("ceremony.backups", { sent: g.backups_sent, verified: g.backups_verified, expected: g.backups_expected })),
    el("td", {}, waits.length
      ? el("span", {}, stalled ? el("strong", {}, `${t("ceremony.stalled")}: `) : "", waits.map(waitingText).join("; "))
      : (ceremony.state === "complete" ? t("ceremony.done") : t("ceremony.nothing_owed"))));
}

function render(ceremony) {
  const manage = page.canManage;
  $("start-form").hidden = !(manage && !ceremony);
  if (!ceremony) {
    $("state").textContent = t("ceremony.none");
    $("since").textContent = "";
    $("next").textContent = t(manage ? "ceremony.next.none" : "ceremony.next.none_wait");
    $("fingerprint").textContent = "–";
    $("guardians").replaceChildren();
    $("abort").hidden = true;
    return;
  }
  $("abort").hidden = !manage || ceremony.state === "complete";
  const minutes = ceremony.phase_since ? minutesSince(ceremony.phase_since) : 0;
  $("state").textContent = t(`ceremony.state.${ceremony.state}`, { n: ceremony.number_of_guardians, k: ceremony.quorum });
  $("since").textContent = ceremony.phase_since
    ? t(ceremony.state === "complete" ? "ceremony.completed_at" : "ceremony.since", { time: timeOf(ceremony.phase_since), minutes })
    : "";
  $("next").textContent = t(`ceremony.next.${ceremony.state}`, { k: ceremony.quorum });
  $("fingerprint").textContent = ceremony.fingerprint || t("ceremony.fingerprint_later");
  const stalled = ceremony.state !== "complete" && ceremony.phase_since
    && Date.now() + serverOffset - Date.parse(ceremony.phase_since) > STALLED_MS;
  $("guardians").replaceChildren(...ceremony.guardians.map((g) => row(g, ceremony, stalled)));
}

async function refresh() {
  try {
    const started = Date.now();
    const body = await api("GET", "/api/presidium/guardians");
    if (body.server_time) serverOffset = Date.parse(body.server_time) - (started + Date.now()) / 2;
    render(body.ceremony);
    showError(null);
  } catch (e) {
    showError(e);
  }
}

$("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/api/ceremony", { quorum: Number($("quorum").value) });
    $("announce").textContent = t("ceremony.started");
    await refresh();
  } catch (e) {
    showError(e);
  }
});

$("abort").addEventListener("click", async () => {
  if (!(await sure(t("ceremony.abort_confirm"), t("ceremony.abort_yes")))) return;
  try {
    await api("DELETE", "/api/ceremony");
    await refresh();
  } catch (e) {
    showError(e);
  }
});

refresh();
setInterval(refresh, POLL_MS);
