import { type Job, UnrecoverableError } from "bullmq";
import { SIGNATURE_HEADER, signDelivery, TIMESTAMP_HEADER } from "./signature.js";
import type { WebhookEndpoint } from "./webhook-config.js";
import type { WebhookJobData } from "./webhook-jobs.js";

/** Headers of every delivery besides the signature pair. */
export const DELIVERY_HEADER = "x-loyalty-delivery";
export const EVENT_HEADER = "x-loyalty-event";
export const ENDPOINT_HEADER = "x-loyalty-webhook";
export const ATTEMPT_HEADER = "x-loyalty-attempt";

/**
 * Sends one attempt of a delivery. Signed afresh each attempt, so a retry carries a current timestamp and
 * passes the receiver's replay window. Anything but a 2xx throws, which makes BullMQ retry with backoff.
 */
export async function deliver(
  job: Job<WebhookJobData>,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
  timeoutMs: number,
): Promise<number> {
  const endpoint = endpoints.get(job.data.endpointId);
  // Removed from the config since it was enqueued: retrying cannot help.
  if (endpoint === undefined)
    throw new UnrecoverableError(`endpoint "${job.data.endpointId}" is not configured`);
  const timestamp = Date.now();
  const response = await fetch(endpoint.url, {
    method: "POST",
    body: job.data.body,
    redirect: "manual", // a redirect would re-send the signed body somewhere the operator did not configure
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      "content-type": "application/json",
      "user-agent": "loyalty-api-webhooks/1",
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signDelivery(endpoint.secret, timestamp, job.data.body),
      [DELIVERY_HEADER]: job.id ?? "",
      [EVENT_HEADER]: job.data.event,
      [ENDPOINT_HEADER]: endpoint.id,
      [ATTEMPT_HEADER]: String(job.attemptsMade + 1),
    },
  });
  await response.body?.cancel(); // the answer's body is not used; free the socket
  if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
  return response.status;
}
