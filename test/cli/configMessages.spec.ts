/**
 * Config mistakes as `npm run preview` reports them: the key, the value, what is allowed, and
 * never the code's own words ("undefined", "(set)").
 */
import * as assert from "assert";
import { runPreview } from "../support/runMain";

const CERT = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";

async function preview(...config: string[]) {
  const args = ["--stack", "prod", ...config.flatMap((c) => ["--config", c])];
  return runPreview(args);
}

describe("npm run preview on bad config", function () {
  this.timeout(60000);

  it("a misspelt key, an empty log prefix, a certificate without its domain: exit 2, one message", async () => {
    const { status, stdout, stderr } = await preview(
      "retentionDay=30",
      "logPrefix=",
      `certificateArn=${CERT}`,
    );
    assert.strictEqual(status, 2, stdout + stderr);
    assert.strictEqual(stdout, "", "no plan before the error");
    assert.match(
      stderr,
      /cloudfront-collector:retentionDay: "30" is set, but the project declares no such key; did you mean retentionDays\?/,
    );
    assert.match(
      stderr,
      /cloudfront-collector:logPrefix: "" is not allowed; expected a non-empty key prefix/,
    );
    assert.match(
      stderr,
      /cloudfront-collector:customDomain: not set; expected a value too, because certificateArn is set: they serve customDomain/,
    );
    assert.doesNotMatch(stderr, /undefined|\(set\)/);
  });

  it("a custom domain without its hosted zone or certificate: says which two ways there are", async () => {
    const { status, stderr } = await preview("customDomain=c.example.com");
    assert.strictEqual(status, 2);
    assert.match(
      stderr,
      /hostedZoneId: not set; expected a value, because customDomain is set: .* or set certificateArn instead/,
    );
    assert.doesNotMatch(stderr, /undefined|\(set\)/);
  });

  it("a key unlike any declared one lists the declared keys without a guess", async () => {
    const { status, stderr } = await preview("colour=blue");
    assert.strictEqual(status, 2);
    assert.match(
      stderr,
      /colour: "blue" is set, but the project declares no such key\. Declared keys: requireEuRegion,/,
    );
  });
});
