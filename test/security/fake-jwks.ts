import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A JWKS endpoint whose keys and health a test controls: answering, failing (500) or hanging. */
export interface FakeJwks {
  readonly url: string;
  keys: object[];
  mode: "ok" | "error" | "hang";
  hits: number;
  close(): Promise<void>;
}

export async function startFakeJwks(keys: object[]): Promise<FakeJwks> {
  const state = { keys, mode: "ok" as FakeJwks["mode"], hits: 0 };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    if (state.mode === "hang") return; // never answers: the verifier's timeout must fire
    if (state.mode === "error") return void res.writeHead(500).end();
    res.writeHead(200, { "content-type": "application/json" });
    // An HMAC ("oct") key too: a verifier that accepted it would let anyone who reads the JWKS sign tokens.
    res.end(
      JSON.stringify({
        keys: [
          { kty: "oct", kid: "sym", k: Buffer.from("public-secret").toString("base64url") },
          ...state.keys,
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
