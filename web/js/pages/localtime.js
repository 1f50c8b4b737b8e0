/**
 * Times the server rendered (`<time datetime="…">`, already in the convention's time zone)
 * given a tooltip with the date, in the convention's zone (page data `timeZone`,
 * EVOTE_TIME_ZONE), never the device's, on pages that otherwise need no script (the
 * presence list).
 */

const data = JSON.parse(document.getElementById("page-data")?.textContent || "{}");
const lang = document.documentElement.lang || "de";
for (const node of document.querySelectorAll("time[datetime]")) {
  const when = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) {
    const zone = { timeZone: data.timeZone || "Europe/Berlin" };
    node.textContent = when.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", ...zone });
    node.title = when.toLocaleString(lang, zone);
  }
}
