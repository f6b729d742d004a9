import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseServerUrl } from "../../src/clickhouse/server-url.js";

describe("parseServerUrl", () => {
  it("takes user, password and database from the URL, percent-decoded", () => {
    assert.deepEqual(parseServerUrl("http://an%40alyst:p%40ss%3Aw%2Frd@ch.local:8123/loyalty%5Fdb"), {
      url: "http://ch.local:8123",
      username: "an@alyst",
      password: "p@ss:w/rd",
      database: "loyalty_db",
    });
  });

  it("defaults to ClickHouse's default user and database", () => {
    assert.deepEqual(parseServerUrl("https://ch.example.com"), {
      url: "https://ch.example.com",
      username: "default",
      password: "",
      database: "default",
    });
    assert.equal(parseServerUrl("http://ch:8123/").database, "default");
  });

  it("rejects non-URLs, non-HTTP schemes and nested paths, naming CLICKHOUSE_URL", () => {
    assert.throws(() => parseServerUrl("not a url"), /^Error: CLICKHOUSE_URL: not a URL/);
    assert.throws(() => parseServerUrl("tcp://ch:9000"), /CLICKHOUSE_URL: the HTTP interface is required/);
    assert.throws(
      () => parseServerUrl("http://ch:8123/a/b"),
      /CLICKHOUSE_URL: the path must be one database/,
    );
  });
});
