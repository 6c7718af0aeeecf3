/** Timing loops: calibrate a block to a time budget, then time each call of the block. */

export type AsyncFn = () => Promise<unknown> | unknown;

/** Calls per block so that one block takes about `blockMs` (at least 1, at most `max`). */
export async function calibrate(fn: AsyncFn, blockMs: number, max = 5000): Promise<number> {
  // Warm-up: JIT, ORT's buffers, first-use allocations.
  for (let i = 0; i < 3; i++) await fn();
  const started = performance.now();
  let calls = 0;
  while (calls < max && performance.now() - started < Math.min(blockMs, 50)) {
    await fn();
    calls++;
  }
  const perCall = (performance.now() - started) / calls;
  return Math.max(1, Math.min(max, Math.round(blockMs / perCall)));
}

/** Run `calls` calls, returning each call's duration in ms. */
export async function timeCalls(fn: AsyncFn, calls: number): Promise<number[]> {
  const durations = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await fn();
    durations[i] = performance.now() - started;
  }
  return durations;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
