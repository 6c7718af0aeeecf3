export { decodeTensor, encodeRow, encodeTensor, MAX_TENSOR_RANK } from "./codec.ts";
export { DTYPES, type Dtype } from "./dtypes.ts";
export {
  formatShape,
  type LoadOptions,
  Model,
  type ModelInfo,
  type OutputTensor,
  type TensorInfo,
} from "./model.ts";
export { labelsFrom, readMetadataProps } from "./onnx-metadata.ts";
