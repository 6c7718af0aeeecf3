import { type Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_HOST, DEFAULT_PORT, GENERIC_HANDLER_ROUTES, startLocalEndpoint } from "../gateway/index.ts";
import {
  createJsonLogger,
  DEFAULT_IDLE_TIMEOUT_MS,
  LOG_LEVELS,
  type LogLevel,
  parseHandlerRef,
} from "../runtime/index.ts";
import {
  type EndpointSpec,
  type EndpointSpecInput,
  EXAMPLE_MODEL_PATH,
  modelOf,
  parseSpec,
} from "../spec/index.ts";
import { moduleFile } from "../spec/module-file.ts";
import { specInput } from "./spec-options.ts";

/** `modelgate serve`: the endpoint on this machine (API Gateway REST + Lambda environments). */

const MODELGATE_HANDLER = moduleFile("../lambda/index.ts", import.meta.url);

interface ServeOptions {
  config?: string;
  host: string;
  port: number;
  stage?: string;
  model?: string;
  handler?: string;
  memory?: number;
  timeout?: number;
  concurrency?: number;
  integrationTimeout?: number;
  idleTimeout: number;
  logLevel: LogLevel;
}

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

async function serve(options: ServeOptions): Promise<void> {
  const logger = createJsonLogger({ level: options.logLevel });
  // The same spec file `package` and `deploy` take, with this command's flags on top.
  const base = await specInput({
    ...(options.config ? { config: options.config } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
  const input: EndpointSpecInput = {
    ...base,
    ...(options.stage ? { stage: options.stage } : {}),
    ...(options.handler ? { routes: [...GENERIC_HANDLER_ROUTES] } : {}),
    ...(options.integrationTimeout ? { integrationTimeoutMs: options.integrationTimeout } : {}),
    function: {
      ...base.function,
      ...(options.memory ? { memoryMb: options.memory } : {}),
      ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
      ...(options.concurrency !== undefined ? { reservedConcurrency: options.concurrency } : {}),
    },
  };
  const spec = parseSpec(input);
  const handler = parseHandlerRef(options.handler ?? MODELGATE_HANDLER);
  const endpoint = await startLocalEndpoint({
    spec,
    handler,
    host: options.host,
    port: options.port,
    idleTimeoutMs: options.idleTimeout * 1000,
    logger,
  });
  // Provisioned environments initialised with the endpoint; without any, start one on-demand
  // environment now, so a handler or model that cannot load is reported here, not as a 502
  // on the first request.
  const outcomes =
    endpoint.provisioned.length > 0
      ? endpoint.provisioned
      : await endpoint.pool.provision(1, { provisioned: false });
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed && !failed.ok) {
    logger.error(`the function failed to initialise: ${failed.errorType}: ${failed.errorMessage}`, {
      source: "cli",
      handler: `${handler.file}#${handler.exportName}`,
      errorType: failed.errorType,
    });
    await endpoint.close();
    process.exitCode = 1;
    return;
  }
  logger.info(`modelgate serving ${endpoint.url}`, {
    source: "cli",
    url: endpoint.url,
    handler: `${handler.file}#${handler.exportName}`,
    routes: endpoint.gateway.router.resources(),
  });
  // A person at a terminal gets a readable pointer too; pipes and tests keep pure JSON lines.
  if (process.stderr.isTTY)
    process.stderr.write(readyBanner(endpoint.url, spec, options.handler !== undefined));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`, { source: "cli" });
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests`, { source: "cli" });
    endpoint.close().then(
      () => {
        logger.info("stopped", { source: "cli" });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error("shutdown failed", { source: "cli", error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** Where to send the first request; with the bundled iris model, a request that works as is. */
export function readyBanner(url: string, spec: EndpointSpec, customHandler: boolean): string {
  if (customHandler) return `\nmodelgate: your handler is serving ${url}/ (ANY method, any path)\n\n`;
  const routes = spec.routes.map((route) => `${route.method} ${url}${route.path}`).join(", ");
  const example =
    modelOf(spec).path === EXAMPLE_MODEL_PATH
      ? `Try:\n  curl -s ${url}/model -H 'Content-Type: application/json' \\\n` +
        `    -d '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}'\n`
      : "";
  return `\nmodelgate: ${routes} is ready. ${example}\n`;
}

export function register(program: Command): void {
  program
    .command("serve")
    .description(
      "Serve the endpoint locally: API Gateway REST (v1 proxy) in front of Lambda execution environments.",
    )
    .option("-c, --config <file>", "endpoint spec as JSON (the same spec `package` and `deploy` use)")
    .option("--host <host>", "interface to listen on", DEFAULT_HOST)
    .option("--port <port>", "port to listen on (0: a free one)", integer("port", 0), DEFAULT_PORT)
    .option("--stage <stage>", "stage name, the first path segment (default: prod)")
    .option("--model <path>", "ONNX model to serve (default: the bundled iris example)")
    .option(
      "--handler <module#export>",
      "serve any Node.js Lambda handler (JS or TS) on ANY / and ANY /{proxy+} instead of the model",
    )
    .option("--memory <mb>", "function memory size in MB (default: 2048)", integer("memory", 1))
    .option("--timeout <seconds>", "function timeout in seconds (default: 15)", positive("timeout"))
    .option(
      "--concurrency <n>",
      "reserved concurrency: most environments at once (default: 10)",
      integer("concurrency", 0),
    )
    .option(
      "--integration-timeout <ms>",
      "API Gateway integration timeout in ms (default: 29000)",
      integer("integration-timeout", 1),
    )
    .option(
      "--idle-timeout <seconds>",
      "reap environments idle this long (scale to zero)",
      positive("idle-timeout"),
      DEFAULT_IDLE_TIMEOUT_MS / 1000,
    )
    .addOption(new Option("--log-level <level>", "least level logged").choices(LOG_LEVELS).default("info"))
    .action(serve);
}
