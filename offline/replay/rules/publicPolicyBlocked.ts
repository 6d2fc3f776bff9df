import { bucketOf } from "../effects";
import { Rule } from "../rule";
import { isPublicPolicy } from "../s3Policy";
import { TYPES } from "../types";

/** BlockPublicPolicy: PUT Bucket policy fails when the policy is public. */
export const publicPolicyBlocked: Rule = {
  id: "s3-public-policy-blocked",
  source:
    "AWS S3 User Guide, access-control-block-public-access (The meaning of public); " +
    "S3 API Reference, PublicAccessBlockConfiguration (BlockPublicPolicy)",
  types: [TYPES.policy],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const bucket = bucketOf(account, resource, refs);
    if (!bucket || !bucket.publicAccessBlock.blockPublicPolicy) return undefined;
    const text = resource.inputs.policy;
    if (typeof text !== "string") return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isPublicPolicy(doc as never)) return undefined;
    return {
      code: "AccessDenied",
      message: "Access Denied (Block Public Access refuses a public bucket policy)",
    };
  },
};
