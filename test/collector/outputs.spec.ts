import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MAX_GET_BYTES } from "../../collector/trackerConfig";
import { unknownValue } from "../../offline/mockRun";
import { runStack } from "../harness";

describe("the stack outputs", () => {
  it("give a tracker everything it needs (prod)", async () => {
    const { outputs } = await runStack("prod");
    assert.strictEqual(outputs.collectorDomain, "<collector-cdn.domainName>");
    assert.strictEqual(outputs.distributionDomain, outputs.collectorDomain);
    assert.strictEqual(outputs.pixelUrl, `https://${outputs.collectorDomain}/i`);
    assert.strictEqual(outputs.distributionId, "<collector-cdn.id>");
    assert.strictEqual(outputs.pixelBucket, "<collector-pixel.bucket>");
    assert.strictEqual(outputs.logBucket, "<collector-logs.bucket>");
    assert.strictEqual(outputs.logPrefix, "cloudfront/prod/");
    assert.strictEqual(outputs.region, "eu-west-1");
    assert.strictEqual(outputs.loggingEnabled, true);
    assert.strictEqual(outputs.viewerProtocolPolicy, "https-only");
    assert.deepStrictEqual(outputs.trackerConfig, {
      endpoint: `https://${outputs.collectorDomain}`,
      eventMethod: "get",
      maxGetBytes: MAX_GET_BYTES,
      credentials: "omit",
      pixelUrl: outputs.pixelUrl,
    });
    assert.deepStrictEqual(outputs.corsAllowedOrigins, ["*"]);
    // CloudFront does not log a request whose URL exceeds 8,192 bytes.
    assert.ok(MAX_GET_BYTES < 8192);
  });

  it("ask the tracker for credentials only when the edge allows them (an origin allow-list)", async () => {
    const origins = ["https://www.example.com", "https://shop.example.com"];
    const { outputs } = await runStack("prod", { corsAllowedOrigins: JSON.stringify(origins) });
    assert.deepStrictEqual(outputs.corsAllowedOrigins, origins);
    assert.strictEqual((outputs.trackerConfig as Record<string, unknown>).credentials, "include");
  });

  it("are what the committed outputs fixture of the commands' tests holds, key for key", async () => {
    const { outputs } = await runStack("prod");
    const fixture = JSON.parse(
      fs.readFileSync(path.join(__dirname, "../commands/fixtures/outputs-prod.json"), "utf8"),
    );
    assert.deepStrictEqual(Object.keys(fixture).sort(), Object.keys(outputs).sort());
    const tracker = (o: Record<string, unknown>) => Object.keys(o.trackerConfig as object).sort();
    assert.deepStrictEqual(tracker(fixture), tracker(outputs));
  });

  it("have no log prefix while dev logging is off", async () => {
    const { outputs } = await runStack("dev");
    assert.strictEqual(outputs.logPrefix, undefined);
    assert.strictEqual(outputs.loggingEnabled, false);
  });

  it("are unknown where AWS computes them, at preview time", async () => {
    const { outputs } = await runStack("prod", {}, "unknown");
    assert.strictEqual(outputs.collectorDomain, unknownValue);
    assert.strictEqual(outputs.region, "eu-west-1");
  });
});
