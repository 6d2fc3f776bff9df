import * as assert from "assert";
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
      pixelUrl: outputs.pixelUrl,
    });
    // CloudFront does not log a request whose URL exceeds 8,192 bytes.
    assert.ok(MAX_GET_BYTES < 8192);
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
