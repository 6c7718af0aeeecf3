import { ENV, EXAMPLE_MODEL_PATH } from "../spec/defaults.ts";

/** What the handler needs from its environment (set by Lambda, the Pulumi component or the local runtime). */
export interface HandlerConfig {
  modelPath: string;
  /** s3://bucket/key of a model too large for the zip; downloaded to /tmp at init. */
  modelS3Uri?: string;
  modelName?: string;
  threads?: number;
  memoryMb?: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): HandlerConfig {
  const modelName = env[ENV.modelName];
  const modelS3Uri = env[ENV.modelS3Uri];
  const threads = positiveInt(env, ENV.threads);
  const memoryMb = positiveInt(env, ENV.memorySize);
  return {
    modelPath: env[ENV.modelPath] || EXAMPLE_MODEL_PATH,
    ...(modelS3Uri ? { modelS3Uri } : {}),
    ...(modelName ? { modelName } : {}),
    ...(threads ? { threads } : {}),
    ...(memoryMb ? { memoryMb } : {}),
  };
}
