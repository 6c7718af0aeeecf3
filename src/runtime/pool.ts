import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { LIMITS } from "../spec/index.ts";
import type { PreparedHandler } from "./bundle.ts";
import { Environment, type EnvironmentState, type InitOutcome } from "./environment.ts";
import type { Logger } from "./logger.ts";
import {
  endLine,
  type InvocationReport,
  initErrorLine,
  reportFields,
  reportLine,
  startLine,
  timeoutMessage,
} from "./report.ts";

/**
 * The execution environments of one function: reuse a warm one, start a new one (cold) while
 * under the concurrency limit, throttle beyond it; reap environments idle for too long.
 */

/** How an invoke ended, as the caller (the gateway) needs to know it. */
export type InvokeOutcome =
  | { status: "ok"; result: unknown; bytes: number }
  | { status: "function-error"; errorType: string; errorMessage: string }
  | { status: "throttled" }
  | { status: "request-too-large" };

export interface PoolOptions {
  functionName: string;
  prepared: PreparedHandler;
  /** Variables for every environment (Lambda's and the function's own); see ./variables.ts. */
  env: (logStreamName: string) => Record<string, string>;
  memoryMb: number;
  timeoutMs: number;
  /** Reserved concurrency: the most environments at once; 0 throttles every invoke. */
  concurrency: number;
  idleTimeoutMs: number;
  logger: Logger;
  /** @default LIMITS.lambdaInitTimeoutMs */
  initTimeoutMs?: number;
}

export interface EnvironmentInfo {
  id: string;
  pid: number | undefined;
  state: EnvironmentState;
  invocations: number;
}

const VERSION = "$LATEST";

export class FunctionPool {
  readonly #options: PoolOptions;
  readonly #all = new Set<Environment>();
  /** Warm environments, most recently used last: reuse the warmest first, as Lambda tends to. */
  readonly #idle: Environment[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #sweeper: NodeJS.Timeout;
  #closing = false;

  constructor(options: PoolOptions) {
    this.#options = options;
    const every = Math.min(1_000, Math.max(10, Math.floor(options.idleTimeoutMs / 4)));
    this.#sweeper = setInterval(() => this.#reap(), every).unref();
  }

