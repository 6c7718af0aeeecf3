import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runLoad } from "../helpers/load.ts";
import { Tally } from "../helpers/tally.ts";

/**
 * SIGTERM in the middle of a burst: `modelgate serve` stops accepting, answers every request it
 * had accepted, stops its environments and exits 0. A request is accepted when the gateway saw
 * it (its access-log record); connections it never read may be refused or closed.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));
/** Refused or closed before the gateway read a request: not accepted, so not lost. */
const NOT_ACCEPTED = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE"]);
const BURST_BEFORE_TERM = 200;

describe("graceful shutdown under load", () => {
  it("loses no accepted request when SIGTERM arrives during a burst", async () => {
    const server = spawn(
      process.execPath,
      [TSX_CLI, "src/cli/index.ts", "serve", "--port", "0", "--concurrency", "3"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    const serverIds: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).on("line", (line) => {
        const record = JSON.parse(line) as {
          message: string;
          source?: string;
          url?: string;
          requestId?: string;
        };
        if (record.source === "access") serverIds.push(String(record.requestId));
        if (record.message.startsWith("modelgate serving") && record.url) resolve(record.url);
      });
      server.once("exit", (code) => reject(new Error(`serve exited early with ${code}`)));
    });

    const tally = new Tally();
    let terminatedAt: number | undefined;
    const errors: Array<{ code: string | undefined; afterTerm: boolean }> = [];
    const load = runLoad({
      url: `${url}/model`,
      connections: 6,
      until: () => false, // until the server goes away
      tally,
      // Terminate once the burst is well under way.
      onReply: () => {
        if (tally.received !== BURST_BEFORE_TERM) return;
        terminatedAt = performance.now();
        server.kill("SIGTERM");
      },
      onError: (error) => errors.push({ code: error.code, afterTerm: terminatedAt !== undefined }),
    });
    await load;
    const code = await exited;

    console.log(
      `${tally.summary("shutdown under load")}, server accepted ${serverIds.length}, errors ${JSON.stringify(errors.map((e) => e.code))}`,
    );
    expect(code).toBe(0);
    // Every request the gateway accepted got its one response on the client side.
    expect(serverIds.length).toBe(tally.received);
    expect(new Set(serverIds)).toEqual(new Set(tally.requestIds.keys()));
    expect(tally.duplicated).toBe(0);
    expect(Object.keys(tally.byStatus).every((status) => status === "200" || status === "500")).toBe(true);
    // Transport errors only after SIGTERM, and only of connections the gateway never read.
    expect(errors.length).toBe(6);
    for (const error of errors) {
      expect(error.afterTerm).toBe(true);
      expect(NOT_ACCEPTED.has(error.code ?? "")).toBe(true);
    }
  });
});
