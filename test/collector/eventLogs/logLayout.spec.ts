import * as assert from "assert";
import {
  deliveryObjectArn,
  destinationPrefix,
  destinationResourceArn,
  parseV2Key,
  renderSuffixPath,
  storageLocationTemplate,
  SUFFIX_VARIABLES,
  V2_PARTITIONS,
  V2_SUFFIX_PATH,
  v2DistributionKeyPrefix,
  v2KeyPrefix,
} from "../../../collector/eventLogs/logLayout";

const HOUR = new Date("2026-03-07T09:41:12.345Z");
const BUCKET_ARN = "arn:aws:s3:::collector-logs-1234";

/** S3 policy wildcard match: `*` is any run of characters, `?` any one. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(arn);
}

describe("the v2 log layout", () => {
  it("renders AWS's own example: prefix MyLogPrefix, suffix myFolderA/{yyyy}, Hive on", () => {
    const key = v2KeyPrefix(
      "MyLogPrefix/",
      { distributionId: "E1", time: new Date("2025-06-01T00:00:00Z") },
      "myFolderA/{yyyy}",
      true,
    );
    assert.strictEqual(key, "MyLogPrefix/myFolderA/year=2025/");
  });

  it("writes each variable as AWS's Hive names, zero-padded, in UTC", () => {
    const values = { distributionId: "E2QWRUHEXAMPLE", accountId: "111111111111", time: HOUR };
    assert.strictEqual(
      renderSuffixPath("{DistributionId}/{distributionid}/{yyyy}/{MM}/{dd}/{HH}/{accountid}", values, true),
      "DistributionId=E2QWRUHEXAMPLE/distributionid=E2QWRUHEXAMPLE/year=2026/month=03/day=07/hour=09/accountid=111111111111",
    );
    assert.strictEqual(renderSuffixPath(V2_SUFFIX_PATH, values, false), "E2QWRUHEXAMPLE/2026/03/07/09");
    assert.throws(
      () => renderSuffixPath("{minute}", values, true),
      /"\{minute\}" is not a suffix-path variable/,
    );
  });

  it("partitions by distribution id (lower-case variable, for Glue) and hour", () => {
    assert.strictEqual(V2_SUFFIX_PATH, "{distributionid}/{yyyy}/{MM}/{dd}/{HH}");
    assert.strictEqual(
      v2KeyPrefix("cloudfront/prod/", { distributionId: "E2QWRUHEXAMPLE", time: HOUR }),
      "cloudfront/prod/distributionid=E2QWRUHEXAMPLE/year=2026/month=03/day=07/hour=09/",
    );
    const names = [...V2_SUFFIX_PATH.matchAll(/\{([^}]+)\}/g)].map((m) => SUFFIX_VARIABLES[m[1]]);
    assert.deepStrictEqual(
      names,
      V2_PARTITIONS.map((p) => p.name),
      "the Athena partitions follow the path",
    );
  });

  it("puts an explicit prefix in the destination ARN and refuses none", () => {
    assert.strictEqual(destinationPrefix("cloudfront/prod/"), "cloudfront/prod");
    assert.strictEqual(
      destinationResourceArn(BUCKET_ARN, "cloudfront/prod/"),
      `${BUCKET_ARN}/cloudfront/prod`,
    );
    assert.throws(() => destinationPrefix(""), /logPrefix "" gives no usable destination prefix/);
    assert.throws(() => destinationPrefix("/"), /no usable destination prefix/);
  });

  it("lands every generated key under the object ARN the bucket policy allows, and none outside", () => {
    const allowed = deliveryObjectArn(BUCKET_ARN, "cloudfront/prod/");
    for (let h = 0; h < 48; h += 7) {
      const time = new Date(Date.UTC(2026, 11, 31, h));
      const key =
        v2KeyPrefix("cloudfront/prod/", { distributionId: "E2QWRUHEXAMPLE", time }) + "E2QWRUHEXAMPLE.x.gz";
      assert.ok(arnMatches(allowed, `${BUCKET_ARN}/${key}`), key);
    }
    assert.ok(!arnMatches(allowed, `${BUCKET_ARN}/cloudfront/production/x.gz`));
    assert.ok(!arnMatches(allowed, `${BUCKET_ARN}/AWSLogs/111111111111/CloudFront/x.gz`));
  });

  it("gives Athena a storage location template with the same partitions", () => {
    assert.strictEqual(
      storageLocationTemplate("collector-logs-1234", "cloudfront/prod/"),
      "s3://collector-logs-1234/cloudfront/prod/distributionid=${distributionid}/year=${year}/month=${month}/day=${day}/hour=${hour}/",
    );
  });

  it("parses a generated key back, and nothing else", () => {
    const prefix = v2KeyPrefix("cloudfront/prod/", { distributionId: "E2QWRUHEXAMPLE", time: HOUR });
    assert.deepStrictEqual(parseV2Key("cloudfront/prod/", `${prefix}E2QWRUHEXAMPLE.2026-03-07-09.a1b2.gz`), {
      distributionId: "E2QWRUHEXAMPLE",
      hour: new Date("2026-03-07T09:00:00Z"),
      fileName: "E2QWRUHEXAMPLE.2026-03-07-09.a1b2.gz",
    });
    assert.strictEqual(
      parseV2Key("cloudfront/prod/", "cloudfront/prod/E2QWRUHEXAMPLE.2026-03-07-09.a1b2.gz"),
      undefined,
    );
    assert.strictEqual(
      v2DistributionKeyPrefix("cloudfront/prod/", "E1"),
      "cloudfront/prod/distributionid=E1/",
    );
  });
});
