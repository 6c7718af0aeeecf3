/**
 * The deployed form of modelgate: the Pulumi `ModelEndpoint` component, built from the same
 * endpoint spec as the local gateway.
 */

export {
  type Artifact,
  ArtifactTooLargeError,
  type BuildOptions,
  buildArtifact,
  formatBreakdown,
} from "../package/index.ts";
export {
  LAMBDA_RUNTIME,
  LAMBDA_TASK_ROOT,
  LIVE_ALIAS,
  ModelEndpoint,
  type ModelEndpointArgs,
} from "./model-endpoint.ts";
export { deploymentHash, resourceTree, routeKey, sourceArnSuffix } from "./routes.ts";
