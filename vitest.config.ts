import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn execution environments (child processes) and servers; two cores here.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
