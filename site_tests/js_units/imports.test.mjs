// Every relative `import { … } from "./x.mjs"` of the page scripts names a file that exists and names
// exported by it. A browser refuses the whole module graph of a page for one missing export (a
// SyntaxError at link time, before any line runs), so a helper moved between modules (`el` from
// office-common.mjs to dom.mjs) must be followed by every importer. Read statically: page scripts
// touch the DOM when imported, so Node cannot import them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/assets/javascripts");

// Comments out, strings kept: an import written in a comment is not an import.
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** The names a module exports: declarations, `export { a, b as c }` lists and `export * from` (followed). */
export function exportsOf(file, seen = new Set()) {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const text = code(readFileSync(file, "utf-8"));
  const names = new Set();
  for (const m of text.matchAll(/export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/export\s+(?:const|let|var)\s+\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.split(":").pop().split("=")[0].trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop().trim();
      if (name) names.add(name);
    }
  }
  if (/export\s+default\b/.test(text)) names.add("default");
  for (const m of text.matchAll(/export\s+\*\s+from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
    for (const name of exportsOf(join(dirname(file), m[1]), seen)) names.add(name);
  }
  return names;
}

/** [{name, from}] of a module's named relative imports. */
export function importsOf(file) {
  const text = code(readFileSync(file, "utf-8"));
  const out = [];
  for (const m of text.matchAll(/import\s*(?:[A-Za-z_$][\w$]*\s*,\s*)?\{([^}]*)\}\s*from\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0].trim();
      if (name) out.push({ name, from: m[2] });
    }
  }
  for (const m of text.matchAll(/import\s+([A-Za-z_$][\w$]*)\s*(?:,|\s+from)\s*(?:\{[^}]*\}\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
    out.push({ name: "default", from: m[2] });
  }
  return out;
}

const MODULES = readdirSync(DIR).filter((f) => f.endsWith(".mjs")).sort();

test("the page scripts import something", () => {
  assert.ok(MODULES.length > 10);
  assert.ok(MODULES.flatMap((f) => importsOf(join(DIR, f))).length > 50);
});

test("every relative import of a page script names an export of an existing file", () => {
  const missing = [];
  for (const file of MODULES) {
    for (const { name, from } of importsOf(join(DIR, file))) {
      const target = join(DIR, from);
      if (!existsSync(target)) {
        missing.push(`${file}: ${from} does not exist`);
      } else if (!exportsOf(target).has(name)) {
        missing.push(`${file}: ${from} exports no '${name}'`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test("the checker itself sees a moved name (el lives in dom.mjs, not office-common.mjs)", () => {
  assert.ok(exportsOf(join(DIR, "dom.mjs")).has("el"));
  assert.ok(!exportsOf(join(DIR, "office-common.mjs")).has("el"));
  assert.ok(exportsOf(join(DIR, "office-common.mjs")).has("showMessage"));
});

test("every page that follows the start-up names its status line's text child (startup.mjs's statusLine)", () => {
  // office-common.mjs's statusLine(element) found `.gmo-status-text` itself; startup.mjs's takes the
  // selector: a call without it throws on the first status and leaves the page "loading" for ever.
  const calls = MODULES.flatMap((f) => [...code(readFileSync(join(DIR, f), "utf-8")).matchAll(/(?<!function )\bstatusLine\(([^;]*)\);/g)]
    .map((m) => ({ file: f, args: m[1] })));
  assert.ok(calls.length >= 5);
  assert.deepEqual(calls.filter((c) => !/,\s*["'][.#][\w-]+["']\s*\)?$/.test(c.args)).map((c) => c.file), []);
});

test("the assessment page's module graph reaches no office module (it shares helpers, never an office page's)", () => {
  // The organization's page loads and preloads all of assess.mjs's graph; an office module there is
  // the office's code in every organization's start-up, and a change on the office's screens a risk to it.
  const graph = new Set();
  const todo = ["assess.mjs"];
  while (todo.length) {
    const file = todo.pop();
    if (graph.has(file)) continue;
    graph.add(file);
    todo.push(...importsOf(join(DIR, file)).map(({ from }) => from.replace(/^\.\//, "")));
  }
  assert.ok(graph.has("assess-feedback.mjs") && graph.has("export-files.mjs"), [...graph].join(" "));
  assert.deepEqual([...graph].filter((f) => f.startsWith("office-")), []);
});
