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

/** JSON lines to stdout (debug, info) and stderr (warn, error). */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  return fromSink((record) => {
    const line = `${JSON.stringify(record)}\n`;
    (record.level === "warn" || record.level === "error" ? err : out).write(line);
  }, options.level ?? "info");
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
