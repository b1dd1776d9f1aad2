// The site's published standards (data/<year>/<standard>.json bundles), fetched once and handed to the
// scorer as one JSON array; and the made-up files of the warm-up. bundlePaths and warmUpFiles are
// pure; `bundleSource` fetches.

/** The data paths of every standard the site publishes, sorted (data/index.json). The scorer picks
 *  each file's own by its year and standard, so the page need not read the files to choose. */
export function bundlePaths(index) {
  return index.years.flatMap((y) => y.standards.map((s) => s.path)).sort();
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
 * The site's bundles, fetched once: {index (a Promise of data/index.json), bundles()}. bundles()
 * answers the JSON array text of every published bundle, always the same text, so the scorer (which
 * caches by text) parses them once.
 */
export function bundleSource(siteRoot) {
  const index = fetch(new URL("data/index.json", siteRoot)).then((response) => {
    if (!response.ok) throw new Error(`无法读取本站的标准目录 data/index.json（HTTP ${response.status}）。请刷新页面。`);
    return response.json();
  });
  index.catch(() => {});
  let all = null;
  function bundles() {
    if (!all) {
      all = index.then((value) => Promise.all(bundlePaths(value).map((path) => fetch(new URL(`data/${path}`, siteRoot)).then((response) => {
        if (!response.ok) throw new Error(`无法读取标准数据 data/${path}（HTTP ${response.status}）。请刷新页面。`);
        return response.text();
      })))).then((texts) => `[${texts.map((t) => t.trim()).join(",")}]`);
      all.catch(() => { all = null; }); // a failed fetch is tried again next time
    }
    return all;
  }
  return { index, bundles };
}
