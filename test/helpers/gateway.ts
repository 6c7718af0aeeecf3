import { Gateway, type Invoker } from "../../src/gateway/index.ts";
import { createMemoryLogger, type InvokeOutcome, type LogRecord } from "../../src/runtime/index.ts";
import { type EndpointSpecInput, parseSpec } from "../../src/spec/index.ts";

/** A gateway on a free 127.0.0.1 port in front of a test double of the function. */
export interface FakeGateway {
  base: string;
  /** Every event the gateway sent, parsed. */
  events: Array<Record<string, unknown>>;
  records: LogRecord[];
  gateway: Gateway;
  close(): Promise<void>;
}

export type Behaviour = (event: Record<string, unknown>) => InvokeOutcome | Promise<InvokeOutcome>;

/** Echo the event back (200, JSON body) unless the test swaps `behaviour`. */
export const echo: Behaviour = (event) => ({
  status: "ok",
  result: { statusCode: 200, body: JSON.stringify(event) },
  bytes: 100,
});

export async function startFakeGateway(
  spec: EndpointSpecInput,
  behaviour: { current: Behaviour },
): Promise<FakeGateway> {
  const logger = createMemoryLogger("info");
  const events: Array<Record<string, unknown>> = [];
  const invoker: Invoker = {
    async invoke(eventJson) {
      const event = JSON.parse(eventJson) as Record<string, unknown>;
      events.push(event);
      return behaviour.current(event);
    },
  };
  const gateway = new Gateway({ spec: parseSpec(spec), invoker, logger });
  const address = await gateway.listen(0, "127.0.0.1");
  const stage = parseSpec(spec).stage;
  return {
    base: `http://127.0.0.1:${address.port}/${stage}`,
    events,
    records: logger.records,
    gateway,
    close: () => gateway.close(),
  };
}
