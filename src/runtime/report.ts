/**
 * Lambda's platform log lines for one invocation: `START`, `END`, `REPORT` (and `INIT_REPORT`
 * for a failed init), in Lambda's text format, carried as structured fields as well.
 */

/**
 * Since August 2025 Lambda bills the init phase of on-demand functions: `Billed Duration`
 * includes `Init Duration` on a cold start (AWS announcement "standardizing billing for the
 * INIT phase").
 */
export const BILL_INIT_PHASE = true;

const MIB = 1024 * 1024;

export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxRssBytes: number;
  /** Present on the invocation that followed a cold start. */
  initDurationMs?: number | undefined;
  /** `timeout` or `error` when the environment did not finish normally. */
  status?: "timeout" | "error" | undefined;
  errorType?: string | undefined;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function billedDurationMs(report: Pick<InvocationReport, "durationMs" | "initDurationMs">): number {
  const init = BILL_INIT_PHASE ? (report.initDurationMs ?? 0) : 0;
  return Math.max(1, Math.ceil(report.durationMs + init));
}

export function maxMemoryUsedMb(maxRssBytes: number): number {
  return Math.round(maxRssBytes / MIB);
}

export function reportLine(report: InvocationReport): string {
  const parts = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(report)} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${maxMemoryUsedMb(report.maxRssBytes)} MB`,
  ];
  if (report.initDurationMs !== undefined)
    parts.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (report.status) parts.push(`Status: ${report.status}`);
  if (report.errorType) parts.push(`Error Type: ${report.errorType}`);
  return parts.join("\t");
}

/** Structured fields of a REPORT line, next to the text. */
export function reportFields(report: InvocationReport): Record<string, unknown> {
  return {
    type: "platform.report",
    requestId: report.requestId,
    durationMs: Number(report.durationMs.toFixed(2)),
    billedDurationMs: billedDurationMs(report),
    memorySizeMb: report.memorySizeMb,
    maxMemoryUsedMb: maxMemoryUsedMb(report.maxRssBytes),
    ...(report.initDurationMs !== undefined
      ? { initDurationMs: Number(report.initDurationMs.toFixed(2)) }
      : {}),
    ...(report.status ? { status: report.status } : {}),
  };
}

export function initErrorLine(initDurationMs: number, errorType: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}`;
}

export function timeoutMessage(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}
