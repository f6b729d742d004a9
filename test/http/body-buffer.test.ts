import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BodyBuffer } from "../../src/http/body-buffer.js";

const chunk = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe("BodyBuffer", () => {
  test("with a known length it collects chunks into one buffer", () => {
    const body = new BodyBuffer(100, 6);
    assert.equal(body.append(chunk("abc")), true);
    assert.equal(body.append(chunk("def")), true);
    assert.equal(body.bytes()?.toString(), "abcdef");
  });

  test("without a length it grows as chunks arrive", () => {
    const body = new BodyBuffer(5000, -1);
    const parts = Array.from({ length: 10 }, (_, i) => String(i).repeat(300));
    for (const p of parts) assert.equal(body.append(chunk(p)), true);
    assert.equal(body.bytes()?.toString(), parts.join(""));
  });

  test("refuses the chunk that would exceed the limit", () => {
    const body = new BodyBuffer(5, -1);
    assert.equal(body.append(chunk("abcd")), true);
    assert.equal(body.append(chunk("ef")), false);
  });

  test("an empty body yields undefined", () => {
    const body = new BodyBuffer(5, -1);
    body.append(chunk(""));
    assert.equal(body.bytes(), undefined);
  });
});
