import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { formatClusterAddress } from "../../src/redis/cluster-address.js";

const run = promisify(execFile);

/**
 * A private Redis Cluster for tests, from the installed `redis-server`: `masters` masters with `replicas`
 * replicas each, on free 127.0.0.1 ports, in a temp dir, no persistence. Stopped by pid (never by name).
 * `cluster-node-timeout` is short so a failover completes in a few seconds, and
 * `cluster-require-full-coverage no` keeps the healthy shards serving while one is failing over (the
 * setting docs/scaling.md recommends: partitions are independent, so a lost shard affects only its users).
 */
export interface TestRedisCluster {
  /** `redis-cluster://127.0.0.1:p1,…` (every node, masters first). */
  readonly address: string;
  readonly nodes: readonly ClusterNodeProcess[];
  /** SIGKILLs one node (a crash). */
  kill(port: number): void;
  stop(): Promise<void>;
}

/** One redis-server of the cluster. */
export interface ClusterNodeProcess {
  readonly port: number;
  readonly process: ChildProcess;
}

export interface ClusterShape {
  readonly masters?: number;
  readonly replicas?: number;
  readonly nodeTimeoutMs?: number;
}

/** Starts the nodes, joins them with `redis-cli --cluster create`, and waits until every node says ok. */
export async function startRedisCluster(shape: ClusterShape = {}): Promise<TestRedisCluster> {
  const masters = shape.masters ?? 3;
  const replicas = shape.replicas ?? 0;
  const dir = await mkdtemp(join(tmpdir(), "loyalty-cluster-"));
  const nodes: ClusterNodeProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => stopNode(n.process)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      nodes.push(await startNode(dir, shape.nodeTimeoutMs ?? 1000));
    }
    const hosts = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(
      "redis-cli",
      ["--cluster", "create", ...hosts, "--cluster-replicas", String(replicas), "--cluster-yes"],
      {
        timeout: 30_000,
      },
    );
    await untilHealthy(nodes, masters * (1 + replicas));
  } catch (err) {
    await stop();
    throw err;
  }
  const address = formatClusterAddress({ nodes: nodes.map((n) => ({ host: "127.0.0.1", port: n.port })) });
  return {
    address,
    nodes,
    kill: (port) => nodes.find((n) => n.port === port)?.process.kill("SIGKILL"),
    stop,
  };
}

async function startNode(dir: string, nodeTimeoutMs: number): Promise<ClusterNodeProcess> {
  const port = await freePort();
  const args = [
    ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--dbfilename", `dump-${port}.rdb`],
    ...["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`)],
    ...["--cluster-node-timeout", String(nodeTimeoutMs), "--cluster-require-full-coverage", "no"],
    ...["--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning"],
  ];
  const child = spawn("redis-server", args, { stdio: "ignore" });
  process.once("exit", () => child.kill("SIGKILL"));
  await untilAnswering(port, child);
  return { port, process: child };
}

async function untilAnswering(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited (${child.exitCode})`);
    if ((await cli(port, "PING").catch(() => "")) === "PONG") return;
    await sleep(50);
  }
  throw new Error(`redis-server on ${port} did not answer within 10 s`);
}

/** Every node reports cluster_state:ok and knows every other node; replicas have finished their first sync. */
async function untilHealthy(nodes: readonly ClusterNodeProcess[], total: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const states = await Promise.all(nodes.map((n) => cli(n.port, "CLUSTER", "INFO").catch(() => "")));
    const ok = states.every(
      (s) => s.includes("cluster_state:ok") && s.includes(`cluster_known_nodes:${total}`),
    );
    const synced = await Promise.all(nodes.map((n) => cli(n.port, "INFO", "replication").catch(() => "")));
    const replicasUp = synced.every((s) => !s.includes("role:slave") || s.includes("master_link_status:up"));
    if (ok && replicasUp) return;
    await sleep(100);
  }
  throw new Error("redis cluster did not become healthy within 30 s");
}

/** One redis-cli command against a node; resolves its trimmed output. */
export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], {
    timeout: 5000,
  });
  return stdout.trim();
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * A port p with p + 10000 free too: a cluster node also listens on its bus port, p + 10000, so the OS's
 * ephemeral ports (up to 60999) will not do. Candidates come from 20000–29999.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await canListen(port)) && (await canListen(port + 10_000))) return port;
  }
  throw new Error("no free port pair (p, p + 10000) for a cluster node");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
