import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { PreparedHandler } from "./bundle.ts";
import type { Logger } from "./logger.ts";
import { FrameReader, invokeFrameText, type WorkerMessage, writeFrame } from "./protocol.ts";

/**
 * One Lambda execution environment: a child process that initialises the handler once, then
 * runs one invocation at a time. A function timeout or a crash ends the environment; the pool
 * starts a fresh (cold) one for the next request.
 */

export type EnvironmentState = "initializing" | "idle" | "busy" | "dead";

/** How a single invocation inside an environment ended. */
export type RawOutcome =
  | { kind: "result"; result: unknown; bytes: number; maxRssBytes: number }
  | { kind: "error"; errorType: string; errorMessage: string; maxRssBytes: number }
  | { kind: "timeout" }
  | { kind: "crash"; exitCode: number | null; signal: NodeJS.Signals | null; outOfMemory: boolean };

export type InitOutcome =
  | { ok: true; initDurationMs: number }
  | { ok: false; errorType: string; errorMessage: string };

export interface EnvironmentOptions {
  id: string;
  prepared: PreparedHandler;
  /** The complete environment of the child (Lambda variables included). */
  env: Record<string, string>;
  initTimeoutMs: number;
  /** The function's memory size: an environment whose resident memory passes it is killed, as on Lambda. */
  memoryLimitBytes?: number;
  logger: Logger;
  /** Called once when the process has exited, whatever the reason. */
  onExit: (environment: Environment) => void;
}

/** Grace between SIGTERM and SIGKILL when an environment is stopped. */
const STOP_GRACE_MS = 1_000;

/**
 * How often a busy or initialising environment's resident memory is sampled against its memory
 * size. Lambda's enforcement is immediate (a cgroup); sampling can miss a short spike, so the
 * period is short: reading /proc/<pid>/statm costs a few microseconds.
 */
export const MEMORY_CHECK_INTERVAL_MS = 20;

const PAGE_SIZE_BYTES = 4096;

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process from /proc (Linux); undefined where /proc is not there. */
function residentBytes(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, "latin1").split(" ");
    return Number(fields[1]) * PAGE_SIZE_BYTES;
  } catch {
    return undefined;
  }
}

interface Pending {
  requestId: string;
  resolve: (outcome: RawOutcome) => void;
  timer: NodeJS.Timeout;
}

export class Environment {
  readonly id: string;
  readonly startedAt = performance.now();
  /** Resolves when init finished, successfully or not. */
  readonly ready: Promise<InitOutcome>;
  state: EnvironmentState = "initializing";
  invocations = 0;
  lastUsedAt = performance.now();
  /** Initialised ahead of traffic by provisioned concurrency (no Init Duration in its REPORT). */
  provisioned = false;
  /** Peak resident memory reported by the last invocation. */
  maxRssBytes = 0;

  readonly #child: ChildProcess;
  readonly #channel: Socket;
  readonly #logger: Logger;
  #pending: Pending | undefined;
  #settleInit: ((outcome: InitOutcome) => void) | undefined;
  readonly #exited: Promise<void>;
  readonly #memoryLimitBytes: number | undefined;
  #memoryTimer: NodeJS.Timeout | undefined;
  /** Set when this environment was killed for passing its memory size. */
  #outOfMemory = false;

