import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { irisOnnx } from "./iris/model.ts";
import { accuracy, trainIris } from "./iris/train.ts";

/**
 * Regenerates models/iris.onnx deterministically. `--check` verifies the committed file is
 * exactly what this script produces (used by `npm run build`).
 */
const target = fileURLToPath(new URL("../models/iris.onnx", import.meta.url));
const weights = trainIris();
const bytes = irisOnnx(weights);

if (process.argv.includes("--check")) {
  const committed = readFileSync(target);
  if (!committed.equals(Buffer.from(bytes))) {
    console.error(
      `models/iris.onnx differs from what scripts/build-iris-model.ts produces; run npm run model:iris`,
    );
    process.exit(1);
  }
  console.log(`models/iris.onnx is up to date (${bytes.length} bytes)`);
} else {
  writeFileSync(target, bytes);
  console.log(
    `wrote models/iris.onnx: ${bytes.length} bytes, training accuracy ${accuracy(weights).toFixed(3)}`,
  );
}
