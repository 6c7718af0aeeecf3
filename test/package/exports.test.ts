import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/**
 * The compiled package (dist/, built by `npm install`'s prepare step and by `npm test`): what a
 * user's own program, a Pulumi program included, imports with plain Node.js and no TypeScript
 * loader. The script runs in a fresh `node` and self-references the package by name.
 */
const SCRIPT = `
import { existsSync } from "node:fs";
import { buildArtifact, ModelEndpoint } from "modelgate/infra";
import { EXAMPLE_MODEL_PATH, parseSpec } from "modelgate/spec";
import { startLocalEndpoint } from "modelgate/gateway";
import { parseHandlerRef } from "modelgate/runtime";
import { fileURLToPath } from "node:url";

const handler = fileURLToPath(import.meta.resolve("modelgate/lambda"));
const endpoint = await startLocalEndpoint({ spec: parseSpec(), handler: parseHandlerRef(handler), port: 0 });
const reply = await fetch(endpoint.url + "/model", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ inputs: [[6.7, 3.0, 5.2, 2.3]] }),
});
const body = await reply.json();
await endpoint.close();
console.log(JSON.stringify({
  ModelEndpoint: typeof ModelEndpoint,
  buildArtifact: typeof buildArtifact,
  handler: handler.replace(process.cwd(), ""),
  exampleModel: existsSync(EXAMPLE_MODEL_PATH),
  status: reply.status,
  classes: body.classes,
}));
`;

describe("the compiled package", () => {
  it("loads with plain Node.js and serves a prediction through its own gateway and runtime", async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      cwd: ROOT,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({
      ModelEndpoint: "function",
      buildArtifact: "function",
      handler: "/dist/lambda/index.js",
      exampleModel: true,
      status: 200,
      classes: ["virginica"],
    });
  });
});
