import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readSettings } from "../../src/config/env.js";
import {
  formatClusterAddress,
  isClusterAddress,
  parseClusterAddress,
  redisAddressOf,
} from "../../src/redis/cluster-address.js";
import { isClusterTransition } from "../../src/redis/cluster-errors.js";
import { crc16, hashTagOf, slotOf } from "../../src/redis/cluster-slot.js";

const API = { JWT_SECRET: "0123456789abcdef" };

describe("Redis Cluster addressing (REDIS_CLUSTER_NODES)", () => {
  test("REDIS_CLUSTER_NODES becomes a redis-cluster:// address that keeps REDIS_URL's credentials", () => {
    const s = readSettings({
      ...API,
      REDIS_CLUSTER_NODES: "10.0.0.1:7000, 10.0.0.2:7001",
      REDIS_URL: "redis://app:s%40cret@x:6379",
    });
    assert.equal(s.redisUrl, "redis-cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2:7001");
    assert.deepEqual(parseClusterAddress(s.redisUrl), {
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      username: "app",
      password: "s@cret",
    });
  });

  test("without REDIS_CLUSTER_NODES, REDIS_URL is used as given (a cluster address there works too)", () => {
    assert.equal(readSettings(API).redisUrl, "redis://127.0.0.1:6379/0");
    assert.equal(redisAddressOf("redis-cluster://h:1,[::1]:2", undefined), "redis-cluster://h:1,[::1]:2");
    assert.equal(isClusterAddress("redis://h:1"), false);
    assert.equal(
      formatClusterAddress({ nodes: [{ host: "::1", port: 7000 }] }),
      "redis-cluster://[::1]:7000",
    );
  });

  test("bad node lists and a db index other than 0 next to a cluster are refused, naming the variable", () => {
    assert.throws(
      () => readSettings({ ...API, REDIS_CLUSTER_NODES: "h1:7000,h2" }),
      /REDIS_CLUSTER_NODES: "h2" is not host:port/,
    );
    assert.throws(() => readSettings({ ...API, REDIS_CLUSTER_NODES: "h1:99999" }), /REDIS_CLUSTER_NODES/);
    assert.throws(
      () => readSettings({ ...API, REDIS_CLUSTER_NODES: "h1:7000", REDIS_URL: "redis://h:6379/3" }),
      /REDIS_URL: db 3 with REDIS_CLUSTER_NODES/,
    );
  });

  test("LOYALTY_WORKERS > 1 needs a fixed PORT and CLICKHOUSE_URL", () => {
    assert.equal(
      readSettings({ ...API, LOYALTY_WORKERS: "2", CLICKHOUSE_URL: "http://h:8123/db" }).workers,
      2,
    );
    assert.throws(
      () => readSettings({ ...API, LOYALTY_WORKERS: "2" }),
      /LOYALTY_WORKERS: more than 1 needs CLICKHOUSE_URL/,
    );
    assert.throws(
      () => readSettings({ ...API, LOYALTY_WORKERS: "2", PORT: "0", CLICKHOUSE_URL: "http://h:8123/db" }),
      /one fixed PORT/,
    );
  });
});

describe("Redis Cluster slots", () => {
  test("CRC16/XMODEM and key slots match the Redis Cluster specification's examples", () => {
    assert.equal(crc16("123456789"), 0x31c3);
    assert.equal(slotOf("123456789"), 12739);
    assert.equal(slotOf("ly:{p0}:tx"), 15882); // values checked against CLUSTER KEYSLOT
    assert.equal(slotOf("ly:{p63}:u:alice"), 12555);
    assert.equal(slotOf("{loyalty-q}:history:wait"), 11964);
  });

  test("only the first non-empty {tag} is hashed, so every key of a partition shares its slot", () => {
    assert.equal(hashTagOf("ly:{p7}:u:{x}"), "p7");
    assert.equal(hashTagOf("a{}b{c}"), "a{}b{c}");
    assert.equal(slotOf("ly:{p7}:u:bob"), slotOf("ly:{p7}:tx"));
  });

  test("topology-change replies are transient (503), other reply errors are not", () => {
    for (const m of [
      "MOVED 3999 127.0.0.1:6381",
      "ASK 1 h:1",
      "CLUSTERDOWN The cluster is down",
      "TRYAGAIN x",
      "READONLY You can't write against a read only replica.",
    ])
      assert.equal(isClusterTransition(new Error(m)), true, m);
    assert.equal(isClusterTransition(new Error("ERR user_script:1: bad")), false);
  });
});
