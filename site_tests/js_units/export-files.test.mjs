// Unit tests for export-files.mjs: download names and bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { XLSX_TYPE, base64Bytes, csvBlob, safeName, xlsxBlob } from "../../docs/assets/javascripts/export-files.mjs";

test("safeName: no separator, reserved, control or blank character survives; at most 60 characters", () => {
  const bad = '\\/:*?"<>|\u0000\u001f \t\u3000';
  for (let i = 0; i < 500; i++) {
    let text = "";
    for (let j = 0; j < (i % 90); j++) text += (j * 7 + i) % 3 ? String.fromCharCode(0x4e00 + ((i * 31 + j) % 500)) : bad[(i + j) % bad.length];
    const name = safeName(text);
    assert.ok(!/[\\/:*?"<>|\u0000-\u001f\s]/.test(name), JSON.stringify(name));
    assert.ok(name.length <= 60);
  }
  assert.equal(safeName("区某局/党组"), "区某局_党组");
  assert.equal(safeName("  区某局  党组 "), "区某局_党组");
  assert.equal(safeName('区/某:局 "党组"'), "区_某_局_党组_");  // the review screen's names (office-review-model.mjs once had its own)
});

test("base64Bytes: the bytes back, every byte value", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(base64Bytes(Buffer.from(bytes).toString("base64")), bytes);
  assert.deepEqual(base64Bytes(""), new Uint8Array());
});

test("blobs carry their types", async () => {
  assert.equal(csvBlob("\ufeffa,b\r\n").type, "text/csv;charset=utf-8");
  const book = xlsxBlob(Buffer.from("PK").toString("base64"));
  assert.equal(book.type, XLSX_TYPE);
  assert.equal(await book.text(), "PK");
});
