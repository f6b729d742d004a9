/** The fields of one transaction entry in a partition stream (docs/engine.md, step 6). */
export interface TransactionEntry {
  /** User id (`u`). */
  readonly userId: string;
  /** Transaction JSON (`t`). */
  readonly transaction: string;
  /** Notification JSON (`n`), present only when the transaction is also a notification. */
  readonly notification: string | undefined;
}

/** Reads `u`, `t` and `n` out of a stream entry's flat `[field, value, ...]` array. */
export function readEntryFields(fields: readonly string[]): TransactionEntry | undefined {
  let userId: string | undefined;
  let transaction: string | undefined;
  let notification: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === "u") userId = fields[i + 1];
    else if (name === "t") transaction = fields[i + 1];
    else if (name === "n") notification = fields[i + 1];
  }
  // An entry without a user or transaction was not written by the engine: ignore it rather than crash.
  if (userId === undefined || transaction === undefined) return undefined;
  return { userId, transaction, notification };
}
