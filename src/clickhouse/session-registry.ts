import { resolve } from "node:path";
import { Session } from "chdb";

/**
 * chdb runs ONE engine per process: one data directory at a time, and a second Session on another path
 * throws. Every embedded engine in this process therefore shares one Session per path, counted here, and
 * the Session closes when its last user releases it.
 */

/** A shared chdb Session; call `release` exactly once when done with it. */
export interface SessionLease {
  readonly session: Session;
  readonly path: string;
  release(): void;
}

interface Entry {
  readonly session: Session;
  users: number;
}

const open = new Map<string, Entry>();

// Given at connect because chdb cannot change them later; 26.x would otherwise print UInt64 as JSON
// numbers (precision loss past 2^53) while 18.16 quotes them, and both backends must return the same rows.
const CONNECTION_ARGS = ["--output_format_json_quote_64bit_integers=1"];

/** Opens (or shares) the Session for a data directory; throws a clear error if another path is open. */
export function leaseSession(dataDir: string): SessionLease {
  const path = resolve(dataDir);
  let entry = open.get(path);
  if (!entry) {
    const other = [...open.keys()][0];
    if (other !== undefined) {
      throw new Error(
        `embedded ClickHouse: the data directory "${other}" is open in this process; chdb runs one ` +
          `data directory per process, so "${path}" (LOYALTY_DATA_DIR) cannot be opened too`,
      );
    }
    entry = { session: new Session(path, { connectionArgs: CONNECTION_ARGS }), users: 0 };
    open.set(path, entry);
  }
  entry.users += 1;
  return { session: entry.session, path, release: releaseOnce(path, entry) };
}

function releaseOnce(path: string, entry: Entry): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.users -= 1;
    if (entry.users > 0) return;
    open.delete(path);
    entry.session.close();
  };
}
