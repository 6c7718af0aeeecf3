import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/** The deployable handler stays small: it never pulls in Pulumi, the local gateway, the runtime or the CLI. */
describe("the handler module's imports", () => {
  it("reach no Pulumi, gateway, runtime, infra or CLI code", async () => {
    const entry = fileURLToPath(new URL("../../src/lambda/index.ts", import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // Native and runtime-provided packages are outside the bundle, as in src/package.
      external: ["onnxruntime-node", "@aws-sdk/*"],
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes("src/lambda/handler.ts"))).toBe(true);
    const forbidden = inputs.filter((input) =>
      /@pulumi\/|src\/(gateway|runtime|infra|cli|package)\/|commander|zod/.test(input),
    );
    expect(forbidden).toEqual([]);
  });
});
