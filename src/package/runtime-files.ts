import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import type { Architecture } from "../spec/index.ts";

/**
 * The onnxruntime-node files a Lambda function needs, for one architecture: the package's
 * JavaScript, the Linux native binding and shared library of that architecture only, and
 * onnxruntime-common (CommonJS build, which onnxruntime-node requires). The whole installed
 * package is ~288 MB (every platform), over Lambda's 250 MB unzipped limit.
 */

/** Lambda's architecture → Node's `process.arch`, the directory name under `bin/napi-v6/linux`. */
export const NODE_ARCH: Record<Architecture, string> = { arm64: "arm64", x86_64: "x64" };

/** N-API version directory onnxruntime-node loads its binding from. */
const NAPI_DIR = "bin/napi-v6/linux";

export interface RuntimeFile {
  /** Path on this machine. */
  file: string;
  /** Path in the zip, e.g. `node_modules/onnxruntime-node/dist/index.js`. */
  entry: string;
  bytes: number;
}

const require = createRequire(import.meta.url);

/** Root directory of an installed package, resolved the way `from` would resolve it. */
async function packageRoot(name: string, from: string): Promise<string> {
  let dir = dirname(createRequire(from).resolve(name));
  for (;;) {
    const manifest = join(dir, "package.json");
    const found = await readFile(manifest, "utf8").catch(() => undefined);
    if (found && (JSON.parse(found) as { name?: string }).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package root of ${name}`);
    dir = parent;
  }
}

async function filesUnder(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The onnxruntime files for `architecture`, with their zip entry names. */
export async function runtimeFiles(architecture: Architecture): Promise<RuntimeFile[]> {
  const ortRoot = dirname(require.resolve("onnxruntime-node/package.json"));
  const commonRoot = await packageRoot("onnxruntime-common", join(ortRoot, "package.json"));
  const nativeDir = join(ortRoot, NAPI_DIR, NODE_ARCH[architecture]);
  const native = await filesUnder(nativeDir, () => true).catch(() => []);
  if (native.length === 0) {
    throw new Error(
      `onnxruntime-node has no Linux ${architecture} binaries at ${nativeDir}; reinstall onnxruntime-node`,
    );
  }
  const js = (name: string) => name.endsWith(".js") || name === "package.json";
  const files = [
    join(ortRoot, "package.json"),
    ...(await filesUnder(join(ortRoot, "dist"), js)),
    ...native,
    join(commonRoot, "package.json"),
    ...(await filesUnder(join(commonRoot, "dist", "cjs"), js)),
  ];
  return Promise.all(
    files.map(async (file) => {
      const root = file.startsWith(commonRoot) ? commonRoot : ortRoot;
      const name = root === commonRoot ? "onnxruntime-common" : "onnxruntime-node";
      return {
        file,
        entry: `node_modules/${name}/${relative(root, file).split("\\").join("/")}`,
        bytes: (await stat(file)).size,
      };
    }),
  );
}
