/**
 * Times the server rendered in UTC (`<time datetime="…">`) shown in this browser's time zone
 * and language, on pages that otherwise need no script (the presence list).
 */

const lang = document.documentElement.lang || "de";
for (const node of document.querySelectorAll("time[datetime]")) {
  const when = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) {
    node.textContent = when.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    node.title = when.toLocaleString(lang);
  }
}
