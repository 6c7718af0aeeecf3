import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { InvokeOutcome, Logger } from "../runtime/index.ts";
import { type EndpointSpec, LIMITS } from "../spec/index.ts";
import { type AccessRecord, logAccess } from "./access-log.ts";
import { type ApiIdentity, buildEvent, clfTime } from "./event.ts";
import { GATEWAY_RESPONSES, type GatewayResponse, type GatewayResponseType } from "./gateway-responses.ts";
import { deploymentId, type RequestIds, requestIds, stableId } from "./ids.ts";
import {
  type ConnectionTimeouts,
  connectionTimeouts,
  headLimitBroken,
  NODE_MAX_HEADER_SIZE,
} from "./limits.ts";
import { rawClientErrorType, writeRawResponse } from "./raw-response.ts";
import { translateProxyResult } from "./response.ts";
import { Router } from "./router.ts";
import { throttleChain } from "./throttle.ts";

/** Past the integration timeout, how long a shutdown waits before closing what is left. */
export const SHUTDOWN_GRACE_MS = 1_000;
/**
 * The API Gateway REST API on node:http: URL, header and payload limits, slow-client timeouts,
 * stage prefix and resource matching, the proxy event, the integration timeout, proxy-response validation and gateway responses,
 * request ids on every response, one access-log record per request, and a graceful close.
 */

/** Invokes the function behind the API (the runtime's `FunctionPool`, or a test double). */
export interface Invoker {
  invoke(eventJson: string): Promise<InvokeOutcome>;
}

export type GatewaySpec = Pick<
  EndpointSpec,
  "name" | "stage" | "routes" | "integrationTimeoutMs" | "binaryMediaTypes"
> &
  Partial<Pick<EndpointSpec, "throttling">>;

export interface GatewayOptions {
  spec: GatewaySpec;
  invoker: Invoker;
  logger: Logger;
  /** Slow-client timeouts of the HTTP server. @default DEFAULT_CONNECTION_TIMEOUTS */
  timeouts?: Partial<ConnectionTimeouts>;
}

/** Lambda's invoke status as API Gateway logs it as `integrationStatus`. */
const INVOKE_STATUS = { ok: 200, "function-error": 200, throttled: 429, "request-too-large": 413 } as const;

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  ids: RequestIds;
  receivedAt: number;
  started: number;
  access: AccessRecord;
  /** A response went out (or the `clientError` handler answered for this request). */
  answered: boolean;
}

export class Gateway {
  readonly server: Server;
  readonly router: Router;
  readonly #options: GatewayOptions;
  readonly #api: ApiIdentity;
  readonly #inFlight = new Set<Promise<void>>();
  /** The last request on each connection, for `clientError` to know which request it concerns. */
  readonly #exchanges = new WeakMap<Socket, Exchange>();
  #closing = false;
  /** Stage and account throttling (token buckets); false means answer 429. */
  readonly #admit: () => boolean;

