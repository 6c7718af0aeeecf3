/**
 * API Gateway's request throttling: token buckets (steady rate, burst capacity), checked in
 * AWS's order after routing: the stage's method throttling from the spec, then the account's.
 * A request refused by either gets the THROTTLED gateway response (429).
 */

export interface ThrottleLimits {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Bucket size: requests allowed at once after a quiet period. */
  burstLimit: number;
}

/** Account-level throttle per Region: 10,000 requests/s, burst 5,000 (API Gateway quotas). */
export const ACCOUNT_THROTTLE: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };

export class TokenBucket {
  readonly #limits: ThrottleLimits;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(limits: ThrottleLimits, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
    this.#tokens = limits.burstLimit;
    this.#updatedAt = now();
  }

  /** Take one token if there is one; refills at `rateLimit` per second up to `burstLimit`. */
  take(): boolean {
    const now = this.#now();
    const refill = ((now - this.#updatedAt) / 1000) * this.#limits.rateLimit;
    this.#tokens = Math.min(this.#limits.burstLimit, this.#tokens + refill);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The buckets one request must pass, in order: the stage's (if the spec sets one), then the account's. */
export function throttleChain(stage: ThrottleLimits | undefined, now?: () => number): () => boolean {
  const buckets = [...(stage ? [stage] : []), ACCOUNT_THROTTLE].map((limits) => new TokenBucket(limits, now));
  return () => buckets.every((bucket) => bucket.take());
}
