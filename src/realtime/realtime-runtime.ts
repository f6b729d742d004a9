import type { Settings } from "../config/env.js";
import { connectRedis } from "../redis/connect.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { NotificationGateway } from "./gateway.js";

/** The running real-time gateway of an API process. */
export interface RealtimeRuntime {
  readonly gateway: NotificationGateway;
  stop(): Promise<void>;
}

/** Starts the gateway: a dedicated connection tails the streams, `redis` (shared) serves replays. */
export async function startRealtimeFromSettings(
  settings: Settings,
  redis: RedisClient,
  log: (entry: object) => void,
): Promise<RealtimeRuntime> {
  const tailRedis = await connectRedis(settings.redisUrl);
  const gateway = new NotificationGateway({
    tailRedis,
    redis,
    partitions: settings.partitions,
    onError: (err) => log({ level: "warn", msg: "realtime stream tail", err: String(err) }),
  });
  await gateway.start();
  return {
    gateway,
    stop: async () => {
      await gateway.stop();
      tailRedis.disconnect();
    },
  };
}
