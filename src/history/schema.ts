import type { ClickHouseEngine } from "../clickhouse/engine.js";

/** The analysts' table of every transaction (docs/analytics.md describes each column). */
export const TRANSACTIONS_TABLE = "transactions";

/**
 * One row per transaction. ReplacingMergeTree keeps one row per sorting key (user_id, ts, seq, id), which
 * is one row per (user, transaction id) because an id is `<ts>-<seq>`; a retried insert therefore
 * collapses on merge, and readers use FINAL so they never see the duplicate before it does.
 * Only types ClickHouse 18.16 has (no DateTime64, Map, LowCardinality, Bool): epoch ms as UInt64,
 * key→value changes as parallel arrays, a milestone step of `null` as "".
 * Granules of 1024 rows instead of ClickHouse's 8192: a history page reads one user's rows, and the
 * parts that ingestion keeps creating (a few hundred to a few thousand rows each, until merges catch up)
 * are otherwise a single granule each, read whole by every page. Measured on the embedded engine after
 * 20 s of the bench's POST load: GET /history 9.3-12.6 ms of CPU per request with 8192, 7.2-7.7 with
 * 1024, 6.6-7.3 with 256. The primary index costs 8 times the memory of 8192's: ~40 MB per billion rows.
 * A table created before this keeps its granularity (IF NOT EXISTS); docs/analytics.md says how to move.
 */
const CREATE_TRANSACTIONS = `
CREATE TABLE IF NOT EXISTS ${TRANSACTIONS_TABLE}
(
    user_id String,
    ts UInt64,
    day Date,
    id String,
    seq UInt64,
    type String,
    challenge_id String,
    mission_id String,
    coupon_id String,
    metric_ids Array(String),
    metric_old Array(Float64),
    metric_new Array(Float64),
    metric_delta Array(Float64),
    item_set_ids Array(String),
    item_ids Array(String),
    item_changes Array(Int8),
    milestone_ids Array(String),
    milestone_old Array(String),
    milestone_new Array(String),
    payload String,
    inserted_at UInt64
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(day)
ORDER BY (user_id, ts, seq, id)
SETTINGS index_granularity = 1024`;

/** Every migration in order; each is idempotent so running them on every start is safe. */
export const MIGRATIONS: readonly string[] = [CREATE_TRANSACTIONS];

/**
 * How wide the embedded engine's merges are (ClickHouse's `merge_selector_base`, default 5). Ingestion
 * inserts a few hundred rows several times a second, and with the default the growing part is merged
 * again with every few new ones: after a minute of the bench's load one part had been rewritten 55
 * times, and merges took 11-21% of a core at 8,000 actions/s. With 20, merges take 3-4 times fewer rows
 * and the active parts stay few (5-12 in a 51,000-row trickle of 340-row inserts). Measured: MergeMutate
 * threads 850-2,100 -> 120-140 ms of CPU per 10 s at 8,000 POST /action/s, the API's CPU 93-96 -> 69-77
 * us per request, p99 5.9-7.4 -> 3.8-4.6 ms (2 alternating pairs, fresh data each). A ClickHouse server
 * keeps its own merge settings: an operator tunes those in its config, and 18.16 has no such setting.
 */
export const EMBEDDED_MERGE_SELECTOR_BASE = 20;

/**
 * Creates the history schema if missing. On the embedded engine it also sets the merge width (above):
 * MODIFY SETTING changes only table metadata, so a data directory from before is tuned the same way.
 */
export async function migrateHistorySchema(engine: ClickHouseEngine): Promise<void> {
  for (const statement of MIGRATIONS) await engine.exec(statement);
  if (engine.kind === "embedded") {
    await engine.exec(
      `ALTER TABLE ${TRANSACTIONS_TABLE} MODIFY SETTING merge_selector_base = ${EMBEDDED_MERGE_SELECTOR_BASE}`,
    );
  }
}
