/**
 * `npm run bench`: latency overhead, gateway overhead, cold start, artifact size, cost and
 * peak memory of the endpoint, each against a baseline measured in the same run.
 *   --quick            a fast smoke run      --json        the report as JSON on stdout
 *   --model PATH       a user's model        --memory MB   memory setting (default 2048)
 *   --sections a,b     some sections only    --out DIR     results dir (default bench/results)
 */
import { main } from "./cli.ts";

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
