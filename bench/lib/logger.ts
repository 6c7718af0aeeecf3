import { Console } from "node:console";
import { Writable } from "node:stream";
import { Logger } from "@aws-lambda-powertools/logger";
import { createInfoLine, handlerLogger } from "../../src/lambda/fast-log.ts";
import type { HandlerLogger } from "../../src/lambda/handler.ts";

/**
 * The handler's real logger (src/lambda/fast-log.ts: the cheap per-invocation line, Powertools
 * for warnings and errors), writing to a sink that drops the bytes: the benchmark pays for
 * building and serializing each log line, as the Lambda does, without printing thousands of lines.
 */
export function sinkLogger(): HandlerLogger {
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  const logger = new Logger({ serviceName: "modelgate-bench" });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return handlerLogger(
    logger,
    createInfoLine("modelgate-bench", (line) => sink.write(line), {}),
  );
}
