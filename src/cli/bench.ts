import type { Command } from "commander";
import { benchMain, parseBatches, parseSections } from "../../bench/cli.ts";
import { SECTIONS } from "../../bench/run.ts";

/** `modelgate bench`: latency, cold start, size and cost of an endpoint for your own model. */
export function register(program: Command): void {
  program
    .command("bench")
    .description("measure the endpoint for a model: overhead, gateway, cold start, artifact, cost, memory")
    .option("-m, --model <path>", "the .onnx model (default: the repository's iris and a 1M-parameter MLP)")
    .option("--name <name>", "model name in the report (default: the file name)")
    .option("--memory <mb>", "function memory the figures are set against (default: 2048)", Number)
    .option("--threads <n>", "intra-op threads for the measured runs (default: 1, one vCPU)", Number)
    .option("--batches <list>", "batch sizes, comma-separated (default: 1,64,1024)")
    .option("--sections <list>", `sections to run, comma-separated: ${SECTIONS.join(", ")}`)
    .option("--quick", "a fast smoke run: fewer repeats, shorter load tests")
    .option("--json", "print the report as JSON instead of the table")
    .option("--out <dir>", "where to write bench.json, bench.md and the SVG charts (default: bench/results)")
    .action(async (options: Record<string, string | number | boolean | undefined>) => {
      try {
        const batches = parseBatches(options.batches as string | undefined);
        const sections = parseSections(options.sections as string | undefined);
        await benchMain({
          quick: Boolean(options.quick),
          json: Boolean(options.json),
          ...(options.model ? { modelPath: String(options.model) } : {}),
          ...(options.name ? { modelName: String(options.name) } : {}),
          ...(options.memory !== undefined ? { memoryMb: Number(options.memory) } : {}),
          ...(options.threads !== undefined ? { threads: Number(options.threads) } : {}),
          ...(batches ? { batches } : {}),
          ...(sections ? { sections } : {}),
          ...(options.out ? { out: String(options.out) } : {}),
        });
      } catch (error) {
        program.error(`modelgate bench: ${(error as Error).message}`, { exitCode: 1 });
      }
    });
}
