// The six-area chart of a self-assessment result: inline SVG built with plain DOM calls.
//
// One row per area: its name and "得分 / 分值 分" as text above a bar whose filled part is the score.
// The numbers are always written out, so colour is never the only signal, and the whole chart has a
// text alternative (<title> and <desc>) for screen readers. No innerHTML: area names come from data.

import { svg as el } from "./dom.mjs";

const WIDTH = 320;
const ROW = 48;
const BAR_Y = 22;
const BAR_H = 16;

function number(value) {
  return String(value);
}

/** Replace the contents of `container` with a chart of `areas` ([{id, name, points, score}]). */
export function drawChart(container, areas) {
  const height = areas.length * ROW + 4;
  const svg = el("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, width: "100%", role: "img",
    "aria-labelledby": "gm-chart-title gm-chart-desc", class: "gm-chart-svg", preserveAspectRatio: "xMinYMin meet",
  });
  svg.appendChild(el("title", { id: "gm-chart-title", text: "六项建设得分" }));
  svg.appendChild(el("desc", { id: "gm-chart-desc",
    text: areas.map((a) => `${a.name} ${number(a.score)} / ${number(a.points)} 分`).join("；") }));
  areas.forEach((area, i) => {
    const top = i * ROW;
    const share = area.points > 0 ? Math.max(0, Math.min(1, area.score / area.points)) : 0;
    const row = el("g", { "data-area": area.id });
    row.appendChild(el("text", { x: 0, y: top + 16, class: "gm-chart-label", text: area.name }));
    row.appendChild(el("text", { x: WIDTH, y: top + 16, "text-anchor": "end", class: "gm-chart-value",
      text: `${number(area.score)} / ${number(area.points)} 分` }));
    row.appendChild(el("rect", { x: 0.5, y: top + BAR_Y + 0.5, width: WIDTH - 1, height: BAR_H, rx: 2, class: "gm-chart-track" }));
    if (share > 0) {
      row.appendChild(el("rect", { x: 0.5, y: top + BAR_Y + 0.5, width: Math.max(2, (WIDTH - 1) * share), height: BAR_H, rx: 2, class: "gm-chart-bar" }));
    }
    svg.appendChild(row);
  });
  container.replaceChildren(svg);
}
