// The collector stack with analytics on, as the program declares it: a private, encrypted results
// bucket, an enforced workgroup writing there, and a Glue table over the log bucket.
import { CollectorOptions, StackFixture, T, collectorStack, ref } from "./fixtures";

export const A = {
  workgroup: "aws:athena/workgroup:Workgroup",
  database: "aws:glue/catalogDatabase:CatalogDatabase",
  table: "aws:glue/catalogTable:CatalogTable",
} as const;

export function analyticsStack(options: CollectorOptions = {}): StackFixture {
  const s = collectorStack(options);
  const region = options.region ?? "eu-west-1";
  const parent = "collector";
  const physical = "collector-query-results-e4f5a6b";
  s.add({
    type: T.bucket,
    name: "collector-query-results",
    parent,
    props: { forceDestroy: true, tags: { "cloudfront-collector:role": "query-results" } },
    computed: {
      id: physical,
      bucket: physical,
      arn: `arn:aws:s3:::${physical}`,
      bucketDomainName: `${physical}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${physical}.s3.${region}.amazonaws.com`,
    },
  });
  const onResults = { bucket: ref("collector-query-results", "id") };
  s.add({
    type: T.publicAccess,
    name: "collector-query-results-public-access",
    parent,
    props: {
      ...onResults,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
  });
  s.add({
    type: T.ownership,
    name: "collector-query-results-ownership",
    parent,
    props: { ...onResults, rule: { objectOwnership: "BucketOwnerEnforced" } },
  });
  s.add({
    type: T.encryption,
    name: "collector-query-results-encryption",
    parent,
    props: { ...onResults, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
  });
  s.add({
    type: T.lifecycle,
    name: "collector-query-results-expiry",
    parent,
    props: {
      ...onResults,
      rules: [
        { id: "expire-query-results", status: "Enabled", filter: { prefix: "" }, expiration: { days: 7 } },
      ],
    },
  });
  s.add({
    type: A.workgroup,
    name: "collector-analytics",
    parent,
    props: {
      state: "ENABLED",
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: true,
        bytesScannedCutoffPerQuery: 10240 * 1024 * 1024,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: ref("collector-query-results", "bucket", (b) => `s3://${b}/results/`),
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    },
    computed: { name: "collector-analytics-1234567" },
  });
  s.add({
    type: A.database,
    name: "collector-events-db",
    parent,
    props: { name: "collector_prod" },
  });
  s.add({
    type: A.table,
    name: "collector-events",
    parent,
    props: {
      databaseName: ref("collector-events-db", "name"),
      name: "events",
      tableType: "EXTERNAL_TABLE",
      storageDescriptor: {
        location: ref("collector-logs", "bucket", (b) => `s3://${b}/cloudfront/prod/`),
      },
      parameters: {
        "projection.enabled": "true",
        "storage.location.template": ref(
          "collector-logs",
          "bucket",
          (b) => `s3://${b}/cloudfront/prod/distributionid=\${distributionid}/year=\${year}/`,
        ),
      },
    },
  });
  return s;
}

/** A stack with a second, unrelated bucket that a mutation can point things at. */
export function withOtherBucket(s: StackFixture, name = "other-bucket"): StackFixture {
  s.add({
    type: T.bucket,
    name,
    props: { forceDestroy: false },
    computed: { id: `${name}-9f8e7d`, bucket: `${name}-9f8e7d`, arn: `arn:aws:s3:::${name}-9f8e7d` },
  });
  return s;
}
