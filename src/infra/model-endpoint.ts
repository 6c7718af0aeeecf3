import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Artifact } from "../package/types.ts";
import {
  ENV,
  type EndpointSpec,
  type EndpointSpecInput,
  modelOf,
  parseSpec,
  vcpusForMemory,
} from "../spec/index.ts";
import { ACCESS_LOG_FORMAT, assumeRolePolicy, checkArtifact, createAccountLogRole } from "./parts.ts";
import { declaresContentType, deploymentHash, resourceTree, routeKey, sourceArnSuffix } from "./routes.ts";

/** Where Lambda unpacks the zip (`LAMBDA_TASK_ROOT`). */
export const LAMBDA_TASK_ROOT = "/var/task";

/** Current Node.js runtime of Lambda. */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** Name of the alias that carries provisioned concurrency. */
export const LIVE_ALIAS = "live";

export interface ModelEndpointArgs {
  /**
   * The endpoint spec, the same one the local gateway serves. Validated with `parseSpec` before
   * any resource is created: an invalid field fails the program, naming the field and its range.
   * @default {} (iris, `POST /model`, arm64, 2048 MB, 15 s, stage `prod`)
   * @example { function: { memoryMb: 3008 }, throttling: { rateLimit: 50, burstLimit: 100 } }
   */
  spec?: EndpointSpecInput;
  /**
   * The Lambda artifact written by `buildArtifact()` (exported beside this component); its
   * architecture must be the spec's.
   * @example const artifact = await buildArtifact({ spec }); new ModelEndpoint("iris", { spec, artifact });
   */
  artifact: Artifact;
  /**
   * Bucket that holds the model when the artifact places it in S3 (too large for the zip).
   * @default a private bucket created by the component, only when needed
   */
  modelBucket?: pulumi.Input<string>;
  /**
   * Give API Gateway, account- and region-wide, the CloudWatch role that access logging needs.
   * The role and the setting are kept when the endpoint is destroyed (other APIs may use them).
   * Set `false` when the account already has one.
   * @default spec.accessLogging
   */
  accountLogRole?: boolean;
  /** Tags on every taggable child. @default {} */
  tags?: Record<string, string>;
}

/**
 * An ONNX model behind API Gateway (REST, v1 proxy) and Lambda, built from the endpoint spec:
 * least-privilege role, log groups, function (optional reserved and provisioned concurrency),
 * REST API with one resource per path segment, methods, proxy integrations, scoped invoke
 * permissions, a deployment that follows the routes, and the stage.
 */
export class ModelEndpoint extends pulumi.ComponentResource {
  /** Invoke URL of the stage's `/model` route (or the first route when there is none). */
  readonly url: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly apiId: pulumi.Output<string>;
  readonly stageName: pulumi.Output<string>;

  readonly #name: string;
  readonly #spec: EndpointSpec;
  readonly #artifact: Artifact;
  readonly #tags: Record<string, string>;

  constructor(name: string, args: ModelEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate everything before the component (or any child) is registered.
    const spec = parseSpec(args.spec ?? {});
    checkArtifact(spec, args.artifact);
    super("modelgate:infra:ModelEndpoint", name, {}, opts);
    this.#name = name;
    this.#spec = spec;
    this.#artifact = args.artifact;
    this.#tags = { "modelgate:endpoint": spec.name, ...args.tags };

    const modelObject = this.createModelObject(args.modelBucket);
    const role = this.createRole(modelObject);
    const logGroup = this.createLogGroup();
    const fn = this.createFunction(role, logGroup, modelObject);
    const target = this.createTarget(fn);
    const api = this.createApi();
    const resources = this.createResources(api);
    const routes = this.createRoutes(api, resources, target);
    const deployment = this.createDeployment(api, routes);
    const stage = this.createStage(api, deployment, args.accountLogRole ?? spec.accessLogging);
    this.createMethodSettings(api, stage);

    const shown = spec.routes.find((route) => route.path === "/model") ?? spec.routes[0]!;
    this.url = pulumi.interpolate`${stage.invokeUrl}${shown.path === "/" ? "/" : shown.path}`;
    this.functionName = fn.name;
    this.apiId = api.id;
    this.stageName = stage.stageName;
    this.registerOutputs({
      url: this.url,
      functionName: this.functionName,
      apiId: this.apiId,
      stageName: this.stageName,
    });
  }

