import { availableParallelism } from "node:os";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  type FunctionPool,
  type HandlerRef,
  type InitOutcome,
  type Logger,
  silentLogger,
  startFunction,
} from "../runtime/index.ts";
import {
  type EndpointSpec,
  type EndpointSpecInput,
  LOCAL_DEFAULT_CONCURRENCY,
  modelOf,
  parseSpec,
  vcpusForMemory,
} from "../spec/index.ts";
import type { ConnectionTimeouts } from "./limits.ts";
import { Gateway } from "./server.ts";

/**
 * The local endpoint: API Gateway REST emulation (this folder) in front of Lambda execution
 * environments (src/runtime) running the handler — the same spec the Pulumi component deploys.
 */

export { type AccessRecord, logAccess } from "./access-log.ts";
export { type ApiIdentity, buildEvent, clfTime, matchesMediaType, parseQuery } from "./event.ts";
export { GATEWAY_RESPONSES, type GatewayResponse, type GatewayResponseType } from "./gateway-responses.ts";
export {
  type ConnectionTimeouts,
  connectionTimeouts,
  DEFAULT_CONNECTION_TIMEOUTS,
  GATEWAY_HEADER_VALUE_BYTES,
  GATEWAY_URL_MAX_CHARS,
  headLimitBroken,
  NODE_MAX_HEADER_SIZE,
} from "./limits.ts";
export { RAW_RESPONSE_LINGER_MS } from "./raw-response.ts";
export { type HttpResponse, REMAPPED_HEADERS, translateProxyResult } from "./response.ts";
export {
  DECODE_PATH_PARAMETERS,
  IGNORE_TRAILING_SLASH,
  type MatchResult,
  type RouteMatch,
  Router,
} from "./router.ts";
export { Gateway, type GatewayOptions, type GatewaySpec, type Invoker } from "./server.ts";
export { ACCOUNT_THROTTLE, type ThrottleLimits, TokenBucket, throttleChain } from "./throttle.ts";

/** Routes of `--handler` without a spec: every method on the root and on any path below it. */
export const GENERIC_HANDLER_ROUTES = [
  { method: "ANY", path: "/" },
  { method: "ANY", path: "/{proxy+}" },
] as const satisfies EndpointSpecInput["routes"];

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 3000;

export interface LocalEndpointOptions {
  /** The endpoint spec (validated with `parseSpec`). */
  spec?: EndpointSpec;
  /** The handler module; its routes come from the spec. */
  handler: HandlerRef;
  /** @default DEFAULT_HOST */
  host?: string;
  /** 0 picks a free port. @default DEFAULT_PORT */
  port?: number;
  /** @default DEFAULT_IDLE_TIMEOUT_MS */
  idleTimeoutMs?: number;
  /** Slow-client timeouts of the gateway's HTTP server. @default DEFAULT_CONNECTION_TIMEOUTS */
  timeouts?: Partial<ConnectionTimeouts>;
  /** Extra function environment variables. */
  environment?: Record<string, string>;
  logger?: Logger;
}

export interface LocalEndpoint {
  /** Base URL with the stage, e.g. `http://127.0.0.1:3000/prod`. */
  url: string;
  port: number;
  gateway: Gateway;
  pool: FunctionPool;
  /** Init outcomes of the environments started for `provisionedConcurrency` (empty without). */
  provisioned: InitOutcome[];
  /** Graceful: stop accepting, finish in-flight requests, stop the environments. */
  close(): Promise<void>;
}

/**
 * Intra-op threads of each local environment when the spec sets none. On Lambda every
 * environment has its own vCPUs; here all of them share this machine's cores, and ONNX Runtime
 * threads that outnumber the cores spin against each other. So each environment gets its share
 * of the cores (at least 1), never more than Lambda would give its memory size.
 */
export function localThreads(spec: EndpointSpec, cores = availableParallelism()): number {
  if (spec.function.threads) return spec.function.threads;
  const concurrency = Math.max(1, spec.function.reservedConcurrency ?? LOCAL_DEFAULT_CONCURRENCY);
  return Math.max(1, Math.min(vcpusForMemory(spec.function.memoryMb), Math.floor(cores / concurrency)));
}

/** The variables modelgate's own handler (src/lambda) reads. */
export function modelVariables(spec: EndpointSpec): Record<string, string> {
  const model = modelOf(spec);
  return {
    MODELGATE_MODEL_PATH: model.path,
    MODELGATE_MODEL_NAME: model.name,
    MODELGATE_THREADS: String(localThreads(spec)),
  };
}

export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const spec = options.spec ?? parseSpec();
  const logger = options.logger ?? silentLogger;
  const pool = await startFunction({
    handler: options.handler,
    functionName: spec.name,
    memoryMb: spec.function.memoryMb,
    timeoutSeconds: spec.function.timeoutSeconds,
    concurrency: spec.function.reservedConcurrency,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    environment: { ...modelVariables(spec), ...options.environment },
    logger,
  });
  // Provisioned concurrency: those environments initialise before the first request.
  const provisioned = await pool.provision(spec.function.provisionedConcurrency, { provisioned: true });
  const gateway = new Gateway({
    spec,
    invoker: pool,
    logger,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  const host = options.host ?? DEFAULT_HOST;
  let address: Awaited<ReturnType<Gateway["listen"]>>;
  try {
    address = await gateway.listen(options.port ?? DEFAULT_PORT, host);
  } catch (error) {
    await pool.close();
    throw error;
  }
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/${spec.stage}`,
    port: address.port,
    gateway,
    pool,
    provisioned,
    async close() {
      await gateway.close();
      await pool.close();
    },
  };
}
