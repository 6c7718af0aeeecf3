import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The package root, where `.build/` lives and whose node_modules the bundles resolve from. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BenchBundles {
  /** The cold-start probe (./sections/cold-probe.ts). */
  probe: string;
  /** The bare node:http server (./sections/bare-server.ts). */
  bareServer: string;
  /** The Lambda entry, src/lambda/index.ts. */
  handler: string;
}

let built: Promise<BenchBundles> | undefined;

/**
 * Child-process entries as plain ESM under .build/bench, packages left external: children start
 * with `node` alone, paying no TypeScript loader at start (tsx adds 200-300 ms per process).
 */
export function benchBundles(): Promise<BenchBundles> {
  built ??= (async () => {
    const outdir = join(PACKAGE_ROOT, ".build", "bench");
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: {
        probe: fileURLToPath(new URL("../sections/cold-probe.ts", import.meta.url)),
        "bare-server": fileURLToPath(new URL("../sections/bare-server.ts", import.meta.url)),
        handler: join(PACKAGE_ROOT, "src", "lambda", "index.ts"),
      },
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
    return {
      probe: join(outdir, "probe.mjs"),
      bareServer: join(outdir, "bare-server.mjs"),
      handler: join(outdir, "handler.mjs"),
    };
  })();
  return built;
}
