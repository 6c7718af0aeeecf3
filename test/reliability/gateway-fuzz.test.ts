import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/gateway/index.ts";
import { parseHandlerRef } from "../../src/runtime/index.ts";
import { parseSpec } from "../../src/spec/index.ts";
import { type HttpReply, request } from "../helpers/http.ts";
import {
  BINARY_JSON,
  bodies,
  contentTypes,
  extraHeaders,
  mutate,
  mutations,
  rawCorpus,
  targets,
  VALID,
} from "../helpers/http-fuzz.ts";
import { head, rawRequest } from "../helpers/raw-http.ts";

/**
 * Whatever a client sends over HTTP, the local endpoint (gateway + execution environments running
 * the iris handler) answers 200 or a 4xx with a JSON `message`, with its request ids; it never
 * crashes, its environments stay up and its memory comes back. Three parts: a fast-check property
 * over well-formed HTTP with bad bodies and heads, a corpus of hand-written byte-level requests
 * (malformed HTTP, oversized heads, truncated bodies, slow clients), and byte mutations of a raw
 * request. A case outside these rules is a crash found by the fuzzer: it becomes a regression test.
 */

/**
 * Every status a case may get. 200: the mutation left a valid request. 400: the handler's named
 * refusal, or malformed HTTP. 403: no resource matches (Missing Authentication Token). 408: a
 * slow or stalled client. 413: payload over 10 MB, or an event over Lambda's 6 MB. 414: URL over
 * 10,240 characters. 415: not JSON. 431: header values over 10,240 bytes. No 5xx is expected:
 * the function has headroom (no throttling) and the handler refuses bad input itself.
 */
const ALLOWED = new Set([200, 400, 403, 408, 413, 414, 415, 431]);
const HANDLER = fileURLToPath(new URL("../../src/lambda/index.ts", import.meta.url));
/** Small slow-client timeouts so stalls end quickly; every legitimate case is sent at once. */
const TIMEOUTS = {
  headersTimeoutMs: 500,
  requestTimeoutMs: 1_500,
  keepAliveTimeoutMs: 500,
  connectionsCheckingIntervalMs: 50,
};
const PARALLEL = 4;

const statuses: Record<string, number> = {};
const failures: Array<{ name: string; status: number; body: string; error?: string }> = [];
let cases = 0;
/** Heap and RSS growth over the run, for the summary. */
let memory = "";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
}

/** Record a case; true when it follows the rules. `clientGone`: the client left before any reply. */
function check(name: string, reply: Reply, clientGone = false): boolean {
  cases++;
  const key = reply.status === 0 ? "none" : String(reply.status);
  statuses[key] = (statuses[key] ?? 0) + 1;
  let ok: boolean;
  if (reply.status === 0) ok = clientGone;
  else {
    let message: unknown;
    try {
      message = (JSON.parse(reply.body) as { message?: unknown }).message;
    } catch {
      message = undefined;
    }
    ok =
      ALLOWED.has(reply.status) &&
      typeof reply.headers["x-amzn-requestid"] === "string" &&
      typeof reply.headers["x-amz-apigw-id"] === "string" &&
      typeof reply.headers["x-amzn-trace-id"] === "string" &&
      (reply.status === 200 || typeof message === "string");
  }
  if (!ok) {
    failures.push({
      name,
      status: reply.status,
      body: reply.body.slice(0, 200),
      ...(reply.error ? { error: reply.error } : {}),
    });
  }
  return ok;
}

const fromHttp = (reply: HttpReply): Reply => ({
  status: reply.status,
  headers: reply.headers,
  body: reply.text,
});

/** Run `tasks` with at most PARALLEL at once. */
async function pooled<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

