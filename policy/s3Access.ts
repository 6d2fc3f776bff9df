// What makes an S3 bucket or object public, as the pack judges it from declared inputs.
import { Plain, PlainObject, Unknown, arr, isUnknown, jsonDocument, obj, str } from "./values";

/** Canned ACLs that open reads (or more) beyond the account. */
export const PUBLIC_CANNED_ACLS: ReadonlySet<string> = new Set([
  "public-read",
  "public-read-write",
  "authenticated-read",
]);

// AuthenticatedUsers means any AWS account at all, not "our" users: as public as AllUsers.
const PUBLIC_GROUP_URIS: ReadonlySet<string> = new Set([
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
]);

/** Why the ACL declared on a bucket, BucketAcl or object is public; empty when it is not. */
export function publicAclReasons(props: PlainObject): string[] {
  const reasons: string[] = [];
  const canned = str(props.acl);
  if (canned !== undefined && PUBLIC_CANNED_ACLS.has(canned)) {
    reasons.push(`canned ACL "${canned}"`);
  }
  // BucketAcl: accessControlPolicy.grants[].grantee.uri
  for (const grant of arr(obj(props.accessControlPolicy)?.grants)) {
    const uri = str(obj(obj(grant)?.grantee)?.uri);
    if (uri !== undefined && PUBLIC_GROUP_URIS.has(uri)) {
      reasons.push(`a grant of ${str(obj(grant)?.permission) ?? "access"} to ${groupName(uri)}`);
    }
  }
  // Legacy inline bucket grants: grants[].uri with permissions[]
  for (const grant of arr(props.grants)) {
    const uri = str(obj(grant)?.uri);
    if (uri !== undefined && PUBLIC_GROUP_URIS.has(uri)) {
      reasons.push(`an inline grant to ${groupName(uri)}`);
    }
  }
  return reasons;
}

function groupName(uri: string): string {
  return uri.split("/").pop() ?? uri;
}

/**
 * The Sids (or indexes) of statements in a bucket policy that Allow a wildcard principal; UNKNOWN
 * when the document is not known yet (a policy naming the bucket's ARN is unknown at preview).
 */
export function publicPolicyStatements(policy: Plain | undefined): string[] | Unknown {
  const doc = jsonDocument(policy);
  if (isUnknown(doc)) {
    return doc;
  }
  if (!doc) {
    return [];
  }
  const statement = doc.Statement;
  const statements: Plain[] = Array.isArray(statement) ? statement : [statement];
  const found: string[] = [];
  statements.forEach((s, i) => {
    const st = obj(s);
    if (st && st.Effect === "Allow" && isWildcardPrincipal(st.Principal)) {
      found.push(str(st.Sid) ?? `#${i}`);
    }
  });
  return found;
}

function isWildcardPrincipal(principal: Plain | undefined): boolean {
  if (principal === "*") {
    return true;
  }
  const p = obj(principal);
  if (!p) {
    return false;
  }
  const aws = p.AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}
