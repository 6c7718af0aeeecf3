/** A section that could not run here, and why (printed as one clear line). */
export interface Skipped {
  skipped: string;
}

export function isSkipped(value: unknown): value is Skipped {
  return typeof value === "object" && value !== null && "skipped" in value;
}
