import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Router } from "../../src/http/router.js";
import type { Handler } from "../../src/http/types.js";

const h: Handler = () => ({ status: 200, body: "{}" });

describe("Router", () => {
  const router = new Router();
  router.add("GET", "/a/b", h);
  router.add("POST", "/a/b", h);
  router.add("GET", "/c/:id", h);
  router.add("GET", "/c/:id/d/:other", h);

  test("a static path matches with both methods in its Allow list", () => {
    const m = router.match("/a/b");
    assert.equal(m.entry?.allow, "GET, POST");
    assert.deepEqual(m.params, {});
  });

  test("param segments are captured and percent-decoded", () => {
    assert.deepEqual(router.match("/c/x%2Fy").params, { id: "x/y" });
    assert.deepEqual(router.match("/c/1/d/2").params, { id: "1", other: "2" });
  });

  test("a malformed escape is kept raw instead of throwing", () => {
    assert.deepEqual(router.match("/c/%E0%A4%A").params, { id: "%E0%A4%A" });
  });

  test("empty params, extra or missing segments and trailing slashes do not match", () => {
    for (const path of ["/c/", "/c", "/c/1/d", "/c/1/e/2", "/a/b/", "/a", "/"]) {
      assert.equal(router.match(path).entry, undefined, path);
    }
  });

  test("registering the same method and path twice is refused", () => {
    assert.throws(() => router.add("GET", "/a/b", h), /registered twice/);
  });
});
