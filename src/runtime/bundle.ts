import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { moduleFile } from "../spec/module-file.ts";

/**
 * Turns the worker and a handler module into files that a bare `node` loads: execution
 * environments never pay for a TypeScript loader at cold start (tsx costs 200-300 ms per
 * process). JavaScript handlers are loaded as they are; TypeScript handlers are bundled once,
 * at server start, with every package left external and pinned to its resolved file.
 */

/** A handler as `modelgate serve --handler ./file.mjs#handler` names it. */
export interface HandlerRef {
  /** Absolute path of the module. */
  file: string;
  /** Exported function name. @default "handler" */
  exportName: string;
}

export interface PreparedHandler {
  /** Plain-JavaScript worker entry for `node`. */
  workerFile: string;
  /** URL the worker imports the handler from. */
  moduleUrl: string;
  exportName: string;
  /** Lambda's `_HANDLER` setting, e.g. `index.handler`. */
  handlerSetting: string;
  /** Lambda's `LAMBDA_TASK_ROOT`: the handler's directory. */
  taskRoot: string;
}

/** Parse `path[#export]`, relative to `cwd`. */
export function parseHandlerRef(text: string, cwd = process.cwd()): HandlerRef {
  const hash = text.lastIndexOf("#");
  const file = hash >= 0 ? text.slice(0, hash) : text;
  const exportName = hash >= 0 ? text.slice(hash + 1) : "handler";
  if (!file) throw new RangeError(`handler '${text}': expected a module path such as ./index.mjs#handler`);
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new RangeError(`handler '${text}': export name '${exportName}' is not an identifier`);
  }
  return { file: resolve(cwd, file), exportName };
}

const TYPESCRIPT = /\.[cm]?tsx?$/;
const WORKER_SOURCE = moduleFile("./worker.ts", import.meta.url);

let outputDir: string | undefined;
let workerBuild: Promise<string> | undefined;

/** One scratch directory per gateway process, removed when the process exits. */
function scratch(): string {
  if (!outputDir) {
    const dir = mkdtempSync(join(tmpdir(), "modelgate-runtime-"));
    outputDir = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return outputDir;
}

/** Keep packages out of the bundle, imported from the file the handler's own import resolves to. */
const pinPackages: Plugin = {
  name: "modelgate-pin-packages",
  setup(context) {
    const builtins = new Set(builtinModules);
    context.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "pinning") return undefined;
      if (args.path.startsWith("node:") || builtins.has(args.path.split("/")[0]!)) {
        return { path: args.path, external: true };
      }
      const resolved = await context.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "pinning",
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
    // Code keeps seeing its own location: `new URL("../models/x.onnx", import.meta.url)` still works.
    context.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const source = await readFile(args.path, "utf8");
      const url = pathToFileURL(args.path).href;
      const contents = source
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      const extension = extname(args.path).replace(/^\.[cm]/, ".");
      const loader =
        extension === ".tsx" ? "tsx" : extension === ".ts" ? "ts" : extension === ".jsx" ? "jsx" : "js";
      return { contents, loader, resolveDir: dirname(args.path) };
    });
  },
};

async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "silent",
    plugins: [pinPackages],
    // Bundled ESM may still `require()` a package: give it a real `require`.
    banner: {
      js: 'import { createRequire as __mgCreateRequire } from "node:module"; const require = __mgCreateRequire(import.meta.url);',
    },
  });
  return outfile;
}

/** Build the worker once per process. */
export function workerFile(): Promise<string> {
  workerBuild ??= bundle(WORKER_SOURCE, join(scratch(), "worker.mjs"));
  return workerBuild;
}

/** Prepare a handler for execution environments (bundling a TypeScript module once). */
export async function prepareHandler(ref: HandlerRef): Promise<PreparedHandler> {
  const moduleName = basename(ref.file).replace(/\.[^.]+$/, "");
  const taskRoot = dirname(ref.file);
  const handlerSetting = `${moduleName}.${ref.exportName}`;
  const worker = await workerFile();
  if (!TYPESCRIPT.test(ref.file)) {
    return {
      workerFile: worker,
      moduleUrl: pathToFileURL(ref.file).href,
      exportName: ref.exportName,
      handlerSetting,
      taskRoot,
    };
  }
  const dir = mkdtempSync(join(scratch(), `${moduleName}-`));
  const out = await bundle(ref.file, join(dir, `${moduleName}.mjs`));
  return {
    workerFile: worker,
    moduleUrl: pathToFileURL(out).href,
    exportName: ref.exportName,
    handlerSetting,
    taskRoot,
  };
}
