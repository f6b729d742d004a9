/** Where and as whom to reach a ClickHouse server, read from CLICKHOUSE_URL. */
export interface ServerAddress {
  /** Scheme, host and port only; credentials and database are passed separately. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
}

/**
 * Parses `http[s]://[user[:password]@]host[:port][/database]`; user, password and database are
 * percent-decoded. Missing parts take ClickHouse's defaults (`default`, empty password, `default`).
 */
export function parseServerUrl(raw: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error("CLICKHOUSE_URL: not a URL (expected http[s]://[user:password@]host:port[/database])");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`CLICKHOUSE_URL: the HTTP interface is required (http or https), got "${url.protocol}"`);
  }
  const path = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ""));
  if (path.includes("/"))
    throw new Error(`CLICKHOUSE_URL: the path must be one database name, got "${path}"`);
  return {
    url: `${url.protocol}//${url.host}`,
    username: decodeURIComponent(url.username) || "default",
    password: decodeURIComponent(url.password),
    database: path || "default",
  };
}
