// The office's pictures, as SVG built with textContent only: the grade distribution (bars with their
// numbers written beside them) and the organizations x areas heatmap (shaded cells with the score
// printed in each, and a legend in words). Colour is never the only signal: every bar and cell
// carries its number, and every cell a tooltip (<title>) with the full text.

import { el, svg } from "./dom.mjs";

// Share of the area's points: five bands, light to dark (classes gmo-b0..gmo-b4 in office.css).
export const BANDS = [
  { min: 0, label: "低于 60%" },
  { min: 0.6, label: "60%–70%" },
  { min: 0.7, label: "70%–80%" },
  { min: 0.8, label: "80%–90%" },
  { min: 0.9, label: "90% 及以上" },
];

export function band(ratio) {
  let found = 0;
  BANDS.forEach((b, i) => { if (ratio >= b.min) found = i; });
  return found;
}

function percent(count, total) {
  return total ? `${((count * 100) / total).toFixed(1)}%` : "—";
}

/**
 * One block per year and standard: a small table (grade, count, share) and a bar chart of the same.
 * entries: collect's `distribution`; titles: standard id -> short title.
 */
export function distribution(entries, titles) {
  const blocks = entries.map((entry) => {
    const title = `${entry.year} 年度 · ${titles.get(entry.standard) || entry.standard}（共 ${entry.total} 个）`;
    const id = `gmo-dist-${entry.year}-${entry.standard}`;
    const table = el("table", { className: "gmo-dist-table", "aria-labelledby": id },
      el("thead", {}, el("tr", {}, ["等级", "数量", "占比"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, entry.grades.map((g) => el("tr", {},
        el("th", { scope: "row", text: g.name }),
        el("td", { className: "gmo-num", text: String(g.count) }),
        el("td", { className: "gmo-num", text: percent(g.count, entry.total) })))));
    const rowHeight = 30;
    const labelWidth = 56;
    const barWidth = 200;
    const width = labelWidth + barWidth + 110;
    const height = entry.grades.length * rowHeight + 8;
    const largest = Math.max(1, ...entry.grades.map((g) => g.count));
    const summary = `${title}：` + entry.grades.map((g) => `${g.name} ${g.count} 个`).join("，");
    const chart = svg("svg", {
      className: "gmo-bars", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": summary,
    }, svg("title", { text: summary }), entry.grades.map((g, i) => {
      const y = 4 + i * rowHeight;
      const length = Math.round((g.count / largest) * barWidth);
      return svg("g", { "data-grade": g.grade },
        svg("text", { x: labelWidth - 8, y: y + rowHeight / 2, className: "gmo-bar-label", "text-anchor": "end", "dominant-baseline": "central", text: g.name }),
        svg("rect", { x: labelWidth, y: y + 4, width: Math.max(length, g.count ? 2 : 0), height: rowHeight - 8, className: "gmo-bar" }),
        svg("text", { x: labelWidth + length + 6, y: y + rowHeight / 2, className: "gmo-bar-value", "dominant-baseline": "central",
          text: `${g.count}（${percent(g.count, entry.total)}）` }));
    }));
    return el("figure", { className: "gmo-dist", dataset: { year: entry.year, standard: entry.standard } },
      el("figcaption", { id, text: title }), table, chart);
  });
  return blocks.length ? blocks : [el("p", { className: "gmo-hint", text: "当前筛选下没有可统计的自评结果。" })];
}

/** The legend of the heatmap, in words and swatches. */
export function legend() {
  return el("div", { className: "gmo-legend" },
    el("span", { className: "gmo-legend-title", text: "得分率：" }),
    BANDS.map((b, i) => el("span", { className: "gmo-legend-item" },
      el("span", { className: `gmo-swatch gmo-b${i}`, "aria-hidden": "true" }), b.label)),
    el("span", { className: "gmo-legend-item" }, el("span", { className: "gmo-swatch gmo-bnone", "aria-hidden": "true" }), "无此项"));
}

// Names share long beginnings (光明区…党组织01, 光明区…党组织02): keep both ends, cut the middle.
export function shorten(text, max) {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = Math.floor((max - 1) / 2);
  return chars.slice(0, head).join("") + "…" + chars.slice(chars.length - (max - 1 - head)).join("");
}

/** A name in lines of `perLine` characters. */
function wrap(chars, perLine) {
  const lines = [];
  for (let i = 0; i < chars.length; i += perLine) lines.push(chars.slice(i, i + perLine).join(""));
  return lines.length ? lines : [""];
}

/**
 * Heatmap labels that tell the names apart (names cut to "光明区…局党组" all looked the same): a name
 * wraps onto up to `maxLines` lines; a longer one keeps its beginning and its end. Should two
 * different names still get the same label, both are written out in full, on as many lines as that
 * takes: a full name is never another's label. names: the row names; returns name -> [lines].
 */
export function labelLines(names, perLine, maxLines = 3) {
  const lines = new Map();
  for (const name of new Set(names)) {
    const chars = Array.from(name);
    const full = wrap(chars, perLine);
    lines.set(name, full.length <= maxLines ? full
      : [...full.slice(0, maxLines - 1), "…" + chars.slice(chars.length - perLine + 1).join("")]);
  }
  for (;;) {
    const seen = new Map();
    const alike = new Set();
    for (const [name, label] of lines) {
      const key = label.join("\n");
      if (seen.has(key)) alike.add(name).add(seen.get(key));
      else seen.set(key, name);
    }
    if (!alike.size) return lines;
    for (const name of alike) lines.set(name, wrap(Array.from(name), perLine));
  }
}

/**
 * rows: the table's rows in its order; areas: [{id, name}]. One SVG row per row, one column per area.
 * Lean on purpose (a thousand rows make twelve thousand cells): a cell is a rect and its number; the
 * row's tooltip (<title> on its group) spells out every area's score, points and share.
 */
export function heatmap(rows, areas, { compact = false } = {}) {
  // Narrow screens: a shorter label column, so more areas show before the box scrolls. Long names
  // wrap (a taller row) rather than being cut to look alike (labelLines).
  const labelWidth = compact ? 160 : 240;
  const perLine = compact ? 12 : 18; // 12 px characters in the label column, less its margin
  const cellWidth = compact ? 60 : 76;
  const cellHeight = 26;
  const lineHeight = 14;
  const headHeight = 34;
  // A duplicate says so in its label, which wraps with the name.
  const names = rows.map((row) => (row.organization || "（未填写名称）") +
    (row.duplicate ? (row.counted === false ? "（重复，未计入）" : "（重复，计入）") : ""));
  const labels = labelLines(names, perLine);
  const heights = names.map((name) => cellHeight + (labels.get(name).length - 1) * lineHeight);
  const width = labelWidth + areas.length * cellWidth + 2;
  const height = headHeight + heights.reduce((sum, h) => sum + h, 0) + 2;
  const title = `各项建设得分热力图：${rows.length} 个党组织 × ${areas.length} 项建设`;
  const head = svg("g", { className: "gmo-heat-head" }, areas.map((a, j) => svg("text", {
    x: labelWidth + j * cellWidth + cellWidth / 2, y: headHeight / 2, text: compact ? a.name.replace(/建设$/, "") : a.name,
  })));
  let y = headHeight;
  const body = rows.map((row, i) => {
    const rowTop = y;
    const rowHeight = heights[i];
    y += rowHeight;
    const name = names[i];
    const parts = [];
    const words = [];
    areas.forEach((a, j) => {
      const x = labelWidth + j * cellWidth;
      const value = row.areas ? row.areas[a.id] : undefined;
      const points = row.area_points ? row.area_points[a.id] : undefined;
      const missing = value === undefined || value === null || !points;
      const b = missing ? null : band(value / points);
      parts.push(
        svg("rect", { x, y: rowTop, width: cellWidth - 2, height: rowHeight - 2, className: missing ? "gmo-cell gmo-bnone" : `gmo-cell gmo-b${b}`,
          "data-area": a.id, "data-band": missing ? "none" : b }),
        svg("text", { x: x + cellWidth / 2 - 1, y: rowTop + rowHeight / 2 - 1, className: b >= 3 ? "gmo-cell-text gmo-cell-text--light" : "gmo-cell-text",
          text: missing ? "—" : String(value) }));
      words.push(missing ? `${a.name} 无此项` : `${a.name} ${value} / ${points}（${Math.round((value / points) * 100)}%）`);
    });
    return svg("g", { className: "gmo-heat-row", "data-row": i },
      svg("title", { text: `${name}（${row.year} 年度 · ${row.standard_title}，总分 ${row.total}）：${words.join("，")}` }),
      label(labels.get(name), labelWidth - 8, rowTop + rowHeight / 2 - 1, lineHeight),
      parts);
  });
  return svg("svg", { className: "gmo-heatmap", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title },
    svg("title", { text: title }), head, body);
}

/** A row's label: one or two lines (tspans) centred on y. */
function label(lines, x, y, lineHeight) {
  const text = svg("text", { x, y: y - ((lines.length - 1) * lineHeight) / 2, className: "gmo-heat-label" });
  lines.forEach((line, n) => text.append(svg("tspan", { x, dy: n ? lineHeight : null, text: line })));
  return text;
}
