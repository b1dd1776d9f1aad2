// How the worker (scorer-worker.mjs) and the Node test runner (site_tests/node/run_scorer.mjs) call a
// scorer operation: its JSON texts cross into Python as UTF-8 bytes and its answer comes back as UTF-8
// bytes (scorer.browser.call_utf8). Pyodide converts a string character by character, which for a
// year's 9.4 MB of Chinese text in and millions of characters out cost hundreds of milliseconds per
// call; a byte array is copied whole, and TextEncoder/TextDecoder take a few.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** A function (op, [texts]) -> answer text, over the `scorer.browser` module proxy `api`. */
export function scorerCaller(api) {
  const call = api.call_utf8;
  return (op, args) => {
    const answer = call(op, ...args.map((text) => encoder.encode(text)));
    try {
      const view = answer.getBuffer("u8");
      try {
        return decoder.decode(view.data);
      } finally {
        view.release();
      }
    } finally {
      answer.destroy();
    }
  };
}
