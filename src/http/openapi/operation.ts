import Type, { type TSchema } from "typebox";
import * as P from "./public-schemas.js";

/** Who may call an operation. */
export type Auth = "none" | "user" | "admin";

/** One endpoint as the OpenAPI document describes it; the route table must list exactly these. */
export interface Operation {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Router pattern (`:param`); the document shows `{param}`. */
  readonly path: string;
  readonly id: string;
  readonly tag: "public" | "realtime" | "internal" | "admin" | "operations";
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: TSchema;
  readonly query?: readonly { name: string; schema: TSchema; description: string }[];
  /** Schema of `data` in the `{"message":"OK","data":…}` envelope, or a whole custom response. */
  readonly data?: TSchema;
  readonly response?: { readonly contentType: string; readonly schema: TSchema; readonly status?: number };
  readonly errors?: readonly number[];
}

/** Route prefixes. */
export const L = "/api/loyalty";
export const A = `${L}/admin`;
/** An array of transactions. */
export const Txs = Type.Array(P.Transaction);
/** An object documented by its description only. */
export const Json = (description: string) => Type.Object({}, { additionalProperties: true, description });
