import { Rule } from "../rule";
import { TYPES } from "../types";

/** Legacy standard logging writes through the bucket ACL: a bucket with ACLs disabled is refused. */
export const legacyLoggingNeedsAcls: Rule = {
  id: "cloudfront-legacy-logging-needs-acls",
  source:
    "CloudFront Developer Guide, standard-logging-legacy-s3 (Permissions); " +
    "aws-samples/baseline-environment-on-aws #363, aws-samples/aws-lex-web-ui #515",
  types: [TYPES.distribution],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    if (!resource.inputs.loggingConfig) return undefined;
    const urn = refs.to(resource, "loggingConfig", TYPES.bucket);
    const bucket = urn === undefined ? undefined : account.buckets[urn];
    if (urn !== undefined && !bucket) {
      return {
        code: "InvalidArgument",
        message: "The S3 bucket that you specified for CloudFront logs doesn't exist",
      };
    }
    if (bucket?.ownership !== "BucketOwnerEnforced") return undefined;
    return {
      code: "InvalidArgument",
      message: "The S3 bucket that you specified for CloudFront logs does not enable ACL access",
    };
  },
};
