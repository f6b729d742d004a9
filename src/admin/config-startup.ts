import type { CompiledRules } from "../domain/rules/compiled.js";
import { duplicateClient } from "../redis/cluster-client.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import type { ConfigService } from "../services/config-service.js";
import { ConfigWatcher } from "../services/config-watcher.js";

/**
 * Brings a node's config in step with Redis at start, then keeps it there. LOYALTY_CONFIG seeds an
 * empty Redis; once a config has been applied (admin API or `loyalty config apply`) Redis wins, so a
 * restart never rolls a live change back to whatever file the process happened to be started with.
 */
export async function startConfigSync(
  configs: ConfigService,
  redis: RedisClient,
  initial: CompiledRules,
  log: (msg: string) => void,
): Promise<ConfigWatcher> {
  const outcome = await configs.adopt(initial);
  const now = configs.current();
  if (outcome === "seeded")
    log(`config ${now.version} from LOYALTY_CONFIG stored as revision ${now.revision}`);
  else if (now.version !== initial.version) {
    log(
      `serving stored config revision ${now.revision} (${now.version}); LOYALTY_CONFIG (${initial.version}) differs and is ignored: use \`loyalty config apply\``,
    );
  }
  const subscriber = duplicateClient(redis);
  subscriber.on("error", () => {}); // reconnects by itself; the poll covers the gap
  await subscriber.connect();
  const watcher = new ConfigWatcher(configs, subscriber, (rev) => log(`config revision ${rev} now served`));
  await watcher.start();
  return watcher;
}
