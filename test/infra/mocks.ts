import * as pulumi from "@pulumi/pulumi";
import type { Artifact } from "../../src/package/types.ts";

/** A resource as the mocked engine saw it: its type token, logical name and inputs. */
export interface Recorded {
  type: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: resource inputs are untyped property bags
  inputs: Record<string, any>;
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** Outputs the provider would compute, by type, so interpolations resolve to realistic values. */
function computed(args: pulumi.runtime.MockResourceArgs, id: string): Record<string, unknown> {
  const inputs = args.inputs;
  switch (args.type) {
    case "aws:apigateway/restApi:RestApi":
      return {
        rootResourceId: `${id}-root`,
        executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${id}`,
      };
    case "aws:apigateway/stage:Stage":
      return {
        invokeUrl: `https://${inputs.restApi}.execute-api.${REGION}.amazonaws.com/${inputs.stageName}`,
      };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
      return {
        name: id,
        arn,
        version: inputs.publish ? "1" : "$LATEST",
        invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case "aws:lambda/alias:Alias":
      return {
        arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn:${inputs.name}`,
        invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn:${inputs.name}/invocations`,
      };
    case "aws:iam/role:Role":
      return { name: id, arn: `arn:aws:iam::${ACCOUNT}:role/${id}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return {
        name: `${inputs.namePrefix ?? ""}${id}`,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}`,
      };
    case "aws:s3/bucket:Bucket":
      return { bucket: id, arn: `arn:aws:s3:::${id}` };
    case "aws:s3/bucketObject:BucketObject":
      return { arn: `arn:aws:s3:::${inputs.bucket}/${inputs.key}` };
    default:
      return {};
  }
}

/**
 * Route Pulumi through mocks and record every resource registered. Call before importing the
 * component. `settle()` waits until every resource constructed so far is registered.
 */
export async function recordResources(): Promise<{
  resources: Recorded[];
  capture: pulumi.ResourceTransformation;
  settle: () => Promise<void>;
  /** Logical names of the resources each resource explicitly depends on. */
  dependsOn: (name: string) => Promise<string[]>;
}> {
  const resources: Recorded[] = [];
  const constructed: pulumi.Resource[] = [];
  const options = new Map<string, pulumi.ResourceOptions>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.name}-id`;
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id, state: { ...args.inputs, ...computed(args, id) } };
      },
      call(args) {
        return args.inputs;
      },
    },
    "modelgate",
    "test",
    false,
  );
  const capture: pulumi.ResourceTransformation = (args) => {
    constructed.push(args.resource);
    options.set(args.name, args.opts);
    return undefined;
  };
  const dependsOn = async (name: string) => {
    // The component passes plain arrays of resources.
    const list = ([] as unknown[]).concat(options.get(name)?.dependsOn ?? []) as pulumi.Resource[];
    const urns = await Promise.all(list.map((dep) => outputValue(dep.urn)));
    return urns.map((urn) => urn.split("::").pop()!);
  };
  const settle = async () => {
    await Promise.all(constructed.map((resource) => outputValue(resource.urn)));
  };
  return { resources, capture, settle, dependsOn };
}

/** The value of an output, once known. */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** An artifact description for tests: nothing is read from it under mocks. */
export function fakeArtifact(
  overrides: Partial<Artifact> = {},
  model: Partial<Artifact["model"]> = {},
): Artifact {
  const size = { zipped: 1, unzipped: 1 };
  return {
    zipPath: "/tmp/modelgate-test/artifact.zip",
    architecture: "arm64",
    sha256: "c2hhMjU2",
    sizes: { handler: size, runtime: size, model: size, total: size },
    ...overrides,
    model: {
      name: "iris",
      localPath: "/tmp/modelgate-test/iris.onnx",
      sha256: "0123456789abcdef0123456789abcdef",
      placement: "zip",
      zipEntry: "model/iris.onnx",
      ...model,
    },
  };
}
