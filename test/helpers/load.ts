import { type HttpReply, request } from "./http.ts";
import type { Tally } from "./tally.ts";

export const IRIS_BODY = JSON.stringify({ inputs: [[5.1, 3.5, 1.4, 0.2]] });

export interface LoadOptions {
  url: string;
  connections: number;
  /** Keep sending until this returns true (checked before each request). */
  until: () => boolean;
  tally: Tally;
  /** Every reply with its latency, for percentiles. */
  onReply?: (reply: HttpReply, latencyMs: number) => void;
  /** A transport error ends that client's loop; return true to count it as expected. */
  onError?: (error: NodeJS.ErrnoException) => void;
}

/** `connections` clients, each sending POST /model one after another: a bounded closed-loop load. */
export async function runLoad(options: LoadOptions): Promise<void> {
  const client = async () => {
    while (!options.until()) {
      options.tally.sent++;
      const started = performance.now();
      try {
        const reply = await request(options.url, {
          method: "POST",
          headers: [["Content-Type", "application/json"]],
          body: IRIS_BODY,
        });
        options.tally.record(reply);
        options.onReply?.(reply, performance.now() - started);
      } catch (error) {
        options.tally.sent--;
        options.tally.fail(error);
        options.onError?.(error as NodeJS.ErrnoException);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
