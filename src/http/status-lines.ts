import { STATUS_CODES } from "node:http";

// uWS wants the full status line ("404 Not Found"); build each once instead of per response.
const LINES = new Map<number, string>();
for (const [code, text] of Object.entries(STATUS_CODES)) LINES.set(Number(code), `${code} ${text}`);

/** The HTTP status line for `status`, e.g. "413 Payload Too Large". */
export function statusLine(status: number): string {
  return LINES.get(status) ?? String(status);
}
