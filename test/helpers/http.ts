import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

/** A plain HTTP/1.1 exchange with 127.0.0.1 (header casing kept, no connection reuse). */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export interface HttpRequest {
  method?: string;
  /** Header name/value pairs, sent with this exact casing and order. */
  headers?: Array<[string, string]>;
  body?: string | Buffer;
}

export function request(url: string, options: HttpRequest = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const flat: string[] = [];
    // With headers as a raw list, node sends no Host of its own.
    if (!options.headers?.some(([name]) => name.toLowerCase() === "host"))
      flat.push("Host", new URL(url).host);
    for (const [name, value] of options.headers ?? []) flat.push(name, value);
    const req = httpRequest(url, { method: options.method ?? "GET", headers: flat, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          text: body.toString("utf8"),
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Parse a JSON reply body. */
export function json<T = Record<string, unknown>>(reply: HttpReply): T {
  return JSON.parse(reply.text) as T;
}
