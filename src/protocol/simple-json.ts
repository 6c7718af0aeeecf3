import { BadRequestError } from "../errors/index.ts";
import { type DecodedTensor, decodeTensor, encodeRow, encodeTensor } from "../inference/codec.ts";
import { inputOf, type ModelInfo, type OutputTensor } from "../inference/model.ts";

/**
 * The JSON body of `POST /model`. Pure functions, no I/O.
 *
 * Request:  {"inputs": {"<name>": <nested array>}}    any model
 *           {"inputs": <nested array>}                 one-input models
 *           {"instances": [<row>, ...]}                rows; one-input models take rows of that
 *                                                      input, others rows of {"<name>": <row>}
 * Response: {"model", "outputs": {"<name>": <nested array>}, "classes"?: [...]}
 *           {"model", "predictions": [{"<output>": <row>, "class"?: "<label>"}, ...]}
 */

export type RequestForm = "inputs" | "instances";

export interface PredictRequest {
  form: RequestForm;
  feeds: Record<string, DecodedTensor>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyInput(info: ModelInfo, form: string) {
  if (info.inputs.length !== 1) {
    const names = info.inputs.map((input) => `"${input.name}": ...`).join(", ");
    throw new BadRequestError(
      `the model has ${info.inputs.length} inputs; name them: {"${form}": {${names}}}`,
    );
  }
  return info.inputs[0]!;
}

function decodeInputs(info: ModelInfo, inputs: unknown): Record<string, DecodedTensor> {
  if (!isPlainObject(inputs)) {
    const input = onlyInput(info, "inputs");
    return { [input.name]: decodeTensor(input.name, input.dtype, inputs) };
  }
  const feeds: Record<string, DecodedTensor> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const input = inputOf(info, name);
    feeds[name] = decodeTensor(name, input.dtype, value);
  }
  return feeds;
}

function decodeInstances(info: ModelInfo, instances: unknown): Record<string, DecodedTensor> {
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new BadRequestError(`'instances' must be a non-empty array of rows`);
  }
  if (info.inputs.length === 1 && !isPlainObject(instances[0])) {
    const input = info.inputs[0]!;
    return { [input.name]: decodeTensor(input.name, input.dtype, instances) };
  }
  const columns: Record<string, unknown[]> = {};
  instances.forEach((instance, row) => {
    if (!isPlainObject(instance)) {
      throw new BadRequestError(`instances[${row}] must be an object of named inputs`);
    }
    for (const [name, value] of Object.entries(instance)) {
      inputOf(info, name);
      const column = columns[name] ?? [];
      column.push(value);
      columns[name] = column;
    }
  });
  const feeds: Record<string, DecodedTensor> = {};
  for (const [name, rows] of Object.entries(columns)) {
    if (rows.length !== instances.length) {
      throw new BadRequestError(
        `input '${name}': present in ${rows.length} of ${instances.length} instances`,
      );
    }
    feeds[name] = decodeTensor(name, inputOf(info, name).dtype, rows);
  }
  return feeds;
}

export function parsePredictRequest(info: ModelInfo, body: unknown): PredictRequest {
  if (!isPlainObject(body)) {
    throw new BadRequestError(`request body must be a JSON object with "inputs" or "instances"`);
  }
  const hasInputs = "inputs" in body;
  const hasInstances = "instances" in body;
  if (hasInputs === hasInstances) {
    throw new BadRequestError(`request body must have exactly one of "inputs" or "instances"`);
  }
  return hasInputs
    ? { form: "inputs", feeds: decodeInputs(info, body.inputs) }
    : { form: "instances", feeds: decodeInstances(info, body.instances) };
}

function className(info: ModelInfo, value: unknown): string | null {
  return typeof value === "number" ? (info.labels?.[value] ?? null) : null;
}

export function formatPredictResponse(
  info: ModelInfo,
  form: RequestForm,
  outputs: Record<string, OutputTensor>,
): Record<string, unknown> {
  const labelTensor = info.labelOutput ? outputs[info.labelOutput] : undefined;
  if (form === "inputs") {
    const encoded: Record<string, unknown> = {};
    for (const [name, tensor] of Object.entries(outputs)) {
      encoded[name] = encodeTensor(tensor.dtype, tensor.data, tensor.dims);
    }
    const response: Record<string, unknown> = { model: info.name, outputs: encoded };
    if (labelTensor && labelTensor.dims.length === 1) {
      response.classes = (encoded[info.labelOutput!] as unknown[]).map((value) => className(info, value));
    }
    return response;
  }
  const rows = Object.values(outputs)[0]?.dims[0] ?? 0;
  const predictions = new Array(rows);
  for (let row = 0; row < rows; row++) {
    const prediction: Record<string, unknown> = {};
    for (const [name, tensor] of Object.entries(outputs)) {
      prediction[name] = encodeRow(tensor.dtype, tensor.data, tensor.dims, row);
    }
    if (labelTensor && labelTensor.dims.length === 1)
      prediction.class = className(info, prediction[info.labelOutput!]);
    predictions[row] = prediction;
  }
  return { model: info.name, predictions };
}
