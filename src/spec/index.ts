import { fileURLToPath } from "node:url";
import { BadRequestError } from "../errors/index.ts";
import { type EndpointSpec, type EndpointSpecInput, endpointSpecSchema } from "./schema.ts";

export * from "./limits.ts";
export * from "./schema.ts";

/** Local default for reserved concurrency: how many environments the emulator starts at most. */
export const LOCAL_DEFAULT_CONCURRENCY = 10;

/** The bundled example model (iris), the default of every entry point. */
export const EXAMPLE_MODEL_PATH = fileURLToPath(new URL("../../models/iris.onnx", import.meta.url));

/** Thrown for an invalid spec, before any resource or server is created. Names each field. */
export class SpecError extends BadRequestError {}

/** Validate a spec and fill defaults; errors name the field and the allowed range. */
export function parseSpec(input: EndpointSpecInput = {}): EndpointSpec {
  const result = endpointSpecSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".") || "spec"}: ${issue.message}`);
    throw new SpecError(`invalid endpoint spec: ${lines.join("; ")}`, { issues: lines });
  }
  return result.data;
}

/** Effective model path and name of a spec. */
export function modelOf(spec: EndpointSpec): { path: string; name: string } {
  const path = spec.model.path ?? EXAMPLE_MODEL_PATH;
  const name =
    spec.model.name ??
    path
      .split(/[\\/]/)
      .pop()!
      .replace(/\.onnx$/i, "");
  return { path, name };
}
