import fc from "fast-check";
import { NODE_MAX_HEADER_SIZE } from "../../src/gateway/index.ts";
import { head, type RawOptions } from "./raw-http.ts";

/**
 * What the gateway fuzz run (test/reliability/gateway-fuzz.test.ts) sends: fast-check
 * arbitraries for bodies, content types, targets and headers, byte mutations, and a corpus of
 * hand-written raw requests.
 */

export const VALID = '{"inputs": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}';
/** A binary media type: bodies sent with it reach the handler base64-encoded. */
export const BINARY_JSON = "application/vnd.modelgate+json";

/** Byte mutations: flips, deletions, insertions, truncation. */
export const mutations = fc.array(
  fc.record({
    kind: fc.constantFrom("flip", "delete", "insert", "truncate"),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  { minLength: 1, maxLength: 6 },
);

export function mutate(
  source: Buffer,
  list: ReadonlyArray<{ kind: string; at: number; byte: number }>,
): Buffer {
  let bytes = source;
  for (const { kind, at, byte } of list) {
    const i = at % Math.max(1, bytes.length);
    if (kind === "flip") {
      bytes = Buffer.from(bytes);
      bytes[i] = byte;
    } else if (kind === "delete") bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    else if (kind === "insert")
      bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    else bytes = bytes.subarray(0, i);
  }
  return bytes;
}

/** Values shaped like tensors but wrong in every way: ragged, deep, huge, odd types. */
export const tensorish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.double(),
    fc.integer(),
    fc.bigInt().map(String),
    fc.constantFrom("NaN", "Infinity", "-Infinity", "1e400", "", null, true, {}),
    fc.string(),
    fc.array(tie("value"), { maxLength: 6 }),
  ),
})).value;

