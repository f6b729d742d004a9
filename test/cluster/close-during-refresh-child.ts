import { type Cluster, Redis } from "ioredis";
import { parseClusterAddress } from "../../src/redis/cluster-address.js";
import { openRedis } from "../../src/redis/cluster-client.js";
import { TEST_REDIS_URL, untilReady } from "../support/redis.js";

/**
 * Run by close-during-refresh.test.ts: opens a cluster client as the code base does (slotsRefreshInterval
 * 5 s), pauses every node shortly before the first periodic slot refresh so that refresh stays in flight,
 * closes the client during it, and then must exit by itself. Prints what happened on stdout. With the
 * argument `duplicate` it does all that with `duplicate()` of that client, as BullMQ makes its connections.
 */
const REFRESH_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const opened = openRedis(TEST_REDIS_URL);
const cluster = process.argv[2] === "duplicate" ? (opened as Cluster).duplicate() : opened;
await untilReady(cluster);
const readyAt = Date.now();
const admins = parseClusterAddress(TEST_REDIS_URL).nodes.map(
  (n) => new Redis({ host: n.host, port: n.port }),
);
await Promise.all(admins.map((a) => a.ping()));
await sleep(readyAt + REFRESH_MS - 400 - Date.now());
await Promise.all(admins.map((a) => a.call("CLIENT", "PAUSE", "1500", "ALL")));
const inFlight = () => (cluster as unknown as { isRefreshing?: boolean }).isRefreshing === true;
while (!inFlight() && Date.now() < readyAt + REFRESH_MS + 1000) await sleep(5);
const during = inFlight();
cluster.disconnect();
if (opened !== cluster) opened.disconnect();
for (const a of admins) a.disconnect();
console.log(during ? "closed during a slots refresh" : "no slots refresh came");
