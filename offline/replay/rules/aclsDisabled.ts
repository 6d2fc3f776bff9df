import { bucketOf } from "../effects";
import { Rule } from "../rule";
import { TYPES } from "../types";

/**
 * Under BucketOwnerEnforced, S3 refuses every call that sets an ACL, `private` included; an
 * object upload may name `bucket-owner-full-control` or no ACL at all.
 */
export const aclsDisabled: Rule = {
  id: "s3-acls-disabled",
  source:
    "AWS S3 User Guide, object-ownership-error-responses (Controlling ownership of objects); " +
    "terraform-provider-aws #34079 (acl = private refused)",
  types: [TYPES.acl, TYPES.object],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const bucket = bucketOf(account, resource, refs);
    if (!bucket || bucket.ownership !== "BucketOwnerEnforced") return undefined;
    const acl = resource.inputs.acl;
    if (resource.type === TYPES.object && (acl === undefined || acl === "bucket-owner-full-control")) {
      return undefined;
    }
    return { code: "AccessControlListNotSupported", message: "The bucket does not allow ACLs" };
  },
};
