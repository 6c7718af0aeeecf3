import type { HttpReply } from "./http.ts";

/**
 * Counts requests and responses by status and by request id, so a test can prove that every
 * request got exactly one response: none lost, none duplicated.
 */
export class Tally {
  sent = 0;
  readonly byStatus: Record<number, number> = {};
  readonly requestIds = new Map<string, number>();
  readonly failures: string[] = [];

  record(reply: HttpReply): HttpReply {
    this.byStatus[reply.status] = (this.byStatus[reply.status] ?? 0) + 1;
    const id = String(reply.headers["x-amzn-requestid"] ?? "");
    this.requestIds.set(id, (this.requestIds.get(id) ?? 0) + 1);
    return reply;
  }

  fail(error: unknown): void {
    this.failures.push(String(error));
  }

  get received(): number {
    return Object.values(this.byStatus).reduce((a, b) => a + b, 0);
  }

  get duplicated(): number {
    return [...this.requestIds.values()].filter((count) => count > 1).length;
  }

  get lost(): number {
    return this.sent - this.received;
  }

  summary(name: string): string {
    return `${name}: sent ${this.sent}, received ${this.received}, by status ${JSON.stringify(this.byStatus)}, lost ${this.lost}, duplicated ${this.duplicated}, transport errors ${this.failures.length}`;
  }
}
