#!/usr/bin/env node
import { Command } from "commander";
import { register as registerBench } from "./bench.ts";
import { register as registerDeploy } from "./deploy.ts";
import { register as registerDestroy } from "./destroy.ts";
import { register as registerPackage } from "./package.ts";
import { register as registerServe } from "./serve.ts";

/**
 * The `modelgate` command line: thin commands over the modules; no logic a module should own.
 * Each command lives in its own file and exports `register(program)`.
 */
const program = new Command()
  .name("modelgate")
  .description("Host an ONNX model serverlessly on AWS, and run the same endpoint on this machine.");

registerServe(program);
registerPackage(program);
registerDeploy(program);
registerDestroy(program);
registerBench(program);

await program.parseAsync(process.argv);
