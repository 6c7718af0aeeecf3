import { beforeAll, describe, expect, it } from "vitest";
import { fakeArtifact, outputValue, recordResources } from "./mocks.ts";

let mocks: Awaited<ReturnType<typeof recordResources>>;
let endpointProgram: typeof import("../../src/infra/automation.ts").endpointProgram;

beforeAll(async () => {
  mocks = await recordResources();
  ({ endpointProgram } = await import("../../src/infra/automation.ts"));
});

describe("the inline program of modelgate deploy", () => {
  it("declares one ModelEndpoint named after the spec and exports its URL, function and API", async () => {
    const program = endpointProgram({ name: "iris", function: { architecture: "arm64" } }, fakeArtifact());
    const outputs = (await program()) as Record<string, import("@pulumi/pulumi").Output<string>>;
    expect(await outputValue(outputs.url!)).toBe(
      "https://irisApi-id.execute-api.us-east-1.amazonaws.com/prod/model",
    );
    expect(await outputValue(outputs.functionName!)).toBe("irisFunction-id");
    expect(await outputValue(outputs.apiId!)).toBe("irisApi-id");
    const components = mocks.resources.filter((r) => r.type === "modelgate:infra:ModelEndpoint");
    expect(components.map((c) => c.name)).toEqual(["iris"]);
    expect(mocks.resources.find((r) => r.type === "aws:apigateway/restApi:RestApi")?.inputs.name).toBe(
      "iris",
    );
  });
});
