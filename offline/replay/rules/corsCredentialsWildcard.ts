import { Rule } from "../rule";
import { TYPES } from "../types";

interface Cors {
  accessControlAllowCredentials?: boolean;
  accessControlAllowOrigins?: { items?: string[] };
  accessControlAllowHeaders?: { items?: string[] };
}

/**
 * With Access-Control-Allow-Credentials true, CloudFront refuses `*` among the allowed origins
 * (browsers refuse that pair too) and among the allowed headers.
 */
export const corsCredentialsWildcard: Rule = {
  id: "cloudfront-cors-credentials-wildcard",
  source:
    "CloudFront Developer Guide, understanding-response-headers-policies (CORS headers); " +
    "aws/aws-cdk #35308 (Access-Control-Allow-Headers cannot contain * when allowCredentials is true)",
  types: [TYPES.responseHeadersPolicy],
  ops: ["create", "update", "replace"],
  check({ resource }) {
    const cors = resource.inputs.corsConfig as Cors | undefined;
    if (!cors?.accessControlAllowCredentials) return undefined;
    for (const [label, list] of [
      ["Access-Control-Allow-Origins", cors.accessControlAllowOrigins?.items],
      ["Access-Control-Allow-Headers", cors.accessControlAllowHeaders?.items],
    ] as const) {
      if ((list ?? []).some((v) => v.includes("*"))) {
        return {
          code: "InvalidArgument",
          message: `The parameter ${label} cannot contain * when allowCredentials is true`,
        };
      }
    }
    return undefined;
  },
};
