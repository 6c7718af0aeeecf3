import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { BadRequestError } from "../errors/index.ts";
import { modelNameFromPath } from "../spec/defaults.ts";
import { vcpusForMemory } from "../spec/limits.ts";
import type { DecodedTensor } from "./codec.ts";
import { allocate, type Dtype, isDtype, type TensorData } from "./dtypes.ts";
import { labelsFrom, readMetadataProps } from "./onnx-metadata.ts";

/** A declared input or output: dynamic dims are -1 or the model's symbol (e.g. "batch"). */
export interface TensorInfo {
  name: string;
  dtype: Dtype;
  shape: ReadonlyArray<number | string>;
}

export interface ModelInfo {
  name: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** The model's `metadata_props`. */
  metadata: Record<string, string>;
  /** Class labels from metadata, when the model declares them. */
  labels?: string[];
  /** The output whose integer values index `labels`. */
  labelOutput?: string;
}

export interface LoadOptions {
  /** Name reported in responses. @default the file name without `.onnx` */
  name?: string;
  /** Intra-op threads. @default the vCPUs Lambda gives `memoryMb` */
  threads?: number;
  /** Function memory, to derive threads as Lambda would. @default 1769 (one vCPU) */
  memoryMb?: number;
}

export interface OutputTensor {
  dtype: Dtype;
  data: TensorData;
  dims: readonly number[];
}

function describe(metadata: readonly ort.InferenceSession.ValueMetadata[], kind: string): TensorInfo[] {
  return metadata.map((value) => {
    if (!value.isTensor)
      throw new TypeError(`${kind} '${value.name}' is not a tensor; only tensors are supported`);
    if (!isDtype(value.type))
      throw new TypeError(`${kind} '${value.name}' has unsupported type ${value.type}`);
    return { name: value.name, dtype: value.type, shape: value.shape };
  });
}

function findLabelOutput(outputs: TensorInfo[], props: Record<string, string>): string | undefined {
  const declared = props.label_output;
  if (declared && outputs.some((output) => output.name === declared)) return declared;
  return outputs.find((o) => /^(label|labels|class|classes)$/i.test(o.name) && o.dtype.includes("int"))?.name;
}

/** The declared input called `name`; a 400 naming the model's inputs when there is none. */
export function inputOf(info: ModelInfo, name: string): TensorInfo {
  const input = info.inputs.find((candidate) => candidate.name === name);
  if (!input) {
    const known = info.inputs.map((candidate) => `'${candidate.name}'`).join(", ");
    throw new BadRequestError(`unknown input '${name}': the model's inputs are ${known}`);
  }
  return input;
}

export function formatShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((dim) => (typeof dim === "number" && dim >= 0 ? dim : -1)).join(",")}]`;
}

/**
 * An ONNX model loaded once per execution environment (after onnxruntime's own backend
 * wrapper: private constructor, static async factory, private session handle, dispose()).
 */
export class Model {
  readonly info: ModelInfo;
  readonly #session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, info: ModelInfo) {
    this.#session = session;
    this.info = info;
  }

  /** Load, describe and warm up a model (the first run allocates ORT's buffers). */
  static async load(path: string, options: LoadOptions = {}): Promise<Model> {
    const threads = options.threads ?? vcpusForMemory(options.memoryMb ?? 1769);
    let bytes: Buffer;
    let session: ort.InferenceSession;
    try {
      bytes = await readFile(path);
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
    } catch (error) {
      // Name the file: onnxruntime's own message ("protobuf parsing failed") does not.
      throw new Error(`cannot load model '${path}': ${(error as Error).message}`, { cause: error });
    }
    const metadata = readMetadataProps(bytes);
    const outputs = describe(session.outputMetadata, "output");
    const labels = labelsFrom(metadata);
    const labelOutput = labels ? findLabelOutput(outputs, metadata) : undefined;
    const name = options.name ?? modelNameFromPath(path);
    const model = new Model(session, {
      name,
      inputs: describe(session.inputMetadata, "input"),
      outputs,
      metadata,
      ...(labels ? { labels } : {}),
      ...(labelOutput ? { labelOutput } : {}),
    });
    await model.#warmUp();
    return model;
  }

  async #warmUp(): Promise<void> {
    const feeds: Record<string, DecodedTensor> = {};
    for (const input of this.info.inputs) {
      const dims = input.shape.map((dim) => (typeof dim === "number" && dim > 0 ? dim : 1));
      const data = allocate(
        input.dtype,
        dims.reduce((a, b) => a * b, 1),
      );
      if (Array.isArray(data)) data.fill("");
      feeds[input.name] = { data, dims };
    }
    await this.run(feeds);
  }

  /** Check names and shapes against the model before running; messages quote the field. */
  validate(feeds: Record<string, DecodedTensor>): void {
    for (const name of Object.keys(feeds)) inputOf(this.info, name);
    for (const input of this.info.inputs) {
      const feed = feeds[input.name];
      if (!feed)
        throw new BadRequestError(
          `missing input '${input.name}' (${input.dtype} ${formatShape(input.shape)})`,
        );
      const fits =
        feed.dims.length === input.shape.length &&
        input.shape.every((dim, i) => typeof dim !== "number" || dim < 0 || dim === feed.dims[i]);
      if (!fits || feed.dims.some((dim) => dim === 0)) {
        throw new BadRequestError(
          `input '${input.name}': expected shape ${formatShape(input.shape)}, got [${feed.dims.join(",")}]`,
        );
      }
    }
  }

  async run(feeds: Record<string, DecodedTensor>): Promise<Record<string, OutputTensor>> {
    this.validate(feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const input of this.info.inputs) {
      const feed = feeds[input.name]!;
      ortFeeds[input.name] = new ort.Tensor(input.dtype, feed.data as ort.Tensor.DataType, feed.dims);
    }
    const results = await this.#session.run(ortFeeds);
    const outputs: Record<string, OutputTensor> = {};
    for (const output of this.info.outputs) {
      const tensor = results[output.name]!;
      outputs[output.name] = { dtype: output.dtype, data: tensor.data as TensorData, dims: tensor.dims };
    }
    return outputs;
  }

  async dispose(): Promise<void> {
    await this.#session.release();
  }
}
