import { BadRequestError } from "../errors/index.ts";
import {
  allocate,
  DTYPE_INFO,
  type Dtype,
  fromFloat16Bits,
  type TensorData,
  toFloat16Bits,
} from "./dtypes.ts";

/**
 * JSON nested arrays <-> flat typed arrays. Shapes are read off the JSON itself, so a tensor can
 * never be larger than the request that describes it: no allocation is driven by a number a
 * client wrote. Errors name the input and the position: `input 'x': expected number at [0][2]`.
 */

export interface DecodedTensor {
  data: TensorData;
  dims: number[];
}

/** Maximum nesting accepted: ONNX tensors of rank > 8 are rare; deeper JSON is refused early. */
export const MAX_TENSOR_RANK = 16;

function position(indices: number[]): string {
  return indices.map((i) => `[${i}]`).join("");
}

/** Infer dims from the first element at every depth; the walk in `fill` enforces them everywhere. */
function inferDims(name: string, value: unknown): number[] {
  const dims: number[] = [];
  let cursor = value;
  while (Array.isArray(cursor)) {
    if (dims.length >= MAX_TENSOR_RANK) {
      throw new BadRequestError(`input '${name}': nested deeper than ${MAX_TENSOR_RANK} levels`);
    }
    dims.push(cursor.length);
    if (cursor.length === 0) break;
    cursor = cursor[0];
  }
  return dims;
}

type Writer = (value: unknown, index: number, at: () => string) => void;

function writerFor(name: string, dtype: Dtype, data: TensorData): Writer {
  const info = DTYPE_INFO[dtype];
  const wrong = (expected: string, value: unknown, at: () => string) =>
    new BadRequestError(
      `input '${name}': expected ${expected} at ${at()}, got ${value === null ? "null" : typeof value}`,
    );
  // JSON.parse turns 1e400 into Infinity; a model fed Infinity answers NaN, so refuse it here.
  const notFinite = (value: number, at: () => string) =>
    new BadRequestError(`input '${name}': value ${value} at ${at()} is not a finite number`);
  switch (info.kind) {
    case "float": {
      const array = data as Float32Array | Float64Array;
      return (value, index, at) => {
        if (typeof value !== "number") throw wrong(`a number (${dtype})`, value, at);
        if (!Number.isFinite(value)) throw notFinite(value, at);
        array[index] = value;
      };
    }
    case "float16": {
      const array = data as Uint16Array;
      return (value, index, at) => {
        if (typeof value !== "number") throw wrong("a number (float16)", value, at);
        if (!Number.isFinite(value)) throw notFinite(value, at);
        array[index] = toFloat16Bits(value);
      };
    }
    case "int": {
      const array = data as Int32Array;
      const { min, max } = info as { min: number; max: number };
      return (value, index, at) => {
        if (typeof value !== "number" || !Number.isInteger(value))
          throw wrong(`an integer (${dtype})`, value, at);
        if (value < min || value > max) {
          throw new BadRequestError(
            `input '${name}': value ${value} at ${at()} is outside the ${dtype} range`,
          );
        }
        array[index] = value;
      };
    }
    case "bigint": {
      const array = data as BigInt64Array | BigUint64Array;
      const { bigMin, bigMax } = info as { bigMin: bigint; bigMax: bigint };
      return (value, index, at) => {
        let big: bigint;
        if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
        else if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) big = BigInt(value);
        else throw wrong(`a safe integer or a decimal string (${dtype})`, value, at);
        if (big < bigMin || big > bigMax) {
          throw new BadRequestError(
            `input '${name}': value ${value} at ${at()} is outside the ${dtype} range`,
          );
        }
        array[index] = big;
      };
    }
    case "bool": {
      const array = data as Uint8Array;
      return (value, index, at) => {
        if (typeof value !== "boolean") throw wrong("a boolean", value, at);
        array[index] = value ? 1 : 0;
      };
    }
    case "string": {
      const array = data as string[];
      return (value, index, at) => {
        if (typeof value !== "string") throw wrong("a string", value, at);
        array[index] = value;
      };
    }
  }
}

