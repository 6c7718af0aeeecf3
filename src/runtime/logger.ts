/**
 * The small structured logger that the gateway and the runtime take as a dependency: one JSON
 * object per line, `info`/`debug` to stdout and `warn`/`error` to stderr. Library code never
 * writes to the console itself.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LogRecord extends LogFields {
  time: string;
  level: LogLevel;
  message: string;
}

type Sink = (record: LogRecord) => void;

function fromSink(sink: Sink, minimum: LogLevel): Logger {
  const floor = LOG_LEVELS.indexOf(minimum);
  const at =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(level) < floor) return;
      sink({ time: new Date().toISOString(), level, message, ...fields });
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export interface JsonLoggerOptions {
  /** @default process.stdout */
  out?: NodeJS.WritableStream;
  /** @default process.stderr */
  err?: NodeJS.WritableStream;
  /** @default "info" */
  level?: LogLevel;
}

/** Lines written in one tick go out in one write: a request logs four records (START, END, REPORT, access). */
class LineBuffer {
  #text = "";
  readonly #stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }

  push(line: string): void {
    if (this.#text === "") setImmediate(() => this.flush());
    this.#text += line;
  }

  flush(): void {
    if (this.#text === "") return;
    const text = this.#text;
    this.#text = "";
    this.#stream.write(text);
  }
}

/** JSON lines to stdout (debug, info) and stderr (warn, error), batched per event-loop tick. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger & { flush(): void } {
  const out = new LineBuffer(options.out ?? process.stdout);
  const err = new LineBuffer(options.err ?? process.stderr);
  const flush = () => {
    out.flush();
    err.flush();
  };
  // stdout and stderr are synchronous for files and pipes on POSIX: nothing is lost at exit.
  process.once("exit", flush);
  const logger = fromSink((record) => {
    const line = `${JSON.stringify(record)}\n`;
    (record.level === "warn" || record.level === "error" ? err : out).push(line);
  }, options.level ?? "info");
  return Object.assign(logger, { flush });
}

/** Keeps records in memory (tests, embedding). */
export function createMemoryLogger(level: LogLevel = "debug"): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(
    fromSink((record) => records.push(record), level),
    { records },
  );
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
