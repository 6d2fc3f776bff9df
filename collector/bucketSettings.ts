/**
 * Settings both buckets share: ACLs switched back on (since April 2023 new buckets have them
 * off, and both the public pixel and CloudFront's log delivery need them) and SSE-S3 encryption
 * (CloudFront log delivery cannot use the AWS-managed KMS key; a customer key would need its own
 * policy for delivery.logs.amazonaws.com).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export function enableAcls(
  name: string,
  bucket: aws.s3.Bucket,
  opts: pulumi.CustomResourceOptions,
): aws.s3.BucketOwnershipControls {
  return new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerPreferred" } },
    opts,
  );
}

export function encryptWithS3ManagedKeys(
  name: string,
  bucket: aws.s3.Bucket,
  opts: pulumi.CustomResourceOptions,
): aws.s3.BucketServerSideEncryptionConfiguration {
  return new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    opts,
  );
}
