import { EXAMPLE_MODEL_PATH, modelNameFromPath } from "../src/spec/defaults.ts";
import { MLP_LAYERS, parameterCount, writeMlpModel } from "./fixtures/mlp.ts";
import { scratchDir } from "./lib/scratch.ts";

/** A model under benchmark, with the inference targets (max handler/raw ratio per batch). */
export interface BenchModel {
  name: string;
  path: string;
  description: string;
  targets?: Record<number, number>;
}

/** The repository's own models: iris, and the ~1M-parameter MLP generated into `dir`. */
export function builtinModels(dir?: string): BenchModel[] {
  return [
    {
      name: "iris",
      path: EXAMPLE_MODEL_PATH,
      description: "iris 4-8-3 MLP (models/iris.onnx)",
      targets: { 1: 3 },
    },
    {
      name: "mlp",
      path: writeMlpModel(dir ?? scratchDir("models")),
      description: `MLP ${MLP_LAYERS.join("-")}, ${parameterCount().toLocaleString("en-US")} float32 parameters (bench/fixtures/mlp.ts)`,
      targets: { 64: 1.2 },
    },
  ];
}

/** A user's model: no targets, the figures only. */
export function userModel(path: string, name?: string): BenchModel {
  const base = name ?? modelNameFromPath(path);
  return { name: base, path, description: `${base} (${path})` };
}
