import {
  athenaResultsEncrypted,
  athenaResultsNotPublic,
  athenaResultsRegionAllowed,
  athenaWorkgroupEnforced,
  glueTableOnLogBucket,
  s3BucketName,
} from "../policies/analytics";
import * as assert from "assert";
import { analyticsStack, withOtherBucket } from "./analyticsFixtures";
import { T, publicReadPolicy, ref } from "./fixtures";
import { assertPasses, assertViolates } from "./harness";

type Props = Record<string, Record<string, unknown>>;
const config = (s: ReturnType<typeof analyticsStack>) =>
  s.props("collector-analytics").configuration as Props;
const results = (s: ReturnType<typeof analyticsStack>) => config(s).resultConfiguration;

for (const preview of [true, false]) {
  describe(`analytics policies (${preview ? "preview" : "deployed"})`, () => {
    it("pass the stack as the program declares it", async () => {
      for (const policy of [
        athenaWorkgroupEnforced,
        athenaResultsEncrypted,
        athenaResultsNotPublic,
        athenaResultsRegionAllowed,
        glueTableOnLogBucket,
      ]) {
        await assertPasses(policy, analyticsStack({ preview }));
      }
    });

    it("athena-workgroup-enforced: fails when enforcement is off or the cutoff is missing or too low", async () => {
      const s = analyticsStack({ preview });
      config(s).enforceWorkgroupConfiguration = false as never;
      await assertViolates(athenaWorkgroupEnforced, s, /does not enforce its configuration/, {
        on: "collector-analytics",
      });
      const t = analyticsStack({ preview });
      delete (config(t) as Record<string, unknown>).bytesScannedCutoffPerQuery;
      await assertViolates(
        athenaWorkgroupEnforced,
        t,
        /no per-query scan cutoff \(bytesScannedCutoffPerQuery unset\)/,
      );
      (config(t) as Record<string, unknown>).bytesScannedCutoffPerQuery = 1024;
      await assertViolates(athenaWorkgroupEnforced, t, /bytesScannedCutoffPerQuery 1024/);
    });

    it("athena-results-encrypted: fails on unencrypted results or a results bucket without encryption", async () => {
      const s = analyticsStack({ preview });
      delete (results(s) as Record<string, unknown>).encryptionConfiguration;
      await assertViolates(athenaResultsEncrypted, s, /writes query results unencrypted/, {
        on: "collector-analytics",
      });
      const t = analyticsStack({ preview });
      t.remove("collector-query-results-encryption");
      await assertViolates(athenaResultsEncrypted, t, /declares no default encryption/, {
        on: "collector-query-results",
      });
    });

    it("athena-results-not-public: fails on an open access block, a public policy or ACL, the pixel bucket", async () => {
      const s = analyticsStack({ preview });
      s.props("collector-query-results-public-access").blockPublicPolicy = false;
      await assertViolates(athenaResultsNotPublic, s, /leaves blockPublicPolicy not true/, {
        on: "collector-query-results",
      });
      s.remove("collector-query-results-public-access");
      await assertViolates(athenaResultsNotPublic, s, /has no BucketPublicAccessBlock/);

      const p = analyticsStack({ preview });
      p.add({
        type: T.policy,
        name: "results-open",
        props: { bucket: ref("collector-query-results", "id"), policy: publicReadPolicy() },
      });
      await assertViolates(athenaResultsNotPublic, p, /allows everyone/);

      const a = analyticsStack({ preview });
      a.props("collector-query-results").acl = "public-read";
      await assertViolates(athenaResultsNotPublic, a, /canned ACL "public-read"/);

      const px = analyticsStack({ preview });
      results(px).outputLocation = ref("collector-pixel", "bucket", (b) => `s3://${b}/results/`) as never;
      await assertViolates(athenaResultsNotPublic, px, /public pixel bucket/);
    });

    it("athena-results-not-public: fails on results outside the stack, or no output location", async () => {
      const s = analyticsStack({ preview });
      results(s).outputLocation = "s3://somebody-elses-bucket/athena/" as never;
      await assertViolates(
        athenaResultsNotPublic,
        s,
        /"s3:\/\/somebody-elses-bucket\/athena\/" that is no bucket/,
      );
      delete (results(s) as Record<string, unknown>).outputLocation;
      await assertViolates(athenaResultsNotPublic, s, /sets no resultConfiguration.outputLocation/);
    });

    it("athena-results-region-allowed: fails on a workgroup or results bucket outside the allowed Regions", async () => {
      const s = analyticsStack({ preview });
      s.props("collector-analytics").region = "us-east-1";
      await assertViolates(
        athenaResultsRegionAllowed,
        s,
        /\(the workgroup\) is in a Region that is us-east-1/,
        {
          on: "collector-analytics",
        },
      );
      const t = analyticsStack({ preview });
      t.props("collector-query-results").region = "eu-south-1";
      await assertViolates(
        athenaResultsRegionAllowed,
        t,
        /\(its query results\) is in a Region that is eu-south-1/,
        {
          on: "collector-query-results",
        },
      );
      await assertPasses(athenaResultsRegionAllowed, t, { allowedRegions: ["eu-west-1", "eu-south-1"] });
      const u = analyticsStack({ preview, region: null });
      await assertViolates(athenaResultsRegionAllowed, u, /Region that is not set/);
    });

    it("glue-table-on-log-bucket: fails when the location or the template is another bucket", async () => {
      const s = withOtherBucket(analyticsStack({ preview }));
      (s.props("collector-events").storageDescriptor as Record<string, unknown>).location = ref(
        "other-bucket",
        "bucket",
        (b) => `s3://${b}/cloudfront/prod/`,
      );
      await assertViolates(
        glueTableOnLogBucket,
        s,
        /storageDescriptor.location .* is not in the collector's log bucket/,
        {
          on: "collector-events",
        },
      );
      const t = withOtherBucket(analyticsStack({ preview }));
      (t.props("collector-events").parameters as Record<string, unknown>)["storage.location.template"] = ref(
        "other-bucket",
        "bucket",
        (b) => `s3://${b}/x/\${year}/`,
      );
      await assertViolates(
        glueTableOnLogBucket,
        t,
        /storage.location.template .* is not in the collector's log bucket/,
      );
      const u = analyticsStack({ preview });
      (u.props("collector-events").storageDescriptor as Record<string, unknown>).location =
        "s3://elsewhere/logs/";
      await assertViolates(
        glueTableOnLogBucket,
        u,
        /"s3:\/\/elsewhere\/logs\/" is not in the collector's log bucket/,
      );
    });
  });
}

describe("s3BucketName", () => {
  it("reads the bucket out of an s3:// location, and nothing out of anything else", () => {
    assert.strictEqual(s3BucketName("s3://b-1/results/"), "b-1");
    assert.strictEqual(s3BucketName("s3://b-1"), "b-1");
    assert.strictEqual(s3BucketName("https://b-1.s3.amazonaws.com/"), undefined);
  });
});
