import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readZipEntries } from "../../src/package/index.ts";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../bin/modelgate.mjs", import.meta.url));

let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "modelgate-package-cli-"));
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe("modelgate package", () => {
  it("writes dist/<name>-<arch>.zip from a JSON spec and prints the size breakdown", async () => {
    await writeFile(
      join(cwd, "endpoint.json"),
      JSON.stringify({ name: "demo", function: { memoryMb: 1024 } }),
    );
    const { stdout } = await run(process.execPath, [CLI, "package", "--config", "endpoint.json"], { cwd });
    const zip = join(cwd, "dist", "demo-arm64.zip");
    expect(existsSync(zip)).toBe(true);
    expect(stdout).toContain(`${zip} (arm64)`);
    expect(stdout).toMatch(/handler\s+index\.mjs\s+[\d.]+ KB/);
    expect(stdout).toMatch(/runtime\s+onnxruntime-node linux-arm64\s+2\d\.\d MB/);
    expect(stdout).toMatch(/model\s+iris\.onnx\s+1\.0 KB .* in the zip/);
    const names = (await readZipEntries(zip)).map((entry) => entry.name);
    expect(names).toContain("node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node");
  }, 60_000);

  it("exits 1 naming the field when the spec is invalid", async () => {
    const attempt = run(process.execPath, [CLI, "package", "--arch", "x86_64", "--timeout", "60"], { cwd });
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("function.timeoutSeconds: timeoutSeconds must be between 1 and 29 s"),
    });
    expect(existsSync(join(cwd, "dist", "modelgate-x86_64.zip"))).toBe(false);
  });
});
