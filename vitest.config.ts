import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn execution environments (child processes) and servers; two cores here.
    maxWorkers: 2,
    // The JSON report feeds the one-line summary that .ci/run prints at the end.
    reporters: ["default", ["json", { outputFile: ".build/vitest-results.json" }]],
  },
});
