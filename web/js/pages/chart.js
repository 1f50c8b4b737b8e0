/**
 * The result as HTML bars: no library, readable on a projector, and nothing clipped.
 *
 * Labels are text in a grid column that wraps (a long double name breaks onto a second line,
 * and a word longer than the column breaks inside it) instead of SVG text anchored at a fixed
 * x, which cut the first letters off long names. Per-candidate results come as groups: the
 * name once as a heading, then its Ja / Nein / Enthaltung bars. Each row reads as a sentence
 * for screen readers ("Ja: 12 (60 %)"); the bars themselves are decoration (aria-hidden).
 * Widths are set through the CSSOM (`style.width`), which the pages' CSP allows.
 */

import { el } from "./common.js";

/**
 * groups: [{name?: string, bars: [{label, value, kind}]}] → a <figure>. `kind` (yes, no,
 * abstain, candidate) picks the colour. Shares are of `base`, the ballots cast: in an
 * election with several seats the marks add up to more than the ballots, and "2 of 3
 * ballots" is what a candidate's share means.
 */
export function resultChart(groups, title, base) {
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const figure = el("figure", { class: "chart", "aria-label": title });
  for (const group of groups) {
    const rows = el("ul", { class: "chart-rows" });
    for (const bar of group.bars) {
      const share = base ? ` (${Math.round((100 * bar.value) / base)} %)` : "";
      const fill = el("span", { class: `chart-fill ${bar.kind}` });
      fill.style.width = `${Math.max(0.5, (100 * bar.value) / max)}%`;
      rows.append(el("li", { class: "chart-row" },
        el("span", { class: "chart-label" }, bar.label),
        el("span", { class: "sr-only" }, ": "),
        el("span", { class: "chart-track", "aria-hidden": "true" }, fill),
        el("span", { class: "chart-value" }, `${bar.value}${share}`)));
    }
    figure.append(group.name ? el("section", { class: "chart-group" }, el("h2", { class: "chart-name" }, group.name), rows) : rows);
  }
  return figure;
}
