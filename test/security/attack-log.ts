import assert from "node:assert/strict";
import type { ApiProcess } from "../faults/support/api-process.js";
import { type Answer, sendJson } from "../faults/support/http-client.js";
import { recordFigures } from "../faults/support/summary.js";

/** Issuer and audience every attacked server is configured with. */
export const ISS = "https://id.example.com";
export const AUD = "loyalty";

/** Counts token attacks: each is one `GET /profile` with a forged token that must get a 401. */
export class AttackLog {
  readonly tried: string[] = [];
  readonly letThrough: string[] = [];
  readonly timings: Record<string, number> = {};

  constructor(private readonly section: string) {}

  /** `GET /profile` with `token` (controls use this directly). */
  profile(api: ApiProcess, token: string): Promise<Answer> {
    return sendJson(`${api.url}/api/loyalty/profile`, "GET", token, undefined);
  }

  /** Sends one attack; a 2xx counts as let through; anything but a 401 fails the test. Resolves its latency. */
  async attack(api: ApiProcess, name: string, token: string): Promise<number> {
    this.tried.push(name);
    const answer = await this.profile(api, token);
    if (answer.status >= 200 && answer.status < 300) this.letThrough.push(name);
    assert.equal(answer.status, 401, `${name}: ${answer.status} ${answer.body}`);
    return answer.ms;
  }

  /** Writes the section's figures for the suite summary and prints them. */
  report(): void {
    recordFigures(this.section, {
      tried: this.tried.length,
      letThrough: this.letThrough.length,
      ...this.timings,
    });
    const names = this.letThrough.length > 0 ? `: ${this.letThrough.join("; ")}` : "";
    console.log(
      `# ${this.section}: tried ${this.tried.length}, let through ${this.letThrough.length}${names}`,
    );
  }
}