describe("fuzzing the gateway over HTTP (iris handler)", () => {
  let endpoint: LocalEndpoint;
  let port: number;
  let warmPids: number[];
  let baseline: NodeJS.MemoryUsage;
  let gc: () => void;

  const connections = () =>
    new Promise<number>((resolve, reject) =>
      endpoint.gateway.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  /** No connection open and every environment idle: the run is over as far as the server knows. */
  const quiescent = () =>
    vi.waitFor(
      async () => {
        expect(await connections()).toBe(0);
        expect(endpoint.pool.environments().every((e) => e.state === "idle")).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
  const measure = () => {
    gc();
    gc();
    return process.memoryUsage();
  };

  beforeAll(async () => {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
    endpoint = await startLocalEndpoint({
      spec: parseSpec({
        binaryMediaTypes: [BINARY_JSON],
        function: { reservedConcurrency: PARALLEL + 2, timeoutSeconds: 20 },
      }),
      handler: parseHandlerRef(HANDLER),
      port: 0,
      host: "127.0.0.1",
      timeouts: TIMEOUTS,
    });
    port = endpoint.port;
    // Warm PARALLEL environments at once, so the run measures the steady state, not cold starts.
    const warm = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        request(`${endpoint.url}/model`, {
          method: "POST",
          headers: [["Content-Type", "application/json"]],
          body: VALID,
        }),
      ),
    );
    expect(warm.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
    warmPids = endpoint.pool.environments().map((e) => e.pid!);
    await quiescent();
    baseline = measure();
  });

  afterAll(async () => {
    await endpoint?.close();
  });

  it("answers well-formed HTTP with bad bodies, types and heads with 200 or a JSON 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        targets,
        bodies,
        contentTypes,
        extraHeaders,
        async (target, body, contentType, extra) => {
          const headers: Array<[string, string]> = [...extra];
          if (contentType !== undefined) headers.push(["Content-Type", contentType]);
          // Framed explicitly: node's client sends a DELETE or OPTIONS body with no length at all,
          // and the server rightly reads it as the next request.
          const sendBody = target.method !== "HEAD";
          if (sendBody) headers.push(["Content-Length", String(Buffer.byteLength(body))]);
          const reply = await request(`http://127.0.0.1:${port}${target.path}`, {
            method: target.method,
            headers,
            ...(sendBody ? { body } : {}),
          });
          // HEAD answers carry no body; the status and ids are what can be checked.
          const checked =
            target.method === "HEAD" ? { ...fromHttp(reply), body: '{"message":"head"}' } : fromHttp(reply);
          return check(`${target.method} ${target.path.slice(0, 40)}`, checked);
        },
      ),
      { numRuns: 400, seed: 20261127 },
    );
  });

  it("answers a byte-level corpus: malformed HTTP, oversized heads, truncated bodies, slow clients", async () => {
    const corpus = rawCorpus();

    const replies = await pooled(corpus.map((c) => () => rawRequest(port, c.chunks, c.options)));

    const byName = new Map(corpus.map((c, i) => [c.name, replies[i]!]));
    for (const [i, c] of corpus.entries()) check(c.name, replies[i]!, c.clientGone);
    expect(byName.get("valid")!.status).toBe(200);
    expect(byName.get("header values over 10,240 bytes")!.status).toBe(431);
    expect(byName.get("URL over 10,240 characters")!.status).toBe(414);
    expect(byName.get("head over Node's cap")!.status).toBe(431);
    expect(byName.get("truncated body, client stalls")!.status).toBe(408);
    expect(byName.get("slowloris: a header line every 100 ms")!.status).toBe(408);
    expect(byName.get("silent connection")!.status).toBe(408);
    expect(byName.get("declared over 10 MB")!.status).toBe(413);
  });

  it("answers byte mutations of a raw request (the client half-closes after sending)", async () => {
    const source = Buffer.from(
      head("POST /prod/model HTTP/1.1", [
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        `Content-Length: ${VALID.length}`,
      ]) + VALID,
    );
    const samples = fc.sample(mutations, { numRuns: 150, seed: 424242 });

    const replies = await pooled(
      samples.map((list) => () => rawRequest(port, [mutate(source, list)], { after: "end" })),
    );

    replies.forEach((reply, i) => {
      // A mutation that leaves no request at all (nothing, or only whitespace before the end) is
      // closed without an answer, as by any HTTP server: that is the client having gone.
      const sent = mutate(source, samples[i]!);
      const name = `mutation ${i}: ${JSON.stringify(sent.toString("latin1").slice(0, 160))}`;
      check(name, reply, reply.status === 0 && !/[^\s]/.test(sent.toString("latin1")));
    });
  });

  it("still answers a valid request, with the same environments alive, and memory back near its baseline", async () => {
    await quiescent();
    const reply = await request(`${endpoint.url}/model`, {
      method: "POST",
      headers: [["Content-Type", "application/json"]],
      body: VALID,
    });
    await quiescent();
    const after = measure();

    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.text) as { outputs: { label: number[] } }).outputs.label).toEqual([0, 2]);
    const environments = endpoint.pool.environments();
    // No environment crashed and was replaced: every warm one is still there, and alive.
    expect(environments.map((e) => e.pid)).toEqual(expect.arrayContaining(warmPids));
    for (const { pid } of environments) expect(() => process.kill(pid!, 0)).not.toThrow();
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    memory = `heapUsed ${mb(after.heapUsed - baseline.heapUsed)}, rss ${mb(after.rss - baseline.rss)} over the run`;
    // Generous bounds: the run sends tens of MB in all; a leak of every body would show.
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(after.rss - baseline.rss).toBeLessThan(256 * 1024 * 1024);
  });
});

afterAll(() => {
  const crashes = failures.length;
  console.log(`gateway fuzz: ${cases} cases, statuses ${JSON.stringify(statuses)}, ${crashes} crashes`);
  if (memory) console.log(`gateway fuzz memory: ${memory}`);
  if (crashes > 0) console.log(JSON.stringify(failures.slice(0, 20), null, 2));
  expect(failures).toEqual([]);
});