/** Bodies as text or bytes: JSON garbage, mutations of a valid body, and named nasties. */
export const bodies: fc.Arbitrary<string | Buffer> = fc.oneof(
  tensorish.map((inputs) => JSON.stringify({ inputs })),
  tensorish.map((instances) => JSON.stringify({ instances })),
  fc
    .dictionary(fc.constantFrom("features", "x", "other"), tensorish)
    .map((inputs) => JSON.stringify({ inputs })),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  mutations.map((list) => mutate(Buffer.from(VALID), list)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom<string | Buffer>(
    "",
    '{"inputs": [[1e400, 1, 1, 1]]}',
    '{"inputs": [[1e308, -1e308, 5e-324, 0]]}',
    `{"inputs": [[${"9".repeat(5_000)}, 1, 1, 1]]}`,
    '{"inputs": [["NaN", "Infinity", "-Infinity", "1"]]}',
    '{"inputs": [[true, false, null, {}]]}',
    '{"inputs": [[5.1, 3.5, 1.4], [6.7, 3.0, 5.2, 2.3]]}',
    '{"inputs": [[[5.1, 3.5, 1.4, 0.2]]]}',
    '{"inputs": [[5.1, 3.5, 1.4, 0.2]], "inputs": "duplicate"}',
    '{"inputs": "x", "inputs": [[5.1, 3.5, 1.4, 0.2]]}',
    '{"inputs": {"features": [[5.1, 3.5, 1.4, 0.2]], "features": 7}}',
    '{"inputs": [{"name": "features", "shape": [4294967296, 4294967296], "datatype": "FP32", "data": [1]}]}',
    '{"inputs": {"features": {"shape": [1e12, 4], "data": []}}}',
    `{"inputs": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
    `${"{".repeat(20_000)}`,
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x28, 0x7d]),
    Buffer.from('{"inputs": [[5.1, 3.5, 1.4, 0.2]]}\u0000', "utf8"),
    "!!not base64!!",
    "====",
    Buffer.from(VALID).toString("base64"),
    JSON.stringify({ inputs: Array.from({ length: 20_000 }, () => [5.1, 3.5, 1.4, 0.2]) }),
  ),
);

/** Content types: JSON, the binary media type (base64 events), others, none. */
export const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  BINARY_JSON,
  "application/octet-stream",
  "text/plain",
  "",
  undefined,
);

/** Mostly the model route; sometimes another path, method or a query. */
export const targets = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ method: "POST", path: "/prod/model" }) },
  fc.record({
    method: fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST"),
    path: fc.constantFrom(
      "/prod/model",
      "/prod/model/",
      "/prod",
      "/",
      "/dev/model",
      "/prod/%zz",
      "/prod/model/x",
    ),
  }),
  fc
    .webQueryParameters()
    .map((query) => ({ method: "POST", path: `/prod/model${query ? `?${query}` : ""}` })),
);

/** Extra headers: random (valid) names and values, Accept variants, oversized values. */
export const extraHeaders = fc.array(
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
        fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((value) => value.trim()),
      ),
    },
    {
      weight: 4,
      arbitrary: fc.constantFrom<[string, string]>(
        ["Accept", BINARY_JSON],
        ["Accept", "*/*"],
        ["X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"],
        ["X-Amzn-Trace-Id", "garbage"],
        ["X-Forwarded-For", "1.2.3.4, 5.6.7.8"],
        ["Expect", "100-continue"],
        ["Upgrade", "websocket"],
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 10_000, max: 15_000 })
        .map((n): [string, string] => ["X-Big", "b".repeat(n)]),
    },
  ),
  { maxLength: 4 },
);

/** Raw requests, named, each with how the client behaves and whether it may leave unanswered. */
export interface RawCase {
  name: string;
  chunks: Array<string | Buffer>;
  options?: RawOptions;
  clientGone?: boolean;
}

export function rawCorpus(): RawCase[] {
  const json = (body: string | Buffer, extra: string[] = [], target = "/prod/model") => [
    head(`POST ${target} HTTP/1.1`, [
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...extra,
    ]),
    body,
  ];
  const big = (n: number) => `X-Big: ${"x".repeat(n)}`;
  return [
    { name: "valid", chunks: json(VALID) },
    { name: "header values over 10,240 bytes", chunks: json(VALID, [big(10_300)]) },
    {
      name: "header values over 10,240 bytes, many headers",
      chunks: json(
        VALID,
        Array.from({ length: 200 }, (_, i) => `X-H${i}: ${"v".repeat(60)}`),
      ),
    },
    { name: "head over Node's cap", chunks: json(VALID, [big(NODE_MAX_HEADER_SIZE + 10)]) },
    { name: "URL over 10,240 characters", chunks: json(VALID, [], `/prod/model?q=${"a".repeat(10_300)}`) },
    { name: "path over 10,240 characters", chunks: json(VALID, [], `/prod/${"p".repeat(10_300)}`) },
    {
      name: "URL and headers over",
      chunks: json(VALID, [big(11_000)], `/prod/model?q=${"a".repeat(11_000)}`),
    },
    { name: "invalid UTF-8 body", chunks: json(Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x7d])) },
    { name: "invalid UTF-8 in a header value", chunks: json(VALID, ["X-Bytes: \u00ff\u00fe"]) },
    {
      name: "NUL in the URL",
      chunks: ["POST /prod/mo\u0000del HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"],
    },
    {
      name: "space in the URL",
      chunks: ["POST /prod/mo del HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"],
    },
    {
      name: "garbage request line",
      chunks: ["\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"],
    },
    {
      name: "TLS client hello",
      chunks: [Buffer.from("1603010200010001fc0303", "hex")],
      options: { after: "end" },
    },
    { name: "unknown method", chunks: ["BREW /prod/model HTTP/1.1\r\nHost: h\r\n\r\n"] },
    { name: "lowercase method", chunks: ["post /prod/model HTTP/1.1\r\nHost: h\r\n\r\n"] },
    {
      name: "HTTP/1.0",
      chunks: [`POST /prod/model HTTP/1.0\r\nContent-Length: ${VALID.length}\r\n\r\n${VALID}`],
    },
    { name: "HTTP/2.0 version", chunks: ["POST /prod/model HTTP/2.0\r\nHost: h\r\n\r\n"] },
    { name: "HTTP/2 preface", chunks: ["PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"], options: { after: "end" } },
    { name: "absolute-form URL", chunks: json(VALID, [], "http://127.0.0.1/prod/model") },
    { name: "OPTIONS *", chunks: ["OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"] },
    { name: "CONNECT", chunks: ["CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"] },
    {
      name: "no Host",
      chunks: [`POST /prod/model HTTP/1.1\r\nContent-Length: ${VALID.length}\r\n\r\n${VALID}`],
    },
    { name: "header without a colon", chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nBroken\r\n\r\n"] },
    { name: "invalid header name", chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n"] },
    {
      name: "obsolete line folding",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nX-Fold: a\r\n b\r\n\r\n"],
    },
    {
      name: "bare LF line endings",
      chunks: [`POST /prod/model HTTP/1.1\nHost: h\nContent-Length: ${VALID.length}\n\n${VALID}`],
    },
    {
      name: "non-numeric Content-Length",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Length: ten\r\n\r\n"],
    },
    {
      name: "negative Content-Length",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n"],
    },
    {
      name: "two different Content-Lengths",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"],
    },
    {
      name: "Content-Length and chunked",
      chunks: [
        "POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      ],
    },
    {
      name: "invalid chunk size",
      chunks: [
        "POST /prod/model HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      ],
    },
    {
      name: "unknown transfer coding",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n{}"],
      options: { after: "end" },
    },
    {
      name: "chunk extensions over Node's cap",
      chunks: [
        `POST /prod/model HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;${"e".repeat(20_000)}\r\n{}\r\n0\r\n\r\n`,
      ],
    },
    {
      name: "valid chunked body",
      chunks: [
        `POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${VALID.length.toString(16)}\r\n${VALID}\r\n0\r\n\r\n`,
      ],
    },
    {
      name: "chunked, then stalls",
      chunks: ['POST /prod/model HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"inp'],
    },
    {
      name: "declared over 10 MB",
      chunks: [
        head("POST /prod/model HTTP/1.1", ["Host: h", `Content-Length: ${10 * 1024 * 1024 + 1}`]),
        "{",
      ],
    },
    { name: "event over Lambda's 6 MB", chunks: json(`{"inputs": "${"a".repeat(7 * 1024 * 1024)}"}`) },
    {
      name: "binary media type over 6 MB once base64",
      chunks: [
        head("POST /prod/model HTTP/1.1", [
          "Host: h",
          `Content-Type: ${BINARY_JSON}`,
          `Content-Length: ${5 * 1024 * 1024}`,
        ]),
        Buffer.alloc(5 * 1024 * 1024, 0x20),
      ],
    },
    {
      name: "binary media type, invalid UTF-8",
      chunks: [
        head("POST /prod/model HTTP/1.1", ["Host: h", `Content-Type: ${BINARY_JSON}`, "Content-Length: 4"]),
        Buffer.from([0xff, 0xfe, 0xfd, 0xfc]),
      ],
    },
    {
      name: "binary media type, valid",
      chunks: [
        head("POST /prod/model HTTP/1.1", [
          "Host: h",
          `Content-Type: ${BINARY_JSON}`,
          `Content-Length: ${VALID.length}`,
        ]),
        VALID,
      ],
    },
    {
      name: "truncated body, client half-closes",
      chunks: json(VALID).map((c, i) => (i === 1 ? c.slice(0, 10) : c)),
      options: { after: "end" },
    },
    {
      name: "truncated body, client drops",
      chunks: json(VALID).map((c, i) => (i === 1 ? c.slice(0, 10) : c)),
      options: { after: "destroy" },
      clientGone: true,
    },
    {
      name: "truncated body, client stalls",
      chunks: json(VALID).map((c, i) => (i === 1 ? c.slice(0, 10) : c)),
    },
    {
      name: "truncated head, client half-closes",
      chunks: ["POST /prod/model HTTP/1.1\r\nHost: h\r\nContent-Le"],
      options: { after: "end" },
    },
    {
      name: "slowloris: a header line every 100 ms",
      chunks: [
        "POST /prod/model HTTP/1.1\r\n",
        ...Array.from({ length: 30 }, (_, i) => `X-Slow-${i}: 1\r\n`),
      ],
      options: { chunkDelayMs: 100 },
    },
    {
      name: "slowloris: a body byte every 100 ms",
      chunks: [
        head("POST /prod/model HTTP/1.1", ["Host: h", "Content-Length: 40"]),
        ...Array.from({ length: 40 }, () => " "),
      ],
      options: { chunkDelayMs: 100 },
    },
    { name: "silent connection", chunks: [] },
    { name: "pipelined: valid, then garbage", chunks: [`${json(VALID).join("")}GARBAGE\r\n\r\n`] },
    { name: "pipelined: two valid requests", chunks: [json(VALID).join("").repeat(2)] },
  ];
}
