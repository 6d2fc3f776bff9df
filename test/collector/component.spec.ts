import * as assert from "assert";
import { CollectorArgs, validateCollectorArgs } from "../../collector/config/args";
import { runStack, T } from "../harness";

const GOOD: CollectorArgs = {
  loggingEnabled: true,
  logPrefix: "cloudfront/",
  retentionDays: 30,
  noncurrentVersionRetentionDays: 7,
  priceClass: "PriceClass_100",
  viewerProtocolPolicy: "https-only",
  protectLogBucket: true,
};

describe("the Collector component", () => {
  it("parents every resource to itself", async () => {
    const run = await runStack("prod");
    const component = run.resources.filter((r) => r.type === T.component);
    assert.strictEqual(component.length, 1);
    const others = run.resources.filter((r) => r !== component[0]);
    assert.ok(others.length >= 15);
    for (const r of others) assert.strictEqual(r.parent, component[0].urn, `${r.name} is a child`);
  });

  it("validates its typed args for programs that reuse it, naming the argument", () => {
    assert.strictEqual(validateCollectorArgs(GOOD), GOOD);
    assert.throws(
      () => validateCollectorArgs({ ...GOOD, retentionDays: 0, priceClass: "cheap" as never }),
      (e: Error) =>
        /retentionDays: 0 is not allowed; expected a whole number of days/.test(e.message) &&
        /priceClass: "cheap" is not allowed; expected one of PriceClass_100/.test(e.message),
    );
  });
});
