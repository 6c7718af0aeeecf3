import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Artifact } from "../package/types.ts";
import type { EndpointSpec } from "../spec/index.ts";

/** Pieces of ModelEndpoint that stand on their own: policies, the access log format, checks. */

/** Access log line: the fields API Gateway's `$context` offers that help debug a call, no bodies. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  errorMessage: "$context.error.message",
});

/** Trust policy that lets an AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** The account-wide role API Gateway writes access logs with; kept on destroy. */
export function createAccountLogRole(
  name: string,
  parent: pulumi.Resource,
  tags: Record<string, string>,
): aws.apigateway.Account {
  const role = new aws.iam.Role(
    `${name}ApiGatewayLogRole`,
    {
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com"),
      tags,
    },
    { parent, retainOnDelete: true },
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}ApiGatewayLogRolePolicy`,
    { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonAPIGatewayPushToCloudWatchLogs },
    { parent, retainOnDelete: true },
  );
  return new aws.apigateway.Account(
    `${name}ApiGatewayAccount`,
    { cloudwatchRoleArn: role.arn },
    { parent, retainOnDelete: true, dependsOn: [attachment] },
  );
}

/** The artifact must carry the spec's architecture, and its model must be where it says. */
export function checkArtifact(spec: EndpointSpec, artifact: Artifact | undefined): void {
  if (!artifact)
    throw new TypeError("artifact: required, build it with buildArtifact() from modelgate/infra");
  if (artifact.architecture !== spec.function.architecture) {
    throw new RangeError(
      `artifact: built for ${artifact.architecture} but function.architecture is ${spec.function.architecture}; rebuild it for ${spec.function.architecture}`,
    );
  }
  if (artifact.model.placement === "zip" && !artifact.model.zipEntry)
    throw new TypeError("artifact.model.zipEntry: required when the model is in the zip");
}
