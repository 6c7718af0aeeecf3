import type { Command } from "commander";
import { destroy } from "../infra/automation.ts";
import { addStackOptions, fail, type StackCliOptions } from "./deploy.ts";

/** `modelgate destroy`: delete every resource `modelgate deploy` created, then the stack. */

export function register(program: Command): void {
  addStackOptions(
    program
      .command("destroy")
      .description("Delete the deployed endpoint and its stack; needs the Pulumi CLI")
      .option("--name <name>", "endpoint name used at deploy", "modelgate"),
  ).action(async (options: StackCliOptions & { name: string }) => {
    try {
      await destroy(options.name, {
        ...(options.stack ? { stack: options.stack } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.skipCredentialsCheck ? { skipCredentialsCheck: true } : {}),
      });
      process.stdout.write(`\ndestroyed stack ${options.stack ?? options.name}\n`);
    } catch (error) {
      fail(program, "destroy", error);
    }
  });
}
