import { Console } from "node:console";
import { Writable } from "node:stream";
import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The handler's real logger (Powertools, JSON lines), writing to a sink that drops the bytes:
 * the benchmark pays for building and serializing each log line, as the Lambda does, without
 * printing thousands of lines.
 */
export function sinkLogger(): Logger {
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  const logger = new Logger({ serviceName: "modelgate-bench" });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return logger;
}
