import { constants, existsSync, readFileSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { automation } from "@pulumi/pulumi";
import { type Artifact, buildArtifact, formatBreakdown } from "../package/index.ts";
import type { EndpointSpec, EndpointSpecInput } from "../spec/index.ts";
import { parseSpec } from "../spec/index.ts";
import { ModelEndpoint } from "./model-endpoint.ts";

/**
 * `modelgate deploy` / `destroy` for users without a Pulumi program: the Automation API runs an
 * inline program (one `ModelEndpoint`) against a local file backend under ~/.modelgate, with
 * the passphrase secrets provider, so no Pulumi Cloud account is needed. It needs the Pulumi
 * CLI and AWS credentials; both are checked before anything is written.
 */

export const PROJECT_NAME = "modelgate";

export const PULUMI_INSTALL_HINT =
  "install it with `curl -fsSL https://get.pulumi.com | sh` (or `brew install pulumi/tap/pulumi`), " +
  "see https://www.pulumi.com/docs/install/";

export const AWS_CREDENTIALS_HINT =
  "configure them with `aws configure` (or `aws sso login --profile NAME` and AWS_PROFILE=NAME), or set " +
  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see " +
  "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html";

/** A missing prerequisite: nothing was created; the message says what to install or set. */
export class PrerequisiteError extends Error {
  override name = "PrerequisiteError";
}

export interface Prerequisites {
  /** Root of the Pulumi installation when the CLI is not on PATH but in ~/.pulumi (the installer's default). */
  pulumiRoot?: string;
  /** Region from the command line or the environment; otherwise the AWS profile's. */
  region?: string;
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Find the Pulumi CLI: on PATH, else in ~/.pulumi/bin where the installer puts it. */
async function findPulumi(env: NodeJS.ProcessEnv, home: string): Promise<{ root?: string } | undefined> {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) if (await isExecutable(join(dir, name))) return {};
  }
  const root = join(home, ".pulumi");
  for (const name of names) if (await isExecutable(join(root, "bin", name))) return { root };
  return undefined;
}

/** Whether some source of AWS credentials is configured (the provider resolves which at deploy). */
function hasAwsCredentials(env: NodeJS.ProcessEnv, home: string): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials"),
    env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"),
  ];
  const profile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? "default";
  return files.some((file) => {
    if (!existsSync(file)) return false;
    const text = readFileSync(file, "utf8");
    return new RegExp(`^\\[(profile )?${profile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\]`, "m").test(text);
  });
}

/**
 * Check the Pulumi CLI and AWS credentials, reading only: no file, directory or stack is created
 * when either is missing. `skipCredentialsCheck` is for credentials this check cannot see
 * (an EC2 instance role).
 */
export async function checkPrerequisites(
  options: { env?: NodeJS.ProcessEnv; home?: string; region?: string; skipCredentialsCheck?: boolean } = {},
): Promise<Prerequisites> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const pulumi = await findPulumi(env, home);
  if (!pulumi) {
    throw new PrerequisiteError(
      `the Pulumi CLI is required for deploy and destroy but was not found on PATH or in ~/.pulumi/bin; ${PULUMI_INSTALL_HINT}`,
    );
  }
  if (!options.skipCredentialsCheck && !hasAwsCredentials(env, home)) {
    throw new PrerequisiteError(
      `AWS credentials are required for deploy and destroy but none were found (environment, ~/.aws/credentials, ~/.aws/config); ${AWS_CREDENTIALS_HINT}`,
    );
  }
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return { ...(pulumi.root ? { pulumiRoot: pulumi.root } : {}), ...(region ? { region } : {}) };
}

/** Where modelgate keeps its Pulumi state and artifacts: ~/.modelgate. */
export function modelgateHome(home = homedir()): string {
  return join(home, ".modelgate");
}

export interface StackOptions {
  /** Stack name. @default the spec's name */
  stack?: string;
  region?: string;
  skipCredentialsCheck?: boolean;
  /** Progress output. @default process.stdout */
  onOutput?: (text: string) => void;
}

