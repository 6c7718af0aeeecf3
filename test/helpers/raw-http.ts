import { connect, type Socket } from "node:net";

/**
 * HTTP/1.1 over a bare TCP socket, for what node:http's client will not send: malformed
 * requests, oversized heads, bodies shorter than their Content-Length, slow clients.
 */

export interface RawReply {
  /** Status of the response read off the socket, or 0 when none came. */
  status: number;
  /** Header names lowercased; the last value of a repeated name wins. */
  headers: Record<string, string>;
  body: string;
  /** Everything received, as latin1 text. */
  raw: string;
  /** How the connection ended on the client side, when it was not a clean close. */
  error?: string;
  /** Whether the server closed the connection (rather than the reply completing on an open one). */
  closedByServer: boolean;
}

export interface RawOptions {
  /** What to do after the last chunk: half-close (FIN), destroy (RST-ish close), or keep open. */
  after?: "end" | "destroy" | "keep";
  /** Delay between chunks, for slow clients. */
  chunkDelayMs?: number;
  /** Give up (and destroy the socket) after this long; a guard, never the expected path. */
  guardMs?: number;
  /** Keep the connection after a complete response and resolve only when the server closes it. */
  untilClose?: boolean;
}

function parse(raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // A second (pipelined) response may follow: the body is what Content-Length says, when it says.
  const length = Number(headers["content-length"] ?? Number.NaN);
  const rest = raw.subarray(end + 4);
  return { status, headers, body: Number.isFinite(length) ? rest.subarray(0, length) : rest };
}

/** A complete response: its head and as many body bytes as its Content-Length says. */
function complete(raw: Buffer): boolean {
  const reply = parse(raw);
  if (!reply) return false;
  const length = Number(reply.headers["content-length"] ?? Number.NaN);
  return Number.isFinite(length) && reply.body.length === length;
}

/**
 * Send `chunks` on a fresh connection to 127.0.0.1:`port` and read one response. Resolves when a
 * complete response has arrived (then closes the socket), or when the connection ends.
 */
export function rawRequest(
  port: number,
  chunks: ReadonlyArray<string | Buffer>,
  options: RawOptions = {},
): Promise<RawReply> {
  const { after = "keep", chunkDelayMs = 0, guardMs = 15_000, untilClose = false } = options;
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let settled = false;
    let closedByServer = false;
    let error: string | undefined;
    const socket: Socket = connect(port, "127.0.0.1");
    const guard = setTimeout(() => {
      error ??= "guard timeout";
      socket.destroy();
    }, guardMs);
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      const raw = Buffer.concat(received);
      const reply = parse(raw);
      resolve({
        status: reply?.status ?? 0,
        headers: reply?.headers ?? {},
        body: reply?.body.toString("utf8") ?? "",
        raw: raw.toString("latin1"),
        closedByServer,
        ...(error ? { error } : {}),
      });
      socket.destroy();
    };
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (!untilClose && complete(Buffer.concat(received))) finish();
    });
    socket.on("end", () => {
      closedByServer = true;
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
    });
    socket.on("close", finish);
    socket.on("connect", async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (socket.destroyed) return;
        if (index > 0 && chunkDelayMs > 0) await new Promise((r) => setTimeout(r, chunkDelayMs));
        if (socket.destroyed) return;
        socket.write(chunk);
      }
      if (after === "end") socket.end();
      else if (after === "destroy") socket.destroy();
    });
  });
}

/** A request head with CRLFs, from its request line and header lines. */
export function head(requestLine: string, headers: ReadonlyArray<string> = []): string {
  return `${[requestLine, ...headers].join("\r\n")}\r\n\r\n`;
}
