import type { HttpResponse } from "../types.js";

/** The public success envelope around pre-serialised JSON: `{"message":"OK","data":<dataJson>}`. */
export function ok(dataJson: string): HttpResponse {
  // Concatenation, not JSON.stringify: services hand us JSON text, re-serialising it would double the work.
  return { status: 200, body: `{"message":"OK","data":${dataJson}}` };
}
