import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where the model file comes from. Models that would push the zip past Lambda's 50 MB upload
 * limit live in S3 (the Pulumi component uploads them and sets MODELGATE_MODEL_S3_URI); the
 * init phase copies them to /tmp once per execution environment.
 */

export interface S3Location {
  bucket: string;
  key: string;
}

/** Returns the object's bytes as a stream; the default uses the AWS SDK the Lambda runtime ships. */
export type ObjectFetcher = (location: S3Location) => Promise<Readable | ReadableStream<Uint8Array>>;

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  if (!match) throw new RangeError(`MODELGATE_MODEL_S3_URI must look like s3://bucket/key, got '${uri}'`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The AWS SDK v3 is part of the Lambda Node.js runtime; it is loaded only when a model lives in S3. */
const sdkFetcher: ObjectFetcher = async ({ bucket, key }) => {
  const sdkModule = "@aws-sdk/client-s3";
  const sdk = (await import(sdkModule)) as {
    S3Client: new () => { send(command: unknown): Promise<{ Body?: Readable }> };
    GetObjectCommand: new (input: { Bucket: string; Key: string }) => unknown;
  };
  const response = await new sdk.S3Client().send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return response.Body;
};

/** Downloads the model into `tmpDir` unless this environment already did; returns the local path. */
export async function downloadModel(
  uri: string,
  tmpDir = "/tmp/modelgate",
  fetcher = sdkFetcher,
): Promise<string> {
  const location = parseS3Uri(uri);
  const target = join(tmpDir, basename(location.key));
  const cached = await stat(target).catch(() => undefined);
  if (cached?.isFile()) return target;
  await mkdir(tmpDir, { recursive: true });
  const body = await fetcher(location);
  const partial = `${target}.partial`;
  const source =
    body instanceof Readable ? body : Readable.fromWeb(body as import("node:stream/web").ReadableStream);
  await pipeline(source, createWriteStream(partial));
  // Rename last, so an interrupted download is never mistaken for a complete model.
  await rename(partial, target);
  return target;
}
