import type { PreparedHandler } from "./bundle.ts";

/**
 * The environment variables Lambda sets for a Node.js function
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */

/** Region reported locally when none is configured (`AWS_REGION`, else this). */
export const LOCAL_DEFAULT_REGION = "us-east-1";
/** Account id of local ARNs: the documentation placeholder account. */
export const LOCAL_ACCOUNT_ID = "123456789012";
/** The managed runtime emulated (the Lambda runtime id of Node.js 20). */
export const EMULATED_RUNTIME = "AWS_Lambda_nodejs20.x";

export interface FunctionIdentity {
  functionName: string;
  memoryMb: number;
  region: string;
}

export function functionArn(identity: FunctionIdentity): string {
  return `arn:aws:lambda:${identity.region}:${LOCAL_ACCOUNT_ID}:function:${identity.functionName}`;
}

/** Host variables an environment keeps (locale, paths, proxies); everything else is Lambda's or the function's. */
const INHERITED = ["PATH", "HOME", "TMPDIR", "LANG", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "SYSTEMROOT"];

export function lambdaVariables(
  identity: FunctionIdentity,
  prepared: PreparedHandler,
  logStreamName: string,
  functionVariables: Record<string, string>,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  return {
    ...inherited,
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    _HANDLER: prepared.handlerSetting,
    AWS_EXECUTION_ENV: EMULATED_RUNTIME,
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: identity.region,
    AWS_LAMBDA_FUNCTION_NAME: identity.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(identity.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${identity.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: prepared.taskRoot,
    NODE_PATH: "",
    ...functionVariables,
    // The runtime's own wiring comes last: a function variable cannot break it.
    MODELGATE_HANDLER_MODULE: prepared.moduleUrl,
    MODELGATE_HANDLER_EXPORT: prepared.exportName,
    MODELGATE_FUNCTION_ARN: functionArn(identity),
  };
}
