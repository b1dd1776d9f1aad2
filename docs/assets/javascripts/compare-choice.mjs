// The comparison page's choice, without the DOM: which years a reader may pick, the default pair,
// the query string both ways, the standards two years share, and the links into the year pages.
// Pure functions of data/index.json and the query string, unit-tested under `node --test`
// (site_tests/js_units/compare-choice.test.mjs); compare.mjs puts their answers into the selects.

/** The year entries a reader may pick, oldest first: published ones, and drafts for an editor who asks. */
export function offeredYears(index, draft) {
  return index.years
    .filter((y) => y.status === "published" || (draft && y.status === "draft"))
    .sort((a, b) => a.year - b.year);
}

export function yearEntry(index, year) {
  return index.years.find((y) => y.year === year) || null;
}

export const isDraft = (index, year) => yearEntry(index, year)?.status === "draft";

/** A year as the result names it: a draft always carries its mark. */
export const yearName = (index, year) => `${year} 年度${isDraft(index, year) ? "（草稿）" : ""}`;

/** A year as a select offers it: the current one and drafts are marked. */
export function yearLabel(entry, current) {
  return entry.status === "draft" ? `${entry.year} 年度（草稿）` : `${entry.year} 年度${entry.year === current ? "（现行）" : ""}`;
}

/** {from, to, standard} from a query string; a year that is not four digits is null. */
export function readQuery(search) {
  const params = new URLSearchParams(search);
  const year = (name) => (/^\d{4}$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  return { from: year("from"), to: year("to"), standard: params.get("standard") };
}

export function queryFor(choice, draft) {
  const params = new URLSearchParams();
  params.set("from", String(choice.from));
  params.set("to", String(choice.to));
  if (choice.standard) params.set("standard", choice.standard);
  if (draft) params.set("draft", "1");
  return `?${params}`;
}

/** The same page with draft years offered (the link an editor follows from a refusal or a message). */
export function draftHref(search, from, to) {
  const params = new URLSearchParams(search);
  if (from !== undefined) params.set("from", String(from));
  if (to !== undefined) params.set("to", String(to));
  params.set("draft", "1");
  return `?${params}`;
}

/** The pair shown when the query names none: the previous published year against the current one
 *  (an editor previewing drafts: the newest draft against the year before it). */
export function defaults(index, offered, draft) {
  const years = offered.map((y) => y.year);
  const published = offered.filter((y) => y.status === "published").map((y) => y.year);
  let to = years.includes(index.current) ? index.current : years[years.length - 1];
  const drafts = offered.filter((y) => y.status === "draft" && (index.current === null || y.year > index.current));
  if (draft && drafts.length) to = drafts[drafts.length - 1].year;
  const earlier = published.filter((y) => y < to);
  const before = years.filter((y) => y < to);
  const from = earlier.length ? earlier[earlier.length - 1] : before.length ? before[before.length - 1] : years.filter((y) => y !== to).pop() ?? to;
  return { from, to };
}

/**
 * The pair the query asks for, or the default pair with a reason per year that cannot be picked.
 * Returns {from, to, refused: [{year, draft}]}: a refused year (unknown, or a draft without
 * ?draft=1) resets both to the default pair, which keeps them apart.
 */
export function resolvePair(index, offered, draft, query) {
  const years = offered.map((y) => y.year);
  const fallback = defaults(index, offered, draft);
  const refused = [query.from, query.to]
    .filter((value) => value !== null && !years.includes(value))
    .map((year) => ({ year, draft: yearEntry(index, year)?.status === "draft" }));
  if (refused.length) return { ...fallback, refused };
  const from = query.from ?? (query.to === fallback.from ? fallback.to : fallback.from);
  const to = query.to ?? (from === fallback.to ? fallback.from : fallback.to);
  return { from, to, refused };
}

/**
 * The standards two years share, in the new year's order, as select options [{id, label}], and the
 * one selected. A requested standard missing from either year stays selectable, so the page can say
 * which year lacks it.
 */
export function standardOptions(a, b, wanted) {
  const inA = new Map(a.standards.map((s) => [s.id, s]));
  const options = b.standards.filter((s) => inA.has(s.id)).map((s) => ({ id: s.id, label: s.short_title }));
  if (wanted && !options.some((o) => o.id === wanted)) {
    const known = [...a.standards, ...b.standards].find((s) => s.id === wanted);
    options.push({ id: wanted, label: known ? `${known.short_title}（仅 ${inA.has(wanted) ? a.year : b.year} 年度有）` : `${wanted}（未找到）` });
  }
  const value = wanted && options.some((o) => o.id === wanted) ? wanted : options[0]?.id ?? "";
  return { options, value };
}

// Links relative to this page (standards/compare/), like the build's rel(): they work under any base path.
export const standardHref = (year, sid, anchor) => `../${year}/${encodeURIComponent(sid)}/${anchor ? `#${encodeURIComponent(anchor)}` : ""}`;
export const yearHref = (year, anchor) => `../${year}/${anchor ? `#${encodeURIComponent(anchor)}` : ""}`;
