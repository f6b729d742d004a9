import type { ConfigService } from "../../services/config-service.js";
import { ADMIN_MAX_BODY_BYTES, type AdminGuard, adminOnly } from "../admin-auth.js";
import { schemaCheck } from "../openapi/schema-check.js";
import type { RouteTable } from "../types.js";
import { ConfigReplaceBody, ConfigValidateBody } from "./admin-schema.js";
import { ok } from "./envelope.js";
import { readJsonBody } from "./json-body.js";

const BASE = "/api/loyalty/admin/config";
const replaceCheck = schemaCheck(ConfigReplaceBody);
const validateCheck = schemaCheck(ConfigValidateBody);

/** Registers config read / dry run / replace; each a one-line hand-off to the ConfigService. */
export function registerAdminConfigRoutes(
  table: RouteTable,
  guard: AdminGuard,
  configs: ConfigService,
): void {
  table.route(
    "GET",
    BASE,
    adminOnly(guard, () => ok(JSON.stringify(configs.current()))),
  );
  table.route(
    "POST",
    `${BASE}/validate`,
    adminOnly(
      guard,
      (req) => ok(JSON.stringify(configs.validate(validateCheck.parse(readJsonBody(req, false)).config))),
      ADMIN_MAX_BODY_BYTES,
    ),
  );
  table.route(
    "PUT",
    BASE,
    adminOnly(
      guard,
      async (req) => {
        const body = replaceCheck.parse(readJsonBody(req, false));
        return ok(JSON.stringify(await configs.replace(body.config, body.expectedRevision)));
      },
      ADMIN_MAX_BODY_BYTES,
    ),
  );
}
