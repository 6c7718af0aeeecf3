import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** Child processes the benchmark starts and stops itself (by their own handle, never by name). */

export interface ServerChild {
  child: ChildProcess;
  /** Stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine: (line: string) => void },
): ServerChild {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let carry = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = carry + chunk.toString("utf8");
    const lines = text.split("\n");
    carry = lines.pop()!;
    for (const line of lines) options.onLine(line);
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code, signal) => {
    if (code && code !== 0) process.stderr.write(`bench: child exited ${code ?? signal}: ${stderr.trim()}\n`);
  });
  return {
    child,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Wait for `predicate` to hold, checking on every line; reject after `timeoutMs`. */
export function waitFor<T>(
  subscribe: (listener: (line: string) => void) => void,
  match: (line: string) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`bench: ${what} not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    subscribe((line) => {
      if (done) return;
      const value = match(line);
      if (value !== undefined) {
        done = true;
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
