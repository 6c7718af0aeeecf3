/**
 * Per-step progress lines on stderr (stdout stays clean for the table or `--json`):
 *   [  12.4s] inference  iris batch 64: handler 0.210 ms, raw 0.061 ms -> 3.44x
 */
export interface Progress {
  step(section: string, message: string): void;
}

export function createProgress(
  stream: { write(text: string): unknown } | undefined = process.stderr,
): Progress {
  const started = performance.now();
  return {
    step(section, message) {
      if (!stream) return;
      const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
      stream.write(`[${elapsed}s] ${section.padEnd(10)} ${message}\n`);
    },
  };
}

export const silentProgress: Progress = { step() {} };