  private createModelObject(bucketName?: pulumi.Input<string>): aws.s3.BucketObject | undefined {
    const model = this.#artifact.model;
    if (model.placement !== "s3") return undefined;
    const bucket =
      bucketName ??
      new aws.s3.Bucket(
        `${this.#name}Models`,
        // Bucket names are lowercase, at most 63 characters: prefix (<= 37) + Pulumi's suffix.
        { bucketPrefix: `${this.#spec.name.slice(0, 29)}-models-`, forceDestroy: true, tags: this.#tags },
        { parent: this },
      ).bucket;
    return new aws.s3.BucketObject(
      `${this.#name}Model`,
      {
        bucket,
        key: `models/${model.name}-${model.sha256.slice(0, 12)}.onnx`,
        source: new pulumi.asset.FileAsset(model.localPath),
        contentType: "application/octet-stream",
        tags: this.#tags,
      },
      { parent: this },
    );
  }

  private createRole(modelObject: aws.s3.BucketObject | undefined): aws.iam.Role {
    const role = new aws.iam.Role(
      `${this.#name}Role`,
      {
        assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
        tags: this.#tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${this.#name}RoleBasicExecution`,
      { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole },
      { parent: this },
    );
    if (this.#spec.tracing) {
      // Active tracing sends segments to X-Ray: the one extra permission it needs.
      new aws.iam.RolePolicyAttachment(
        `${this.#name}RoleXRay`,
        { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess },
        { parent: this },
      );
    }
    if (modelObject) {
      new aws.iam.RolePolicy(
        `${this.#name}RoleModelRead`,
        {
          role: role.name,
          policy: modelObject.arn.apply((arn) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: arn }],
            }),
          ),
        },
        { parent: this },
      );
    }
    return role;
  }

  private createLogGroup(): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
      `${this.#name}Logs`,
      {
        namePrefix: `/aws/lambda/${this.#spec.name}-`,
        retentionInDays: this.#spec.logRetentionDays,
        tags: this.#tags,
      },
      { parent: this },
    );
  }

  private createFunction(
    role: aws.iam.Role,
    logGroup: aws.cloudwatch.LogGroup,
    modelObject: aws.s3.BucketObject | undefined,
  ): aws.lambda.Function {
    const spec = this.#spec;
    const model = this.#artifact.model;
    const fnSpec = spec.function;
    const variables: Record<string, pulumi.Input<string>> = {
      [ENV.modelName]: modelOf(spec).name,
      [ENV.threads]: String(fnSpec.threads ?? vcpusForMemory(fnSpec.memoryMb)),
    };
    // A model in S3 is copied to /tmp at init by the handler; otherwise it is in the zip.
    if (modelObject)
      variables[ENV.modelS3Uri] = pulumi.interpolate`s3://${modelObject.bucket}/${modelObject.key}`;
    else variables[ENV.modelPath] = `${LAMBDA_TASK_ROOT}/${model.zipEntry}`;
    return new aws.lambda.Function(
      `${this.#name}Function`,
      {
        description: `modelgate: ${spec.name} (${model.name})`,
        runtime: LAMBDA_RUNTIME,
        architectures: [fnSpec.architecture],
        handler: "index.handler",
        role: role.arn,
        code: new pulumi.asset.FileArchive(this.#artifact.zipPath),
        sourceCodeHash: this.#artifact.sha256,
        memorySize: fnSpec.memoryMb,
        timeout: Math.ceil(fnSpec.timeoutSeconds),
        environment: { variables },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tracingConfig: { mode: spec.tracing ? "Active" : "PassThrough" },
        ...(fnSpec.reservedConcurrency !== undefined
          ? { reservedConcurrentExecutions: fnSpec.reservedConcurrency }
          : {}),
        // Provisioned concurrency attaches to a published version (through an alias).
        publish: fnSpec.provisionedConcurrency > 0,
        tags: this.#tags,
      },
      { parent: this, dependsOn: [logGroup] },
    );
  }

  /** What API Gateway invokes: the function, or its `live` alias when provisioned concurrency is on. */
  private createTarget(fn: aws.lambda.Function): {
    invokeArn: pulumi.Output<string>;
    qualifier?: pulumi.Output<string>;
    fn: aws.lambda.Function;
  } {
    const provisioned = this.#spec.function.provisionedConcurrency;
    if (provisioned === 0) return { invokeArn: fn.invokeArn, fn };
    const alias = new aws.lambda.Alias(
      `${this.#name}Alias`,
      { name: LIVE_ALIAS, functionName: fn.name, functionVersion: fn.version },
      { parent: this },
    );
    new aws.lambda.ProvisionedConcurrencyConfig(
      `${this.#name}Provisioned`,
      { functionName: fn.name, qualifier: alias.name, provisionedConcurrentExecutions: provisioned },
      { parent: this },
    );
    return { invokeArn: alias.invokeArn, qualifier: alias.name, fn };
  }

  private createApi(): aws.apigateway.RestApi {
    return new aws.apigateway.RestApi(
      `${this.#name}Api`,
      {
        name: this.#spec.name,
        description: `modelgate endpoint ${this.#spec.name}: ${this.#spec.routes.map((r) => `${r.method} ${r.path}`).join(", ")}`,
        binaryMediaTypes: this.#spec.binaryMediaTypes,
        endpointConfiguration: { types: "REGIONAL" },
        tags: this.#tags,
      },
      { parent: this },
    );
  }

  /** One resource per path segment; shared prefixes once. */
  private createResources(api: aws.apigateway.RestApi): Map<string, aws.apigateway.Resource> {
    const resources = new Map<string, aws.apigateway.Resource>();
    for (const node of resourceTree(this.#spec.routes)) {
      const parent = node.parentPath === undefined ? undefined : resources.get(node.parentPath);
      resources.set(
        node.path,
        new aws.apigateway.Resource(
          `${this.#name}Resource${node.key}`,
          { restApi: api.id, parentId: parent ? parent.id : api.rootResourceId, pathPart: node.pathPart },
          { parent: this },
        ),
      );
    }
    return resources;
  }

  private createRoutes(
    api: aws.apigateway.RestApi,
    resources: Map<string, aws.apigateway.Resource>,
    target: { invokeArn: pulumi.Output<string>; qualifier?: pulumi.Output<string>; fn: aws.lambda.Function },
  ): { methods: aws.apigateway.Method[]; integrations: aws.apigateway.Integration[] } {
    const methods: aws.apigateway.Method[] = [];
    const integrations: aws.apigateway.Integration[] = [];
    for (const route of this.#spec.routes) {
      const key = routeKey(route);
      const resourceId = route.path === "/" ? api.rootResourceId : resources.get(route.path)!.id;
      const method = new aws.apigateway.Method(
        `${this.#name}Method${key}`,
        {
          restApi: api.id,
          resourceId,
          httpMethod: route.method,
          authorization: route.authorization,
          ...(declaresContentType(route)
            ? { requestParameters: { "method.request.header.Content-Type": true } }
            : {}),
        },
        { parent: this },
      );
      const integration = new aws.apigateway.Integration(
        `${this.#name}Integration${key}`,
        {
          restApi: api.id,
          resourceId,
          httpMethod: method.httpMethod,
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: target.invokeArn,
          timeoutMilliseconds: this.#spec.integrationTimeoutMs,
        },
        { parent: this },
      );
      new aws.lambda.Permission(
        `${this.#name}Permission${key}`,
        {
          action: "lambda:InvokeFunction",
          function: target.fn.name,
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${api.executionArn}${sourceArnSuffix(route)}`,
          ...(target.qualifier ? { qualifier: target.qualifier } : {}),
        },
        { parent: this },
      );
      methods.push(method);
      integrations.push(integration);
    }
    return { methods, integrations };
  }

  private createDeployment(
    api: aws.apigateway.RestApi,
    routes: { methods: aws.apigateway.Method[]; integrations: aws.apigateway.Integration[] },
  ): aws.apigateway.Deployment {
    const redeployment = deploymentHash({
      routes: this.#spec.routes,
      binaryMediaTypes: this.#spec.binaryMediaTypes,
      integration: {
        type: "AWS_PROXY",
        httpMethod: "POST",
        timeoutMs: this.#spec.integrationTimeoutMs,
        target: this.#spec.function.provisionedConcurrency > 0 ? `alias:${LIVE_ALIAS}` : "function",
      },
    });
    return new aws.apigateway.Deployment(
      `${this.#name}Deployment`,
      { restApi: api.id, description: `routes ${redeployment.slice(0, 12)}`, triggers: { redeployment } },
      // A new deployment before the old one goes, so the stage never points at nothing.
      { parent: this, dependsOn: [...routes.methods, ...routes.integrations], deleteBeforeReplace: false },
    );
  }

  private createStage(
    api: aws.apigateway.RestApi,
    deployment: aws.apigateway.Deployment,
    accountLogRole: boolean,
  ): aws.apigateway.Stage {
    const spec = this.#spec;
    const dependsOn: pulumi.Resource[] = [];
    let accessLogSettings: aws.types.input.apigateway.StageAccessLogSettings | undefined;
    if (spec.accessLogging) {
      const accessLogs = new aws.cloudwatch.LogGroup(
        `${this.#name}AccessLogs`,
        {
          namePrefix: `/aws/apigateway/${spec.name}-${spec.stage}-`,
          retentionInDays: spec.logRetentionDays,
          tags: this.#tags,
        },
        { parent: this },
      );
      accessLogSettings = { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT };
      if (accountLogRole) dependsOn.push(createAccountLogRole(this.#name, this, this.#tags));
    }
    return new aws.apigateway.Stage(
      `${this.#name}Stage`,
      {
        restApi: api.id,
        deployment: deployment.id,
        stageName: spec.stage,
        xrayTracingEnabled: spec.tracing,
        ...(accessLogSettings ? { accessLogSettings } : {}),
        tags: this.#tags,
      },
      { parent: this, dependsOn },
    );
  }

  private createMethodSettings(api: aws.apigateway.RestApi, stage: aws.apigateway.Stage): void {
    const throttling = this.#spec.throttling;
    if (!throttling) return;
    new aws.apigateway.MethodSettings(
      `${this.#name}MethodSettings`,
      {
        restApi: api.id,
        stageName: stage.stageName,
        methodPath: "*/*",
        settings: {
          throttlingRateLimit: throttling.rateLimit,
          throttlingBurstLimit: throttling.burstLimit,
        },
      },
      { parent: this },
    );
  }
}
