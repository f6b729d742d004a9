import { parseServerUrl } from "../clickhouse/server-url.js";
import { MIGRATIONS, TRANSACTIONS_TABLE } from "../history/schema.js";

/**
 * History on a ClickHouse cluster (CLICKHOUSE_CLUSTER=<name>, docs/scaling.md): on every node a local
 * ReplicatedReplacingMergeTree table holds that shard's rows (replicas copy them through ZooKeeper), and
 * `transactions` becomes a Distributed table over them, so the API's inserts and reads keep naming
 * `transactions` and its SQL does not change. Rows are sharded by user id: one user's rows, and so the
 * duplicates of a retried insert, always land on one shard, where ReplacingMergeTree/FINAL collapses them.
 * The local DDL is derived from the single-node migration, so the two layouts cannot drift apart.
 */

/** The per-node table behind the Distributed `transactions`. */
export const LOCAL_TABLE = `${TRANSACTIONS_TABLE}_local`;

/** The statements that create the cluster layout, in order; each is idempotent (IF NOT EXISTS). */
export function clusterMigrations(cluster: string, database: string): string[] {
  checkName(cluster, "cluster");
  checkName(database, "database");
  const single = MIGRATIONS[0];
  const head = `CREATE TABLE IF NOT EXISTS ${TRANSACTIONS_TABLE}`;
  const engine = /ENGINE = ReplacingMergeTree\((\w+)\)/;
  if (!single.includes(head) || !engine.test(single))
    throw new Error("history schema changed: update clickhouse-layout.ts");
  const zkPath = `/clickhouse/tables/{shard}/${database}/${LOCAL_TABLE}`;
  const local = single
    .replace(head, `CREATE TABLE IF NOT EXISTS ${LOCAL_TABLE} ON CLUSTER ${cluster}`)
    .replace(engine, `ENGINE = ReplicatedReplacingMergeTree('${zkPath}', '{replica}', $1)`);
  const distributed =
    `CREATE TABLE IF NOT EXISTS ${TRANSACTIONS_TABLE} ON CLUSTER ${cluster} AS ${LOCAL_TABLE}\n` +
    `ENGINE = Distributed(${cluster}, ${database}, ${LOCAL_TABLE}, cityHash64(user_id))`;
  return [local, distributed];
}

/**
 * Deleting a user on a cluster: a Distributed table takes no mutation, so the DELETE goes to the local
 * tables of every shard through the distributed DDL queue.
 */
export function clusterDeleteSql(cluster: string, userIdLiteral: string): string {
  checkName(cluster, "cluster");
  return `ALTER TABLE ${LOCAL_TABLE} ON CLUSTER ${cluster} DELETE WHERE user_id = ${userIdLiteral}`;
}

function checkName(name: string, what: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`ClickHouse ${what} name "${name}" is not an identifier`);
}

/** Which cluster history lives on, and the database of CLICKHOUSE_URL (part of the ZooKeeper path). */
export interface ClusterLayout {
  readonly name: string;
  readonly database: string;
}

/** The layout CLICKHOUSE_CLUSTER selects, or undefined for a single server / the embedded engine. */
export function clusterLayoutOf(settings: {
  readonly clickhouseCluster?: string;
  readonly clickhouseUrl?: string;
}): ClusterLayout | undefined {
  if (settings.clickhouseCluster === undefined || settings.clickhouseUrl === undefined) return undefined;
  return { name: settings.clickhouseCluster, database: parseServerUrl(settings.clickhouseUrl).database };
}
