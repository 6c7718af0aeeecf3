import type { APIGatewayProxyEvent } from "aws-lambda";
import { mulberry32 } from "../../scripts/random.ts";
import type { ModelInfo, TensorInfo } from "../../src/inference/model.ts";

/**
 * Requests for any model, read off its declared inputs: the first dynamic dimension is the
 * batch, other dynamic dimensions are 1. Values are seeded so every run sends the same bytes.
 */

export interface SyntheticInput {
  name: string;
  dtype: TensorInfo["dtype"];
  dims: number[];
  /** Flat values as JSON numbers, booleans or strings. */
  values: Array<number | boolean | string>;
}

export function inputDims(input: TensorInfo, batch: number): number[] {
  let batchUsed = false;
  return input.shape.map((dim) => {
    if (typeof dim === "number" && dim > 0) return dim;
    if (!batchUsed) {
      batchUsed = true;
      return batch;
    }
    return 1;
  });
}

function syntheticValue(dtype: TensorInfo["dtype"], random: () => number): number | boolean | string {
  switch (dtype) {
    case "float32":
    case "float64":
    case "float16":
      // Four decimals: about the length of real feature values in JSON.
      return Math.round(random() * 10_000) / 1000;
    case "bool":
      return random() < 0.5;
    case "string":
      return `token${Math.floor(random() * 100)}`;
    default:
      return Math.floor(random() * 10);
  }
}

export function syntheticInputs(info: ModelInfo, batch: number, seed = 7): SyntheticInput[] {
  const random = mulberry32(seed);
  return info.inputs.map((input) => {
    const dims = inputDims(input, batch);
    const size = dims.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, () => syntheticValue(input.dtype, random));
    return { name: input.name, dtype: input.dtype, dims, values };
  });
}

/** Flat values -> nested arrays following `dims`. */
export function nest(values: readonly unknown[], dims: readonly number[]): unknown {
  let offset = 0;
  const build = (depth: number): unknown => {
    if (depth === dims.length) return values[offset++];
    return Array.from({ length: dims[depth]! }, () => build(depth + 1));
  };
  return build(0);
}

/** The `POST /model` body: `{"inputs": {"<name>": <nested array>, ...}}`. */
export function requestBody(inputs: readonly SyntheticInput[]): string {
  const named: Record<string, unknown> = {};
  for (const input of inputs) named[input.name] = nest(input.values, input.dims);
  return JSON.stringify({ inputs: named });
}

/** A REST API (v1) proxy event for `POST /model`, as API Gateway sends it. */
export function predictEvent(body: string, stage = "prod"): APIGatewayProxyEvent {
  const headers = { "Content-Type": "application/json", Host: "127.0.0.1", "User-Agent": "modelgate-bench" };
  return {
    resource: "/model",
    path: "/model",
    httpMethod: "POST",
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "bench",
      authorizer: undefined,
      domainName: "127.0.0.1",
      domainPrefix: "bench",
      extendedRequestId: "bench",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "127.0.0.1",
        user: null,
        userAgent: "modelgate-bench",
        userArn: null,
      },
      path: `/${stage}/model`,
      protocol: "HTTP/1.1",
      requestId: "00000000-0000-4000-8000-000000000000",
      requestTime: "01/Nov/2026:00:00:00 +0000",
      requestTimeEpoch: 1_793_491_200_000,
      resourceId: "bench",
      resourcePath: "/model",
      stage,
    },
    body,
    isBase64Encoded: false,
  };
}
