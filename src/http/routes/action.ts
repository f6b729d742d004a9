import { AppError } from "../../domain/errors.js";
import type { ActionRequest } from "../../services/ports.js";
import { isPrintableAscii } from "../request-id.js";
import type { HttpRequest, HttpResponse } from "../types.js";
import { readJsonBody } from "./json-body.js";

const MAX_IDEMPOTENCY_KEY = 128;

/** Turns `POST /action` into an ActionRequest: JSON body (validated later by the service) and optional key. */
export function actionRequestOf(req: HttpRequest): ActionRequest {
  const body = readJsonBody(req, false);
  const key = req.headers["idempotency-key"];
  if (key === undefined) return { body };
  if (!isPrintableAscii(key, MAX_IDEMPOTENCY_KEY)) {
    throw new AppError("VALIDATION_FAILED", "idempotency-key: must be 1 to 128 printable ASCII characters");
  }
  return { body, idempotencyKey: key };
}

/** The `POST /action` answer around the service's pre-serialised transactions array. */
export function actionResponse(transactionsJson: string): HttpResponse {
  return { status: 200, body: `{"message":"OK","data":{"transactions":${transactionsJson}}}` };
}
