// Test helper: a built site's own Material search worker in Node, with the site's own index.
//
//   node search_worker.mjs <site dir>   (stdin: a JSON array of queries)
//
// Runs the shipped worker file (with this build's patches, sitebuild/theme_search.py) in a VM context
// standing in for the worker's global scope, sends it the setup and query messages the page sends,
// and prints one JSON object: query -> the result groups, each a list of {location, title, text, terms}.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const site = process.argv[2];
const dir = path.join(site, "assets", "javascripts", "workers");
const file = fs.readdirSync(dir).filter((name) => /^search\.[0-9a-f]+\.min\.js$/.test(name));
if (file.length !== 1) throw new Error(`expected one search worker in ${dir}, found ${file.length}`);

let onMessage = null;
const replies = [];
const scope = {
  console, setTimeout,
  addEventListener: (type, handler) => { if (type === "message") onMessage = handler; },
  postMessage: (message) => replies.push(message),
  importScripts: () => {}, // only for non-English lunr languages, which this site does not use
};
scope.self = scope;
vm.createContext(scope);
vm.runInContext(fs.readFileSync(path.join(dir, file[0]), "utf8"), scope, { filename: file[0] });

// The worker answers each message asynchronously, one reply per message.
async function ask(data) {
  const before = replies.length;
  onMessage({ data });
  for (let i = 0; i < 1000 && replies.length === before; i++) await new Promise((r) => setTimeout(r, 5));
  if (replies.length === before) throw new Error(`no reply to message type ${data.type}`);
  return replies.pop();
}

const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
const ready = await ask({ type: 0, data: { ...index, options: {} } }); // SETUP
if (ready.type !== 1) throw new Error(`setup answered ${JSON.stringify(ready)}`);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const query of queries) {
  const answer = await ask({ type: 2, data: query }); // QUERY -> RESULT
  out[query] = answer.data.items.map((group) => group.map(({ location, title, text, terms }) => ({ location, title, text, terms })));
}
process.stdout.write(JSON.stringify(out));
