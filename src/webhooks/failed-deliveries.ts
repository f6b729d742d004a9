import type { Queue } from "bullmq";
import { AppError } from "../domain/errors.js";
import type { WebhookJobData } from "./webhook-jobs.js";

/** A delivery that used up its attempts. */
export interface FailedDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly event: string;
  readonly userId: string;
  readonly transactionId: string;
  readonly attempts: number;
  /** The last attempt's error, e.g. `HTTP 500` or `fetch failed`. */
  readonly reason: string;
  /** Epoch ms of the last attempt. */
  readonly failedAt: number | null;
}

/** The admin API's view of failed deliveries. */
export interface WebhookAdmin {
  /** Failed deliveries, most recent first. */
  failed(offset: number, limit: number): Promise<FailedDelivery[]>;
  /** Queues a failed delivery again with a fresh set of attempts; NOT_FOUND / CONFLICT otherwise. */
  redeliver(id: string): Promise<void>;
}

/** WebhookAdmin over the BullMQ queue. */
export class FailedDeliveries implements WebhookAdmin {
  constructor(private readonly queue: Queue<WebhookJobData>) {}

  async failed(offset: number, limit: number): Promise<FailedDelivery[]> {
    const jobs = await this.queue.getFailed(offset, offset + limit - 1);
    return jobs.map((job) => ({
      id: job.id ?? "",
      endpointId: job.data.endpointId,
      event: job.data.event,
      userId: job.data.userId,
      transactionId: job.data.transactionId,
      attempts: job.attemptsMade,
      reason: job.failedReason,
      failedAt: job.finishedOn ?? null,
    }));
  }

  async redeliver(id: string): Promise<void> {
    const job = await this.queue.getJob(id);
    if (job === undefined) throw new AppError("NOT_FOUND", `id: no webhook delivery "${id}"`);
    const state = await job.getState();
    if (state !== "failed") throw new AppError("CONFLICT", `id: delivery "${id}" is ${state}, not failed`);
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
  }
}
