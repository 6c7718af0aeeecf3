/**
 * Entry point of one execution environment (a child process). Mirrors the Lambda Node.js
 * runtime: init loads the handler module once, then invocations arrive one at a time; the
 * handler gets the event and a real-shaped `Context`; console output is written as
 * `time\trequestId\tLEVEL\tmessage` lines; a thrown error fails only that invocation.
 * Runs as plain JavaScript (bundled by ./bundle.ts), so a cold start costs node's own boot only.
 */
import { Socket } from "node:net";
import { format } from "node:util";
import {
  CHANNEL_FD,
  FrameReader,
  type InvokeMessage,
  resultFrameText,
  type WorkerMessage,
  writeFrame,
} from "./protocol.ts";

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown;

const env = process.env;
const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
// The gateway process is gone: an environment never outlives it.
channel.on("close", () => process.exit(0));
channel.on("error", () => process.exit(0));

let currentRequestId: string | undefined;

/**
 * The function's stdout is held briefly and travels with the invocation's result frame: one
 * wake-up of the gateway per invocation instead of one more per log line. Output of a long
 * invocation still shows within this delay.
 */
const OUTPUT_FLUSH_MS = 50;
const writeStdout = process.stdout.write.bind(process.stdout);
let heldOutput = "";
let outputTimer: NodeJS.Timeout | undefined;

function takeOutput(): string {
  const text = heldOutput;
  heldOutput = "";
  if (outputTimer) clearTimeout(outputTimer);
  outputTimer = undefined;
  return text;
}

function flushOutput(): void {
  const text = takeOutput();
  if (text) writeStdout(text);
}

function holdStdout(): void {
  process.stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    heldOutput += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    outputTimer ??= setTimeout(flushOutput, OUTPUT_FLUSH_MS);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => done());
    return true;
  }) as typeof process.stdout.write;
  // Writes to a pipe are synchronous on POSIX: held output survives process.exit().
  process.on("exit", flushOutput);
}

/** Console output like the Lambda Node.js runtime: one line per call, newlines as `\r`. */
function patchConsole(): void {
  const levels = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" };
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const message = format(...args).replace(/\n/g, "\r");
      process.stdout.write(
        `${new Date().toISOString()}\t${currentRequestId ?? "undefined"}\t${level}\t${message}\n`,
      );
    };
  }
}

function send(message: WorkerMessage): void {
  writeFrame(channel, JSON.stringify(message));
}

function describe(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? "").split("\n") };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function createContext(
  requestId: string,
  deadline: number,
  settle: (error: unknown, result?: unknown) => void,
) {
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME ?? "";
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
    invokedFunctionArn: env.MODELGATE_FUNCTION_ARN ?? "",
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
    awsRequestId: requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error?: unknown, result?: unknown) => settle(error ?? null, result),
    fail: (error: unknown) => settle(error ?? new Error("handled")),
    succeed: (result: unknown) => settle(null, result),
  };
}

/** Async handlers return a promise; callback handlers (three parameters) call back. */
function call(handler: Handler, event: unknown, requestId: string, deadline: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    const context = createContext(requestId, deadline, settle);
    const returned = handler.length >= 3 ? handler(event, context, settle) : handler(event, context);
    if (returned && typeof (returned as PromiseLike<unknown>).then === "function") {
      (returned as PromiseLike<unknown>).then(
        (result) => settle(null, result),
        (error) => settle(error ?? new Error("Promise rejected")),
      );
    } else if (handler.length < 3) {
      settle(null, returned);
    }
  });
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.id;
  try {
    const result = await call(handler, message.event, message.id, message.deadline);
    // Serialized exactly once, as the Lambda runtime does (undefined becomes null).
    const json = JSON.stringify(result) ?? "null";
    writeFrame(channel, resultFrameText(message.id, maxRssBytes(), takeOutput(), json));
  } catch (error) {
    const described = describe(error);
    console.error(
      "Invoke Error \t%s",
      JSON.stringify({
        errorType: described.errorType,
        errorMessage: described.errorMessage,
        stack: described.trace,
      }),
    );
    send({ t: "error", id: message.id, maxRssBytes: maxRssBytes(), logs: takeOutput(), ...described });
  }
}

async function init(): Promise<Handler | undefined> {
  const moduleUrl = env.MODELGATE_HANDLER_MODULE ?? "";
  const exportName = env.MODELGATE_HANDLER_EXPORT ?? "handler";
  try {
    const loaded = (await import(moduleUrl)) as Record<string, unknown>;
    const fromDefault = (loaded.default as Record<string, unknown> | undefined)?.[exportName];
    const handler = loaded[exportName] ?? fromDefault;
    if (typeof handler !== "function") {
      send({
        t: "init-error",
        errorType: "Runtime.HandlerNotFound",
        errorMessage: `${env._HANDLER} is undefined or not exported`,
      });
      return undefined;
    }
    return handler as Handler;
  } catch (error) {
    const described = describe(error);
    const errorType =
      error instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError";
    console.error("INIT Error \t%s", JSON.stringify({ errorType, errorMessage: described.errorMessage }));
    send({ t: "init-error", errorType, errorMessage: `${described.errorType}: ${described.errorMessage}` });
    return undefined;
  }
}

patchConsole();
holdStdout();
const handler = await init();
flushOutput();
if (handler) {
  const reader = new FrameReader((text) => {
    const message = JSON.parse(text) as InvokeMessage;
    void invoke(handler, message);
  });
  channel.on("data", (chunk: Buffer) => reader.push(chunk));
  send({ t: "ready" });
}
