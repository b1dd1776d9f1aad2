// The office table as data (pure: no DOM): the scorer's columns laid out for the page, which rows a
// filter shows, their order when sorted, each cell's text, what an export sends back.
//
// The columns and every cell come from the scorer (`office.combined_columns` in scorer/office.py: one
// definition for this table, the CSV and the workbook); only the layout is decided here.

import { safeName } from "./export-files.mjs";

// Widths (em): the table has a fixed layout, so a thousand rows are laid out without measuring every
// cell to size the columns; longer texts wrap inside their column. With six areas the widths add up to
// the page's content box at 1280 px (about 75em): the table scrolls only on narrower screens, with
// references, or with more areas. Area headings wrap onto two lines.
const WIDTHS = { organization: 9.5, kind: 5.5, standard: 8.5, year: 3.8, total: 3.8, grade: 3.8, combined: 5, note: 6.4, file: 7.5 };
const GROUP_WIDTHS = { area: 3.9, reference: 6 };
const DEFAULT_WIDTH = 5;

/** The page's columns: the scorer's (each with its place in a row's `cells`), a width each, and the
 *  button that opens a row's detail. */
export function layout(columns) {
  const out = columns.map((c, index) => ({
    ...c, index, width: WIDTHS[c.id] || GROUP_WIDTHS[c.group] || DEFAULT_WIDTH,
  }));
  out.push({ id: "detail", label: "详情", width: 3.6, button: true });
  return out;
}

const missing = (value) => value === undefined || value === null || value === "";

/** A cell as the scorer gave it, or the column's words for a blank one (undefined if it has none). */
export function cellValue(row, column) {
  const raw = row.cells ? row.cells[column.index] : undefined;
  return missing(raw) ? (column.empty || undefined) : raw;
}

/** A cell's text: a missing number is "—", a missing text is blank. */
export function cellText(row, column) {
  const value = cellValue(row, column);
  return missing(value) ? (column.number ? "—" : "") : String(value);
}

/** What a row sorts by in `column`: the scorer's key where it gave one (a grade's rank), else the cell. */
export function sortValue(row, column) {
  return row.keys && Object.hasOwn(row.keys, column.id) ? row.keys[column.id] : cellValue(row, column);
}

/** The rows of the chosen standard and year ("" = all). */
export function filterRows(rows, { standard = "", year = "" } = {}) {
  return rows.filter((r) => (!standard || r.standard === standard) && (!year || String(r.year) === year));
}

/** The distribution entries of the chosen standard and year ("" = all). */
export function filterDistribution(entries, filter) {
  return filterRows(entries, filter);
}

const collator = new Intl.Collator("zh-CN", { numeric: true });

/** Rows sorted by {key, direction}; blanks last whatever the direction; ties keep their order. */
export function sortRows(rows, columns, { key, direction }) {
  const column = key && columns.find((c) => c.id === key && !c.button);
  if (!column) return rows;
  const sign = direction === "ascending" ? 1 : -1;
  return rows.map((row, i) => ({ row, i, v: sortValue(row, column) })).sort((a, b) => {
    const missingA = missing(a.v);
    const missingB = missing(b.v);
    if (missingA || missingB) return missingA === missingB ? a.i - b.i : missingA ? 1 : -1;
    const order = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return order ? order * sign : a.i - b.i;
  }).map((entry) => entry.row);
}

/** The sort after a click on `key`'s heading: the same key flips; a new one starts with the highest
 *  score (numbers) or A to Z (texts). */
export function nextSort(sort, key, columns) {
  if (sort.key === key) return { key, direction: sort.direction === "ascending" ? "descending" : "ascending" };
  const column = columns.find((c) => c.id === key);
  return { key, direction: column && column.number ? "descending" : "ascending" };
}

/** Each standard's title, from the rows (the scorer names them). */
export function titles(rows) {
  const found = new Map();
  for (const row of rows) found.set(row.standard, row.standard_title);
  return found;
}

/** An export's file name: 自评结果汇总[_2019年度][_标准].xlsx, after the filter shown. */
export function exportName(names, { standard = "", year = "" }, extension) {
  const parts = ["自评结果汇总"];
  if (year) parts.push(`${year}年度`);
  if (standard) parts.push(safeName(names.get(standard) || standard));
  return `${parts.join("_")}.${extension}`;
}

/** What an export sends the scorer: the rows shown (filter and order), the distribution of the same
 *  filter, every refused file; reference columns only while references are loaded. */
export function exportView(view, rows, filter, { references, refused }) {
  return {
    rows,
    areas: view.areas,
    reference_columns: references ? view.reference_columns || [] : [],
    distribution: filterDistribution(view.distribution, filter),
    rejected: [...refused, ...view.rejected],
    duplicates: view.duplicates,
  };
}

/** Page sizes a long district table offers, and the first one shown ("all" shows every row). */
export const PAGE_SIZES = [100, 500, "all"];

/**
 * Which rows of `total` one page shows: {start, end, page, pages} (end exclusive), the page clamped to
 * the last one. Why pages: a table of 1000 organizations is laid out cell by cell before the first
 * frame (most of a second), and nobody reads a thousand rows at once; counts, charts and exports
 * still cover every row, and printing draws them all.
 */
export function pageRange(total, page, size) {
  const count = Math.max(0, Number(total) || 0);
  const per = size === "all" ? Math.max(count, 1) : Math.max(1, Math.floor(Number(size) || PAGE_SIZES[0]));
  const pages = Math.max(1, Math.ceil(count / per));
  const current = Math.min(Math.max(0, Math.floor(Number(page) || 0)), pages - 1);
  return { start: current * per, end: Math.min(count, (current + 1) * per), page: current, pages };
}
