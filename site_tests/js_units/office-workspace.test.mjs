// The sealed envelope of office-workspace.mjs (gm-sealed/1) under Node's own test runner: Node has
// WebCrypto (globalThis.crypto.subtle) and CompressionStream, the same APIs the page uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MIN_ITERATIONS, SEALED_FORMAT, SealError, checkEnvelope, isSealed, seal, unseal,
} from "../../docs/assets/javascripts/office-workspace.mjs";

const WORKSPACE = JSON.stringify({ format: "gm-workspace/1", year: 2019, note: "光明区 · 日常监督 ✓", n: [1, 2, 3] });
const text = (bytes) => new TextDecoder().decode(bytes);

// One sealing shared by the tests that only read it: 600 000 iterations take a moment each.
const sealed = seal(WORKSPACE, "正确的口令 pass");

test("a sealed workspace opens with its passphrase to exactly the text sealed", async () => {
  const envelope = await sealed;
  assert.equal(envelope.format, SEALED_FORMAT);
  assert.equal(envelope.kdf.iterations, MIN_ITERATIONS);
  assert.ok(isSealed(envelope));
  // What is saved is JSON text: the round trip goes through it.
  const again = JSON.parse(JSON.stringify(envelope));
  assert.equal(text(await unseal(again, "正确的口令 pass")), WORKSPACE);
  // Nothing of the plain text shows in the file.
  assert.ok(!JSON.stringify(envelope).includes("gm-workspace/1\",\"year"));
});

test("a wrong passphrase is refused with a Chinese reason, never garbage", async () => {
  const envelope = await sealed;
  for (const wrong of ["正确的口令 Pass", "正确的口令 pass ", "x"]) {
    await assert.rejects(unseal(envelope, wrong), (error) => error instanceof SealError && /口令不正确/.test(error.message));
  }
});

test("two sealings of the same text differ (random salt and iv)", async () => {
  const [a, b] = await Promise.all([sealed, seal(WORKSPACE, "正确的口令 pass")]);
  assert.notEqual(a.kdf.salt, b.kdf.salt);
  assert.notEqual(a.cipher.iv, b.cipher.iv);
  assert.notEqual(a.data, b.data);
});

test("any edit of the header or the ciphertext is refused like a wrong passphrase", async () => {
  const envelope = await sealed;
  const flip = (b64) => {
    const bytes = Buffer.from(b64, "base64");
    bytes[bytes.length >> 1] ^= 1;
    return bytes.toString("base64");
  };
  const edits = [
    (e) => { e.kdf.iterations += 1; },
    (e) => { e.kdf.salt = flip(e.kdf.salt); },
    (e) => { e.cipher.iv = flip(e.cipher.iv); },
    (e) => { e.data = flip(e.data); },
  ];
  for (const edit of edits) {
    const copy = structuredClone(envelope);
    edit(copy);
    await assert.rejects(unseal(copy, "正确的口令 pass"), (error) => error instanceof SealError && /口令不正确|改动/.test(error.message));
  }
});

test("malformed envelopes are refused before any key is derived, each with its reason", async () => {
  const envelope = await sealed;
  const cases = [
    [null, /不是加密的工作区文件/],
    [[], /不是加密的工作区文件/],
    [{ ...envelope, format: "gm-sealed/2" }, /不是加密的工作区文件/],
    [{ ...envelope, extra: 1 }, /未知的字段 extra/],
    [{ ...envelope, content: "gm-review/1" }, /内容格式/],
    [{ ...envelope, compression: "none" }, /压缩方式/],
    [{ ...envelope, kdf: { ...envelope.kdf, hash: "SHA-1" } }, /PBKDF2/],
    [{ ...envelope, kdf: { ...envelope.kdf, iterations: 1000 } }, /迭代次数/],
    [{ ...envelope, kdf: { ...envelope.kdf, iterations: 1e12 } }, /迭代次数/],
    [{ ...envelope, kdf: { ...envelope.kdf, iterations: "600000" } }, /迭代次数/],
    [{ ...envelope, kdf: { ...envelope.kdf, salt: "AAAA" } }, /盐值/],
    [{ ...envelope, kdf: { ...envelope.kdf, salt: "!!!!" } }, /base64/],
    [{ ...envelope, cipher: { name: "AES-CBC", iv: envelope.cipher.iv } }, /AES-GCM/],
    [{ ...envelope, cipher: { name: "AES-GCM", iv: "AAAA" } }, /初始向量/],
    [{ ...envelope, data: "" }, /密文过短/],
  ];
  for (const [value, reason] of cases) {
    assert.throws(() => checkEnvelope(value), (error) => error instanceof SealError && reason.test(error.message), String(reason));
    // unseal checks first: a hostile iteration count never reaches PBKDF2.
    await assert.rejects(unseal(value, "正确的口令 pass"), SealError);
  }
});

test("an empty or huge passphrase is refused", async () => {
  await assert.rejects(seal(WORKSPACE, ""), /请输入口令/);
  await assert.rejects(seal(WORKSPACE, "x".repeat(1025)), /口令过长/);
  await assert.rejects(seal(WORKSPACE, "ok", { iterations: 1000 }), /迭代次数/);
});

test("what a sealed file unpacks to is bounded (a compression bomb is refused)", async () => {
  const big = "0".repeat(2 * 1024 * 1024); // compresses to a few KB
  const envelope = await seal(big, "pw");
  assert.ok(envelope.data.length < 20000);
  await assert.rejects(unseal(envelope, "pw", { limit: 1024 * 1024 }), /超过/);
  assert.equal((await unseal(envelope, "pw", { limit: 4 * 1024 * 1024 })).length, big.length);
});

test("generated texts survive the round trip unchanged", async () => {
  // A small generator (no dependency): random code points from several planes, including CJK,
  // emoji and the edges of the BMP, at random lengths.
  let state = 20191231;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  const ranges = [[0x20, 0x7e], [0x4e00, 0x9fff], [0x1f300, 0x1f6ff], [0xe000, 0xfffd], [0x80, 0x7ff]];
  for (let round = 0; round < 6; round++) {
    let value = "";
    const length = next() % 400;
    for (let i = 0; i < length; i++) {
      const [low, high] = ranges[next() % ranges.length];
      value += String.fromCodePoint(low + (next() % (high - low + 1)));
    }
    const envelope = await seal(value, `口令${round}`);
    assert.equal(text(await unseal(envelope, `口令${round}`)), value);
  }
});

test("the committed sample file (site_tests/fixtures/sealed/) still opens: the format is stable", async () => {
  const { readFile } = await import("node:fs/promises");
  const envelope = JSON.parse(await readFile(new URL("../fixtures/sealed/sample.sealed.json", import.meta.url), "utf-8"));
  const opened = JSON.parse(text(await unseal(envelope, "示例口令 2019")));
  assert.equal(opened.format, "gm-workspace/1");
  assert.equal(opened.year, 2019);
  await assert.rejects(unseal(envelope, "示例口令 2020"), /口令不正确/);
});
