import type { Command } from "commander";
import { buildArtifact, formatBreakdown } from "../package/index.ts";
import { addSpecOptions, type SpecOptions, specInput } from "./spec-options.ts";

/** `modelgate package`: write the Lambda artifact zip and print its size breakdown. */

interface PackageOptions extends SpecOptions {
  out?: string;
  modelPlacement: "auto" | "zip" | "s3";
}

export function register(program: Command): void {
  addSpecOptions(
    program
      .command("package")
      .description("Build the Lambda artifact: bundled handler, one architecture's onnxruntime, the model"),
  )
    .option("-o, --out <file>", "where to write the zip (default: dist/<name>-<architecture>.zip)")
    .option("--model-placement <where>", "auto | zip | s3 (auto: S3 when the zip would pass 50 MB)", "auto")
    .action(async (options: PackageOptions) => {
      if (!["auto", "zip", "s3"].includes(options.modelPlacement)) {
        program.error(`--model-placement must be auto, zip or s3, got '${options.modelPlacement}'`);
      }
      try {
        const artifact = await buildArtifact({
          spec: await specInput(options),
          ...(options.out ? { outFile: options.out } : {}),
          modelPlacement: options.modelPlacement,
        });
        process.stdout.write(`${formatBreakdown(artifact)}\n`);
      } catch (error) {
        program.error(`modelgate package: ${(error as Error).message}`, { exitCode: 1 });
      }
    });
}