async function workspaceOptions(prerequisites: Prerequisites, onOutput: (text: string) => void) {
  const home = modelgateHome();
  const stateDir = join(home, "pulumi");
  await mkdir(stateDir, { recursive: true });
  const pulumiCommand = await automation.PulumiCommand.get(
    prerequisites.pulumiRoot ? { root: prerequisites.pulumiRoot } : {},
  );
  const backend = `file://${stateDir}`;
  const envVars: Record<string, string> = { PULUMI_BACKEND_URL: backend, PULUMI_SKIP_UPDATE_CHECK: "true" };
  if (
    process.env.PULUMI_CONFIG_PASSPHRASE === undefined &&
    process.env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined
  ) {
    // The passphrase provider needs one; the stack holds no secrets, so an empty one is enough.
    envVars.PULUMI_CONFIG_PASSPHRASE = "";
    onOutput(
      "note: PULUMI_CONFIG_PASSPHRASE is not set; using an empty passphrase (the stack holds no secrets)\n",
    );
  }
  const options: automation.LocalWorkspaceOptions = {
    pulumiCommand,
    projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url: backend } },
    secretsProvider: "passphrase",
    envVars,
  };
  return options;
}

async function configure(stack: automation.Stack, region: string | undefined): Promise<void> {
  const awsVersion = (createRequire(import.meta.url)("@pulumi/aws/package.json") as { version: string })
    .version;
  await stack.workspace.installPlugin("aws", `v${awsVersion}`);
  if (region) await stack.setConfig("aws:region", { value: region });
}

/** The inline Pulumi program of `modelgate deploy`: one ModelEndpoint, its outputs as stack outputs. */
export function endpointProgram(input: EndpointSpecInput, artifact: Artifact): automation.PulumiFn {
  return async () => {
    const endpoint = new ModelEndpoint(parseSpec(input).name, { spec: input, artifact });
    return { url: endpoint.url, functionName: endpoint.functionName, apiId: endpoint.apiId };
  };
}

export interface DeployResult {
  url: string;
  functionName: string;
  apiId: string;
  stack: string;
}

/** Build the artifact and deploy the endpoint; prerequisites are checked first. */
export async function deploy(input: EndpointSpecInput, options: StackOptions = {}): Promise<DeployResult> {
  const spec: EndpointSpec = parseSpec(input);
  const onOutput = options.onOutput ?? ((text: string) => process.stdout.write(text));
  const prerequisites = await checkPrerequisites({
    ...(options.region ? { region: options.region } : {}),
    ...(options.skipCredentialsCheck ? { skipCredentialsCheck: true } : {}),
  });
  const stackName = options.stack ?? spec.name;
  const artifact = await buildArtifact({
    spec: input,
    outFile: join(modelgateHome(), "artifacts", `${stackName}-${spec.function.architecture}.zip`),
  });
  onOutput(`${formatBreakdown(artifact)}\n`);
  const program = endpointProgram(input, artifact);
  const stack = await automation.LocalWorkspace.createOrSelectStack(
    { projectName: PROJECT_NAME, stackName, program },
    await workspaceOptions(prerequisites, onOutput),
  );
  await configure(stack, prerequisites.region);
  const result = await stack.up({ onOutput });
  const out = (key: string) => String(result.outputs[key]?.value ?? "");
  return { url: out("url"), functionName: out("functionName"), apiId: out("apiId"), stack: stackName };
}

/** Delete every resource of the stack, then the stack itself. */
export async function destroy(name: string, options: StackOptions = {}): Promise<void> {
  const onOutput = options.onOutput ?? ((text: string) => process.stdout.write(text));
  const prerequisites = await checkPrerequisites({
    ...(options.region ? { region: options.region } : {}),
    ...(options.skipCredentialsCheck ? { skipCredentialsCheck: true } : {}),
  });
  const stackName = options.stack ?? name;
  const stack = await automation.LocalWorkspace.selectStack(
    { projectName: PROJECT_NAME, stackName, program: async () => ({}) },
    await workspaceOptions(prerequisites, onOutput),
  );
  await configure(stack, prerequisites.region);
  await stack.destroy({ onOutput });
  await stack.workspace.removeStack(stackName);
}
