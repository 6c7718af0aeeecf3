import { BadRequestError } from "../errors/index.ts";
import { EXAMPLE_MODEL_PATH, modelNameFromPath } from "./defaults.ts";
import { type EndpointSpec, type EndpointSpecInput, endpointSpecSchema } from "./schema.ts";

export * from "./defaults.ts";
export * from "./limits.ts";
export * from "./schema.ts";

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
  return { path, name: spec.model.name ?? modelNameFromPath(path) };
}
