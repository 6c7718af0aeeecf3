import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../scripts/onnx/builder.ts";
import { decodeTensor, encodeTensor } from "../../src/inference/codec.ts";
import { DTYPES, type Dtype, fromFloat16Bits, toFloat16Bits } from "../../src/inference/dtypes.ts";
import { Model } from "../../src/inference/model.ts";

/** One sample per dtype, with the values that stress its conversion. */
const SAMPLES: Record<Dtype, unknown[][]> = {
  float32: [[1.5, -0.25, 3.4028234663852886e38]],
  float64: [[0.1, -1e300, 5e-324]],
  float16: [[1, -2.5, 65504]],
  int8: [[-128, 0, 127]],
  int16: [[-32768, 1, 32767]],
  int32: [[-2147483648, 7, 2147483647]],
  int64: [[-9007199254740991, "9223372036854775807", "-9223372036854775808"]],
  uint8: [[0, 128, 255]],
  uint16: [[0, 1, 65535]],
  uint32: [[0, 1, 4294967295]],
  uint64: [[0, 9007199254740991, "18446744073709551615"]],
  bool: [[true, false, true]],
  string: [["", "héllo", "🙂"]],
};

describe("every dtype onnxruntime-node supports, through a real session", () => {
  let model: Model;

  beforeAll(async () => {
    // An identity model with one input and one output per dtype.
    const bytes = buildModel({
      name: "identity",
      inputs: DTYPES.map((dtype) => ({ name: `in_${dtype}`, dtype, shape: [-1, 3] })),
      outputs: DTYPES.map((dtype) => ({ name: `out_${dtype}`, dtype, shape: [-1, 3] })),
      nodes: DTYPES.map((dtype) => ({ op: "Identity", inputs: [`in_${dtype}`], outputs: [`out_${dtype}`] })),
    });
    const path = join(mkdtempSync(join(tmpdir(), "modelgate-identity-")), "identity.onnx");
    writeFileSync(path, bytes);
    model = await Model.load(path);
  });

  it("round-trips JSON -> tensor -> session -> JSON for all 13 dtypes", async () => {
    const feeds = Object.fromEntries(
      DTYPES.map((dtype) => [`in_${dtype}`, decodeTensor(`in_${dtype}`, dtype, SAMPLES[dtype])]),
    );
    const outputs = await model.run(feeds);
    for (const dtype of DTYPES) {
      const output = outputs[`out_${dtype}`]!;
      expect(output.dtype).toBe(dtype);
      const json = encodeTensor(dtype, output.data, output.dims);
      // int64 / uint64 come back as numbers when safe, as decimal strings otherwise.
      const expected =
        dtype === "float32"
          ? [[1.5, -0.25, Math.fround(3.4028234663852886e38)]]
          : (SAMPLES[dtype] as unknown[][]);
      expect({ dtype, json }).toEqual({ dtype, json: expected });
    }
  });
});

describe("JSON -> tensor validation", () => {
  it.each([
    ["int8", [[128]], "input 'x': value 128 at [0][0] is outside the int8 range"],
    ["uint8", [[-1]], "input 'x': value -1 at [0][0] is outside the uint8 range"],
    ["uint64", [["-1"]], "input 'x': value -1 at [0][0] is outside the uint64 range"],
    [
      "int64",
      [["9223372036854775808"]],
      "input 'x': value 9223372036854775808 at [0][0] is outside the int64 range",
    ],
    [
      "int64",
      [[2 ** 53]],
      "input 'x': expected a safe integer or a decimal string (int64) at [0][0], got number",
    ],
    ["int32", [[1.5]], "input 'x': expected an integer (int32) at [0][0], got number"],
    ["float32", [["NaN"]], "input 'x': expected a number (float32) at [0][0], got string"],
    ["float64", JSON.parse("[[1e400]]"), "input 'x': value Infinity at [0][0] is not a finite number"],
    ["float16", [[Number.NEGATIVE_INFINITY]], "input 'x': value -Infinity at [0][0] is not a finite number"],
    ["bool", [[0]], "input 'x': expected a boolean at [0][0], got number"],
    ["string", [[1]], "input 'x': expected a string at [0][0], got number"],
  ] as const)("%s %j is refused", (dtype, value, message) => {
    expect(() => decodeTensor("x", dtype, value)).toThrow(message);
  });

  it("refuses nesting deeper than the maximum rank before allocating", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => decodeTensor("x", "float32", deep)).toThrow("input 'x': nested deeper than 16 levels");
  });

  it("takes a scalar as a rank-0 tensor", () => {
    const tensor = decodeTensor("x", "float64", 2.5);
    expect(tensor.dims).toEqual([]);
    expect(Array.from(tensor.data as Float64Array)).toEqual([2.5]);
    expect(encodeTensor("float64", tensor.data, tensor.dims)).toBe(2.5);
  });

  it("sends non-finite floats as null (JSON has no NaN)", () => {
    expect(
      encodeTensor("float32", Float32Array.from([Number.NaN, 1, Number.POSITIVE_INFINITY]), [3]),
    ).toEqual([null, 1, null]);
  });
});

describe("float16 bits", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up to infinity
    [1e-7, 0x0002], // subnormal
    [0.333251953125, 0x3555],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ])("%f -> 0x%s", (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it("decodes what it encodes for every finite half", () => {
    for (let bits = 0; bits < 0x7c00; bits += 7) {
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits);
    }
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
  });
});
