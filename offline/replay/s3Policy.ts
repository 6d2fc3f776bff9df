/**
 * Reading bucket policies the way S3 does for the two questions the rules ask: is the policy
 * public (S3 User Guide, "Blocking public access to your Amazon S3 storage", "The meaning of
 * public"), and does it let a service principal put objects under a key.
 */
import { PolicyDocument, PolicyStatement } from "./account";

/** Condition keys whose fixed value makes a statement non-public ("The meaning of public"). */
const NON_PUBLIC_CONDITION_KEYS = [
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceowner",
  "aws:sourceaccount",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "aws:userid",
  "aws:sourceip",
  "aws:principalorgid",
  "aws:principalaccount",
];

export function statements(doc: PolicyDocument | undefined): PolicyStatement[] {
  if (!doc?.Statement) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function anyonePrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal !== null && typeof principal === "object") {
    return list((principal as Record<string, unknown>).AWS).includes("*");
  }
  return false;
}

function hasFixingCondition(st: PolicyStatement): boolean {
  for (const [operator, keys] of Object.entries(st.Condition ?? {})) {
    if (/IfExists$/i.test(operator)) continue;
    for (const key of Object.keys(keys)) {
      if (NON_PUBLIC_CONDITION_KEYS.includes(key.toLowerCase())) return true;
    }
  }
  return false;
}

/** An Allow to anyone without a condition that pins the caller down is public. */
export function isPublicPolicy(doc: PolicyDocument | undefined): boolean {
  return statements(doc).some(
    (st) => st.Effect === "Allow" && anyonePrincipal(st.Principal) && !hasFixingCondition(st),
  );
}

/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
  );
  return re.test(value);
}

function actionMatches(actions: string[], action: string): boolean {
  return actions.some((a) => wildcardMatch(a.toLowerCase(), action.toLowerCase()));
}

/** Whether a statement of the policy allows `service` to `action` on `resourceArn`. */
export function allowsService(
  doc: PolicyDocument | undefined,
  service: string,
  action: string,
  resourceArn: string,
): boolean {
  return statements(doc).some((st) => {
    if (st.Effect !== "Allow") return false;
    const p = st.Principal as Record<string, unknown> | string | undefined;
    const services = p !== null && typeof p === "object" ? list(p.Service) : [];
    if (!services.includes(service) && p !== "*") return false;
    return (
      actionMatches(list(st.Action), action) && list(st.Resource).some((r) => wildcardMatch(r, resourceArn))
    );
  });
}
