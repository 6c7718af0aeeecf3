#!/usr/bin/env node
import { Command } from "commander";

/**
 * The `modelgate` command line: thin commands over the modules; no logic a module should own.
 * Each command lives in its own file and exports `register(program)`.
 */
const program = new Command()
  .name("modelgate")
  .description("Host an ONNX model serverlessly on AWS, and run the same endpoint on this machine.");

await program.parseAsync(process.argv);
