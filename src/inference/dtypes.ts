/**
 * The tensor element types onnxruntime-node accepts, with the typed array each one uses and
 * the range a JSON value must fall in. One table, so codec and metadata never disagree.
 */
export const DTYPES = [
  "float32",
  "float64",
  "float16",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "bool",
  "string",
] as const;
export type Dtype = (typeof DTYPES)[number];

export type NumericKind = "float" | "int" | "bigint" | "bool" | "string" | "float16";

interface DtypeInfo {
  kind: NumericKind;
  min?: number;
  max?: number;
  bigMin?: bigint;
  bigMax?: bigint;
}

export const DTYPE_INFO: Record<Dtype, DtypeInfo> = {
  float32: { kind: "float" },
  float64: { kind: "float" },
  float16: { kind: "float16" },
  int8: { kind: "int", min: -128, max: 127 },
  int16: { kind: "int", min: -32_768, max: 32_767 },
  int32: { kind: "int", min: -2_147_483_648, max: 2_147_483_647 },
  uint8: { kind: "int", min: 0, max: 255 },
  uint16: { kind: "int", min: 0, max: 65_535 },
  uint32: { kind: "int", min: 0, max: 4_294_967_295 },
  int64: { kind: "bigint", bigMin: -(2n ** 63n), bigMax: 2n ** 63n - 1n },
  uint64: { kind: "bigint", bigMin: 0n, bigMax: 2n ** 64n - 1n },
  bool: { kind: "bool" },
  string: { kind: "string" },
};

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** Allocate the array onnxruntime-node expects for a dtype (bool is Uint8Array, float16 Uint16Array bits). */
export function allocate(dtype: Dtype, length: number): TensorData {
  switch (dtype) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "float16":
    case "uint16":
      return new Uint16Array(length);
    case "int8":
      return new Int8Array(length);
    case "int16":
      return new Int16Array(length);
    case "int32":
      return new Int32Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "uint8":
    case "bool":
      return new Uint8Array(length);
    case "uint32":
      return new Uint32Array(length);
    case "uint64":
      return new BigUint64Array(length);
    case "string":
      return new Array<string>(length);
  }
}

export function isDtype(value: string): value is Dtype {
  return (DTYPES as readonly string[]).includes(value);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of a number (round to nearest even), for float16 tensors. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly rounds up into the exponent (or to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}