/** Turn a JSON value into a flat tensor of `dtype`, checking that the nesting is rectangular. */
export function decodeTensor(name: string, dtype: Dtype, value: unknown): DecodedTensor {
  const dims = inferDims(name, value);
  let size = 1;
  for (const dim of dims) size *= dim;
  const data = allocate(dtype, size);
  const write = writerFor(name, dtype, data);
  const copyRow = rowCopierFor(dtype, data);
  const indices: number[] = [];
  const at = () => position(indices);
  let offset = 0;

  /** A scalar that the fast row copy refused: say exactly why, at its position. */
  const refuse = (node: unknown): never => {
    if (Array.isArray(node)) {
      throw new BadRequestError(`input '${name}': ragged array at ${at()}: expected a scalar, got an array`);
    }
    write(node, offset, at);
    throw new Error(`unreachable: ${dtype} writer accepted what the row copy refused`);
  };

  const fill = (node: unknown, depth: number): void => {
    if (depth === dims.length) {
      if (Array.isArray(node)) refuse(node);
      write(node, offset++, at);
      return;
    }
    if (!Array.isArray(node)) {
      throw new BadRequestError(
        `input '${name}': ragged array at ${at()}: expected an array of ${dims[depth]}`,
      );
    }
    if (node.length !== dims[depth]) {
      throw new BadRequestError(
        `input '${name}': ragged array at ${at()}: expected ${dims[depth]} elements, got ${node.length}`,
      );
    }
    if (copyRow && depth === dims.length - 1) {
      // The innermost arrays hold nearly all elements: copy them in one tight loop.
      const bad = copyRow(node, offset);
      if (bad >= 0) {
        indices.push(bad);
        offset += bad;
        refuse(node[bad]);
      }
      offset += node.length;
      return;
    }
    indices.push(0);
    for (let i = 0; i < node.length; i++) {
      indices[depth] = i;
      fill(node[i], depth + 1);
    }
    indices.pop();
  };
  fill(value, 0);
  return { data, dims };
}

/**
 * A tight copy of one innermost array for the common numeric dtypes. Returns the index of the
 * first element it cannot take (the per-element writer then says why), or -1.
 */
type RowCopier = (row: unknown[], offset: number) => number;

function rowCopierFor(dtype: Dtype, data: TensorData): RowCopier | undefined {
  const info = DTYPE_INFO[dtype];
  if (info.kind === "float") {
    const array = data as Float32Array | Float64Array;
    return (row, offset) => {
      for (let i = 0; i < row.length; i++) {
        const value = row[i];
        if (typeof value !== "number" || !Number.isFinite(value)) return i;
        array[offset + i] = value;
      }
      return -1;
    };
  }
  if (info.kind === "int") {
    const array = data as Int32Array;
    const { min, max } = info as { min: number; max: number };
    return (row, offset) => {
      for (let i = 0; i < row.length; i++) {
        const value = row[i];
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) return i;
        array[offset + i] = value;
      }
      return -1;
    };
  }
  return undefined;
}

/** Unsafe int64 values travel as decimal strings so no digit is lost in JSON. */
function jsonScalar(dtype: Dtype, data: TensorData, index: number): unknown {
  const value = data[index];
  switch (DTYPE_INFO[dtype].kind) {
    case "bigint": {
      const big = value as bigint;
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big)
        : big.toString();
    }
    case "bool":
      return value !== 0;
    case "float16":
      return fromFloat16Bits(value as number);
    case "float": {
      // JSON has no NaN or Infinity: send them as null, as JSON.stringify would.
      return Number.isFinite(value as number) ? value : null;
    }
    default:
      return value;
  }
}

/** Flat tensor -> nested JSON arrays following `dims` (a scalar for rank 0). */
export function encodeTensor(dtype: Dtype, data: TensorData, dims: readonly number[]): unknown {
  let offset = 0;
  const kind = DTYPE_INFO[dtype].kind;
  const plainNumbers = kind === "int" || kind === "string";
  const build = (depth: number): unknown => {
    if (depth === dims.length) return plainNumbers ? data[offset++] : jsonScalar(dtype, data, offset++);
    const length = dims[depth]!;
    const out = new Array(length);
    for (let i = 0; i < length; i++) out[i] = build(depth + 1);
    return out;
  };
  return build(0);
}

/** Row `row` of a batch-first tensor as nested JSON (used for the `instances` / `predictions` form). */
export function encodeRow(dtype: Dtype, data: TensorData, dims: readonly number[], row: number): unknown {
  const rowDims = dims.slice(1);
  let rowSize = 1;
  for (const dim of rowDims) rowSize *= dim;
  const slice = data.slice(row * rowSize, (row + 1) * rowSize) as TensorData;
  return encodeTensor(dtype, slice, rowDims);
}
