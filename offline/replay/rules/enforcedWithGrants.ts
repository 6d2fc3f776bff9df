import { OWNER_CANONICAL_ID } from "../account";
import { bucketOf } from "../effects";
import { Rule } from "../rule";
import { TYPES } from "../types";

/** ACLs cannot be disabled while the bucket ACL grants anyone but the owner. */
export const enforcedWithGrants: Rule = {
  id: "s3-enforced-with-grants",
  source:
    "AWS S3 User Guide, object-ownership-migrating-acls-prerequisites (Prerequisites for disabling ACLs)",
  types: [TYPES.ownership],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const rule = resource.inputs.rule as { objectOwnership?: string } | undefined;
    if (rule?.objectOwnership !== "BucketOwnerEnforced") return undefined;
    const bucket = bucketOf(account, resource, refs);
    const others = (bucket?.grants ?? []).filter((g) => g.grantee !== OWNER_CANONICAL_ID);
    if (others.length === 0) return undefined;
    return {
      code: "InvalidBucketAclWithObjectOwnership",
      message:
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting " +
        `(the ACL still grants ${others.map((g) => `${g.permission} to ${g.grantee}`).join(", ")})`,
    };
  },
};
