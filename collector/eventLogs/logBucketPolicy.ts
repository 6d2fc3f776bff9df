/**
 * The log bucket's policy document: TLS only, and in v2 mode the statements that let CloudWatch
 * Logs' delivery service write the access logs (CloudWatch Logs "AWS-logs-infrastructure-V2-S3":
 * a bucket policy instead of ACLs, so the bucket can keep ACLs disabled).
 */
import { deliveryObjectArn } from "./logLayout";

export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

type Statement = Record<string, unknown>;

export function tlsOnlyStatement(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Writes under the destination prefix only, by delivery sources of this account in us-east-1
 * (where CloudFront's sources live), with the ACL CloudWatch Logs sends; the bucket-level reads
 * it makes to check the destination.
 */
export function logDeliveryStatements(bucketArn: string, logPrefix: string, accountId: string): Statement[] {
  const fromOurSources = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${accountId}:delivery-source:*` },
  };
  return [
    {
      Sid: "AWSLogsDeliveryWrite",
      Effect: "Allow",
      Principal: { Service: LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: deliveryObjectArn(bucketArn, logPrefix),
      Condition: {
        ...fromOurSources,
        StringEquals: { ...fromOurSources.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
    {
      Sid: "AWSLogsDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: LOG_DELIVERY_SERVICE },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: bucketArn,
      Condition: fromOurSources,
    },
  ];
}

export function logBucketPolicyDocument(
  bucketArn: string,
  delivery?: { logPrefix: string; accountId: string },
): string {
  const statements = [tlsOnlyStatement(bucketArn)];
  if (delivery) statements.push(...logDeliveryStatements(bucketArn, delivery.logPrefix, delivery.accountId));
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
