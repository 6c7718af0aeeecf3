import { fileURLToPath } from "node:url";

/**
 * Defaults shared by the handler and the local tools. Kept free of zod so the Lambda bundle,
 * which imports this file, stays small.
 */

/** Local default for reserved concurrency: how many environments the emulator starts at most. */
export const LOCAL_DEFAULT_CONCURRENCY = 10;

/** The bundled example model (iris), the default of every entry point. */
export const EXAMPLE_MODEL_PATH = fileURLToPath(new URL("../../models/iris.onnx", import.meta.url));

/** Environment variables the handler reads (set by the Pulumi component and the local runtime). */
export const ENV = {
  modelPath: "MODELGATE_MODEL_PATH",
  modelName: "MODELGATE_MODEL_NAME",
  /** s3://bucket/key for models too large for the zip (the component uploads them). */
  modelS3Uri: "MODELGATE_MODEL_S3_URI",
  threads: "MODELGATE_THREADS",
  /** Set by Lambda itself. */
  memorySize: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
} as const;

/** The name a model goes by when none is given: its file name without `.onnx`. */
export function modelNameFromPath(path: string): string {
  return path
    .split(/[\\/]/)
    .pop()!
    .replace(/\.onnx$/i, "");
}