  /** Current environments (for tests and diagnostics). */
  environments(): EnvironmentInfo[] {
    return [...this.#all].map((e) => ({ id: e.id, pid: e.pid, state: e.state, invocations: e.invocations }));
  }

  /** Invoke the function once, synchronously (RequestResponse), with an already-serialized event. */
  invoke(eventJson: string): Promise<InvokeOutcome> {
    if (
      eventJson.length * 3 > LIMITS.lambdaPayloadBytes &&
      Buffer.byteLength(eventJson) > LIMITS.lambdaPayloadBytes
    ) {
      return Promise.resolve({ status: "request-too-large" });
    }
    let environment = this.#idle.pop();
    if (!environment) {
      if (this.#closing || this.#all.size >= this.#options.concurrency)
        return Promise.resolve({ status: "throttled" });
      environment = this.#start();
    }
    const running = this.#run(environment, eventJson);
    this.#inFlight.add(running);
    void running.finally(() => this.#inFlight.delete(running));
    return running;
  }

  /**
   * Start `count` environments ahead of traffic and wait for their init, as provisioned
   * concurrency does; `modelgate serve` starts one so an init failure shows at startup (with
   * `provisioned: false` its first invocation still reports Init Duration, as a cold start).
   * Environments that failed to initialise are stopped; the outcomes say why.
   */
  async provision(count: number, { provisioned = true } = {}): Promise<InitOutcome[]> {
    const started: Environment[] = [];
    while (started.length < count && this.#all.size < this.#options.concurrency && !this.#closing) {
      const environment = this.#start();
      environment.provisioned = provisioned;
      started.push(environment);
    }
    const outcomes = await Promise.all(started.map((environment) => environment.ready));
    started.forEach((environment, index) => {
      if (outcomes[index]!.ok && environment.state === "idle") this.#idle.push(environment);
      else environment.kill();
    });
    return outcomes;
  }

  /** Finish in-flight invocations, then stop every environment. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#inFlight]);
    await Promise.all([...this.#all].map((e) => e.stop()));
  }

  #start(): Environment {
    const id = randomBytes(16).toString("hex");
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    const environment = new Environment({
      id,
      prepared: this.#options.prepared,
      env: this.#options.env(`${day}/[${VERSION}]${id}`),
      initTimeoutMs: this.#options.initTimeoutMs ?? LIMITS.lambdaInitTimeoutMs,
      memoryLimitBytes: this.#options.memoryMb * 1024 * 1024,
      logger: this.#options.logger,
      onExit: (e) => this.#forget(e),
    });
    this.#all.add(environment);
    this.#options.logger.debug("environment started", {
      source: "runtime",
      environment: id,
      pid: environment.pid,
    });
    return environment;
  }

  async #run(environment: Environment, eventJson: string): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    // An environment's first invocation reports its init, unless provisioned concurrency
    // initialised it ahead of traffic (Lambda reports no Init Duration then).
    const cold = environment.invocations === 0 && !environment.provisioned;
    const init = cold ? await environment.ready : undefined;
    const logger = this.#options.logger;
    const lambda = { source: "lambda", function: this.#options.functionName, environment: environment.id };
    if (init && !init.ok) {
      const initMs = performance.now() - environment.startedAt;
      logger.error(initErrorLine(initMs, init.errorType), {
        ...lambda,
        type: "platform.initReport",
        requestId,
      });
      logger.error(`${init.errorType}: ${init.errorMessage}`, { ...lambda, requestId });
      return { status: "function-error", errorType: init.errorType, errorMessage: init.errorMessage };
    }
    logger.info(startLine(requestId, VERSION), { ...lambda, type: "platform.start", requestId });
    const started = performance.now();
    const outcome = await environment.invoke(requestId, eventJson, this.#options.timeoutMs);
    const durationMs = performance.now() - started;
    const report = {
      requestId,
      durationMs,
      memorySizeMb: this.#options.memoryMb,
      maxRssBytes: "maxRssBytes" in outcome ? outcome.maxRssBytes : environment.maxRssBytes,
      initDurationMs: init?.ok ? init.initDurationMs : undefined,
    };
    let result: InvokeOutcome;
    switch (outcome.kind) {
      case "result":
        result = { status: "ok", result: outcome.result, bytes: outcome.bytes };
        break;
      case "error":
        result = {
          status: "function-error",
          errorType: outcome.errorType,
          errorMessage: outcome.errorMessage,
        };
        break;
      case "timeout": {
        const message = timeoutMessage(this.#options.timeoutMs);
        logger.error(`${new Date().toISOString()} ${requestId} ${message}`, { ...lambda, requestId });
        result = { status: "function-error", errorType: "Sandbox.Timedout", errorMessage: message };
        break;
      }
      case "crash": {
        const reason = outcome.signal ? `signal: ${outcome.signal}` : `exit status ${outcome.exitCode}`;
        const message = `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`;
        // Passing the memory size is Lambda's Runtime.OutOfMemory; any other exit is Runtime.ExitError.
        const errorType = outcome.outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        logger.error(message, { ...lambda, requestId, errorType });
        result = { status: "function-error", errorType, errorMessage: message };
        break;
      }
    }
    const status: InvocationReport["status"] =
      outcome.kind === "timeout" ? "timeout" : outcome.kind === "crash" ? "error" : undefined;
    const full: InvocationReport = {
      ...report,
      status,
      errorType: result.status === "function-error" && status === "error" ? result.errorType : undefined,
    };
    logger.info(endLine(requestId), { ...lambda, type: "platform.end", requestId });
    logger.info(reportLine(full), { ...lambda, ...reportFields(full) });
    if (environment.state === "idle" && !this.#closing) this.#idle.push(environment);
    return result;
  }

  #forget(environment: Environment): void {
    this.#all.delete(environment);
    const index = this.#idle.indexOf(environment);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#options.logger.debug("environment stopped", { source: "runtime", environment: environment.id });
  }

  /** Stop environments idle past the timeout; provisioned ones stay initialised, as on Lambda. */
  #reap(): void {
    const cutoff = performance.now() - this.#options.idleTimeoutMs;
    const expired = this.#idle.filter((e) => e.lastUsedAt <= cutoff && !e.provisioned);
    if (expired.length === 0) return;
    this.#idle.splice(0, this.#idle.length, ...this.#idle.filter((e) => !expired.includes(e)));
    for (const environment of expired) {
      this.#options.logger.debug("environment reaped (idle)", {
        source: "runtime",
        environment: environment.id,
      });
      void environment.stop();
    }
  }
}
