import { build } from "esbuild";
import { moduleFile } from "../spec/module-file.ts";

/**
 * The handler as one ES module, `index.mjs`, for Lambda's Node.js 22 runtime. onnxruntime-node
 * stays external (native files travel beside it); the AWS SDK v3 is part of the runtime.
 */

/** The deployable handler. */
export const HANDLER_ENTRY = moduleFile("../lambda/index.ts", import.meta.url);

/** Packages left out of the bundle. */
export const EXTERNAL = ["onnxruntime-node", "@aws-sdk/*"];

/** Bundled CommonJS code calls `require`; an ES module has none, so give it one. */
const REQUIRE_SHIM = [
  'import { createRequire as __modelgateCreateRequire } from "node:module";',
  "const require = __modelgateCreateRequire(import.meta.url);",
].join("\n");

/** Bundle `entry` and return the code of `index.mjs`. */
export async function bundleHandler(entry = HANDLER_ENTRY): Promise<Buffer> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node22",
    outfile: "index.mjs",
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const output = result.outputFiles.find((file) => file.path.endsWith("index.mjs"));
  if (!output) throw new Error(`esbuild produced no index.mjs for ${entry}`);
  return Buffer.from(output.contents);
}
