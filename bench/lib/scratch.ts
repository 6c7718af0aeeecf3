import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let root: string | undefined;

/**
 * A directory under one temp dir per bench process (the generated MLP, the artifacts and their
 * unpacked copies: ~150 MB a run), removed when the process exits.
 */
export function scratchDir(name: string): string {
  if (!root) {
    const dir = mkdtempSync(join(tmpdir(), "modelgate-bench-"));
    root = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
