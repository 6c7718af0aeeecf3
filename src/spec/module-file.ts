import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A module of this package that is handed to esbuild or a child process by path (the Lambda
 * handler, the environment worker). From source it is the `.ts` file; from the compiled
 * package (dist/) the `.js` beside it.
 */
export function moduleFile(relativeTs: string, base: string): string {
  const source = fileURLToPath(new URL(relativeTs, base));
  return existsSync(source) ? source : source.replace(/\.ts$/, ".js");
}
