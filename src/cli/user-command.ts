import { parseArgs } from "node:util";
import { withContext } from "./context.js";
import { expectPositionals, UsageError } from "./usage-error.js";

/** Usage of `loyalty user`. */
export const USER_USAGE = `usage: loyalty user show <userId>

Prints the user's profile (metrics, inventory, challenge progress) and coupons as JSON, read from
Redis (REDIS_URL) under the config in force.`;

/** `loyalty user show USERID`. */
export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USER_USAGE);
    return 0;
  }
  const [verb, userId] = expectPositionals(positionals, ["show", "userId"], USER_USAGE);
  if (verb !== "show") throw new UsageError(`unknown user command "${verb}"`, USER_USAGE);
  return withContext(async ({ services }) => {
    console.log(JSON.stringify(await services.users.view(userId), null, 2));
    return 0;
  });
}
