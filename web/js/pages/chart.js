/**
 * A horizontal bar chart as inline SVG: no library, readable on a projector, and with a
 * text equivalent (each bar's label and number are SVG text, and the chart has a title).
 */

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * bars: [{label, value, color}] → an <svg> element.  Shares are of `base`, the ballots cast:
 * in an election with several seats the marks add up to more than the ballots, and
 * "2 of 3 ballots" is what a candidate's share means.
 */
export function barChart(bars, title, base) {
  const width = 900;
  const labelWidth = 260;
  const row = 56;
  const height = bars.length * row + 10;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const total = base ?? bars.reduce((sum, b) => sum + b.value, 0);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  bars.forEach((bar, i) => {
    const y = i * row + 8;
    const length = Math.round(((width - labelWidth - 150) * bar.value) / max);
    const share = total ? ` (${Math.round((100 * bar.value) / total)} %)` : "";
    chart.append(
      svg("text", { x: labelWidth - 12, y: y + 27, "text-anchor": "end" }, bar.label),
      svg("rect", { x: labelWidth, y, width: Math.max(length, 2), height: row - 16, rx: 4, fill: bar.color }),
      svg("text", { x: labelWidth + Math.max(length, 2) + 10, y: y + 27 }, `${bar.value}${share}`),
    );
  });
  return chart;
}
