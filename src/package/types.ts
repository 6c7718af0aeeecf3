import type { Architecture } from "../spec/index.ts";

/** Bytes of one part of the artifact: as stored in the zip, and as unpacked by Lambda. */
export interface PartSize {
  zipped: number;
  unzipped: number;
}

/** Where the model travels: inside the zip, or as an S3 object read into /tmp at init. */
export type ModelPlacement = "zip" | "s3";

/** The Lambda artifact, as `buildArtifact()` wrote it and the Pulumi component deploys it. */
export interface Artifact {
  /** The zip on disk. */
  zipPath: string;
  /** The architecture whose onnxruntime native files the zip holds. */
  architecture: Architecture;
  /** Base64 SHA-256 of the zip (Lambda's `sourceCodeHash`). */
  sha256: string;
  model: {
    name: string;
    /** The model file on this machine. */
    localPath: string;
    /** Hex SHA-256 of the model file. */
    sha256: string;
    placement: ModelPlacement;
    /** Path of the model inside the zip when `placement` is `zip`, e.g. `model/iris.onnx`. */
    zipEntry?: string;
  };
  /** Size breakdown: the bundled handler, the onnxruntime files, the model (zero in the zip when in S3). */
  sizes: { handler: PartSize; runtime: PartSize; model: PartSize; total: PartSize };
}
