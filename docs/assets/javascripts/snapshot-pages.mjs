// The layout of the scorer's memory snapshot file ("GMSS" 1), read by the worker and the Node test
// helpers alike; sitebuild/startup.py writes it (sparse_encode).
//
// Why: a Pyodide memory snapshot is 31 MB, 60 % of it zero pages. The file holds a header, a bitmap of
// the non-zero 4 KiB pages and those pages only (then gzipped as a whole). Expanding it writes just the
// non-zero pages into a fresh, zero-filled buffer: 40 % of the bytes to gunzip and copy, and the
// buffer's zero pages are never touched, so the operating system never has to back them with memory.
// Restoring it (withSparseRestore) does the same to the wasm memory, which Pyodide's own restore
// overwrites in full, zeros included.
//
//   header   "GMSS", version 1, page size, raw size: four little-endian u32
//   bitmap   ceil(pages / 8) bytes, bit i (least significant first) set when page i is not all zeros
//   pages    the set pages in order; the last one is shorter when the raw size is not a multiple

export const MAGIC = 0x53534d47; // "GMSS" read as a little-endian u32
const HEADER = 16;

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Fill `bytes` (zero-filled, of the snapshot's raw size) from `reader`, a stream reader of the file's
 * uncompressed bytes. Throws when the file is not this layout, has another size, or ends early.
 * Returns {pages, pageSize}: the indices of the pages written, in order.
 */
export async function expandInto(reader, bytes) {
  let head = new Uint8Array(0); // header and bitmap, gathered across chunks
  let pages = null; // indices of the non-zero pages, once the bitmap is in
  let pageSize = 0;
  let k = 0; // the page being written
  let within = 0; // bytes of it written so far

  const put = (data) => {
    let at = 0;
    while (at < data.length) {
      if (k >= pages.length) throw new Error("snapshot longer than its page map says");
      const start = pages[k] * pageSize;
      const length = Math.min(pageSize, bytes.length - start);
      const n = Math.min(length - within, data.length - at);
      bytes.set(data.subarray(at, at + n), start + within);
      at += n;
      within += n;
      if (within === length) {
        k += 1;
        within = 0;
      }
    }
  };

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (pages) {
      put(value);
      continue;
    }
    head = concat(head, value);
    if (head.length < HEADER) continue;
    const view = new DataView(head.buffer, head.byteOffset, HEADER);
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== 1) {
      throw new Error("not a GMSS 1 snapshot file");
    }
    pageSize = view.getUint32(8, true);
    const size = view.getUint32(12, true);
    if (size !== bytes.length) throw new Error(`snapshot of ${size} bytes, the manifest says ${bytes.length}`);
    const count = Math.ceil(size / pageSize);
    const mapEnd = HEADER + Math.ceil(count / 8);
    if (head.length < mapEnd) continue;
    pages = [];
    for (let i = 0; i < count; i++) {
      if (head[HEADER + (i >> 3)] & (1 << (i & 7))) pages.push(i);
    }
    const rest = head.subarray(mapEnd);
    head = null;
    put(rest);
  }
  if (!pages || k !== pages.length || within !== 0) throw new Error("snapshot truncated");
  return { pages, pageSize };
}

function isZero(words, from, to) {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
}

/**
 * Copy the memory image held in `image` from byte `offset` on into `heap` (a Uint8Array over the wasm
 * memory) as `heap.set(image.subarray(offset))` would, but writing only the pages `layout` lists
 * (expandInto's answer): a range that is zero in the image is written only where the heap is not
 * zero already (the runtime's data segments and start-up allocations, all below `dirtyEnd`, the
 * runtime's break: above it the memory is as fresh as the wasm instance made it), so most of the
 * memory is never touched. `offset` must be a multiple of 4 (Pyodide's header is a multiple of 16
 * bytes). Returns how many of the image's pages were copied and how many zero ones had to be cleared.
 */
export function restoreInto(heap, image, layout, offset, dirtyEnd = heap.length) {
  const { pages, pageSize } = layout;
  if (offset % 4 || pageSize % 4) throw new Error("snapshot offset or page size not word-aligned");
  const words = new Uint32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
  const size = image.length;
  let next = 0; // index into `pages` of the next non-zero page
  let copied = 0;
  let cleared = 0;
  for (let page = 0; page * pageSize < size; page++) {
    const start = Math.max(page * pageSize, offset);
    const end = Math.min((page + 1) * pageSize, size);
    const nonZero = next < pages.length && pages[next] === page;
    if (nonZero) next += 1;
    if (start >= end) continue;
    if (nonZero) {
      heap.set(image.subarray(start, end), start - offset);
      copied += 1;
    } else if (start - offset < dirtyEnd && !isZero(words, (start - offset) >> 2, (end - offset + 3) >> 2)) {
      heap.fill(0, start - offset, end - offset);
      cleared += 1;
    }
  }
  return { copied, cleared };
}

/**
 * Wrap pyodide.asm.mjs's module factory (loadPyodide's `createPyodideModule` option) so the memory
 * snapshot is restored by restoreInto: Pyodide's own restoreSnapshot still checks the header and reads
 * its state, but is handed the header only, so it copies nothing. `layoutOf()` gives expandInto's
 * answer once the snapshot is in (the restore runs after that). When this runtime has no
 * `API.restoreSnapshot` to wrap, its own restore runs unchanged.
 */
export function withSparseRestore(createModule, layoutOf) {
  return async (settings) => {
    const module = await createModule(settings);
    const api = module.API;
    if (!api || typeof api.restoreSnapshot !== "function") return module;
    const stock = api.restoreSnapshot;
    api.restoreSnapshot = (image) => {
      const offset = new Uint32Array(image.buffer, image.byteOffset, 2)[1]; // header size: the image's start
      const state = stock(image.subarray(0, offset));
      const heap = new Uint8Array(module.HEAP8.buffer);
      const dirtyEnd = typeof module._sbrk === "function" ? module._sbrk(0) >>> 0 : heap.length;
      restoreInto(heap, image, layoutOf(), offset, dirtyEnd);
      return state;
    };
    return module;
  };
}
