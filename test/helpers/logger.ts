import type { HandlerLogger } from "../../src/lambda/handler.ts";

export interface LogLine {
  level: "info" | "warn" | "error";
  message: string;
  extra: Record<string, unknown>;
}

/** A logger that records lines instead of printing them, for assertions on what is logged. */
export function recordingLogger(): HandlerLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record = (level: LogLine["level"]) => (message: string, extra: Record<string, unknown>) => {
    lines.push({ level, message, extra });
  };
  return { lines, info: record("info"), warn: record("warn"), error: record("error") };
}
