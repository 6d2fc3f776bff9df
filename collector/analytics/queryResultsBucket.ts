/**
 * The bucket Athena writes query results to. A bucket of its own rather than a prefix of the log
 * bucket: results are derived copies that should expire within days, while the log bucket keeps
 * everything for the retention period, is versioned and protected from `pulumi destroy`, and
 * carries the ACLs CloudFront's legacy delivery needs. Here ACLs are off (BucketOwnerEnforced),
 * and the bucket may go with the stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptWithS3ManagedKeys } from "../bucketSettings";
import { ROLE_TAG } from "../tags";

/** The key prefix of the results inside their bucket. */
export const QUERY_RESULTS_PREFIX = "results/";

export interface QueryResultsBucketArgs {
  retentionDays: number;
  tags: Record<string, string>;
}

export interface QueryResultsBucket {
  bucket: aws.s3.Bucket;
  /** `s3://bucket/results/`: the workgroup's output location. */
  outputLocation: pulumi.Output<string>;
  /** What must exist before Athena writes there. */
  ready: pulumi.Resource[];
}

export function declareQueryResultsBucket(
  name: string,
  args: QueryResultsBucketArgs,
  opts: pulumi.CustomResourceOptions,
): QueryResultsBucket {
  const bucket = new aws.s3.Bucket(
    `${name}-query-results`,
    // Results are recomputable and expire anyway: destroying the stack may take them along.
    { forceDestroy: true, tags: { ...args.tags, [ROLE_TAG]: "query-results" } },
    opts,
  );

  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-query-results-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    opts,
  );

  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-query-results-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );

  const encryption = encryptWithS3ManagedKeys(`${name}-query-results`, bucket, opts);

  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    `${name}-query-results-expiry`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-query-results",
          status: "Enabled",
          // `filter: {}` draws provider warnings (#42714); an empty prefix covers every object.
          filter: { prefix: "" },
          expiration: { days: args.retentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    opts,
  );

  const tlsOnly = new aws.s3.BucketPolicy(
    `${name}-query-results-tls-only`,
    {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    // S3 rejects policy and public-access-block changes made at the same moment on one bucket.
    { ...opts, dependsOn: [publicAccess] },
  );

  return {
    bucket,
    outputLocation: pulumi.interpolate`s3://${bucket.bucket}/${QUERY_RESULTS_PREFIX}`,
    ready: [publicAccess, ownership, encryption, lifecycle, tlsOnly],
  };
}
