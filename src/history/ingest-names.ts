/**
 * Names shared by every ingestion process. The BullMQ prefix is a hash tag so that all of one queue's keys
 * hash to one Redis Cluster slot (BullMQ's scripts touch several of them at once).
 */

/** The consumer group that history ingestion reads the partition streams with. */
export const HISTORY_GROUP = "history";

/** BullMQ key prefix, a hash tag: `{loyalty-q}:history:*` all live in one slot. */
export const QUEUE_PREFIX = "{loyalty-q}";

/** The BullMQ queue carrying batches of stream entries to ClickHouse. */
export const HISTORY_QUEUE = "history";
