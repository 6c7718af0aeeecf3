import { readFileSync } from "node:fs";
import type { APIGatewayProxyEvent } from "aws-lambda";

const EVENTS_DIR = new URL("../fixtures/events/", import.meta.url);

/** A captured REST API (v1) proxy event from test/fixtures/events, with optional overrides. */
export function loadEvent(name: string, overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const event = JSON.parse(readFileSync(new URL(`${name}.json`, EVENTS_DIR), "utf8")) as APIGatewayProxyEvent;
  return { ...event, ...overrides };
}

/** A proxy event for POST /model carrying `body` as JSON. */
export function predictEvent(
  body: unknown,
  overrides: Partial<APIGatewayProxyEvent> = {},
): APIGatewayProxyEvent {
  return loadEvent("predict-single", { body: JSON.stringify(body), ...overrides });
}
