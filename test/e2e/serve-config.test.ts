import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { json, request } from "../helpers/http.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));

describe("modelgate serve --config: the spec file package and deploy take", () => {
  let server: ChildProcess | undefined;

  afterAll(async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  });

  it("serves the stage, memory and concurrency the file names", async () => {
    const config = join(mkdtempSync(join(tmpdir(), "modelgate-config-")), "endpoint.json");
    writeFileSync(
      config,
      JSON.stringify({ stage: "dev", function: { memoryMb: 1024, reservedConcurrency: 2 } }),
    );
    server = spawn(
      process.execPath,
      [TSX_CLI, "src/cli/index.ts", "serve", "--port", "0", "--config", config],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const lines: string[] = [];
    const lines$ = createInterface({ input: server.stdout! });
    const url = await new Promise<string>((resolve) => {
      lines$.on("line", (line) => {
        lines.push(line);
        const record = JSON.parse(line) as { message: string; url?: string };
        if (record.message.startsWith("modelgate serving") && record.url) resolve(record.url);
      });
    });
    expect(url).toMatch(/\/dev$/);
    const reply = await request(`${url}/model`, {
      method: "POST",
      headers: [["Content-Type", "application/json"]],
      body: JSON.stringify({ inputs: [[6.7, 3.0, 5.2, 2.3]] }),
    });
    expect(reply.status).toBe(200);
    expect(json(reply).classes).toEqual(["virginica"]);
    await new Promise<void>((resolve) => {
      const check = () =>
        lines.some((line) => line.includes("Memory Size: 1024 MB")) ? resolve() : undefined;
      lines$.on("line", check);
      check();
    });
  });
});
