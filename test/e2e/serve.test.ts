import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, request } from "../helpers/http.ts";

/**
 * End to end, the way `npm start` runs it (`tsx src/cli/index.ts serve`), on a free port of
 * 127.0.0.1: the real handler (src/lambda) predicts the example model over HTTP.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));

interface Prediction {
  model: string;
  outputs: { probabilities: number[][]; label: number[] };
}

describe("modelgate serve (npm start)", () => {
  let server: ChildProcess;
  let base: string;
  const lines: string[] = [];
  let exited: Promise<number | null>;

  beforeAll(async () => {
    server = spawn(process.execPath, [TSX_CLI, "src/cli/index.ts", "serve", "--port", "0"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    exited = new Promise((resolve) => server.once("exit", (code) => resolve(code)));
    createInterface({ input: server.stderr! }).on("line", (line) => lines.push(line));
    // The first log line names the URL (port 0 lets the system pick a free port).
    base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).on("line", (line) => {
        lines.push(line);
        const record = JSON.parse(line) as { message: string; url?: string };
        if (record.message.startsWith("modelgate serving") && record.url) resolve(record.url);
      });
      server.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${lines.join("\n")}`)));
    });
  });

  afterAll(async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    // SIGTERM, which tsx passes on to the server it runs: SIGKILL would orphan that child.
    server.kill("SIGTERM");
    await exited;
  });

  it("listens on 127.0.0.1 under the prod stage", () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
  });

  it("predicts the example model over HTTP: POST /prod/model", async () => {
    // Act
    const res = await request(`${base}/model`, {
      method: "POST",
      headers: [["Content-Type", "application/json"]],
      body: JSON.stringify({
        inputs: {
          features: [
            [5.1, 3.5, 1.4, 0.2],
            [6.7, 3.1, 4.4, 1.4],
            [7.7, 3.0, 6.1, 2.3],
          ],
        },
      }),
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    const prediction = json<Prediction>(res);
    expect(prediction.model).toBe("iris");
    expect(prediction.outputs.label).toEqual([0, 1, 2]);
    expect(prediction.outputs.probabilities).toHaveLength(3);
    for (const row of prediction.outputs.probabilities) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it("answers API Gateway's 403 for a route the spec does not define", async () => {
    const res = await request(`${base}/model`, { method: "GET" });

    expect(res.status).toBe(403);
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it("logs Lambda's REPORT line and an access record, then stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");

    expect(await exited).toBe(0);
    expect(lines.some((line) => line.includes("REPORT RequestId: ") && line.includes("Init Duration"))).toBe(
      true,
    );
    expect(lines.some((line) => line.includes('"source":"access"') && line.includes('"status":200'))).toBe(
      true,
    );
    expect(lines.some((line) => line.includes('"message":"stopped"'))).toBe(true);
  });
});
