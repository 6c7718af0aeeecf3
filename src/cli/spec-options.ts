import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { ARCHITECTURES, type Architecture, type EndpointSpecInput } from "../spec/index.ts";

/** Spec options shared by `modelgate package` and `modelgate deploy`: a JSON spec file, then overrides. */
export interface SpecOptions {
  config?: string;
  name?: string;
  model?: string;
  arch?: Architecture;
  memory?: number;
  timeout?: number;
}

function architecture(value: string): Architecture {
  if (!(ARCHITECTURES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${ARCHITECTURES.join(", ")}`);
  return value as Architecture;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("must be a number");
  return n;
}

export function addSpecOptions(command: Command): Command {
  return command
    .option("-c, --config <file>", "endpoint spec as JSON (the same spec `modelgate serve` uses)")
    .option("--name <name>", "endpoint name (API and function)")
    .option("-m, --model <path>", "the .onnx model (default: the bundled iris example)")
    .option(
      "--arch <architecture>",
      `Lambda architecture: ${ARCHITECTURES.join(" or ")} (default arm64)`,
      architecture,
    )
    .option("--memory <mb>", "function memory in MB (128-10240)", number)
    .option("--timeout <seconds>", "function timeout in seconds (up to 29)", number);
}

/** The spec input: the config file (if any) with the command-line overrides on top. Not yet validated. */
export async function specInput(options: SpecOptions): Promise<EndpointSpecInput> {
  let base: EndpointSpecInput = {};
  if (options.config) {
    const path = resolve(options.config);
    const text = await readFile(path, "utf8").catch(() => {
      throw new InvalidArgumentError(`--config: cannot read ${path}`);
    });
    try {
      base = JSON.parse(text) as EndpointSpecInput;
    } catch (error) {
      throw new InvalidArgumentError(`--config: ${path} is not valid JSON (${(error as Error).message})`);
    }
  }
  const fn = {
    ...base.function,
    ...(options.arch ? { architecture: options.arch } : {}),
    ...(options.memory !== undefined ? { memoryMb: options.memory } : {}),
    ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
  };
  return {
    ...base,
    ...(options.name ? { name: options.name } : {}),
    ...(options.model ? { model: { ...base.model, path: resolve(options.model) } } : {}),
    function: fn,
  };
}
