import { describe, expect, it } from "vitest";
import { readyBanner } from "../../src/cli/serve.ts";
import { parseSpec } from "../../src/spec/index.ts";

describe("the banner serve prints at a terminal", () => {
  const url = "http://127.0.0.1:3000/prod";

  it("gives a request that works as is for the bundled iris model", () => {
    const banner = readyBanner(url, parseSpec(), false);
    expect(banner).toContain(`POST ${url}/model is ready`);
    expect(banner).toContain(`curl -s ${url}/model -H 'Content-Type: application/json'`);
    expect(banner).toContain(`-d '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}'`);
  });

  it("lists the routes but no iris example for another model", () => {
    const banner = readyBanner(url, parseSpec({ model: { path: "/models/resnet.onnx" } }), false);
    expect(banner).toContain(`POST ${url}/model is ready`);
    expect(banner).not.toContain("curl");
  });

  it("points a custom handler at the whole stage", () => {
    expect(readyBanner(url, parseSpec(), true)).toContain(`your handler is serving ${url}/`);
  });
});
