/**
 * The gateway section's baseline: a bare node:http server that turns each request into a
 * minimal proxy event and calls the Lambda handler in process. No stage, routing, validation,
 * request ids, access log or separate execution environment: just HTTP around the handler.
 * Run by `node` from its bundle; prints `MODELGATE_BENCH {"port":N}` when listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyResult } from "aws-lambda";
import { predictEvent } from "../lib/inputs.ts";

type Handler = (event: unknown) => Promise<APIGatewayProxyResult>;

const { handler } = (await import(process.env.MODELGATE_BENCH_HANDLER ?? "")) as { handler: Handler };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const event = predictEvent(Buffer.concat(chunks).toString("utf8"));
    handler(event).then(
      (result) => {
        res.writeHead(result.statusCode, result.headers as Record<string, string>);
        res.end(result.body);
      },
      () => {
        res.writeHead(502, { "Content-Type": "application/json" });
        res.end('{"message":"Internal server error"}');
      },
    );
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`MODELGATE_BENCH ${JSON.stringify({ port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
