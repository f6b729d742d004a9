import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./free-port.js";

/**
 * A private clickhouse-server (Debian's 18.16 here) for one test file: free local port, temp data dir,
 * minimal config, never the system service and never 8123/9000. Only the HTTP port is configured, so the
 * server opens no other listener.
 */

/** A running private server; `url` carries its user, password and database. */
export interface PrivateClickHouseServer {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

const USER = "loyalty";
// Characters that must survive URL percent-encoding and HTTP basic auth.
const PASSWORD = "p@ss:w/rd%";
const DATABASE = "loyalty_test";

/** The clickhouse-server binary on PATH or in the sbin directories, if installed. */
export function findClickHouseServerBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    const candidate = join(dir, "clickhouse-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Why server tests skip, or false to run them; in CI (CI=true) they always run and fail if the binary is missing. */
export function clickhouseServerSkipReason(): string | false {
  if (findClickHouseServerBinary() !== undefined || process.env.CI === "true") return false;
  return "clickhouse-server is not installed (apt-get install -y clickhouse-server); skipped outside CI";
}

/** Starts a private server and waits until it answers queries. */
export async function startClickHouseServer(): Promise<PrivateClickHouseServer> {
  const binary = findClickHouseServerBinary();
  if (!binary) throw new Error("clickhouse-server binary not found (CI requires it: see .ci/run)");
  let lastError: unknown;
  // A free port can be taken between probing and binding; a fresh port usually fixes that.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, port: number): Promise<PrivateClickHouseServer> {
  const dir = await mkdtemp(join(tmpdir(), "loyalty-ch-"));
  writeFileSync(join(dir, "config.xml"), serverConfig(dir, port));
  writeFileSync(join(dir, "users.xml"), usersConfig());
  const child = spawn(binary, [`--config-file=${join(dir, "config.xml")}`], { cwd: dir, stdio: "ignore" });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(base, child, dir);
    await query(base, `CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    const version = (await query(base, "SELECT version()")).trim();
    const credentials = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;
    return { url: `http://${credentials}@127.0.0.1:${port}/${DATABASE}`, version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilAnswering(base: string, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `clickhouse-server exited at start (${child.exitCode ?? child.signalCode}):\n${logTail(dir)}`,
      );
    }
    try {
      await query(base, "SELECT 1");
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  throw new Error(`clickhouse-server did not answer within 30 s:\n${logTail(dir)}`);
}

function query(base: string, sql: string): Promise<string> {
  // node:http without an agent, not fetch: fetch keeps the socket alive, and 18.16 delays its shutdown
  // until idle keep-alive connections time out (8 s per test file).
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { method: "POST", agent: false, auth: `${USER}:${PASSWORD}` }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`clickhouse-server: ${body}`)),
      );
    });
    req.on("error", reject);
    req.end(sql);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGTERM");
  });
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, "server.err.log"), "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}

function serverConfig(dir: string, port: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog></logger>
  <http_port>${port}</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <keep_alive_timeout>10</keep_alive_timeout>
  <timezone>UTC</timezone>
</yandex>
`;
}

function usersConfig(): string {
  const xmlPassword = PASSWORD.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <${USER}>
      <password>${xmlPassword}</password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </${USER}>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;
}
