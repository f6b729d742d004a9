/**
 * Where Redis is, as one string that travels wherever a Redis URL travels (settings, the ingestion and
 * webhook runtimes, child processes' REDIS_URL): a `redis://` URL for one server, or
 * `redis-cluster://[user:password@]host:port,host:port,…` for a Redis Cluster (REDIS_CLUSTER_NODES is
 * turned into this form by src/config/env.ts). Keeping it one string means no caller has to know which.
 */

/** The scheme of a Redis Cluster address. */
export const CLUSTER_SCHEME = "redis-cluster:";

/** One seed node of a cluster; the client discovers the others (and the slot map) from any of them. */
export interface ClusterSeed {
  readonly host: string;
  readonly port: number;
}

/** A parsed cluster address. */
export interface ClusterAddress {
  readonly nodes: readonly ClusterSeed[];
  readonly username?: string;
  readonly password?: string;
}

/** True when `address` names a Redis Cluster rather than one server. */
export function isClusterAddress(address: string): boolean {
  return address.startsWith(`${CLUSTER_SCHEME}//`);
}

/**
 * Parses `host:port,host:port` (the REDIS_CLUSTER_NODES list). Throws naming the bad entry; an IPv6 host
 * goes in brackets (`[::1]:7000`).
 */
export function parseClusterNodes(list: string): ClusterSeed[] {
  const entries = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("no host:port given");
  return entries.map((entry) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port`);
    return { host: match[1].replace(/^\[|\]$/g, ""), port };
  });
}

/** Builds the cluster address from seed nodes and optional credentials (the same on every node). */
export function formatClusterAddress(a: ClusterAddress): string {
  const cred =
    a.password === undefined
      ? ""
      : `${encodeURIComponent(a.username ?? "")}:${encodeURIComponent(a.password)}@`;
  const hosts = a.nodes.map((n) => (n.host.includes(":") ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`));
  return `${CLUSTER_SCHEME}//${cred}${hosts.join(",")}`;
}

/** Parses a `redis-cluster://` address (see the module comment). */
export function parseClusterAddress(address: string): ClusterAddress {
  if (!isClusterAddress(address)) throw new Error(`not a ${CLUSTER_SCHEME}// address`);
  let rest = address.slice(CLUSTER_SCHEME.length + 2).replace(/\/+$/, "");
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const [user, pass = ""] = rest.slice(0, at).split(":");
    username = user === "" ? undefined : decodeURIComponent(user);
    password = decodeURIComponent(pass);
    rest = rest.slice(at + 1);
  }
  return { nodes: parseClusterNodes(rest), username, password };
}

/** The address with its password masked, for messages. */
export function redactAddress(address: string): string {
  return address.replace(/\/\/([^:@/]*):([^@/]*)@/, "//$1:***@");
}

/**
 * The Redis address from the environment's two ways of naming it: REDIS_CLUSTER_NODES (`host:port,…`)
 * wins and takes its credentials from REDIS_URL when that carries any; a cluster has only db 0, so a
 * REDIS_URL with another db next to it is an error. Without REDIS_CLUSTER_NODES, REDIS_URL as given
 * (a `redis://` URL, or a `redis-cluster://` address). Throws a message naming the variable.
 */
export function redisAddressOf(redisUrl: string | undefined, clusterNodes: string | undefined): string {
  const url = redisUrl ?? "redis://127.0.0.1:6379/0";
  if (clusterNodes === undefined) {
    if (isClusterAddress(url)) parseClusterAddress(url);
    return url;
  }
  let nodes: ClusterSeed[];
  try {
    nodes = parseClusterNodes(clusterNodes);
  } catch (err) {
    throw new Error(`REDIS_CLUSTER_NODES: ${(err as Error).message} (expected host:port,host:port,…)`);
  }
  if (redisUrl === undefined || isClusterAddress(redisUrl)) return formatClusterAddress({ nodes });
  const parsed = new URL(redisUrl);
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && db !== "0")
    throw new Error(`REDIS_URL: db ${db} with REDIS_CLUSTER_NODES (a cluster has db 0 only)`);
  const password = parsed.password === "" ? undefined : decodeURIComponent(parsed.password);
  const username = parsed.username === "" ? undefined : decodeURIComponent(parsed.username);
  return formatClusterAddress({ nodes, username, password });
}
