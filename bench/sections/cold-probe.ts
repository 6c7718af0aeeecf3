/**
 * Child process of the cold-start section: one execution environment's life, timed. Bundled
 * to plain JavaScript (no TypeScript loader at start) and run by `node`. Prints one line,
 * `MODELGATE_BENCH {json}`, and exits.
 *   deps    import onnxruntime-node (the artifact's own, when running the artifact)
 *   init    import the handler module: its code, then read the model, create the session, warm
 *           up (the handler logs that part as `loadMs`, which the parent reads)
 *   first   the first invocation, batch 1
 * then a few more invocations at larger batches, for the peak RSS of the environment.
 */
import type { APIGatewayProxyResult } from "aws-lambda";
import type { ModelInfo } from "../../src/inference/model.ts";
import { predictEvent, requestBody, syntheticInputs } from "../lib/inputs.ts";

const now = () => performance.timeOrigin + performance.now();
const entry = now();
const env = process.env;

type Handler = (event: unknown) => Promise<APIGatewayProxyResult>;

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const inputs = JSON.parse(env.MODELGATE_BENCH_INPUTS ?? "[]") as ModelInfo["inputs"];
const info = { inputs } as ModelInfo;
const batches = (env.MODELGATE_BENCH_BATCHES ?? "1").split(",").map(Number);

await import(env.MODELGATE_BENCH_ORT ?? "onnxruntime-node");
const depsLoaded = now();
const rssAfterDeps = maxRssBytes();
const loaded = (await import(env.MODELGATE_BENCH_HANDLER ?? "")) as { handler: Handler };
const initDone = now();
const rssAfterInit = maxRssBytes();
const first = await loaded.handler(predictEvent(requestBody(syntheticInputs(info, 1))));
const firstDone = now();
if (first.statusCode !== 200) throw new Error(`first invocation answered ${first.statusCode}: ${first.body}`);

// Peak memory under load: a few invocations at each batch size.
for (const batch of batches) {
  const event = predictEvent(requestBody(syntheticInputs(info, batch)));
  for (let i = 0; i < 3; i++) {
    const result = await loaded.handler(event);
    if (result.statusCode !== 200) throw new Error(`batch ${batch} answered ${result.statusCode}`);
  }
}

const report = {
  entry,
  depsLoaded,
  initDone,
  firstDone,
  rssAfterDeps,
  rssAfterInit,
  peakRss: maxRssBytes(),
};
process.stdout.write(`MODELGATE_BENCH ${JSON.stringify(report)}\n`);
process.exit(0);