  constructor(options: EnvironmentOptions) {
    this.id = options.id;
    this.#logger = options.logger;
    this.#child = spawn(process.execPath, ["--enable-source-maps", options.prepared.workerFile], {
      cwd: options.prepared.taskRoot,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    this.#channel = this.#child.stdio[3] as Socket;
    this.#forwardOutput();
    this.#memoryLimitBytes = options.memoryLimitBytes;
    this.#watchMemory();

    this.ready = new Promise<InitOutcome>((resolve) => {
      this.#settleInit = resolve;
    });
    const initTimer = setTimeout(() => {
      this.#finishInit({
        ok: false,
        errorType: "Runtime.InitTimeout",
        errorMessage: `Init phase exceeded ${options.initTimeoutMs} ms`,
      });
      this.kill();
    }, options.initTimeoutMs);

    const reader = new FrameReader((text, bytes) => this.#onMessage(text, bytes));
    this.#channel.on("data", (chunk: Buffer) => reader.push(chunk));
    this.#channel.on("error", () => {});

    this.#exited = new Promise((resolve) => {
      this.#child.once("exit", (exitCode, signal) => {
        clearTimeout(initTimer);
        this.#unwatchMemory();
        this.state = "dead";
        const reason = signal ? `signal: ${signal}` : `exit status ${exitCode}`;
        this.#finishInit({
          ok: false,
          errorType: this.#outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError",
          errorMessage: `Runtime exited during init (${reason})`,
        });
        const pending = this.#pending;
        if (pending) {
          this.#pending = undefined;
          clearTimeout(pending.timer);
          pending.resolve({ kind: "crash", exitCode, signal, outOfMemory: this.#outOfMemory });
        }
        options.onExit(this);
        resolve();
      });
    });
    void this.ready.then((outcome) => {
      clearTimeout(initTimer);
      if (outcome.ok && this.state === "initializing") {
        this.state = "idle";
        this.#unwatchMemory();
      }
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Run one invocation; `eventJson` is the event already serialized. */
  invoke(requestId: string, eventJson: string, timeoutMs: number): Promise<RawOutcome> {
    if (this.state !== "idle") throw new Error(`environment ${this.id} is ${this.state}, not idle`);
    this.state = "busy";
    this.invocations += 1;
    this.#watchMemory();
    return new Promise<RawOutcome>((resolve) => {
      const timer = setTimeout(() => {
        // The function timeout ends the environment: the next request starts cold.
        this.#pending = undefined;
        resolve({ kind: "timeout" });
        this.kill();
      }, timeoutMs);
      this.#pending = { requestId, resolve, timer };
      writeFrame(this.#channel, invokeFrameText(requestId, Date.now() + timeoutMs, eventJson));
    });
  }

  /** Stop the process now (timeout, crash handling, reaping). */
  kill(): void {
    if (this.state !== "dead") this.#child.kill("SIGKILL");
  }

  /** Stop gracefully: SIGTERM, then SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill("SIGTERM");
      const grace = setTimeout(() => this.#child.kill("SIGKILL"), STOP_GRACE_MS);
      await this.#exited;
      clearTimeout(grace);
    }
  }

  /** Sample memory while the environment runs code (init or an invocation); idle ones are left alone. */
  #watchMemory(): void {
    const pid = this.#child.pid;
    if (this.#memoryLimitBytes === undefined || pid === undefined || this.#memoryTimer) return;
    this.#memoryTimer = setInterval(() => {
      const rss = residentBytes(pid);
      if (rss === undefined || rss <= this.#memoryLimitBytes!) return;
      this.#outOfMemory = true;
      this.maxRssBytes = rss;
      this.kill();
    }, MEMORY_CHECK_INTERVAL_MS);
    this.#memoryTimer.unref();
  }

  #unwatchMemory(): void {
    clearInterval(this.#memoryTimer);
    this.#memoryTimer = undefined;
  }

  #finishInit(outcome: InitOutcome): void {
    const settle = this.#settleInit;
    this.#settleInit = undefined;
    settle?.(outcome);
  }

  #onMessage(text: string, bytes: number): void {
    const message = JSON.parse(text) as WorkerMessage;
    switch (message.t) {
      case "ready":
        this.#finishInit({ ok: true, initDurationMs: performance.now() - this.startedAt });
        return;
      case "init-error":
        this.#finishInit({ ok: false, errorType: message.errorType, errorMessage: message.errorMessage });
        this.kill();
        return;
      case "result":
      case "error": {
        const pending = this.#pending;
        if (!pending || pending.requestId !== message.id) return;
        this.#pending = undefined;
        clearTimeout(pending.timer);
        if (message.logs) this.#forwardLines(message.logs, "info");
        this.maxRssBytes = message.maxRssBytes;
        this.lastUsedAt = performance.now();
        this.state = "idle";
        this.#unwatchMemory();
        pending.resolve(
          message.t === "result"
            ? { kind: "result", result: message.result, bytes, maxRssBytes: message.maxRssBytes }
            : {
                kind: "error",
                errorType: message.errorType,
                errorMessage: message.errorMessage,
                maxRssBytes: message.maxRssBytes,
              },
        );
        return;
      }
    }
  }

  #forwardLines(text: string, level: "info" | "warn"): void {
    for (const line of text.split("\n")) {
      if (line !== "") this.#forwardLine(line, level);
    }
  }

  /**
   * One line of the function's output. Structured logs (Powertools writes one JSON object per
   * line) stay structured under `record`, at their own level; other lines are kept as text.
   */
  #forwardLine(line: string, level: "info" | "warn"): void {
    const record = line.startsWith("{") ? parseObject(line) : undefined;
    if (!record) {
      this.#logger[level](line, { source: "function", environment: this.id });
      return;
    }
    const own = String(record.level ?? "").toLowerCase();
    const at = own === "error" || own === "critical" ? "error" : own === "warn" ? "warn" : level;
    const message = typeof record.message === "string" ? record.message : line;
    this.#logger[at](message, { source: "function", environment: this.id, record });
  }

  /** The function's own output (console lines) goes to the log, one record per line. */
  #forwardOutput(): void {
    for (const [stream, level] of [
      [this.#child.stdout, "info"],
      [this.#child.stderr, "warn"],
    ] as const) {
      if (!stream) continue;
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on("line", (line) => this.#forwardLine(line, level));
    }
  }
}
