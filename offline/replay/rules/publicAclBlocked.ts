import { ALL_USERS, AUTHENTICATED_USERS } from "../account";
import { bucketOf, cannedGrants, declaredGrants } from "../effects";
import { Rule } from "../rule";
import { TYPES } from "../types";

/** BlockPublicAcls: PUT Bucket ACL, PUT Object ACL and PUT Object with a public ACL fail. */
export const publicAclBlocked: Rule = {
  id: "s3-public-acl-blocked",
  source: "AWS S3 API Reference, PublicAccessBlockConfiguration (BlockPublicAcls)",
  types: [TYPES.acl, TYPES.object],
  ops: ["create", "update", "replace"],
  check({ resource, account, refs }) {
    const bucket = bucketOf(account, resource, refs);
    if (!bucket || !bucket.publicAccessBlock.blockPublicAcls) return undefined;
    const grants =
      resource.type === TYPES.object
        ? cannedGrants(String(resource.inputs.acl ?? "private"))
        : declaredGrants(resource.inputs);
    if (!grants.some((g) => g.grantee === ALL_USERS || g.grantee === AUTHENTICATED_USERS)) return undefined;
    return { code: "AccessDenied", message: "Access Denied (Block Public Access refuses a public ACL)" };
  },
};
