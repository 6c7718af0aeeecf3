import { parseArgs } from "node:util";
import { createProgress } from "./lib/progress.ts";
import { skippedNotes, summaryTable } from "./report/summary.ts";
import { formatTable } from "./report/table.ts";
import { writeResults } from "./report/write.ts";
import { type BenchOptions, DEFAULT_RESULTS_DIR, runBench, SECTIONS, type SectionName } from "./run.ts";

/**
 * One entry for `npm run bench` and `modelgate bench`: run, print the table (or the JSON with
 * `json`), write the results. Progress goes to stderr.
 */
export interface CliOptions extends Omit<BenchOptions, "progress"> {
  json?: boolean;
  out?: string;
}

export function parseSections(text: string | undefined): SectionName[] | undefined {
  if (!text) return undefined;
  const names = text.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown section '${name}': choose from ${SECTIONS.join(", ")}`);
    }
  }
  return names as SectionName[];
}

export function parseBatches(text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  return text.split(",").map((item) => {
    const value = Number(item);
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`batch '${item}' must be a positive integer`);
    return value;
  });
}

export async function benchMain(options: CliOptions): Promise<void> {
  const { json, out, ...bench } = options;
  const report = await runBench({ ...bench, progress: createProgress() });
  const files = writeResults(report, out ?? DEFAULT_RESULTS_DIR);
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const notes = skippedNotes(report);
  process.stdout.write(
    `\n${formatTable(summaryTable(report))}\n${notes.map((note) => `${note}\n`).join("")}\n`,
  );
  process.stdout.write(
    `${report.durationSeconds} s. Results: ${files.json}, ${files.markdown}, ${files.charts.join(", ")}\n`,
  );
}

/** `tsx bench/index.ts [--quick] [--json] [--model path] [--memory MB] ...` */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      json: { type: "boolean" },
      model: { type: "string" },
      name: { type: "string" },
      memory: { type: "string" },
      threads: { type: "string" },
      batches: { type: "string" },
      sections: { type: "string" },
      out: { type: "string" },
    },
  });
  const memoryMb = values.memory !== undefined ? Number(values.memory) : undefined;
  const threads = values.threads !== undefined ? Number(values.threads) : undefined;
  const batches = parseBatches(values.batches);
  const sections = parseSections(values.sections);
  await benchMain({
    quick: values.quick ?? false,
    json: values.json ?? false,
    ...(values.model ? { modelPath: values.model } : {}),
    ...(values.name ? { modelName: values.name } : {}),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(batches ? { batches } : {}),
    ...(sections ? { sections } : {}),
    ...(values.out ? { out: values.out } : {}),
  });
}
