import { DOCS_HTML } from "../openapi/docs-page.js";
import { buildOpenApiDocument } from "../openapi/document.js";
import type { HttpResponse, RouteTable } from "../types.js";

/** Registers the OpenAPI document and its web page; both are built once at start. */
export function registerOpenApiRoutes(table: RouteTable): void {
  const json: HttpResponse = Object.freeze({ status: 200, body: JSON.stringify(buildOpenApiDocument()) });
  const html: HttpResponse = Object.freeze({
    status: 200,
    body: DOCS_HTML,
    contentType: "text/html; charset=utf-8",
  });
  table.route("GET", "/api/loyalty/openapi.json", () => json);
  table.route("GET", "/api/loyalty/docs", () => html);
}
