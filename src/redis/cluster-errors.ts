/**
 * Reply errors a Redis Cluster gives while its topology changes (a master failing over, slots moving,
 * a demoted master turned replica): the command was NOT executed and trying again shortly succeeds, so
 * callers must see them as "dependency unavailable, retry" (503), not as a broken invariant (500).
 * MOVED/ASK normally never reach the caller (the client follows them), but can when a redirect races a
 * topology refresh; CLUSTERDOWN/TRYAGAIN/MASTERDOWN/READONLY/LOADING are answered during the failover.
 */
const TRANSIENT = /^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|LOADING)\b/;

/** True for a reply error that only says "the cluster is changing, retry". */
export function isClusterTransition(err: unknown): boolean {
  return err instanceof Error && TRANSIENT.test(err.message);
}
