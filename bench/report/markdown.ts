import type { BenchReport } from "../run.ts";
import { isSkipped } from "../sections/skipped.ts";
import { skippedNotes, summaryTable } from "./summary.ts";
import { markdownTable, mb, ms, ratio, ratioWithSpread, usd } from "./table.ts";

/** The Markdown report: the summary table, then each section's detail. */
export function markdownReport(
  report: BenchReport,
  charts: { latency?: string; gateway?: string; cost?: string },
): string {
  const lines: string[] = [
    "# modelgate benchmark",
    "",
    `${report.startedAt}, ${report.durationSeconds} s${report.quick ? " (quick run)" : ""}. Machine: ${report.machine.cpus} x ${report.machine.cpuModel}, Node ${report.machine.node}, ${report.machine.platform}/${report.machine.arch}. Memory setting ${report.memoryMb} MB, ${report.threads} intra-op thread(s).`,
    "",
    `Models: ${report.models.map((model) => `**${model.name}**, ${model.description}`).join("; ")}.`,
    "",
    "Every figure is a median over repeats against a baseline measured in the same run; [brackets] hold the interquartile range.",
    "",
    markdownTable(summaryTable(report)),
    "",
    ...skippedNotes(report).map((note) => `- ${note}`),
    "",
  ];
  if (charts.latency) lines.push(`![latency distribution](${charts.latency})`, "");
  if (charts.gateway) lines.push(`![gateway latency distribution](${charts.gateway})`, "");
  if (charts.cost) lines.push(`![cost vs memory](${charts.cost})`, "");

  const inference = report.inference;
  if (inference && !isSkipped(inference)) {
    lines.push(
      "## Inference overhead",
      "",
      "The handler in process (API Gateway proxy event -> response, JSON included, Powertools log line to a null sink) against `session.run` on prebuilt tensors, same model, batch and threads. *No log* is the same handler with a logger that does nothing. The stages are timed on their own (median per call).",
      "",
      markdownTable({
        headers: [
          "model",
          "batch",
          "request",
          "handler",
          "no log",
          "session.run",
          "ratio",
          "no-log ratio",
          "read body",
          "decode",
          "model.run",
          "encode",
          "stringify",
          "log",
        ],
        rows: inference.cases.map((entry) => [
          entry.model,
          String(entry.batch),
          entry.requestBytes < 1024
            ? `${entry.requestBytes} B`
            : `${(entry.requestBytes / 1024).toFixed(1)} KiB`,
          ms(entry.handlerMs.median),
          ms(entry.quietHandlerMs.median),
          ms(entry.rawMs.median),
          ratioWithSpread(entry.ratio),
          ratioWithSpread(entry.quietRatio),
          ms(entry.breakdownMs.readBody),
          ms(entry.breakdownMs.decode),
          ms(entry.breakdownMs.run),
          ms(entry.breakdownMs.encode),
          ms(entry.breakdownMs.stringify),
          ms(entry.breakdownMs.log),
        ]),
      }),
      "",
    );
  }
  const gateway = report.gateway;
  if (gateway && !isSkipped(gateway)) {
    lines.push(
      "## Gateway overhead",
      "",
      `autocannon on 127.0.0.1, ${gateway.seconds} s x ${gateway.repeats} per target and connection count, \`POST /model\` on ${gateway.model} batch ${gateway.batch}.`,
      "",
      markdownTable({
        headers: [
          "connections",
          "gateway req/s",
          "bare req/s",
          "throughput ratio",
          "gateway p50",
          "bare p50",
          "added p50",
          "gateway p99",
          "bare p99",
          "failures",
        ],
        rows: gateway.cases.map((entry) => [
          String(entry.connections),
          entry.gateway.requestsPerSecond.median.toFixed(0),
          entry.bare.requestsPerSecond.median.toFixed(0),
          ratioWithSpread(entry.throughputRatio),
          ms(entry.gateway.p50Ms.median),
          ms(entry.bare.p50Ms.median),
          ms(entry.addedP50Ms.median),
          ms(entry.gateway.p99Ms.median),
          ms(entry.bare.p99Ms.median),
          String(entry.gateway.failures + entry.bare.failures),
        ]),
      }),
      "",
    );
  }
  const coldStart = report.coldStart;
  if (coldStart && !isSkipped(coldStart)) {
    lines.push(
      "## Cold start",
      "",
      `${coldStart.artifact}; ${coldStart.repeats} cold starts of each, alternating with the baseline.`,
      "",
      markdownTable({
        headers: ["model", "", "process start", "module load", "session creation", "first run", "total"],
        rows: coldStart.cases.flatMap((entry) => [
          [
            entry.model,
            "handler",
            ms(entry.handler.processStartMs.median),
            ms(entry.handler.moduleLoadMs.median),
            ms(entry.handler.sessionCreationMs.median),
            ms(entry.handler.firstRunMs.median),
            ms(entry.handler.totalMs.median),
          ],
          [
            entry.model,
            "node -e + session",
            ms(entry.baseline.processStartMs.median),
            ms(entry.baseline.moduleLoadMs.median),
            ms(entry.baseline.sessionCreationMs.median),
            "-",
            ms(entry.baseline.totalMs.median),
          ],
        ]),
      }),
      "",
    );
  }
  const serve = coldStart && !isSkipped(coldStart) ? coldStart.serve : undefined;
  if (serve && !isSkipped(serve)) {
    lines.push(
      `Through \`modelgate serve\` (a fresh server each time, which provisions one environment; two requests at once, so one of them starts an environment on demand): the cold request ${ms(serve.firstRequestMs.median)} [${ms(serve.firstRequestMs.p25)}-${ms(serve.firstRequestMs.p75)}], runtime Init Duration ${ms(serve.initDurationMs.median)} [${ms(serve.initDurationMs.p25)}-${ms(serve.initDurationMs.p75)}], n=${serve.firstRequestMs.n}.`,
      "",
    );
  }
  if (gateway && !isSkipped(gateway) && gateway.runtimeInitDurationMs) {
    const init = gateway.runtimeInitDurationMs;
    lines.push(
      `\`modelgate serve\` (src/runtime) reported Init Duration for ${gateway.model} during the load tests: median ${ms(init.median)} [${ms(init.p25)}-${ms(init.p75)}] over ${init.n} cold starts, measured inside the gateway process from environment spawn to handler ready${gateway.runtimeMaxMemoryUsedMb ? `; Max Memory Used up to ${gateway.runtimeMaxMemoryUsedMb} MB` : ""}. These include environments started together (up to ${gateway.concurrency} at once) on ${report.machine.cpus} cores, so they are slower than the one-at-a-time cold starts above.`,
      "",
    );
  }
  const artifact = report.artifact;
  if (artifact && !isSkipped(artifact)) {
    lines.push(
      "## Artifact",
      "",
      markdownTable({
        headers: ["model", "architecture", "zip", "unzipped", "runtime", "model", "handler", "limits"],
        rows: artifact.cases.map((entry) => [
          entry.model,
          entry.architecture,
          mb(entry.zipBytes),
          mb(entry.unzippedBytes),
          `${mb(entry.parts.runtime.unzippedBytes)} (${(entry.parts.runtime.share * 100).toFixed(0)}%)`,
          `${mb(entry.parts.model.unzippedBytes)} (${(entry.parts.model.share * 100).toFixed(0)}%, ${entry.modelPlacement === "s3" ? "by S3" : "in the zip"})`,
          `${mb(entry.parts.handler.unzippedBytes)} (${(entry.parts.handler.share * 100).toFixed(1)}%)`,
          `${mb(entry.zipLimitBytes)} zipped / ${mb(entry.unzippedLimitBytes)} unzipped`,
        ]),
      }),
      "",
    );
  }
  const cost = report.cost;
  if (cost && !isSkipped(cost)) {
    lines.push(
      "## Cost",
      "",
      `Prices (${cost.prices.region}, list prices taken ${cost.prices.date}): Lambda x86_64 $${cost.prices.lambdaPerGbSecond.x86_64}/GB-s, arm64 $${cost.prices.lambdaPerGbSecond.arm64}/GB-s, $${cost.prices.lambdaPerMillionRequests} per million requests; API Gateway REST $${cost.prices.apiGatewayRestPerMillion} per million (first 333 million a month).`,
      "",
      ...cost.assumptions.map((assumption) => `- ${assumption}`),
      "",
      markdownTable({
        headers: [
          "model",
          "batch",
          "arch",
          `at ${cost.memoryMb} MB`,
          "billed",
          "cheapest",
          "at",
          "billed",
          "ratio",
          "memory floor",
        ],
        rows: cost.cases.flatMap((entry) =>
          (["arm64", "x86_64"] as const).map((architecture) => [
            entry.model,
            String(entry.batch),
            architecture,
            usd(entry.configured[architecture].total),
            `${entry.configured[architecture].billedMs} ms`,
            usd(entry.cheapest[architecture].total),
            `${entry.cheapest[architecture].memoryMb} MB`,
            `${entry.cheapest[architecture].billedMs} ms`,
            ratio(entry.configured[architecture].total / entry.cheapest[architecture].total),
            `${entry.floorMb} MB`,
          ]),
        ),
      }),
      "",
    );
  }
  const memory = report.memory;
  if (memory && !isSkipped(memory)) {
    lines.push(
      "## Peak memory",
      "",
      `Max RSS of one execution environment after its first response and three invocations at each batch size (${memory.batches.join(", ")}).`,
      "",
      markdownTable({
        headers: [
          "model",
          "peak RSS (max)",
          "median",
          "configured",
          "ratio",
          "smallest size that fits (+10%)",
        ],
        rows: memory.cases.map((entry) => [
          entry.model,
          mb(entry.peakRssBytes.max),
          mb(entry.peakRssBytes.median),
          `${entry.memoryMb} MB`,
          ratio(entry.ratio),
          `${entry.minimumMemoryMb} MB`,
        ]),
      }),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
