/**
 * The log bucket: CloudFront's access logs, and so every event the collector has ever received.
 * Private, encrypted, versioned, with a retention limit; in prod out of reach of `pulumi destroy`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { enableAcls, encryptWithS3ManagedKeys } from "./bucketSettings";
import { ROLE_TAG } from "./tags";

export interface LogBucketArgs {
  retentionDays: number;
  noncurrentVersionRetentionDays: number;
  protect: boolean;
  tags: Record<string, string>;
}

export interface LogBucket {
  bucket: aws.s3.Bucket;
  /** What CloudFront log delivery needs before a distribution may name the bucket. */
  readyForLogDelivery: pulumi.Resource[];
}

export function declareLogBucket(
  name: string,
  args: LogBucketArgs,
  opts: pulumi.CustomResourceOptions,
): LogBucket {
  const bucket = new aws.s3.Bucket(
    `${name}-logs`,
    // forceDestroy would let `pulumi destroy` delete every log file: only a throwaway stack gets it.
    { forceDestroy: !args.protect, tags: { ...args.tags, [ROLE_TAG]: "logs" } },
    { ...opts, protect: args.protect, retainOnDelete: args.protect },
  );

  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-logs-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    opts,
  );

  // CloudFront's legacy standard logs are written through the bucket ACL, so ACLs stay enabled.
  const ownership = enableAcls(`${name}-logs`, bucket, opts);
  // An explicit grant, not a canned "private" ACL: a canned ACL managed here would wipe the grant
  // CloudFront adds for itself, and logs would stop on the next update (cztack PR #210).
  const owner = aws.s3.getCanonicalUserIdOutput({ parent: opts.parent });
  const logDelivery = aws.cloudfront.getLogDeliveryCanonicalUserIdOutput({}, { parent: opts.parent });
  const acl = new aws.s3.BucketAcl(
    `${name}-logs-acl`,
    {
      bucket: bucket.id,
      accessControlPolicy: {
        owner: { id: owner.id },
        grants: [
          { grantee: { type: "CanonicalUser", id: owner.id }, permission: "FULL_CONTROL" },
          { grantee: { type: "CanonicalUser", id: logDelivery.id }, permission: "FULL_CONTROL" },
        ],
      },
    },
    { ...opts, dependsOn: [ownership, publicAccess] },
  );

  encryptWithS3ManagedKeys(`${name}-logs`, bucket, opts);

  // Versioning keeps an overwritten or deleted log file recoverable for a while: the log is the data.
  const versioning = new aws.s3.BucketVersioning(
    `${name}-logs-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );

  new aws.s3.BucketLifecycleConfiguration(
    `${name}-logs-retention`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: args.retentionDays },
          // Under versioning an expired or overwritten file lives on as a noncurrent version.
          noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          // S3 refuses this flag in a rule that also expires by days, hence a rule of its own.
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: {},
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { ...opts, dependsOn: [versioning] },
  );

  new aws.s3.BucketPolicy(
    `${name}-logs-tls-only`,
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

  return { bucket, readyForLogDelivery: [ownership, acl] };
}
