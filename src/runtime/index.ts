import { LOCAL_DEFAULT_CONCURRENCY } from "../spec/index.ts";
import { type HandlerRef, prepareHandler } from "./bundle.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { FunctionPool } from "./pool.ts";
import { LOCAL_DEFAULT_REGION, lambdaVariables } from "./variables.ts";

/**
 * Local Lambda execution environments: `startFunction()` prepares a handler module and returns
 * a pool that invokes it in child processes with Lambda's execution model.
 */

export { type HandlerRef, type PreparedHandler, parseHandlerRef, prepareHandler } from "./bundle.ts";
export type { EnvironmentState, InitOutcome } from "./environment.ts";
export * from "./logger.ts";
export { type EnvironmentInfo, FunctionPool, type InvokeOutcome, type PoolOptions } from "./pool.ts";
export * from "./report.ts";
export { EMULATED_RUNTIME, functionArn, LOCAL_ACCOUNT_ID, LOCAL_DEFAULT_REGION } from "./variables.ts";

/**
 * How long an idle environment stays warm before it is reaped. Lambda does not document it;
 * observed lifetimes of idle environments are 5 to 15 minutes, so 5 minutes is the plausible
 * floor (unconfirmed).
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

export interface FunctionOptions {
  handler: HandlerRef;
  /** @default "modelgate" */
  functionName?: string;
  /** @default 2048 */
  memoryMb?: number;
  /** Function timeout. @default 15 */
  timeoutSeconds?: number;
  /** Reserved concurrency. @default LOCAL_DEFAULT_CONCURRENCY */
  concurrency?: number;
  /** @default DEFAULT_IDLE_TIMEOUT_MS */
  idleTimeoutMs?: number;
  /** @default process.env.AWS_REGION or LOCAL_DEFAULT_REGION */
  region?: string;
  /** The function's own environment variables. */
  environment?: Record<string, string>;
  logger?: Logger;
}

export async function startFunction(options: FunctionOptions): Promise<FunctionPool> {
  const prepared = await prepareHandler(options.handler);
  const identity = {
    functionName: options.functionName ?? "modelgate",
    memoryMb: options.memoryMb ?? 2048,
    region: options.region ?? process.env.AWS_REGION ?? LOCAL_DEFAULT_REGION,
  };
  const functionVariables = options.environment ?? {};
  return new FunctionPool({
    functionName: identity.functionName,
    prepared,
    env: (logStreamName) => lambdaVariables(identity, prepared, logStreamName, functionVariables),
    memoryMb: identity.memoryMb,
    timeoutMs: (options.timeoutSeconds ?? 15) * 1000,
    concurrency: options.concurrency ?? LOCAL_DEFAULT_CONCURRENCY,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    logger: options.logger ?? silentLogger,
  });
}