  constructor(options: GatewayOptions) {
    this.#options = options;
    const { spec } = options;
    this.router = new Router(spec.stage, spec.routes);
    this.#admit = throttleChain(spec.throttling);
    const resourceIds = new Map(
      this.router.resources().map(({ resource }) => [resource, stableId(resource, 6)]),
    );
    this.#api = {
      apiId: stableId(`api:${spec.name}`, 10),
      stage: spec.stage,
      deploymentId: deploymentId(),
      resourceIds,
      binaryMediaTypes: spec.binaryMediaTypes,
    };
    const timeouts = connectionTimeouts(options.timeouts);
    this.server = createServer(
      {
        maxHeaderSize: NODE_MAX_HEADER_SIZE,
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
        // Node answers a missing Host with a bare 400 of its own; the gateway answers it (with ids).
        requireHostHeader: false,
      },
      (req, res) => {
        const handled = this.#handle(req, res).catch((error: unknown) => {
          const exchange = this.#exchanges.get(req.socket);
          if (req.complete && !req.socket.destroyed && exchange?.req === req && !exchange.answered) {
            // A fault of the gateway itself, not of the client: still one answer, API Gateway's
            // generic 500; the cause goes to the log only.
            this.#options.logger.error("gateway error", {
              source: "gateway",
              requestId: exchange.ids.requestId,
              error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            });
            exchange.access.errorMessage = "Internal gateway error";
            return this.#gatewayResponse(exchange, "INTERNAL_ERROR");
          }
          // A client that went away mid-request (or timed out, answered by `clientError`): no
          // invocation was made, since the body never ended; the process never dies of a request.
          this.#options.logger.debug("request abandoned", { source: "gateway", error: String(error) });
          if (!res.headersSent) res.destroy();
        });
        this.#inFlight.add(handled);
        void handled.finally(() => this.#inFlight.delete(handled));
      },
    );
    this.server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
    // A client that half-closes after its request still gets the response, then the connection
    // ends; by default Node ends the socket at the client's FIN and the response is lost.
    // (`httpAllowHalfOpen` is the http.Server field behind that choice; not in @types/node.)
    (this.server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    // Malformed HTTP, a head over Node's cap, a slow client: a JSON gateway response with ids.
    this.server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
      this.#clientError(error, socket),
    );
    // CONNECT never reaches the request handler; no resource matches it, as for any other method.
    this.server.on("connect", (req: IncomingMessage, socket: Socket) => {
      const ids = requestIds(undefined);
      const access = this.#accessRecord(ids, socket, req);
      access.errorMessage = "MISSING_AUTHENTICATION_TOKEN";
      this.#rawResponse(socket, "MISSING_AUTHENTICATION_TOKEN", ids, access);
    });
  }

  get apiId(): string {
    return this.#api.apiId;
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /** Stop accepting connections and wait for in-flight requests to be answered. */
  async close(): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    // Every answered request is done within the integration timeout; what is still open after
    // it (a client stalled mid-upload) is not a request worth holding the shutdown for.
    let drainTimer: NodeJS.Timeout | undefined;
    const drainLimit = new Promise<"stalled">((resolve) => {
      drainTimer = setTimeout(
        () => resolve("stalled"),
        this.#options.spec.integrationTimeoutMs + SHUTDOWN_GRACE_MS,
      );
    });
    const drained = await Promise.race([Promise.allSettled([...this.#inFlight]), drainLimit]);
    clearTimeout(drainTimer);
    this.server.closeIdleConnections();
    // Only then cut what is left; otherwise answered responses finish flushing on their own.
    if (drained === "stalled") this.server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const started = performance.now();
    const traceHeader = req.headers["x-amzn-trace-id"];
    const ids = requestIds(typeof traceHeader === "string" ? traceHeader : undefined);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q + 1) : "";
    const method = req.method ?? "GET";
    const ip = normalizeIp(req.socket.remoteAddress);
    const access = this.#accessRecord(ids, req.socket, req, receivedAt);
    const exchange: Exchange = { req, res, ids, receivedAt, started, access, answered: false };
    this.#exchanges.set(req.socket, exchange);

    // API Gateway's front door refuses an oversized head before any routing; the body is unread.
    const broken = headLimitBroken(url, req.rawHeaders);
    if (broken) return this.#gatewayResponse(exchange, broken, true);
    // HTTP/1.1 requires Host (RFC 9112 section 3.2); without it API Gateway could not find the API.
    if (req.headers.host === undefined && req.httpVersionMinor >= 1 && req.httpVersionMajor === 1) {
      access.errorMessage = "BAD_REQUEST (no Host header)";
      return this.#gatewayResponse(exchange, "BAD_REQUEST", true);
    }
    const matched = this.router.match(method, rawPath);
    if (!matched.ok) {
      req.resume();
      return this.#gatewayResponse(exchange, "MISSING_AUTHENTICATION_TOKEN");
    }
    access.resourcePath = matched.match.resource;
    if (!this.#admit()) {
      req.resume();
      access.errorMessage = "Too Many Requests (stage or account throttle)";
      return this.#gatewayResponse(exchange, "THROTTLED");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > LIMITS.gatewayPayloadBytes)
      return this.#gatewayResponse(exchange, "REQUEST_TOO_LARGE", true);
    const body = await readBody(req, LIMITS.gatewayPayloadBytes);
    if (body === undefined) return this.#gatewayResponse(exchange, "REQUEST_TOO_LARGE", true);

    const event = buildEvent(
      {
        method,
        rawPath,
        rawQuery,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: ip,
        localPort: req.socket.localPort ?? 0,
        match: matched.match,
        ids,
        receivedAt,
      },
      this.#api,
    );
    const invokeStarted = performance.now();
    const outcome = await this.#invokeWithTimeout(JSON.stringify(event));
    access.integrationLatency = Math.round(performance.now() - invokeStarted);
    if (outcome === "timeout") {
      access.errorMessage = "Execution failed due to a timeout error";
      return this.#gatewayResponse(exchange, "INTEGRATION_TIMEOUT");
    }
    access.integrationStatus = INVOKE_STATUS[outcome.status];
    switch (outcome.status) {
      case "throttled":
        access.errorMessage = "Lambda invocation throttled (TooManyRequestsException)";
        return this.#gatewayResponse(exchange, "FUNCTION_THROTTLED");
      case "request-too-large":
        access.errorMessage = "Lambda request payload over 6 MB (RequestTooLargeException)";
        return this.#gatewayResponse(exchange, "INTEGRATION_REQUEST_TOO_LARGE");
      case "function-error":
        access.errorMessage = `Lambda function error: ${outcome.errorType}`;
        return this.#gatewayResponse(exchange, "INTEGRATION_FAILURE");
    }
    const accept = req.headers.accept;
    const translated = translateProxyResult(
      outcome.result,
      outcome.bytes,
      accept,
      this.#api.binaryMediaTypes,
    );
    if (!translated.ok) {
      access.errorMessage = `Malformed Lambda proxy response: ${translated.reason}`;
      this.#options.logger.warn(access.errorMessage, { source: "gateway", requestId: ids.requestId });
      return this.#gatewayResponse(exchange, "INTEGRATION_FAILURE");
    }
    const { statusCode, headers, body: responseBody } = translated.response;
    this.#send(exchange, statusCode, headers, responseBody);
  }

  #invokeWithTimeout(eventJson: string): Promise<InvokeOutcome | "timeout"> {
    const timeoutMs = this.#options.spec.integrationTimeoutMs;
    return new Promise((resolve) => {
      // The invocation goes on in its environment after the gateway gives up, as on AWS.
      const timer = setTimeout(() => resolve("timeout"), timeoutMs);
      this.#options.invoker.invoke(eventJson).then(
        (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.#options.logger.error("invoke failed", { source: "gateway", error: String(error) });
          resolve({ status: "function-error", errorType: "Runtime.Unknown", errorMessage: String(error) });
        },
      );
    });
  }

  #gatewayResponse(exchange: Exchange, type: GatewayResponseType, closeConnection = false): void {
    const response: GatewayResponse = GATEWAY_RESPONSES[type];
    exchange.access.errorMessage ??= type;
    const headers: Array<[string, string]> = [["Content-Type", "application/json"]];
    if (response.errorType) headers.push(["x-amzn-ErrorType", response.errorType]);
    // An unread oversized body: answer, then close rather than read megabytes to keep the socket.
    if (closeConnection) headers.push(["Connection", "close"]);
    this.#send(exchange, response.statusCode, headers, response.body);
  }

  #send(
    exchange: Exchange,
    statusCode: number,
    headers: Array<[string, string]>,
    body: Buffer | string,
  ): void {
    const { res, ids, access } = exchange;
    if (exchange.answered) return;
    exchange.answered = true;
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    flat.push(
      "x-amzn-RequestId",
      ids.requestId,
      "x-amz-apigw-id",
      ids.extendedRequestId,
      "X-Amzn-Trace-Id",
      ids.traceId,
      "Content-Length",
      String(length),
    );
    if (this.#closing) flat.push("Connection", "close");
    res.writeHead(statusCode, flat);
    res.end(body);
    access.status = statusCode;
    access.responseLength = length;
    access.responseLatency = Math.round(performance.now() - exchange.started);
    logAccess(this.#options.logger, access);
  }

  #accessRecord(
    ids: RequestIds,
    socket: Socket,
    req?: IncomingMessage,
    receivedAt = Date.now(),
  ): AccessRecord {
    const url = req?.url;
    const q = url?.indexOf("?") ?? -1;
    return {
      requestId: ids.requestId,
      extendedRequestId: ids.extendedRequestId,
      ip: normalizeIp(socket.remoteAddress),
      requestTime: clfTime(receivedAt),
      httpMethod: req?.method ?? "-",
      resourcePath: "-",
      path: url === undefined ? "-" : q >= 0 ? url.slice(0, q) : url,
      status: 0,
      protocol: req ? `HTTP/${req.httpVersion}` : "-",
      responseLength: 0,
      responseLatency: 0,
      integrationLatency: "-",
      integrationStatus: "-",
    };
  }

  /**
   * Node could not read a request off the socket: malformed HTTP, a head over Node's cap, or a
   * client that did not send its headers or body in time. Answered on the socket itself, with the
   * ids and the access record of the request concerned when there is one, then closed.
   */
  #clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const type = rawClientErrorType(error.code);
    const last = this.#exchanges.get(socket);
    // The error concerns the last request while its body is still arriving; once that request is
    // complete, it concerns the next message on the connection (a new request, with new ids).
    const exchange = last && !last.req.complete ? last : undefined;
    if (type !== undefined && last && !exchange && !last.answered) {
      // A pipelined message broke while the request before it is being served: answer in order.
      last.res.once("finish", () => this.#clientError(error, socket));
      return;
    }
    if (type === undefined || !socket.writable || exchange?.answered) {
      // The client is gone, or this request was answered already (an early refusal whose body
      // then broke off): a second response would be a stray one.
      socket.destroy();
      return;
    }
    const ids = exchange?.ids ?? requestIds(undefined);
    const access = exchange?.access ?? this.#accessRecord(ids, socket);
    if (exchange) exchange.answered = true;
    access.errorMessage = `${type} (${error.code ?? error.message})`;
    this.#rawResponse(socket, type, ids, access, exchange?.started);
  }

  #rawResponse(
    socket: Socket,
    type: GatewayResponseType,
    ids: RequestIds,
    access: AccessRecord,
    started = performance.now(),
  ): void {
    const length = writeRawResponse(socket, GATEWAY_RESPONSES[type], ids);
    access.status = GATEWAY_RESPONSES[type].statusCode;
    access.responseLength = length;
    access.responseLatency = Math.round(performance.now() - started);
    logAccess(this.#options.logger, access);
  }
}

function normalizeIp(address: string | undefined): string {
  if (!address) return "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** The request body, or `undefined` when it grows past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("client closed the connection before the body ended"));
    });
  });
}
