import { z } from "zod";
import { LIMITS } from "./limits.ts";

/**
 * The endpoint spec: one description that the local gateway (src/gateway), the local
 * execution environments (src/runtime) and the Pulumi component (src/infra) are all built from.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const ARCHITECTURES = ["arm64", "x86_64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const AUTHORIZATIONS = ["NONE", "AWS_IAM"] as const;

/** Resource path segments: literal, `{name}` or a final `{proxy+}` (API Gateway REST rules). */
const resourcePath = z
  .string()
  .regex(
    /^\/(?:(?:[A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\})(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\}))*(?:\/\{[A-Za-z0-9_]+\+\})?|\{[A-Za-z0-9_]+\+\})?$/,
    "must be a resource path such as /model, /v2/models/{name}/infer or /{proxy+}",
  );

export const routeSchema = z.object({
  method: z.enum(HTTP_METHODS),
  path: resourcePath,
  /** IAM (SigV4) or none; the seed route is public. @default "NONE" */
  authorization: z.enum(AUTHORIZATIONS).default("NONE"),
});
export type Route = z.infer<typeof routeSchema>;

export const functionSchema = z.object({
  /** @default 2048 (just over one vCPU) */
  memoryMb: z
    .number()
    .int()
    .min(
      LIMITS.lambdaMemoryMinMb,
      `memoryMb must be between ${LIMITS.lambdaMemoryMinMb} and ${LIMITS.lambdaMemoryMaxMb} MB`,
    )
    .max(
      LIMITS.lambdaMemoryMaxMb,
      `memoryMb must be between ${LIMITS.lambdaMemoryMinMb} and ${LIMITS.lambdaMemoryMaxMb} MB`,
    )
    .default(2048),
  /**
   * Function timeout. Behind a synchronous REST API the integration gives up at 29 s, so a
   * longer function timeout would only bill for answers nobody receives. @default 15
   */
  timeoutSeconds: z
    .number()
    .positive()
    .max(
      LIMITS.integrationTimeoutMaxMs / 1000,
      `timeoutSeconds must be between 1 and ${LIMITS.integrationTimeoutMaxMs / 1000} s for a synchronous API (integration timeout)`,
    )
    .default(15),
  /** @default "arm64" (cheaper per GB-second) */
  architecture: z
    .enum(ARCHITECTURES, { message: `architecture must be one of ${ARCHITECTURES.join(", ")}` })
    .default("arm64"),
  /** Reserved concurrency: caps the function. Locally it is the number of environments. @default undefined (10 locally) */
  reservedConcurrency: z.number().int().min(0).max(LIMITS.lambdaRegionConcurrency).optional(),
  /** Provisioned concurrency: environments kept initialised. @default 0 */
  provisionedConcurrency: z.number().int().min(0).default(0),
  /** Intra-op threads; default follows the vCPUs of memoryMb. */
  threads: z.number().int().min(1).max(64).optional(),
});

export const throttleSchema = z.object({
  rateLimit: z.number().positive(),
  burstLimit: z.number().int().positive(),
});

export const endpointSpecSchema = z.object({
  /** Name of the API and the function. @default "modelgate" */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, "name must be lowercase letters, digits and dashes (max 40)")
    .default("modelgate"),
  /** @default "prod" */
  stage: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .default("prod"),
  model: z
    .object({
      /** Path of the .onnx file. @default the bundled iris example */
      path: z.string().optional(),
      /** Name reported in responses. @default the file name without extension */
      name: z.string().optional(),
    })
    .default({}),
  function: functionSchema.default(functionSchema.parse({})),
  /** @default [{ method: "POST", path: "/model" }] */
  routes: z
    .array(routeSchema)
    .min(1)
    .default([{ method: "POST", path: "/model", authorization: "NONE" }]),
  /** @default 29000 */
  integrationTimeoutMs: z
    .number()
    .int()
    .min(LIMITS.integrationTimeoutMinMs, "integrationTimeoutMs must be between 50 and 29000 ms")
    .max(LIMITS.integrationTimeoutMaxMs, "integrationTimeoutMs must be between 50 and 29000 ms")
    .default(LIMITS.integrationTimeoutMaxMs),
  /** Content types that API Gateway passes base64-encoded. @default [] */
  binaryMediaTypes: z.array(z.string()).default([]),
  /** Stage-wide method throttling (all methods of all resources). @default none */
  throttling: throttleSchema.optional(),
  /** X-Ray tracing on the stage and the function. @default false */
  tracing: z.boolean().default(false),
  /** JSON access log for the stage. @default true */
  accessLogging: z.boolean().default(true),
  /** CloudWatch retention for function and access logs. @default 14 */
  logRetentionDays: z.number().int().positive().default(14),
});

export type EndpointSpec = z.infer<typeof endpointSpecSchema>;
export type EndpointSpecInput = z.input<typeof endpointSpecSchema>;
