/**
 * The log bucket: CloudFront's access logs, and so every event the collector has ever received.
 * Private, encrypted, versioned, with a retention limit; in prod out of reach of `pulumi destroy`,
 * guards included.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoggingMode } from "../config/args";
import { enableAcls, encryptWithS3ManagedKeys } from "../bucketSettings";
import { logBucketPolicyDocument } from "./logBucketPolicy";
import { ROLE_TAG } from "../tags";

export interface LogBucketArgs {
  /** Which permission model the bucket gets: legacy's ACL grant, or v2's bucket policy. */
  mode: LoggingMode;
  /** Where v2 deliveries write; the policy allows writes under it only. */
  logPrefix: string;
  retentionDays: number;
  noncurrentVersionRetentionDays: number;
  protect: boolean;
  tags: Record<string, string>;
}

export interface LogBucket {
  bucket: aws.s3.Bucket;
  /** What legacy log delivery needs before a distribution may name the bucket (v2: nothing). */
  readyForLogDelivery: pulumi.Resource[];
  /**
   * The options for anything attached to the bucket (its `bucket` input names it), here or in
   * another module: the policy pack requires `protect` on every such resource when the bucket
   * is protected.
   */
  attachmentOptions: pulumi.CustomResourceOptions;
  /** The bucket policy; in v2 mode it is what lets CloudWatch Logs deliver. */
  policy: aws.s3.BucketPolicy;
}

/**
 * The bucket and every resource attached to it share one protection. Deleting a side resource
 * of a kept bucket is not harmless: the provider calls DeleteBucketLifecycle,
 * DeletePublicAccessBlock and DeleteBucketPolicy and suspends versioning, which would leave every
 * visitor's IP and URL in a bucket with no expiry and no bucket-level public access block.
 */
export function logBucketOptions(
  protect: boolean,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...opts, protect, retainOnDelete: protect };
}

/**
 * The whole bucket. An empty filter `{}` means the same to S3, but the provider warns "Invalid
 * Attribute Combination" on every preview and up and will refuse it in a future version
 * (terraform-provider-aws #42714, #42515); an empty prefix is its documented whole-bucket filter.
 */
export const WHOLE_BUCKET = { prefix: "" };

export function declareLogBucket(
  name: string,
  args: LogBucketArgs,
  opts: pulumi.CustomResourceOptions,
): LogBucket {
  const guarded = logBucketOptions(args.protect, opts);
  const bucket = new aws.s3.Bucket(
    `${name}-logs`,
    // forceDestroy would let `pulumi destroy` delete every log file: only a throwaway stack gets it.
    { forceDestroy: !args.protect, tags: { ...args.tags, [ROLE_TAG]: "logs" } },
    guarded,
  );

  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-logs-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
      // The provider's own keep switch: even a delete that gets past protect and retainOnDelete
      // (a state edit, a rename) leaves the block on the bucket rather than removing it.
      skipDestroy: args.protect,
    },
    guarded,
  );

  // v2 leaves ownership and ACLs to disableAcls(), which must come after the delivery exists.
  let readyForLogDelivery: pulumi.Resource[] = [];
  if (args.mode === "legacy") {
    // CloudFront's legacy standard logs are written through the bucket ACL, so ACLs stay enabled.
    const ownership = enableAcls(`${name}-logs`, bucket, guarded);
    const owner = aws.s3.getCanonicalUserIdOutput({ parent: opts.parent });
    // An explicit grant, not a canned "private" ACL: a canned ACL managed here would wipe the grant
    // CloudFront adds for itself, and logs would stop on the next update (cztack PR #210).
    const logDelivery = aws.cloudfront.getLogDeliveryCanonicalUserIdOutput({}, { parent: opts.parent });
    const acl = new aws.s3.BucketAcl(
      LOG_BUCKET_ACL(name),
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
      { ...guarded, dependsOn: [ownership, publicAccess] },
    );
    readyForLogDelivery = [ownership, acl];
  }

  encryptWithS3ManagedKeys(`${name}-logs`, bucket, guarded);

  // Versioning keeps an overwritten or deleted log file recoverable for a while: the log is the data.
  const versioning = new aws.s3.BucketVersioning(
    `${name}-logs-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    guarded,
  );

  new aws.s3.BucketLifecycleConfiguration(
    `${name}-logs-retention`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: WHOLE_BUCKET,
          expiration: { days: args.retentionDays },
          // Under versioning an expired or overwritten file lives on as a noncurrent version.
          noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          // The provider drops this flag from a rule that also expires by days (S3 refuses the
          // pair), hence a rule of its own.
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: WHOLE_BUCKET,
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { ...guarded, dependsOn: [versioning] },
  );

  // v2's delivery statements name the account; it is read, never written into the repo.
  const accountId =
    args.mode === "v2" ? aws.getCallerIdentityOutput({}, { parent: opts.parent }).accountId : undefined;
  // The logical name stays "tls-only" in both modes: renaming would create the new policy and then
  // delete the old one, and S3's DeleteBucketPolicy would remove the new one with it.
  const policy = new aws.s3.BucketPolicy(
    `${name}-logs-tls-only`,
    {
      bucket: bucket.id,
      policy: pulumi
        .all([bucket.arn, accountId])
        .apply(([arn, account]) =>
          logBucketPolicyDocument(
            arn,
            account === undefined ? undefined : { logPrefix: args.logPrefix, accountId: account },
          ),
        ),
    },
    // S3 rejects policy and public-access-block changes made at the same moment on one bucket.
    { ...guarded, dependsOn: [publicAccess] },
  );

  return { bucket, readyForLogDelivery, attachmentOptions: guarded, policy };
}

const LOG_BUCKET_ACL = (name: string) => `${name}-logs-acl`;

export interface DisableAclsArgs {
  /**
   * The bucket was created in legacy mode (the `migrateLegacyLogBucket` key): its ACL still
   * grants CloudFront's log-delivery account, which S3 requires gone before ACLs can be disabled.
   */
  resetLegacyAcl: boolean;
  /** What must run first: v2's delivery (or the distribution), so that logs flow before the grant goes. */
  after: pulumi.Resource[];
}

/**
 * v2's end state of the log bucket: ACLs disabled (BucketOwnerEnforced), as S3 already makes a new
 * bucket, declared so that a bucket switched from legacy ends the same.
 *
 * A legacy bucket needs more, and the program cannot see that from its own state: S3 refuses
 * BucketOwnerEnforced while the ACL grants another account (InvalidBucketAclWithObjectOwnership),
 * Pulumi deletes the old BucketAcl only after every update, and the provider's delete of a
 * BucketAcl does not touch AWS. So with `resetLegacyAcl` the same BucketAcl resource stays,
 * updated to the owner-only canned ACL, and the ownership change waits for it. On a new bucket
 * that ACL call is refused (AccessControlListNotSupported): hence a key, off by default.
 */
export function disableAcls(
  name: string,
  logs: LogBucket,
  args: DisableAclsArgs,
): aws.s3.BucketOwnershipControls {
  const reset = args.resetLegacyAcl
    ? [
        new aws.s3.BucketAcl(
          LOG_BUCKET_ACL(name),
          { bucket: logs.bucket.id, acl: "private" },
          { ...logs.attachmentOptions, dependsOn: args.after },
        ),
      ]
    : [];
  return new aws.s3.BucketOwnershipControls(
    `${name}-logs-ownership`,
    { bucket: logs.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { ...logs.attachmentOptions, dependsOn: reset },
  );
}
