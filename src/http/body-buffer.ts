/**
 * Collects a request body up to a byte limit. With a known Content-Length it allocates exactly once;
 * for a chunked body it grows by doubling, capped at the limit, so an attacker cannot make us hold more.
 */
export class BodyBuffer {
  private buffer: Buffer | undefined;
  private length = 0;

  /** `expected` is the Content-Length (already checked ≤ limit), or -1 when unknown (chunked). */
  constructor(
    private readonly limit: number,
    private readonly expected: number,
  ) {}

  /** Copies `chunk` in (uWS neuters it after the callback); false when it would exceed the limit. */
  append(chunk: ArrayBuffer): boolean {
    if (chunk.byteLength === 0) return true; // uWS often ends a body with an empty last chunk
    const needed = this.length + chunk.byteLength;
    if (needed > this.limit) return false;
    if (needed > (this.buffer?.length ?? 0)) this.grow(needed);
    this.buffer!.set(new Uint8Array(chunk), this.length);
    this.length = needed;
    return true;
  }

  /** The collected bytes (a view, no copy); undefined when the body was empty. */
  bytes(): Buffer | undefined {
    return this.length === 0 ? undefined : this.buffer!.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const capacity = this.buffer?.length ?? 0;
    const size =
      this.expected >= needed ? this.expected : Math.min(this.limit, Math.max(needed, capacity * 2, 1024));
    // allocUnsafe is safe here: only the bytes we copied in are ever exposed through bytes().
    const grown = Buffer.allocUnsafe(size);
    if (this.buffer) this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
