import type { Command } from "commander";
import { deploy, PrerequisiteError } from "../infra/automation.ts";
import { addSpecOptions, type SpecOptions, specInput } from "./spec-options.ts";

/** `modelgate deploy`: the endpoint on AWS through the Pulumi Automation API (local state, no Pulumi Cloud). */

export interface StackCliOptions {
  stack?: string;
  region?: string;
  skipCredentialsCheck?: boolean;
}

export function addStackOptions(command: Command): Command {
  return command
    .option("--stack <name>", "Pulumi stack name (default: the endpoint name)")
    .option("--region <region>", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)")
    .option("--skip-credentials-check", "deploy even when no AWS credentials are visible (e.g. an EC2 role)");
}

/** Prerequisite and spec errors are the user's to fix: one clear line, exit 1. */
export function fail(program: Command, command: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const prefix =
    error instanceof PrerequisiteError ? `modelgate ${command}: cannot run:` : `modelgate ${command}:`;
  return program.error(`${prefix} ${message}`, { exitCode: 1 });
}

export function register(program: Command): void {
  addStackOptions(
    addSpecOptions(
      program
        .command("deploy")
        .description("Deploy the endpoint to AWS (API Gateway + Lambda) with Pulumi; needs the Pulumi CLI"),
    ),
  ).action(async (options: SpecOptions & StackCliOptions) => {
    try {
      const result = await deploy(await specInput(options), {
        ...(options.stack ? { stack: options.stack } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.skipCredentialsCheck ? { skipCredentialsCheck: true } : {}),
      });
      process.stdout.write(
        `\nendpoint ${result.url}\nfunction ${result.functionName}\napi      ${result.apiId}\nstack    ${result.stack}\n`,
      );
    } catch (error) {
      fail(program, "deploy", error);
    }
  });
}
