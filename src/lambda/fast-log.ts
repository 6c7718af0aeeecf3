/**
 * The one log line every invocation writes, kept cheap. Powertools' Logger costs 11-16 µs a
 * line on its own here (30-50 µs inside the handler, measured by bench/), as much as running
 * the iris model; this writer costs about 3 µs. It writes the same JSON shape as Powertools
 * (level, message, timestamp, service, then the fields) and honours the same log-level
 * variables. Lifecycle lines, warnings and errors still go through Powertools.
 */

import type { HandlerLogger } from "./handler.ts";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"] as const;

/** As in Powertools: Lambda's AWS_LAMBDA_LOG_LEVEL wins over POWERTOOLS_LOG_LEVEL; INFO by default. */
export function infoEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const configured = (env.AWS_LAMBDA_LOG_LEVEL || env.POWERTOOLS_LOG_LEVEL || "INFO").toUpperCase();
  const index = LEVELS.indexOf(configured as (typeof LEVELS)[number]);
  return index < 0 || index <= LEVELS.indexOf("INFO");
}

export type InfoLine = (message: string, fields: Record<string, unknown>) => void;

export function createInfoLine(
  service: string,
  write: (line: string) => unknown = (line) => process.stdout.write(line),
  env: NodeJS.ProcessEnv = process.env,
): InfoLine {
  if (!infoEnabled(env)) return () => {};
  return (message, fields) => {
    write(
      `${JSON.stringify({ level: "INFO", message, timestamp: new Date().toISOString(), service, ...fields })}\n`,
    );
  };
}

/** What the handler logs through: the cheap line for `info`, Powertools (or any logger) for the rest. */
export function handlerLogger(
  logger: Pick<HandlerLogger, "warn" | "error">,
  info: InfoLine = createInfoLine("modelgate"),
): HandlerLogger {
  return {
    info,
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
  };
}
