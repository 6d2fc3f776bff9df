import { Rule } from "../rule";
import { TYPES } from "../types";

/**
 * DeleteBucket refuses a bucket that still holds objects or object versions. The provider empties
 * it first only with `forceDestroy`, as the stack last recorded it.
 */
export const bucketNotEmpty: Rule = {
  id: "s3-bucket-not-empty",
  source: "AWS S3 API Reference, DeleteBucket (BucketNotEmpty)",
  types: [TYPES.bucket],
  ops: ["delete"],
  check({ resource, account, step }) {
    if (resource.retainOnDelete) return undefined;
    const bucket = account.buckets[step.urn];
    if (!bucket || step.prev?.inputs.forceDestroy === true) return undefined;
    const held = bucket.objects.length + bucket.noncurrentVersions.length;
    if (held === 0) return undefined;
    return {
      code: "BucketNotEmpty",
      message: `The bucket you tried to delete is not empty (${held} objects or versions, forceDestroy off)`,
    };
  },
};
