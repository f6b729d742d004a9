/**
 * Baseline (a): bare uWebSockets.js. Parses the same POST body the API gets and answers
 * `{"message":"OK"}`; a GET is answered at once. This is the HTTP ceiling of the box with this generator,
 * printed so anyone can see how much headroom the generator leaves.
 */
import uWS from "uWebSockets.js";
import { readBody } from "./request-body.js";

const OK = '{"message":"OK"}';
const port = Number(process.env.PORT ?? 0);

uWS
  .App()
  .any("/*", (res, req) => {
    req.getHeader("authorization"); // read like the API does; not checked
    if (req.getMethod() !== "post") {
      res.writeHeader("Content-Type", "application/json").end(OK);
      return;
    }
    readBody(res, (body, aborted) => {
      JSON.parse(body);
      if (!aborted()) res.writeHeader("Content-Type", "application/json").end(OK);
    });
  })
  .listen("127.0.0.1", port, (socket) => {
    if (!socket) throw new Error(`echo baseline: cannot listen on ${port}`);
    console.log(`echo baseline on ${port}`);
  });
