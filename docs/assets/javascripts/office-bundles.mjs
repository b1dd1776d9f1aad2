// Which published standards (data/<year>/<standard>.json bundles) the office's files need, fetched
// once each and handed to the scorer as one JSON array; and the made-up files of the warm-up.
// yearsOf, bundlePaths and warmUpFiles are pure; `bundleSource` fetches.

/** The years the files name (a file that is not JSON names none: the scorer says why, with its line). */
export function yearsOf(files) {
  const years = new Set();
  for (const file of files) {
    try {
      const value = JSON.parse(file.text);
      if (value && Number.isInteger(value.year)) years.add(value.year);
    } catch {
      // Not JSON: the scorer says so, with the line and column.
    }
  }
  return years;
}

/** The data paths of every standard of `years` and of the current year, sorted (data/index.json). */
export function bundlePaths(index, years) {
  const wanted = new Set(years);
  if (index.current) wanted.add(index.current);
  return index.years.filter((y) => wanted.has(y.year)).flatMap((y) => y.standards.map((s) => s.path)).sort();
}

/**
 * made-up assessments over `bundles` (parsed), spread over their items: what the warm-up collects
 * while the office chooses files, so the browser has compiled the scorer's hot code by the first
 * real import. Each is a valid gm-assessment/1 file; none is ever shown.
 */
export function warmUpFiles(bundles, count) {
  const files = [];
  bundles.forEach((bundle, b) => {
    const ids = bundle.standard.areas.flatMap((a) => a.indicators.flatMap((i) => i.deductions.map((d) => d.id)));
    for (let n = b; n < count; n += bundles.length) {
      const items = {};
      for (let k = 0; k < 4 && ids.length; k++) items[ids[(n * 7 + k * 13) % ids.length]] = [{ date: `${bundle.year.year}-06-30`, count: 1 + (n % 3) }];
      files.push({ name: `warm-up-${n}.json`, text: JSON.stringify({
        format: "gm-assessment/1", standard: bundle.standard.id, year: bundle.year.year, standard_hash: bundle.hash,
        organization: { name: `预热${n}` }, items }) });
    }
  });
  return files;
}

/**
 * The site's bundles, each fetched once: {index (a Promise of data/index.json), bundlesFor(files)}.
 * bundlesFor answers the JSON array text of the bundles the files need; the same text for the same
 * set, so the scorer (which caches by text) parses it once.
 */
export function bundleSource(siteRoot) {
  const index = fetch(new URL("data/index.json", siteRoot)).then((response) => {
    if (!response.ok) throw new Error(`无法读取本站的标准目录 data/index.json（HTTP ${response.status}）。请刷新页面。`);
    return response.json();
  });
  index.catch(() => {});
  const texts = new Map(); // data path -> Promise<JSON text>
  let lastKey = "";
  let lastJson = "[]";
  async function bundlesFor(files) {
    const paths = bundlePaths(await index, yearsOf(files));
    const key = paths.join("|");
    if (key === lastKey) return lastJson;
    const loaded = await Promise.all(paths.map((path) => {
      if (!texts.has(path)) {
        const promise = fetch(new URL(`data/${path}`, siteRoot)).then((response) => {
          if (!response.ok) throw new Error(`无法读取标准数据 data/${path}（HTTP ${response.status}）。请刷新页面。`);
          return response.text();
        });
        promise.catch(() => texts.delete(path));
        texts.set(path, promise);
      }
      return texts.get(path);
    }));
    lastKey = key;
    lastJson = `[${loaded.map((t) => t.trim()).join(",")}]`;
    return lastJson;
  }
  return { index, bundlesFor };
}
