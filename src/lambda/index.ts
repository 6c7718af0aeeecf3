import { Logger } from "@aws-lambda-powertools/logger";
import { Model } from "../inference/model.ts";
import { configFromEnv } from "./config.ts";
import { handlerLogger } from "./fast-log.ts";
import { createHandler } from "./handler.ts";
import { downloadModel } from "./model-source.ts";

/**
 * The Lambda entry point (`index.handler`). The model loads during the init phase (top-level
 * await), once per execution environment; every invocation of that environment reuses it.
 */
const logger = new Logger({ serviceName: "modelgate" });
const config = configFromEnv();
const initStarted = performance.now();
const modelPath = config.modelS3Uri ? await downloadModel(config.modelS3Uri) : config.modelPath;
const model = await Model.load(modelPath, {
  ...(config.modelName ? { name: config.modelName } : {}),
  ...(config.threads ? { threads: config.threads } : {}),
  ...(config.memoryMb ? { memoryMb: config.memoryMb } : {}),
});
logger.info("model loaded", {
  model: model.info.name,
  inputs: model.info.inputs,
  outputs: model.info.outputs,
  loadMs: Math.round(performance.now() - initStarted),
});

export const handler = createHandler({ model, logger: handlerLogger(logger) });
export { createHandler, type HandlerLogger, type ProxyHandler } from "./handler.ts";
