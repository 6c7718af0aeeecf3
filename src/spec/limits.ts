/**
 * AWS limits that both the local emulator and the Pulumi component obey.
 * Each value cites where it comes from (see ../shared/AWS-REFERENCE.md).
 */
export const LIMITS = {
  /** API Gateway REST payload limit: 10 MB (API Gateway quotas). */
  gatewayPayloadBytes: 10 * 1024 * 1024,
  /** API Gateway: total size of all header values, 10,240 bytes. */
  gatewayHeaderBytes: 10_240,
  /** API Gateway integration timeout: 50 ms minimum, 29 s default and maximum for REST APIs. */
  integrationTimeoutMinMs: 50,
  integrationTimeoutMaxMs: 29_000,
  /** Lambda synchronous invocation payload, request and response: 6 MB (Lambda quotas). */
  lambdaPayloadBytes: 6 * 1024 * 1024,
  /** Lambda memory: 128 MB to 10,240 MB; one full vCPU at 1,769 MB, up to 6 vCPUs. */
  lambdaMemoryMinMb: 128,
  lambdaMemoryMaxMb: 10_240,
  lambdaMbPerVcpu: 1_769,
  lambdaMaxVcpus: 6,
  /** Lambda function timeout: up to 900 s. */
  lambdaTimeoutMaxSeconds: 900,
  /** Lambda package: 50 MB zipped direct upload, 250 MB unzipped. */
  lambdaZipBytes: 50 * 1024 * 1024,
  lambdaUnzippedBytes: 250 * 1024 * 1024,
  /** Lambda init phase limit for on-demand functions: 10 s. */
  lambdaInitTimeoutMs: 10_000,
  /** Lambda default Regional concurrency. */
  lambdaRegionConcurrency: 1_000,
} as const;

/**
 * vCPUs an environment sees for a memory size: CPU share grows with memory, one full vCPU per
 * 1,769 MB, so 1,770-3,538 MB shows 2 cores, and so on up to 6 at 10,240 MB.
 */
export function vcpusForMemory(memoryMb: number): number {
  return Math.min(LIMITS.lambdaMaxVcpus, Math.max(1, Math.ceil(memoryMb / LIMITS.lambdaMbPerVcpu)));
}
