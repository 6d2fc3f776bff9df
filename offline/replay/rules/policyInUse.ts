import { Rule } from "../rule";
import { TYPES } from "../types";

/** CloudFront refuses to delete a cache or response headers policy a distribution still uses. */
export const policyInUse: Rule = {
  id: "cloudfront-policy-in-use",
  source:
    "CloudFront API Reference, DeleteResponseHeadersPolicy (ResponseHeadersPolicyInUse), " +
    "DeleteCachePolicy (CachePolicyInUse)",
  types: [TYPES.responseHeadersPolicy, TYPES.cachePolicy],
  ops: ["delete"],
  check({ account, step }) {
    const users = Object.entries(account.distributions).filter(([, d]) => d.policies.includes(step.urn));
    if (users.length === 0) return undefined;
    const code = step.type === TYPES.cachePolicy ? "CachePolicyInUse" : "ResponseHeadersPolicyInUse";
    return {
      code,
      message: `The policy is still used by ${users.map(([u]) => u.split("::").pop()).join(", ")}`,
    };
  },
};
