import { after } from "node:test";

/**
 * Loaded into every test file's process (`--import ./test/support/exit-guard.ts` in the test scripts).
 * A file whose tests are all done but which leaves a socket or a timer open never exits, and node's test
 * runner then waits for it forever: one such file held a CI run until its 90-minute limit (a cluster
 * client's slot-refresh timer, since fixed in src/redis/cluster-client.ts). After the file's last test
 * this gives the process `LOYALTY_TEST_EXIT_GRACE_MS` (default 60 s) to exit by itself; otherwise it
 * prints what is still open (so the leak can be found and fixed) and ends the process with the exit code
 * the tests had. The timer is unref'd: a file that closes everything exits at once. The grace is long
 * because it starts with the first root-level `after` hook (this one, registered before the file's own),
 * and a file's own root-level cleanups (stopping child processes, say) must not be cut short.
 */
const graceMs = Number(process.env.LOYALTY_TEST_EXIT_GRACE_MS ?? 60_000);

after(() => {
  const timer = setTimeout(() => {
    process.stderr.write(
      `# exit-guard: ${process.argv[1] ?? "test file"} still running ${graceMs} ms after its last test; ` +
        `open: ${describeOpen().join(", ")} (${process.getActiveResourcesInfo().join(", ")})\n`,
    );
    process.exit(process.exitCode ?? 0);
  }, graceMs);
  timer.unref();
});

/**
 * What keeps the event loop alive, as handles: sockets (with their addresses when connected), child
 * processes, servers. Timers are not handles; they show only in the resource summary beside this list.
 */
function describeOpen(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.map((handle) => {
    const h = handle as {
      constructor?: { name?: string };
      remoteAddress?: string;
      remotePort?: number;
      localPort?: number;
    };
    const kind = h.constructor?.name ?? "handle";
    return h.remotePort === undefined ? kind : `${kind} ${h.localPort}->${h.remoteAddress}:${h.remotePort}`;
  });
}
