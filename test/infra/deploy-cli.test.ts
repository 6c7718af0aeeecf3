import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../../bin/modelgate.mjs", import.meta.url));

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "modelgate-deploy-cli-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  stderr: string;
  home: string;
  cwd: string;
}

/** Run the CLI in a clean environment: a fresh HOME and working directory, only `path` on PATH. */
async function cli(args: string[], path: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const home = await mkdtemp(join(root, "home-"));
  const cwd = await mkdtemp(join(root, "cwd-"));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { HOME: home, PATH: path, ...extraEnv } },
      (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stderr, home, cwd });
      },
    );
  });
}

/** A stand-in `pulumi` that leaves a marker if anything ever runs it. */
async function fakePulumi(): Promise<{ bin: string; marker: string }> {
  const bin = await mkdtemp(join(root, "bin-"));
  const marker = join(root, `pulumi-ran-${Date.now()}`);
  await writeFile(join(bin, "pulumi"), `#!/bin/sh\necho ran > "${marker}"\necho v3.200.0\n`);
  await chmod(join(bin, "pulumi"), 0o755);
  return { bin, marker };
}

async function isEmpty(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

describe("modelgate deploy and destroy without prerequisites", () => {
  it.each([["deploy"], ["destroy"]])(
    "%s without the Pulumi CLI exits 1 with the install hint and touches nothing",
    async (command) => {
      const emptyBin = await mkdtemp(join(root, "empty-bin-"));
      const run = await cli([command], emptyBin, {
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "example",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`modelgate ${command}: cannot run: the Pulumi CLI is required`);
      expect(run.stderr).toContain("https://www.pulumi.com/docs/install/");
      expect(await isEmpty(run.home)).toBe(true);
      expect(await isEmpty(run.cwd)).toBe(true);
    },
  );

  it("deploy without AWS credentials exits 1 with the hint, never runs pulumi, touches nothing", async () => {
    const { bin, marker } = await fakePulumi();
    const run = await cli(["deploy"], bin);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("AWS credentials are required");
    expect(run.stderr).toContain("aws configure");
    expect(await isEmpty(run.home)).toBe(true);
    expect(await isEmpty(run.cwd)).toBe(true);
    expect(existsSync(marker)).toBe(false);
    // The stand-in does leave its marker when run, so the check above could fail.
    await promisify(execFile)(join(bin, "pulumi"));
    expect(existsSync(marker)).toBe(true);
  });

  it("deploy with an invalid spec names the field, before looking for anything", async () => {
    const emptyBin = await mkdtemp(join(root, "empty-bin-"));
    const run = await cli(["deploy", "--memory", "64"], emptyBin);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("function.memoryMb: memoryMb must be between 128 and 10240 MB");
    expect(await isEmpty(run.home)).toBe(true);
  });
});

describe("checkPrerequisites", () => {
  let checkPrerequisites: typeof import("../../src/infra/automation.ts").checkPrerequisites;

  beforeAll(async () => {
    ({ checkPrerequisites } = await import("../../src/infra/automation.ts"));
  });

  it("finds the CLI on PATH or in ~/.pulumi/bin and credentials in the environment", async () => {
    const { bin } = await fakePulumi();
    const home = await mkdtemp(join(root, "home-"));
    const keys = {
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "example",
      AWS_REGION: "eu-west-1",
    };
    expect(await checkPrerequisites({ env: { PATH: bin, ...keys }, home })).toEqual({ region: "eu-west-1" });
    await mkdir(join(home, ".pulumi", "bin"), { recursive: true });
    await writeFile(join(home, ".pulumi", "bin", "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    expect(await checkPrerequisites({ env: { PATH: "", ...keys }, home, region: "us-west-2" })).toEqual({
      pulumiRoot: join(home, ".pulumi"),
      region: "us-west-2",
    });
  });

  it("accepts the profile of a shared credentials file, and only that profile", async () => {
    const { bin } = await fakePulumi();
    const home = await mkdtemp(join(root, "home-"));
    await mkdir(join(home, ".aws"));
    await writeFile(
      join(home, ".aws", "credentials"),
      "[work]\naws_access_key_id = x\naws_secret_access_key = y\n",
    );
    await expect(checkPrerequisites({ env: { PATH: bin, AWS_PROFILE: "work" }, home })).resolves.toEqual({});
    await expect(checkPrerequisites({ env: { PATH: bin }, home })).rejects.toThrow(
      /AWS credentials are required/,
    );
    await expect(
      checkPrerequisites({ env: { PATH: bin }, home, skipCredentialsCheck: true }),
    ).resolves.toEqual({});
  });
});
