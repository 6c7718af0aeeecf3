import { beforeAll, describe, expect, it } from "vitest";
import type { ModelEndpointArgs, ModelEndpoint as ModelEndpointClass } from "../../src/infra/index.ts";
import { fakeArtifact, outputValue, type Recorded, recordResources } from "./mocks.ts";

let ModelEndpoint: typeof ModelEndpointClass;
let mocks: Awaited<ReturnType<typeof recordResources>>;

beforeAll(async () => {
  mocks = await recordResources();
  // The component must be imported after the mocks are in place.
  ({ ModelEndpoint } = await import("../../src/infra/index.ts"));
});

/** Build an endpoint under the mocks and return the resources it registered. */
async function deploy(
  name: string,
  args: Partial<ModelEndpointArgs> = {},
): Promise<{ endpoint: ModelEndpointClass; resources: Recorded[] }> {
  const before = mocks.resources.length;
  const endpoint = new ModelEndpoint(
    name,
    { artifact: fakeArtifact(), ...args },
    { transformations: [mocks.capture] },
  );
  await mocks.settle();
  const resources = mocks.resources.slice(before).filter((r) => r.name.startsWith(name));
  return { endpoint, resources };
}

function only(resources: Recorded[], type: string): Recorded {
  const found = resources.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

function all(resources: Recorded[], type: string): Recorded[] {
  return resources.filter((r) => r.type === type);
}

describe("ModelEndpoint with the default spec", () => {
  let endpoint: ModelEndpointClass;
  let resources: Recorded[];

  beforeAll(async () => {
    ({ endpoint, resources } = await deploy("seed"));
  });

  it("registers itself and names every child after the component", () => {
    expect(only(resources, "modelgate:infra:ModelEndpoint").name).toBe("seed");
    for (const resource of resources) expect(resource.name).toMatch(/^seed/);
  });

  it("gives the function a role with only basic execution", () => {
    const role = all(resources, "aws:iam/role:Role").find((r) => r.name === "seedRole")!;
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({
      Service: "lambda.amazonaws.com",
    });
    const attachments = all(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    const functionPolicies = attachments
      .filter((a) => a.inputs.role === "seedRole-id")
      .map((a) => a.inputs.policyArn);
    expect(functionPolicies).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    expect(all(resources, "aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);
  });

  it("keeps function logs in a log group with the spec's retention", () => {
    const logs = all(resources, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "seedLogs")!;
    expect(logs.inputs.retentionInDays).toBe(14);
    const fn = only(resources, "aws:lambda/function:Function");
    expect(fn.inputs.loggingConfig.logGroup).toBe(`${logs.inputs.namePrefix}seedLogs-id`);
  });

  it("runs the artifact on nodejs22.x arm64 with the spec's memory, timeout and environment", async () => {
    const fn = only(resources, "aws:lambda/function:Function");
    expect(fn.inputs).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memorySize: 2048,
      timeout: 15,
      role: "arn:aws:iam::123456789012:role/seedRole-id",
      sourceCodeHash: "c2hhMjU2",
      publish: false,
    });
    expect(await fn.inputs.code.path).toBe("/tmp/modelgate-test/artifact.zip");
    expect(fn.inputs.environment.variables).toEqual({
      MODELGATE_MODEL_PATH: "/var/task/model/iris.onnx",
      MODELGATE_MODEL_NAME: "iris",
      MODELGATE_THREADS: "2",
    });
    expect(fn.inputs.reservedConcurrentExecutions).toBeUndefined();
    expect(all(resources, "aws:lambda/alias:Alias")).toHaveLength(0);
  });

  it("creates the REST API, the /model resource, POST method and proxy integration", () => {
    const api = only(resources, "aws:apigateway/restApi:RestApi");
    expect(api.inputs.name).toBe("modelgate");
    expect(api.inputs.description).toContain("POST /model");
    expect(api.inputs.binaryMediaTypes).toEqual([]);
    const resource = only(resources, "aws:apigateway/resource:Resource");
    expect(resource.inputs).toMatchObject({
      restApi: "seedApi-id",
      parentId: "seedApi-id-root",
      pathPart: "model",
    });
    const method = only(resources, "aws:apigateway/method:Method");
    expect(method.inputs).toMatchObject({
      restApi: "seedApi-id",
      resourceId: "seedResourceModel-id",
      httpMethod: "POST",
      authorization: "NONE",
      requestParameters: { "method.request.header.Content-Type": true },
    });
    const integration = only(resources, "aws:apigateway/integration:Integration");
    expect(integration.inputs).toMatchObject({
      resourceId: "seedResourceModel-id",
      httpMethod: "POST",
      type: "AWS_PROXY",
      integrationHttpMethod: "POST",
      timeoutMilliseconds: 29_000,
      uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:seedFunction-id/invocations",
    });
  });

  it("lets API Gateway invoke the function only from this API's POST /model", () => {
    const permission = only(resources, "aws:lambda/permission:Permission");
    expect(permission.inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      function: "seedFunction-id",
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:us-east-1:123456789012:seedApi-id/*/POST/model",
    });
  });

  it("deploys with a trigger hash into a separate prod stage with access logs", () => {
    const deployment = only(resources, "aws:apigateway/deployment:Deployment");
    expect(deployment.inputs.restApi).toBe("seedApi-id");
    expect(deployment.inputs.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.inputs.stageName).toBeUndefined();
    const stage = only(resources, "aws:apigateway/stage:Stage");
    expect(stage.inputs).toMatchObject({
      stageName: "prod",
      deployment: "seedDeployment-id",
      restApi: "seedApi-id",
      xrayTracingEnabled: false,
    });
    const accessLogs = all(resources, "aws:cloudwatch/logGroup:LogGroup").find(
      (g) => g.name === "seedAccessLogs",
    )!;
    expect(stage.inputs.accessLogSettings.destinationArn).toContain("seedAccessLogs-id");
    expect(JSON.parse(stage.inputs.accessLogSettings.format)).toMatchObject({ status: "$context.status" });
    expect(accessLogs.inputs.retentionInDays).toBe(14);
    expect(only(resources, "aws:apigateway/account:Account").inputs.cloudwatchRoleArn).toContain(
      "seedApiGatewayLogRole-id",
    );
  });

  it("has no throttling settings unless the spec asks", () => {
    expect(all(resources, "aws:apigateway/methodSettings:MethodSettings")).toHaveLength(0);
  });

  it("outputs the invoke URL of /model, the function name and the API id", async () => {
    expect(await outputValue(endpoint.url)).toBe(
      "https://seedApi-id.execute-api.us-east-1.amazonaws.com/prod/model",
    );
    expect(await outputValue(endpoint.functionName)).toBe("seedFunction-id");
    expect(await outputValue(endpoint.apiId)).toBe("seedApi-id");
  });
});

describe("ModelEndpoint options from the spec", () => {
  it("applies throttling, tracing, binary media types, concurrency and x86_64", async () => {
    const { resources } = await deploy("tuned", {
      artifact: fakeArtifact({ architecture: "x86_64" }),
      spec: {
        stage: "live",
        function: {
          architecture: "x86_64",
          memoryMb: 4096,
          timeoutSeconds: 29,
          reservedConcurrency: 20,
          provisionedConcurrency: 2,
          threads: 3,
        },
        integrationTimeoutMs: 10_000,
        binaryMediaTypes: ["application/octet-stream"],
        throttling: { rateLimit: 50, burstLimit: 100 },
        tracing: true,
        accessLogging: false,
        logRetentionDays: 30,
      },
    });
    const fn = only(resources, "aws:lambda/function:Function");
    expect(fn.inputs).toMatchObject({
      architectures: ["x86_64"],
      memorySize: 4096,
      timeout: 29,
      reservedConcurrentExecutions: 20,
      publish: true,
      tracingConfig: { mode: "Active" },
    });
    expect(fn.inputs.environment.variables.MODELGATE_THREADS).toBe("3");
    const alias = only(resources, "aws:lambda/alias:Alias");
    expect(alias.inputs).toMatchObject({
      name: "live",
      functionName: "tunedFunction-id",
      functionVersion: "1",
    });
    expect(
      only(resources, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs,
    ).toMatchObject({
      functionName: "tunedFunction-id",
      qualifier: "live",
      provisionedConcurrentExecutions: 2,
    });
    const integration = only(resources, "aws:apigateway/integration:Integration");
    expect(integration.inputs.uri).toContain("function:fn:live/invocations");
    expect(integration.inputs.timeoutMilliseconds).toBe(10_000);
    expect(only(resources, "aws:lambda/permission:Permission").inputs.qualifier).toBe("live");
    expect(only(resources, "aws:apigateway/restApi:RestApi").inputs.binaryMediaTypes).toEqual([
      "application/octet-stream",
    ]);
    const stage = only(resources, "aws:apigateway/stage:Stage");
    expect(stage.inputs.stageName).toBe("live");
    expect(stage.inputs.xrayTracingEnabled).toBe(true);
    expect(stage.inputs.accessLogSettings).toBeUndefined();
    expect(all(resources, "aws:apigateway/account:Account")).toHaveLength(0);
    expect(only(resources, "aws:apigateway/methodSettings:MethodSettings").inputs).toMatchObject({
      restApi: "tunedApi-id",
      stageName: "live",
      methodPath: "*/*",
      settings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(30);
    const policies = all(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
      (a) => a.inputs.policyArn,
    );
    expect(policies).toContain("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
  });

  it("builds one resource per path segment, shares prefixes, scopes each permission", async () => {
    const { resources } = await deploy("oip", {
      spec: {
        routes: [
          { method: "POST", path: "/model" },
          { method: "GET", path: "/v2/health/ready" },
          { method: "GET", path: "/v2/health/live" },
          { method: "POST", path: "/v2/models/{name}/infer", authorization: "AWS_IAM" },
          { method: "ANY", path: "/files/{proxy+}" },
        ],
      },
    });
    const byPath = new Map(all(resources, "aws:apigateway/resource:Resource").map((r) => [r.name, r.inputs]));
    expect([...byPath.keys()].sort()).toEqual(
      [
        "oipResourceModel",
        "oipResourceV2",
        "oipResourceV2Health",
        "oipResourceV2HealthReady",
        "oipResourceV2HealthLive",
        "oipResourceV2Models",
        "oipResourceV2ModelsName",
        "oipResourceV2ModelsNameInfer",
        "oipResourceFiles",
        "oipResourceFilesProxyPlus",
      ].sort(),
    );
    expect(byPath.get("oipResourceV2Health")).toMatchObject({
      parentId: "oipResourceV2-id",
      pathPart: "health",
    });
    expect(byPath.get("oipResourceV2ModelsName")).toMatchObject({
      parentId: "oipResourceV2Models-id",
      pathPart: "{name}",
    });
    expect(byPath.get("oipResourceFilesProxyPlus")).toMatchObject({ pathPart: "{proxy+}" });
    const infer = all(resources, "aws:apigateway/method:Method").find(
      (m) => m.name === "oipMethodPostV2ModelsNameInfer",
    )!;
    expect(infer.inputs.authorization).toBe("AWS_IAM");
    const health = all(resources, "aws:apigateway/method:Method").find(
      (m) => m.name === "oipMethodGetV2HealthReady",
    )!;
    expect(health.inputs.requestParameters).toBeUndefined();
    const arns = all(resources, "aws:lambda/permission:Permission").map(
      (p) => p.inputs.sourceArn.split(":oipApi-id")[1],
    );
    expect(arns.sort()).toEqual(
      [
        "/*/POST/model",
        "/*/GET/v2/health/ready",
        "/*/GET/v2/health/live",
        "/*/POST/v2/models/*/infer",
        "/*/*/files/*",
      ].sort(),
    );
    expect(all(resources, "aws:apigateway/integration:Integration")).toHaveLength(5);
  });

  it("makes the deployment depend on every method and integration", async () => {
    await deploy("deps", {
      spec: {
        routes: [
          { method: "POST", path: "/model" },
          { method: "GET", path: "/v2/health/ready" },
        ],
      },
    });
    expect((await mocks.dependsOn("depsDeployment")).sort()).toEqual(
      [
        "depsMethodPostModel",
        "depsMethodGetV2HealthReady",
        "depsIntegrationPostModel",
        "depsIntegrationGetV2HealthReady",
      ].sort(),
    );
  });

  it("reads a model that lives in S3 with s3:GetObject on that object only", async () => {
    const { resources } = await deploy("big", {
      artifact: fakeArtifact({}, { placement: "s3", zipEntry: undefined, name: "resnet" }),
      spec: { model: { path: "/models/resnet.onnx" } },
    });
    const object = only(resources, "aws:s3/bucketObject:BucketObject");
    expect(object.inputs.bucket).toBe("bigModels-id");
    expect(only(resources, "aws:s3/bucket:Bucket").inputs).toMatchObject({
      bucketPrefix: "modelgate-models-",
    });
    expect(object.inputs.key).toBe("models/resnet-0123456789ab.onnx");
    const policy = JSON.parse(only(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    expect(policy.Statement).toEqual([
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::bigModels-id/models/resnet-0123456789ab.onnx",
      },
    ]);
    const env = only(resources, "aws:lambda/function:Function").inputs.environment.variables;
    expect(env.MODELGATE_MODEL_S3_URI).toBe("s3://bigModels-id/models/resnet-0123456789ab.onnx");
    expect(env.MODELGATE_MODEL_PATH).toBeUndefined();
  });
});

describe("the deployment trigger", () => {
  async function trigger(name: string, args: Partial<ModelEndpointArgs>): Promise<string> {
    const { resources } = await deploy(name, args);
    return only(resources, "aws:apigateway/deployment:Deployment").inputs.triggers.redeployment;
  }

  it("changes when a route changes and stays when only other settings change", async () => {
    const base = await trigger("t1", {});
    const same = await trigger("t2", { spec: { function: { memoryMb: 4096 }, logRetentionDays: 7 } });
    const newRoute = await trigger("t3", {
      spec: { routes: [{ method: "POST", path: "/predict" }] },
    });
    const newAuth = await trigger("t4", {
      spec: { routes: [{ method: "POST", path: "/model", authorization: "AWS_IAM" }] },
    });
    const newTimeout = await trigger("t5", { spec: { integrationTimeoutMs: 5000 } });
    expect(same).toBe(base);
    expect(newRoute).not.toBe(base);
    expect(newAuth).not.toBe(base);
    expect(newTimeout).not.toBe(base);
  });
});

describe("spec errors", () => {
  it.each([
    [{ function: { memoryMb: 64 } }, /function\.memoryMb: .*between 128 and 10240 MB/],
    [{ function: { memoryMb: 20_000 } }, /function\.memoryMb: .*between 128 and 10240 MB/],
    [{ function: { timeoutSeconds: 30 } }, /function\.timeoutSeconds: .*between 1 and 29 s/],
    [{ function: { architecture: "sparc" } }, /function\.architecture: .*one of arm64, x86_64/],
  ])("fail before any resource is registered: %j", async (spec, message) => {
    const before = mocks.resources.length;
    expect(
      () =>
        new ModelEndpoint(
          "bad",
          { artifact: fakeArtifact(), spec: spec as ModelEndpointArgs["spec"] },
          {
            transformations: [mocks.capture],
          },
        ),
    ).toThrow(message);
    await mocks.settle();
    expect(mocks.resources.length).toBe(before);
  });

  it("refuse an artifact built for the other architecture", async () => {
    const before = mocks.resources.length;
    expect(
      () => new ModelEndpoint("mismatch", { artifact: fakeArtifact({ architecture: "x86_64" }) }),
    ).toThrow(/built for x86_64 but function\.architecture is arm64/);
    await mocks.settle();
    expect(mocks.resources.length).toBe(before);
  });
});
